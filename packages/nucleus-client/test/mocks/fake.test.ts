/** The fake driven through NucleusClient over MSW: the Nucleus flows a user depends on, with the real limits. */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiError,
  AuthenticationError,
  InvalidParamsError,
  JobError,
  NucleusClient,
} from '../../src/index.js';
import { createNucleusFake } from '../../src/mocks/index.js';

const BASE = 'http://nucleus.test/v1/nucleus';
const fake = createNucleusFake({ baseUrl: BASE, apiKeys: ['test-key-1'], conformance: 'error' });
const server = setupServer(...fake.handlers);
const nu = new NucleusClient({
  apiKey: 'test-key-1',
  endpoint: BASE,
  initialRetryDelay: 1,
  validate: 'error',
});

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => fake.reset());
afterAll(() => {
  server.close();
  const c = fake.engine.conformance;
  console.log(
    `nucleus fake conformance: ${c.checked} answers checked against openapi/nucleus.yaml, ${c.problems.length} problems`,
  );
});

const items = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    reference_id: `img-${from + i}`,
    image_location: `s3://bucket/img-${from + i}.jpg`,
    metadata: { i: from + i },
  }));

async function newDataset(name = 'cars', is_scene = false) {
  return (await nu.datasets.create({ name, is_scene, use_privacy_mode: false })).dataset_id;
}

describe('nucleus fake through the client', () => {
  it('refuses a wrong key with 401', async () => {
    const bad = new NucleusClient({ apiKey: 'wrong-key', endpoint: BASE });
    await expect(bad.datasets.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('creates, lists, describes and deletes a dataset', async () => {
    const id = await newDataset('cars');
    expect(id).toMatch(/^ds_/);
    expect(await nu.datasets.list()).toEqual([{ id, name: 'cars', is_public: false }]);
    expect(await nu.datasets.get(id)).toMatchObject({ dataset_id: id, name: 'cars', length: 0 });
    await nu.datasets.delete(id);
    await expect(nu.datasets.get(id)).rejects.toMatchObject({ status: 404 });
  });

  it('refuses 30 remote items in one append with a 400 naming the limit, and stores nothing', async () => {
    const id = await newDataset();
    const body = {
      items: items(30).map((x) => ({
        reference_id: x.reference_id,
        image_url: x.image_location,
        metadata: {},
      })),
      update: false,
    };
    const err = await nu.datasetItems.append(id, body).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect((err as ApiError).message).toMatch(/at most 29/);
    expect((await nu.datasets.size(id)).count).toBe(0);
  });

  it('appends in batches, accounts for every item, ignores re-sent ones and updates with update: true', async () => {
    const id = await newDataset();
    const progress: number[] = [];
    const r = await nu.datasets.append(id, items(95), { onProgress: (p) => progress.push(p.done) });
    expect(r).toEqual({ dataset_id: id, new_items: 95, updated_items: 0, ignored_items: 0, errors: [] });
    expect(progress.at(-1)).toBe(95);
    expect(fake.journal.filter((e) => e.operationId === 'appendDatasetItems')).toHaveLength(5); // 20,20,20,20,15
    const again = await nu.datasets.append(id, items(10, 90));
    expect(again).toMatchObject({ new_items: 5, ignored_items: 5, updated_items: 0 });
    const upd = await nu.datasets.append(id, items(3), { update: true });
    expect(upd).toMatchObject({ new_items: 0, updated_items: 3 });
    expect((await nu.datasets.size(id)).count).toBe(100);
  });

  it('iterates items with page tokens, every item once, in order', async () => {
    const id = await newDataset();
    await nu.datasets.append(id, items(57));
    const seen: string[] = [];
    for await (const item of nu.datasetItems.iterate(id, { pageSize: 10 }))
      seen.push(String(item.reference_id));
    expect(seen).toEqual(items(57).map((x) => x.reference_id));
    const pages = fake.journal.filter((e) => e.operationId === 'listDatasetItems');
    expect(pages).toHaveLength(6);
  });

  it('annotates in batches and reads the ground truth back by reference id', async () => {
    const id = await newDataset();
    await nu.datasets.append(id, items(3));
    const r = await nu.datasets.annotate(
      id,
      [
        { type: 'box', reference_id: 'img-0', label: 'car', geometry: { x: 1, y: 2, width: 3, height: 4 } },
        {
          type: 'polygon',
          reference_id: 'img-1',
          label: 'road',
          annotation_id: 'p1',
          geometry: {
            vertices: [
              { x: 0, y: 0 },
              { x: 1, y: 0 },
              { x: 1, y: 1 },
            ],
          },
        },
        { type: 'category', reference_id: 'img-2', label: 'day', taxonomy_name: 'time' },
      ],
      { batchSize: 2 },
    );
    expect(r.counts).toEqual({ annotations_processed: 3, annotations_ignored: 0 });
    expect(r.errors).toEqual([]);
    const got = await nu.datasetItems.getByReferenceId('img-0', { dataset_id: id });
    expect(got.annotations.box).toHaveLength(1);
  });

  it('uploads predictions of a model and reads them back', async () => {
    const id = await newDataset();
    await nu.datasets.append(id, items(2));
    const { model_id } = await nu.models.create({ name: 'yolo', reference_id: 'yolo-v1', metadata: {} });
    const r = await nu.predictions.uploadBatched({ dataset_id: id, model_id: String(model_id) }, [
      {
        type: 'box',
        reference_id: 'img-0',
        label: 'car',
        confidence: 0.9,
        geometry: { x: 1, y: 2, width: 3, height: 4 },
      },
    ]);
    expect(r.counts).toMatchObject({ predictions_processed: 1, predictions_ignored: 0 });
    expect((await nu.models.list()).models).toHaveLength(1);
  });

  it('creates a slice, iterates it, appends to it', async () => {
    const id = await newDataset();
    await nu.datasets.append(id, items(25));
    const { slice_id } = await nu.slices.create(id, {
      name: 'first',
      reference_ids: ['img-0', 'img-1', 'img-2'],
    });
    await nu.slices.append(slice_id, { reference_ids: ['img-3'], dataset_id: id });
    const refs: string[] = [];
    for await (const item of nu.sliceItems.iterate(slice_id, { pageSize: 2 }))
      refs.push(String(item.reference_id));
    expect(refs).toEqual(['img-0', 'img-1', 'img-2', 'img-3']);
    expect(await nu.slices.get(slice_id)).toMatchObject({ slice_id, name: 'first', dataset_id: id });
  });

  it('async append: signed URL, NDJSON PUT without Nucleus auth, job Queued -> Running -> Completed over polls', async () => {
    const id = await newDataset();
    const job = await nu.datasets.appendAsync(id, items(40));
    const put = fake.journal.length; // the storage PUT is not a Nucleus operation
    expect(put).toBeGreaterThan(0);
    const statuses: string[] = [];
    await job.wait({ pollIntervalMs: 0, onStatus: (s) => statuses.push(String(s.status)) });
    expect(statuses).toEqual(['Queued', 'Running', 'Completed']);
    expect((await nu.datasets.size(id)).count).toBe(40);
  });

  it('a job whose work fails ends Errored_User and wait() throws JobError with message.final_error', async () => {
    const id = await newDataset();
    const job = await nu.datasets.annotateAsync(id, [
      { type: 'box', reference_id: 'not-there', label: 'car', geometry: { x: 1, y: 2, width: 3, height: 4 } },
    ]);
    const err = await job.wait({ pollIntervalMs: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(JobError);
    expect(err).toMatchObject({ status: 'Errored_User' });
    expect((err as JobError).finalError).toMatch(/not-there/);
    expect(await job.errors()).toHaveLength(1);
  });

  it('fault injection: a 503 on append is retried and nothing is stored twice', async () => {
    const id = await newDataset();
    fake.faults.status(503, { operationId: 'appendDatasetItems', times: 2 });
    fake.faults.networkError({ operationId: 'appendDatasetItems' });
    const r = await nu.datasets.append(id, items(60), { concurrency: 1 });
    expect(r.errors).toEqual([]);
    expect(r.new_items + r.ignored_items).toBe(60);
    expect((await nu.datasets.size(id)).count).toBe(60);
  });
});
