/**
 * The fake's read side and its jobs through NucleusClient: query results and export rows page by page (the
 * iterators send the tokens), class labels, prediction lookups, metadata merge, annotation deletion as a job,
 * trained slices, a sampled slice.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, NucleusClient } from '../../src/index.js';
import { createNucleusFake } from '../../src/mocks/index.js';

const BASE = 'http://nucleus.test/v1/nucleus';
const fake = createNucleusFake({ baseUrl: BASE, conformance: 'error' });
const server = setupServer(...fake.handlers);
const nu = new NucleusClient({ apiKey: 'k', endpoint: BASE, validate: 'error', initialRetryDelay: 1 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => fake.reset());
afterAll(() => server.close());

async function dataset(n: number) {
  const { dataset_id } = await nu.datasets.create({ name: 'd', is_scene: false, use_privacy_mode: false });
  const items = Array.from({ length: n }, (_, i) => ({
    reference_id: `img-${i}`,
    image_location: `s3://b/${i}.jpg`,
    metadata: { i, split: i % 3 === 0 ? 'val' : 'train' },
  }));
  await nu.datasets.append(dataset_id, items);
  return dataset_id;
}

const box = (ref: string, label: string) => ({
  type: 'box' as const,
  reference_id: ref,
  annotation_id: `${label}-${ref}`,
  label,
  geometry: { x: 0, y: 0, width: 2, height: 2 },
});

describe('queries and exports', () => {
  it('iterateQuery follows the page tokens over every matching item', async () => {
    const id = await dataset(25);
    const refs: string[] = [];
    for await (const item of nu.datasetItems.iterateQuery(id, {
      query: 'metadata.split = "val"',
      pageSize: 3,
    }))
      refs.push(String(item.reference_id));
    expect(refs).toEqual(Array.from({ length: 9 }, (_, k) => `img-${k * 3}`));
    const pages = fake.journal.filter((e) => e.operationId === 'queryDatasetItems');
    expect(pages).toHaveLength(3);
    const numeric: string[] = [];
    for await (const item of nu.datasetItems.iterateQuery(id, {
      query: 'metadata.i >= 20 and reference_id != "img-22"',
    }))
      numeric.push(String(item.reference_id));
    expect(numeric).toEqual(['img-20', 'img-21', 'img-23', 'img-24']);
  });

  it('a query outside the subset the fake understands is a 400 that says what it takes', async () => {
    const id = await dataset(2);
    const err = await nu.datasetItems.query(id, { query: 'label IN ("car")', pageSize: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.message).toMatch(/the fake understands only/);
  });

  it('export rows carry each item with its annotations by type, page after page', async () => {
    const id = await dataset(5);
    await nu.datasets.annotate(id, [box('img-0', 'car'), box('img-0', 'bus'), box('img-3', 'car')]);
    const rows = [];
    for await (const row of nu.datasetExports.iterate(id, { pageSize: 2 })) rows.push(row);
    expect(rows).toHaveLength(5);
    expect(rows[0]!.box.map((b) => b.label)).toEqual(['car', 'bus']);
    expect(rows[0]!.box[0]).not.toHaveProperty('reference_id');
    expect(rows[1]!.box).toEqual([]);
    expect(rows[3]!.segmentation).toBeNull();
    expect(await nu.datasets.classLabels(id)).toEqual({ data: ['bus', 'car'] });
  });

  it('slice exports and class labels keep to the slice', async () => {
    const id = await dataset(4);
    await nu.datasets.annotate(id, [box('img-0', 'car'), box('img-2', 'tree')]);
    const { slice_id } = await nu.slices.create(id, { name: 's', reference_ids: ['img-2', 'img-3'] });
    expect(await nu.slices.classLabels(slice_id)).toEqual({ data: ['tree'] });
    const all = await nu.sliceExports.listAll(slice_id);
    expect(all.exportedRows.map((r) => r.item.reference_id)).toEqual(['img-2', 'img-3']);
    const raw = await nu.sliceExports.rawItems(slice_id);
    expect(raw.map((r) => r.ref_id)).toEqual(['img-2', 'img-3']);
  });
});

describe('predictions and model runs', () => {
  it('are found by index, reference id, item id and annotation id, and exported by type', async () => {
    const id = await dataset(3);
    const { model_id } = await nu.models.create({ name: 'm', reference_id: 'm1', metadata: {} });
    const model = String(model_id);
    const { model_run_id } = await nu.modelRuns.create(id, { name: 'run', reference_id: 'm1' });
    const run = String(model_run_id);
    await nu.modelRuns.predict(run, {
      update: false,
      annotations: [{ ...box('img-1', 'car'), confidence: 0.5 }],
    });
    expect(
      (await nu.predictions.getByIndex(1, { dataset_id: id, model_id: model })).annotations.box,
    ).toHaveLength(1);
    expect((await nu.predictions.getByIndex(0, { dataset_id: id, model_id: model })).annotations.box).toEqual(
      [],
    );
    const item = await nu.datasetItems.getByReferenceId('img-1', { dataset_id: id });
    const byItem = await nu.modelRuns.getPredictionsByItemId(String(item.item.id), { model_run_id: run });
    expect(byItem.annotations.box?.[0]).toMatchObject({ label: 'car', confidence: 0.5 });
    const one = await nu.modelRuns.getPrediction('car-img-1', { model_run_id: run, reference_id: 'img-1' });
    expect(one).toMatchObject({ annotation_id: 'car-img-1' });
    expect((await nu.modelRuns.exportPredictions(run)).box).toHaveLength(1);
    await expect(
      nu.predictions.get('nope', { dataset_id: id, model_id: model, reference_id: 'img-1' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('updates and jobs', () => {
  it('merges item metadata (keys not sent are kept) and names the items it did not find', async () => {
    const id = await dataset(2);
    const r = await nu.datasetItems.updateMetadata(id, {
      level: 'item',
      metadata: [
        { reference_id: 'img-1', metadata: { weather: 'rain' } },
        { reference_id: 'ghost', metadata: { x: 1 } },
      ],
    });
    expect(r).toMatchObject({ successes: ['img-1'], failures: [{ reference_id: 'ghost' }] });
    const got = await nu.datasetItems.getByReferenceId('img-1', { dataset_id: id });
    expect(got.item.metadata).toEqual({ i: 1, split: 'train', weather: 'rain' });
  });

  it('deletes annotations in a job: still there while it runs, gone when it completes', async () => {
    const id = await dataset(2);
    await nu.datasets.annotate(id, [box('img-0', 'car'), box('img-1', 'car')]);
    const started = await nu.annotations.deleteMany(id, { reference_ids: ['img-0'] });
    expect(fake.state.datasets.get(id)!.annotations.size).toBe(2);
    await nu.jobs.job(String(started.job_id)).wait({ pollIntervalMs: 1 });
    const left = [...fake.state.datasets.get(id)!.annotations.values()].map((a) => a.reference_id);
    expect(left).toEqual(['img-1']);
  });

  it('trained slices must exist; tags and slices come off again', async () => {
    const id = await dataset(2);
    const { slice_id } = await nu.slices.create(id, { name: 's', reference_ids: ['img-0'] });
    const { model_id } = await nu.models.create({
      name: 'm',
      reference_id: 'm1',
      metadata: {},
      tags: ['a', 'b'],
    });
    const model = String(model_id);
    await expect(
      nu.models.addTrainedSlices(model, { trained_slice_ids: ['slc_nope'] }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await nu.models.addTrainedSlices(model, { trained_slice_ids: [slice_id] });
    expect(fake.state.models.get(model)!.trained_slice_ids).toEqual([slice_id]);
    await nu.models.removeTrainedSlices(model, { trained_slice_ids: [slice_id] });
    await nu.models.removeTags(model, { tags: ['a'] });
    expect(fake.state.models.get(model)).toMatchObject({ trained_slice_ids: [], tags: ['b'] });
  });

  it('builds a random slice of the asked size from the pool, filled when its job completes', async () => {
    const id = await dataset(10);
    const { slice_id: pool } = await nu.slices.create(id, {
      name: 'pool',
      reference_ids: ['img-1', 'img-2', 'img-3', 'img-4'],
    });
    const built = await nu.slices.build(id, {
      name: 'sample',
      sampleSize: 3,
      sampleMethod: 'Random',
      filters: { sliceId: pool },
    });
    await nu.jobs.job(String(built.job_id)).wait({ pollIntervalMs: 1 });
    const refs = fake.state.slices.get(String(built.sliceId))!.reference_ids;
    expect(refs).toHaveLength(3);
    expect(refs.every((r) => ['img-1', 'img-2', 'img-3', 'img-4'].includes(r))).toBe(true);
    const err = await nu.slices
      .build(id, { name: 'u', sampleSize: 2, sampleMethod: 'Uniqueness' })
      .catch((e) => e);
    expect(err.message).toMatch(/samples 'Random' only/);
  });
});
