/**
 * Every operation without a request body, called through the generated client against Prism serving openapi/sc.yaml
 * (at the server root: Prism ignores the templated base path): Prism must accept the request (path and query
 * parameters, auth cookie) and the client must accept Prism's answer under `validate: 'error'`. Operations with a
 * request body need real examples and are not covered here (listed in the output).
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
    if (op.bodyRequired) {
      skipped.push(op.operationId);
      continue;
    }
    const params: Record<string, unknown> = {};
    for (const name of op.pathParams)
      params[name] =
        name === 'frame_index' ? 0 : name === 'prediction_mode' ? 'auto' : '624c004b234370fcf24bf38c';
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
    `prism contract: ${called} operations called, ${skipped.length} with a required body not covered`,
  );
  expect(failed).toEqual([]);
  expect(called).toBeGreaterThan(40);
});
