/**
 * Every operation without a request body, and those whose body the recordings show,, called through the generated client against Prism serving openapi/sc.yaml
 * (at the server root: Prism ignores the templated base path): Prism must accept the request (path and query
 * parameters, auth cookie) and the client must accept Prism's answer under `validate: 'error'`. The other
 * operations with a body (multipart, TUS, Geti predictions...) are not covered.
 */
// A relative import: mock-server depends on this package, so this package cannot depend on it.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPrism } from '../../../../tools/mock-server/src/prism.js';
import { GeneratedScClient, operations } from '../../src/generated/index.js';

interface Op {
  operationId: string;
  method: string;
  pathParams: string[];
  body: boolean;
  bodyRequired: boolean;
  responseType: string;
}
const ID = '624c004b234370fcf24bf38c';
/** Request bodies as the recordings and the fact sheet show them (sc-api.md §8 ex. 3, 7, 10; §2.2; §3.1). */
const BODIES: Record<string, Record<string, unknown>> = {
  createAccessToken: { service_id: 'pat' },
  createProject: {
    name: 'p',
    pipeline: {
      connections: [{ from: 'Dataset', to: 'Detection task' }],
      tasks: [
        { title: 'Dataset', task_type: 'dataset' },
        {
          title: 'Detection task',
          task_type: 'detection',
          labels: [{ name: 'cube', group: 'detection task label group' }],
        },
      ],
    },
  },
  createImageAnnotation: {
    annotations: [
      {
        labels: [{ probability: 1.0, id: ID }],
        shape: {
          x: 0.1956043956043956,
          y: 0.41015625,
          width: 0.16263736263736264,
          height: 0.2421875,
          type: 'RECTANGLE',
        },
      },
    ],
    media_identifier: { type: 'image', image_id: ID },
  },
  setTaskConfiguration: {
    components: [
      {
        entity_identifier: {
          type: 'COMPONENT_PARAMETERS',
          workspace_id: ID,
          component: 'TASK_NODE',
          project_id: ID,
          task_id: ID,
        },
        parameters: [{ name: 'auto_training', value: false }],
      },
    ],
  },
  queryMedia: { condition: 'and', rules: [{ field: 'MEDIA_TYPE', operator: 'EQUAL', value: 'image' }] },
};

let prism: { child: { kill(): void }; url: string };
beforeAll(async () => {
  prism = await startPrism('openapi/sc.yaml', '127.0.0.1', 0);
}, 130_000);
afterAll(() => prism?.child.kill());

it('Prism accepts every body-less request and the client every answer', { timeout: 120_000 }, async () => {
  const sc = new GeneratedScClient({
    baseUrl: prism.url,
    servers: { apiRoot: prism.url },
    headers: { cookie: '_oauth2_proxy=contract' },
    validate: 'error',
    maxRetries: 0,
  });
  const failed: string[] = [];
  const skipped: string[] = [];
  let called = 0;
  for (const op of Object.values(operations) as unknown as Op[]) {
    if (op.bodyRequired && !BODIES[op.operationId]) {
      skipped.push(op.operationId);
      continue;
    }
    const params: Record<string, unknown> = {};
    for (const name of op.pathParams)
      params[name] =
        name === 'frame_index' ? 0 : name === 'prediction_mode' ? 'auto' : '624c004b234370fcf24bf38c';
    Object.assign(params, BODIES[op.operationId]);
    if (op.operationId === 'prepareDatasetExport') params.export_format = 'coco';
    if (op.operationId === 'prepareDatasetImport') params.file_id = '624c004b234370fcf24bf38c';
    // TUS uploads (Geti) carry their protocol in headers.
    const headers = /Upload/.test(op.operationId)
      ? { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': 'filename ZmlsZQ==' }
      : undefined;
    try {
      await sc.call(op.operationId, params, headers ? { headers } : undefined);
      called++;
    } catch (err) {
      failed.push(`${op.operationId}: ${(err as Error).message.slice(0, 200)}`);
    }
  }
  console.log(
    `prism contract: ${called} operations called, ${skipped.length} with a required body not covered (multipart, TUS, Geti-only bodies)`,
  );
  expect(failed).toEqual([]);
  expect(called).toBeGreaterThan(40);
});
