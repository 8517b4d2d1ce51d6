/**
 * Contract tests against Prism serving openapi/sc.yaml (at the server root: Prism ignores the templated base path),
 * all 78 operations. Prism must accept every request (path, query and header parameters, the auth cookie, the body)
 * and the client every answer under `validate: 'error'`.
 * - JSON operations (74) go through the generated client's `call`, with bodies as the recordings and the fact sheet
 *   show them (sc-api.md §3.1, §4, §8; the full configuration POST is the recorded one).
 * - The four non-JSON bodies go the way the package sends them: the multipart image and video uploads through
 *   `lib/api.ts` `uploadMedia` (one part `file`, §1.3), the TUS chunks (`application/offset+octet-stream`, Geti) as
 *   the TUS protocol sends them; the core sends JSON only, so no method of the generated client sends these two.
 * Not covered: the SC <= 1.1 array form of the train body (`[TrainParams]`; flat params cannot be an array, so the
 * client sends that form with `sc.post`); the object form of SC 1.2 is called.
 */
// A relative import: mock-server depends on this package, so this package cannot depend on it.

import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  PRISM_STARTUP_TIMEOUT_MS,
  type RunningPrism,
  startPrism,
} from '../../../../tools/mock-server/src/prism.js';
import type { ScClient } from '../../src/client.js';
import { GeneratedScClient, operations } from '../../src/generated/index.js';
import { operationSchemas } from '../../src/generated/zod.js';
import { type ProjectRef, uploadMedia } from '../../src/lib/api.js';
import type { Project } from '../../src/lib/types.js';
import { readCassette } from '../helpers/cassettes.js';

interface Op {
  operationId: string;
  method: string;
  pathParams: string[];
  body: boolean;
  bodyRequired: boolean;
  bodyContentType?: string;
  responseType: string;
}
const ID = '624c004b234370fcf24bf38c';
const ALL = Object.values(operations) as unknown as Op[];
const NOT_JSON = new Set(['createImage', 'createVideo', 'appendProjectUpload', 'appendDatasetUpload']);
const COMPONENT_TASK_NODE = {
  entity_identifier: {
    type: 'COMPONENT_PARAMETERS',
    workspace_id: ID,
    component: 'TASK_NODE',
    project_id: ID,
    task_id: ID,
  },
  parameters: [{ name: 'auto_training', value: false }],
};
/** The full configuration POST of `TestConfigurationManager` (SC 1.1), as recorded. */
const RECORDED_FULL_CONFIGURATION = JSON.parse(
  readCassette('TestConfigurationManager.test_get_and_set_configuration.yaml')[3]?.requestBody as string,
) as Record<string, unknown>;
/** Request bodies as the recordings and the fact sheet show them (sc-api.md §8 ex. 3, 7, 10; §2.2; §3.1; §4). */
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
  // §4.1 / §3 #5: the project as read, ids kept; the label to add has none.
  updateProject: {
    id: ID,
    name: 'p',
    datasets: [{ id: ID, name: 'Dataset' }],
    pipeline: {
      connections: [{ from: ID, to: ID }],
      tasks: [
        { id: ID, title: 'Dataset', task_type: 'dataset' },
        {
          id: ID,
          title: 'Detection task',
          task_type: 'detection',
          labels: [
            { id: ID, name: 'cube', group: 'detection task label group', color: '#1ff047ff' },
            { name: 'sphere', group: 'detection task label group' },
          ],
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
  // §4.4: a frame of a video, a polygon in pixels (SC >= 1.2).
  createVideoFrameAnnotation: {
    annotations: [
      {
        labels: [{ probability: 1.0, id: ID }],
        shape: {
          type: 'POLYGON',
          points: [
            { x: 159, y: 113 },
            { x: 170, y: 140 },
            { x: 150, y: 150 },
          ],
        },
      },
    ],
    media_identifier: { type: 'video_frame', video_id: ID, frame_index: 0 },
  },
  setTaskConfiguration: { components: [COMPONENT_TASK_NODE] },
  setConfiguration: RECORDED_FULL_CONFIGURATION,
  setGlobalConfiguration: {
    components: [
      {
        entity_identifier: {
          type: 'COMPONENT_PARAMETERS',
          workspace_id: ID,
          component: 'PIPELINE_DATASET_MANAGER',
          project_id: ID,
        },
        parameters: [{ name: 'use_ndr', value: false }],
      },
    ],
  },
  queryMedia: { condition: 'and', rules: [{ field: 'MEDIA_TYPE', operator: 'EQUAL', value: 'image' }] },
  queryTrainingRevisionMedia: {
    condition: 'and',
    rules: [{ field: 'MEDIA_TYPE', operator: 'EQUAL', value: 'image' }],
  },
  createDataset: { name: 'Dataset 2' },
  // §4.9: SC 1.2 wraps the list; Geti's `:train` takes one TrainParams without `dataset_id`.
  trainProject: {
    training_parameters: [
      {
        dataset_id: ID,
        task_id: ID,
        train_from_scratch: false,
        enable_pot_optimization: false,
        model_template_id: 'Custom_Object_Detection_Gen3_ATSS',
      },
    ],
  },
  trainProjectTask: {
    task_id: ID,
    train_from_scratch: false,
    model_template_id: 'Custom_Object_Detection_Gen3_ATSS',
  },
  // §3.1 prediction: a project image, a video frame, a frame range.
  predictWithActivePipeline: { dataset_id: ID, image_id: ID, use_cache: 'auto' },
  explainWithActivePipeline: { dataset_id: ID, video_id: ID, frame_index: 3 },
  batchPredictWithActivePipeline: {
    dataset_id: ID,
    video_id: ID,
    start_frame: 0,
    end_frame: 30,
    frame_skip: 5,
    use_cache: 'never',
  },
  batchExplainWithActivePipeline: {
    dataset_id: ID,
    video_id: ID,
    start_frame: 0,
    end_frame: 30,
    frame_skip: 5,
  },
  optimizeModel: {},
  prepareCodeDeployment: { models: [{ model_id: ID, model_group_id: ID }] },
  importProject: { file_id: ID, project_name: 'restored' },
  importProjectFromDataset: {
    project_name: 'from coco',
    task_type: 'detection',
    file_id: ID,
    labels: [{ name: 'cube' }, { name: 'cylinder' }],
  },
};

let prism: RunningPrism;
beforeAll(async () => {
  prism = await startPrism('openapi/sc.yaml');
}, PRISM_STARTUP_TIMEOUT_MS + 10_000);
afterAll(() => prism?.stop());

const COOKIE = '_oauth2_proxy=contract';

function pathParams(op: Op): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const name of op.pathParams)
    params[name] = name === 'frame_index' ? 0 : name === 'prediction_mode' ? 'auto' : ID;
  return params;
}

/** Prism's verdict on a request it answered: its `sl-violations` header lists what broke the spec. */
async function violations(res: Response): Promise<string | undefined> {
  const header = res.headers.get('sl-violations');
  if (res.ok && !header) return undefined;
  return `${res.status} ${header ?? (await res.text()).slice(0, 300)}`;
}

it('Prism accepts every JSON request of the generated client and the client every answer', {
  timeout: 180_000,
}, async () => {
  const sc = new GeneratedScClient({
    baseUrl: prism.url,
    servers: { apiRoot: prism.url },
    headers: { cookie: COOKIE },
    validate: 'error',
    maxRetries: 0,
  });
  const failed: string[] = [];
  const called: string[] = [];
  for (const op of ALL) {
    if (NOT_JSON.has(op.operationId)) continue;
    if (op.bodyRequired && !BODIES[op.operationId]) {
      failed.push(`${op.operationId}: no request body in BODIES`);
      continue;
    }
    const params = { ...pathParams(op), ...BODIES[op.operationId] };
    if (op.operationId === 'prepareDatasetExport') params.export_format = 'coco';
    if (op.operationId === 'prepareDatasetImport') params.file_id = ID;
    // TUS uploads (Geti) carry their protocol in headers.
    const headers = /Upload/.test(op.operationId)
      ? { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': 'filename ZmlsZQ==' }
      : undefined;
    try {
      await sc.call(op.operationId, params, headers ? { headers } : undefined);
      called.push(op.operationId);
    } catch (err) {
      failed.push(`${op.operationId}: ${(err as Error).message.slice(0, 300)}`);
    }
  }
  // Control: Prism does check bodies (a dataset without its required name, sent unvalidated, is refused).
  await expect(
    sc.call('createDataset', { workspace_id: ID, project_id: ID }, { validate: 'off' }),
  ).rejects.toMatchObject({ status: 422 });
  console.log(`prism contract: ${called.length} JSON operations called through the generated client`);
  expect(failed).toEqual([]);
  expect(called).toHaveLength(ALL.length - NOT_JSON.size);
});

it('multipart uploads (through uploadMedia) and TUS chunks are accepted; answers parse against the spec', {
  timeout: 60_000,
}, async () => {
  // uploadMedia needs only the session's fetch and the base URL of the client.
  const withCookie = ((input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('cookie', COOKIE);
    return fetch(input, { ...init, headers });
  }) as typeof fetch;
  let verdict: string | undefined;
  const checked = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await withCookie(input, init);
    verdict = await violations(res.clone());
    return res;
  }) as typeof fetch;
  const sc = { session: { fetch: checked }, options: { baseUrl: prism.url } } as unknown as ScClient;
  const ref: ProjectRef = {
    workspaceId: ID,
    datasetId: ID,
    project: { id: ID, name: 'p', datasets: [{ id: ID, name: 'p' }] } as Project,
  };
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
  const failed: string[] = [];
  const done: string[] = [];
  for (const [operationId, kind, file] of [
    ['createImage', 'images', 'WIN_20220406_21_24_24_Pro.jpg'],
    ['createVideo', 'videos', 'clip.mp4'],
  ] as const) {
    try {
      const item = await uploadMedia(sc, ref, kind, jpeg, file);
      const parsed = (
        operationSchemas as unknown as Record<
          string,
          { response: { safeParse(v: unknown): { success: boolean; error?: unknown } } }
        >
      )[operationId]?.response.safeParse(item);
      if (verdict) failed.push(`${operationId}: ${verdict}`);
      else if (!parsed?.success)
        failed.push(`${operationId}: answer does not parse: ${String(parsed?.error)}`);
      else done.push(operationId);
    } catch (err) {
      failed.push(`${operationId}: ${(err as Error).message.slice(0, 300)}`);
    }
  }
  for (const [operationId, kind] of [
    ['appendProjectUpload', 'projects'],
    ['appendDatasetUpload', 'datasets'],
  ] as const) {
    const res = await withCookie(`${prism.url}/workspaces/${ID}/${kind}/uploads/resumable/${ID}`, {
      method: 'PATCH',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      body: jpeg,
    });
    const problem = await violations(res);
    if (problem || res.status !== 204) failed.push(`${operationId}: ${problem ?? res.status}`);
    else done.push(operationId);
  }
  // Control: a chunk without its `Upload-Offset` is refused, so the checks above are real.
  const control = await withCookie(`${prism.url}/workspaces/${ID}/projects/uploads/resumable/${ID}`, {
    method: 'PATCH',
    headers: { 'tus-resumable': '1.0.0', 'content-type': 'application/offset+octet-stream' },
    body: jpeg,
  });
  expect(await violations(control)).toBeDefined();
  console.log(`prism contract: ${done.length} non-JSON operations (multipart, TUS) called`);
  expect(failed).toEqual([]);
  expect(done.sort()).toEqual([...NOT_JSON].sort());
});
