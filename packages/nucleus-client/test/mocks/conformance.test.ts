/**
 * The fake against openapi/nucleus.yaml, operation by operation: one scenario drives every operation the fake
 * models through NucleusClient (`validate: 'error'`, so the client checks each answer too) while the engine checks
 * every answer against the operation's response schema (`conformance: 'error'` turns a mismatch into a 500). Each
 * modelled operation must have answered 200 at least once; every other operation must answer 501 naming its route.
 * The counts are printed.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NucleusClient, operations } from '../../src/index.js';
import { createNucleusFake, NOT_MODELLED } from '../../src/mocks/index.js';

const BASE = 'http://nucleus.test/v1/nucleus';
const fake = createNucleusFake({ baseUrl: BASE, conformance: 'error', pollsPerStatus: 1 });
const server = setupServer(...fake.handlers);
const nu = new NucleusClient({ apiKey: 'k', endpoint: BASE, validate: 'error', initialRetryDelay: 1 });
type OpId = keyof typeof operations;
/** One call by operationId (path, query and body params in one object, as the generated methods take them). */
const call = (id: OpId, params: Record<string, unknown> = {}, query?: Record<string, unknown>) =>
  nu.request(operations[id], params, query ? { query } : {}) as Promise<Record<string, unknown>>;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const allIds = Object.keys(operations) as OpId[];
const modelled = allIds.filter((id) => !NOT_MODELLED.includes(id));

describe('the fake conforms to openapi/nucleus.yaml', () => {
  it('answers every modelled operation with a body its response schema accepts', async () => {
    // datasets and items
    const { dataset_id: ds } = (await call('createDataset', { name: 'cars', is_scene: false })) as {
      dataset_id: string;
    };
    const items = Array.from({ length: 6 }, (_, i) => ({
      reference_id: `img-${i}`,
      image_url: `s3://b/${i}.jpg`,
      metadata: { i, split: i < 3 ? 'train' : 'val' },
    }));
    await call('appendDatasetItems', { dataset_id: ds, items, update: false });
    for (const id of [
      'getDataset',
      'getDatasetName',
      'getDatasetIsScene',
      'getDatasetUsePrivacyMode',
      'getDatasetSize',
      'getDatasetTags',
      'listAllDatasetItems',
      'listDatasetModelRuns',
    ] as const)
      await call(id, { dataset_id: ds });
    await call('listDatasets');
    await call('listDatasetIds');
    await call('addDatasetTags', { dataset_id: ds, tags: ['a', 'b'] });
    await call('removeDatasetTags', { dataset_id: ds, tags: ['a'] });
    await call('listDatasetItems', { dataset_id: ds, pageSize: 4 });
    const q = await call('queryDatasetItems', {
      dataset_id: ds,
      pageSize: 10,
      query: 'metadata.split = "val"',
    });
    expect((q.items as unknown[]).length).toBe(3);
    const byIndex = await call('getDatasetItemByIndex', { dataset_id: ds, index: 1 });
    await call('getDatasetItemByReferenceId', { dataset_id: ds, reference_id: 'img-2' });
    const itemId = (byIndex.item as { id: string }).id;
    await call('getDatasetItem', { dataset_id: ds, dataset_item_id: itemId });
    await call('updateDatasetItemMetadata', {
      dataset_id: ds,
      level: 'item',
      metadata: [{ reference_id: 'img-0', metadata: { weather: 'rain' } }],
    });

    // ground truth
    const box = (ref: string, label: string) => ({
      type: 'box',
      reference_id: ref,
      annotation_id: `${label}-${ref}`,
      label,
      geometry: { x: 1, y: 2, width: 3, height: 4 },
      metadata: {},
    });
    await call('uploadAnnotations', {
      dataset_id: ds,
      update: false,
      annotations: [box('img-0', 'car'), box('img-1', 'bus')],
    });
    await call('getAnnotation', { dataset_id: ds, reference_id: 'img-0', annotation_id: 'car-img-0' });
    await call('listDatasetClassLabels', { dataset_id: ds });
    await call('listAllDatasetExportRows', { dataset_id: ds });
    await call('listDatasetExportRows', { dataset_id: ds, pageSize: 2 });

    // slices
    const { slice_id: slice } = (await call('createSlice', {
      dataset_id: ds,
      name: 's',
      reference_ids: ['img-0', 'img-1'],
    })) as { slice_id: string };
    await call('appendToSlice', { slice_id: slice, reference_ids: ['img-2'] });
    await call('addSliceTags', { slice_id: slice, slice_tags: ['t'] });
    await call('getSlice', { slice_id: slice });
    await call('listSliceMembers', { slice_id: slice });
    await call('listSliceItems', { slice_id: slice, pageSize: 2 });
    await call('listSlices');
    await call('listDatasetSlices', { dataset_id: ds });
    await call('listSliceClassLabels', { slice_id: slice });
    await call('listAllSliceExportRows', { slice_id: slice });
    await call('listSliceExportRows', { slice_id: slice, pageSize: 2 });
    await call('exportSliceRawItems', { slice_id: slice });
    const built = await call('buildSlice', {
      dataset_id: ds,
      name: 'sample',
      sampleSize: 2,
      sampleMethod: 'Random',
    });

    // models, predictions, model runs
    const { model_id: model } = (await call('createModel', {
      name: 'm',
      reference_id: 'm-1',
      metadata: {},
    })) as {
      model_id: string;
    };
    await call('listModels');
    await call('getModel', { model_id: model });
    await call('addModelTags', { model_id: model, tags: ['x', 'y'] });
    await call('removeModelTags', { model_id: model, tags: ['x'] });
    await call('addModelTrainedSlices', { model_id: model, trained_slice_ids: [slice] });
    await call('removeModelTrainedSlices', { model_id: model, trained_slice_ids: [slice] });
    const pred = { ...box('img-0', 'car'), confidence: 0.9 };
    await call('uploadPredictions', { dataset_id: ds, model_id: model, update: false, annotations: [pred] });
    await call('getPredictionsByReferenceId', { dataset_id: ds, model_id: model, reference_id: 'img-0' });
    await call('getPredictionsByIndex', { dataset_id: ds, model_id: model, index: 0 });
    await call('getPrediction', {
      dataset_id: ds,
      model_id: model,
      reference_id: 'img-0',
      annotation_id: 'car-img-0',
    });
    await call('exportPredictions', { dataset_id: ds, model_id: model });
    await call('listAllSlicePredictionRows', { slice_id: slice, model_id: model });
    await call('listSlicePredictionRows', { slice_id: slice, model_id: model, pageSize: 2 });
    const { model_run_id: run } = (await call('createModelRun', {
      dataset_id: ds,
      name: 'run',
      reference_id: 'm-1',
    })) as {
      model_run_id: string;
    };
    await call('uploadModelRunPredictions', {
      model_run_id: run,
      update: false,
      annotations: [box('img-1', 'bus')],
    });
    await call('getModelRun', { model_run_id: run });
    await call('getModelRunPredictionsByIndex', { model_run_id: run, index: 1 });
    await call('getModelRunPredictionsByReferenceId', { model_run_id: run, reference_id: 'img-1' });
    await call('getModelRunPredictionsByItemId', { model_run_id: run, dataset_item_id: itemId });
    await call('getModelRunPrediction', {
      model_run_id: run,
      reference_id: 'img-1',
      annotation_id: 'bus-img-1',
    });
    await call('exportModelRunPredictions', { model_run_id: run });
    await call('commitModelRun', { model_run_id: run });

    // async ingest, jobs
    const job = await nu.datasets.appendAsync(ds, [
      { reference_id: 'late', image_location: 's3://b/late.jpg' },
    ]);
    await call('getDatasetSignedUrl', { dataset_id: ds, request_id: 'abc123' });
    await job.wait({ pollIntervalMs: 1 });
    await call('getJob', { job_id: job.id });
    await call('listJobErrors', { job_id: job.id });
    await call('listJobs', { limit: 10, show_completed: true });
    const deletion = await call('deleteAnnotations', { dataset_id: ds, reference_ids: ['img-1'] });
    await nu.jobs.job(String(deletion.job_id)).wait({ pollIntervalMs: 1 });
    await nu.jobs.job(String(built.job_id)).wait({ pollIntervalMs: 1 });

    // scenes
    const { dataset_id: sceneDs } = (await call('createDataset', { name: 'lidar', is_scene: true })) as {
      dataset_id: string;
    };
    const scene = (ref: string) => ({ reference_id: ref, frames: [], metadata: {} });
    await call('uploadLidarScenes', { dataset_id: sceneDs, scenes: [scene('scene-1')], update: false });
    await call('uploadVideoScenes', { dataset_id: sceneDs, scenes: [scene('video-1')], update: false });
    await call('getScene', { dataset_id: sceneDs, reference_id: 'scene-1' });
    await call('listAllScenes', { dataset_id: sceneDs });
    await call('queryScenes', { dataset_id: sceneDs, pageSize: 1, query: '' });
    await call('updateDatasetItemMetadata', {
      dataset_id: sceneDs,
      level: 'scene',
      metadata: [{ reference_id: 'scene-1', metadata: { city: 'Oslo' } }],
    });

    // deletes last
    await call('deleteScene', { dataset_id: sceneDs, reference_id: 'video-1' });
    await call('deleteSlice', { slice_id: slice });
    await call('deleteDatasetItem', { dataset_id: ds, reference_id: 'img-5' });
    await call('deleteModelRun', { model_run_id: run });
    await call('deleteModel', { model_id: model });
    await call('deleteDataset', { dataset_id: sceneDs });

    const answered = new Set(
      fake.journal.filter((e) => e.status === 200 && !e.injected).map((e) => e.operationId),
    );
    expect(modelled.filter((id) => !answered.has(id))).toEqual([]);
    expect(fake.engine.conformance.problems).toEqual([]);
    expect(fake.journal.filter((e) => e.status >= 500)).toEqual([]);
  });

  it('answers 501 naming the route to every operation it does not model', async () => {
    const raw = new NucleusClient({ apiKey: 'k', endpoint: BASE, validate: 'off', maxRetries: 0 });
    for (const id of NOT_MODELLED) {
      const op = operations[id as OpId];
      const params = Object.fromEntries(op.pathParams.map((p) => [p, `x-${p}`]));
      const err = (await raw.request(op, params).catch((e: unknown) => e)) as {
        status?: number;
        message?: string;
      };
      expect(err.status, id).toBe(501);
      expect(err.message, id).toContain(`${op.method.toUpperCase()} /v1/nucleus${op.path} (${id})`);
    }
  });
});

afterAll(() => {
  const c = fake.engine.conformance;
  console.log(
    `nucleus fake conformance: ${modelled.length} of ${allIds.length} operations answered and validated against ` +
      `openapi/nucleus.yaml (${c.checked} answers checked, ${c.problems.length} problems); ` +
      `${NOT_MODELLED.length} not modelled, each a 501 naming its route`,
  );
});
