/**
 * Projects from the COCO blocks, replayed against the SC 1.1 recordings of the Python tool: the POSTed project, every
 * annotation POST and the auto-training POSTs must equal what the Python tool sent (parsed JSON, exact numbers).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScClient } from '../../src/index.js';
import { createProjectSingleTaskFromDataset } from '../../src/lib/create-from-dataset.js';
import { replayFetch } from '../helpers/replay.js';

const FIXTURES = resolve(fileURLToPath(import.meta.url), '../../fixtures/coco-blocks');
const imagesPath = resolve(FIXTURES, 'images/NONE');
const annotationsPath = resolve(FIXTURES, 'annotations/instances_NONE.json');

function bodies(
  replay: ReturnType<typeof replayFetch>,
  cassetteFrom: number,
  pathPart: RegExp,
  method = 'POST',
) {
  const recorded = new Map<string, unknown>();
  replay.interactions.slice(cassetteFrom).forEach((x) => {
    if (x.request.method === method && pathPart.test(x.request.uri) && typeof x.request.body === 'string') {
      recorded.set(new URL(x.request.uri).pathname, JSON.parse(x.request.body));
    }
  });
  const sent = new Map<string, unknown>();
  for (const r of replay.seen) {
    if (r.method === method && pathPart.test(r.url) && typeof r.body === 'string')
      sent.set(new URL(r.url).pathname, JSON.parse(r.body));
  }
  return { recorded, sent };
}

const CASES = [
  {
    type: 'detection',
    cassette: 'TestSCRESTClient.test_create_single_task_project_from_dataset-detection.yaml',
    annotated: 16,
    uploaded: 16,
  },
  {
    type: 'segmentation',
    cassette: 'TestSCRESTClient.test_create_single_task_project_from_dataset-segmentation.yaml',
    annotated: 16,
    uploaded: 16,
  },
  {
    type: 'classification',
    cassette: 'TestSCRESTClient.test_create_single_task_project_from_dataset-classification.yaml',
    annotated: 13,
    uploaded: 13,
    filter: 'XOR' as const,
  },
];

describe('createProjectSingleTaskFromDataset, replayed (SC 1.1, normalized coordinates)', () => {
  for (const c of CASES) {
    it(`${c.type}: project, annotations and auto-training POSTs equal the recording`, async () => {
      const cassette = c.cassette;
      const replay = replayFetch('session.yaml', 'client.yaml', cassette);
      const loginCount = replay.interactions.length - replayFetch(cassette).interactions.length;
      const sc = new ScClient({
        host: 'dummy_host',
        username: 'dummy_user',
        password: 'dummy_password',
        fetch: replay.fetch,
        maxRetries: 0,
      });
      const project = await createProjectSingleTaskFromDataset(sc, {
        projectName: `sdk_test_${c.type}_project_from_dataset`,
        projectType: c.type,
        imagesPath,
        annotationsPath,
        enableAutoTrain: false,
        ...(c.filter ? { filter: c.filter } : {}),
      });
      expect(project.name).toBe(`sdk_test_${c.type}_project_from_dataset`);
      const created = bodies(replay, loginCount, /\/projects$/);
      expect([...created.sent.values()]).toEqual([...created.recorded.values()]);
      const annotations = bodies(replay, loginCount, /\/annotations$/);
      expect(annotations.sent.size).toBe(c.annotated);
      expect(annotations.sent).toEqual(annotations.recorded);
      const config = bodies(replay, loginCount, /\/configuration\/task_chain\//);
      expect(config.sent).toEqual(config.recorded);
      const uploads = replay.seen.filter((r) => r.method === 'POST' && r.url.endsWith('/media/images'));
      expect(uploads).toHaveLength(c.uploaded);
      // Everything the Python tool asked for, we asked for too (cleanup calls of the test aside).
      const pythonCalls = replayFetch(cassette).interactions.map(
        (x) => `${x.request.method} ${x.request.uri}`,
      );
      const cleanup = pythonCalls.slice(-2); // the test's own GET projects + DELETE
      expect(replay.unused().filter((u) => pythonCalls.includes(u) && !cleanup.includes(u))).toEqual([]);
    });
  }

  it('the bbox 89,105,74,62 on the 455x256 image becomes the recorded rectangle', async () => {
    const cassette = 'TestSCRESTClient.test_create_single_task_project_from_dataset-detection.yaml';
    const replay = replayFetch('session.yaml', 'client.yaml', cassette);
    const sc = new ScClient({
      host: 'dummy_host',
      username: 'dummy_user',
      password: 'dummy_password',
      fetch: replay.fetch,
      maxRetries: 0,
    });
    await createProjectSingleTaskFromDataset(sc, {
      projectName: 'sdk_test_detection_project_from_dataset',
      projectType: 'detection',
      imagesPath,
      annotationsPath,
      enableAutoTrain: false,
    });
    const post = replay.seen.find((r) => r.url.endsWith('/images/6255dd09234370fcf24c1c2b/annotations'));
    const body = JSON.parse(post?.body as string) as { annotations: { shape: unknown }[] };
    expect(body.annotations[0]?.shape).toEqual({
      x: 0.1956043956043956,
      y: 0.41015625,
      width: 0.16263736263736264,
      height: 0.2421875,
      type: 'RECTANGLE',
    });
    expect(body.annotations[1]?.shape).toMatchObject({ width: 0.07472527472527479 });
  });
});
