/** datasets.append and the other bulk workflows against the fake: batching, concurrency, accounting, refusals. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, DuplicateIDError, InvalidInputError, NucleusClient } from '../../src/index.js';
import type { AnnotationInput } from '../../src/lib/annotations.js';
import { createNucleusFake } from '../../src/mocks/index.js';

const BASE = 'http://nucleus.test/v1/nucleus';
const fake = createNucleusFake({ baseUrl: BASE, conformance: 'error' });
const server = setupServer(...fake.handlers);
const nu = new NucleusClient({ apiKey: 'test-key', endpoint: BASE, initialRetryDelay: 1, maxRetries: 3 });
let requests = 0;
let inFlight = 0;
let maxInFlight = 0;
server.events.on('request:start', () => {
  requests += 1;
  inFlight += 1;
  maxInFlight = Math.max(maxInFlight, inFlight);
});
server.events.on('response:mocked', () => {
  inFlight -= 1;
});
server.events.on('unhandledException', () => {
  inFlight -= 1;
});

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  fake.reset();
  requests = 0;
  maxInFlight = 0;
});
afterAll(() => server.close());

const items = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    reference_id: `img-${from + i}`,
    image_location: `https://cdn.test/${from + i}.jpg`,
  }));

async function dataset() {
  const { dataset_id } = await nu.datasets.create({ name: 'd', is_scene: false, use_privacy_mode: false });
  requests = 0;
  return dataset_id;
}

/** Runs `act`, expects it to throw `Class` matching `message`, and that no request was sent. */
async function refusedBeforeSending(
  act: () => Promise<unknown>,
  Class: abstract new (...a: never[]) => Error,
  message: RegExp,
) {
  const before = requests;
  const err = await act().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Class);
  expect((err as Error).message).toMatch(message);
  expect(requests - before).toBe(0);
}

describe('bad input is refused before anything is sent, naming index and field', () => {
  it('an item without reference_id', async () => {
    const id = await dataset();
    const list = [...items(3), { image_location: 'https://cdn.test/x.jpg' } as never];
    await refusedBeforeSending(
      () => nu.datasets.append(id, list),
      InvalidInputError,
      /items\[3\]\.reference_id: required/,
    );
  });
  it('duplicate reference ids in one call (DuplicateIDError, both indexes)', async () => {
    const id = await dataset();
    const list = [...items(5), items(1, 2)[0]!];
    await refusedBeforeSending(
      () => nu.datasets.append(id, list),
      DuplicateIDError,
      /items\[5\]\.reference_id: duplicate of index 2/,
    );
  });
  it('a local file that does not exist', async () => {
    const id = await dataset();
    const list = [...items(2), { reference_id: 'local', image_location: '/no/such/file.jpg' }];
    await refusedBeforeSending(
      () => nu.datasets.append(id, list),
      InvalidInputError,
      /items\[2\]\.image_location: \/no\/such\/file\.jpg: no such file/,
    );
  });
  it('an async upload with a local path', async () => {
    const id = await dataset();
    const list = [...items(2), { reference_id: 'local', image_location: './a.jpg' }];
    await refusedBeforeSending(
      () => nu.datasets.appendAsync(id, list),
      InvalidInputError,
      /items\[2\]\.image_location: local path/,
    );
  });
  it('a batch size of 30 (the server refuses it)', async () => {
    const id = await dataset();
    await refusedBeforeSending(
      () => nu.datasets.append(id, items(40), { batchSize: 30 }),
      RangeError,
      /batchSize: expected an integer from 1 to 29/,
    );
  });
  const box = (width: number): AnnotationInput => ({
    type: 'box',
    reference_id: 'img-0',
    label: 'car',
    geometry: { x: 0, y: 0, width, height: 2 },
  });
  it('a box with a negative width', async () => {
    const id = await dataset();
    await refusedBeforeSending(
      () => nu.datasets.annotate(id, [box(1), box(-3)]),
      InvalidInputError,
      /annotations\[1\]\.geometry\.width: expected >= 0, got -3/,
    );
  });
  it('a polygon with fewer than 3 vertices', async () => {
    const id = await dataset();
    const poly: AnnotationInput = {
      type: 'polygon',
      reference_id: 'img-0',
      label: 'p',
      geometry: {
        vertices: [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ],
      },
    };
    await refusedBeforeSending(
      () => nu.datasets.annotate(id, [poly]),
      InvalidInputError,
      /annotations\[0\]\.geometry\.vertices: a polygon needs at least 3 vertices, got 2/,
    );
  });
  it('a category with no label', async () => {
    const id = await dataset();
    const cat = { type: 'category', reference_id: 'img-0', taxonomy_name: 't' } as AnnotationInput;
    await refusedBeforeSending(
      () => nu.datasets.annotate(id, [cat]),
      InvalidInputError,
      /annotations\[0\]\.label: required/,
    );
  });
  it('predictions with a confidence above 1, and an async mask with a local path', async () => {
    const id = await dataset();
    const p = { ...box(1), confidence: 1.5 } as AnnotationInput;
    await refusedBeforeSending(
      () => nu.predictions.uploadBatched({ dataset_id: id, model_id: 'prj_1' }, [p]),
      InvalidInputError,
      /annotations\[0\]\.confidence/,
    );
    const mask: AnnotationInput = {
      type: 'mask',
      reference_id: 'img-0',
      mask_url: 'masks/0.png',
      annotations: [{ label: 'car', index: 1 }],
    };
    await refusedBeforeSending(
      () => nu.datasets.annotateAsync(id, [mask]),
      InvalidInputError,
      /annotations\[0\]\.mask_url: local path/,
    );
  });
});

describe('datasets.append', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    const id = await dataset();
    fake.faults.delay(15, { operationId: 'appendDatasetItems', times: 1000 });
    const r = await nu.datasets.append(id, items(200), { concurrency: 3, batchSize: 10 });
    expect(r.new_items).toBe(200);
    expect(maxInFlight).toBe(3);
    fake.faults.clear();
  });

  it('sends local files as multipart, at most 10 per request, beside remote batches', async () => {
    const id = await dataset();
    const dir = mkdtempSync(join(tmpdir(), 'nucleus-append-'));
    const local = Array.from({ length: 23 }, (_, i) => {
      const path = join(dir, `f${i}.png`);
      writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, i]));
      return { reference_id: `local-${i}`, image_location: path };
    });
    const r = await nu.datasets.append(id, [...items(25), ...local]);
    expect(r).toMatchObject({ new_items: 48, ignored_items: 0, errors: [] });
    const appends = fake.journal.filter((e) => e.operationId === 'appendDatasetItems');
    // 25 remote -> 20 + 5; 23 local -> 10 + 10 + 3
    expect(
      appends.map((e) => ((e.body as { items: unknown[] }).items ?? []).length).sort((a, b) => a - b),
    ).toEqual([3, 5, 10, 10, 20]);
    expect((await nu.datasets.size(id)).count).toBe(48);
  });

  it('a batch refused by the server is reported per item; the other batches are stored, none sent twice', async () => {
    const id = await dataset();
    fake.faults.inject({
      operationId: 'appendDatasetItems',
      status: 400,
      body: { error: 'bad batch', status_code: 400 },
    });
    const r = await nu.datasets.append(id, items(50), { concurrency: 1 });
    expect(r.errors.map((e) => e.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(r.errors[0]).toMatchObject({ reference_id: 'img-0' });
    expect(String((r.errors[0]!.error as Error).message)).toMatch(/bad batch/);
    expect(r.new_items).toBe(30);
    expect(r.new_items + r.updated_items + r.ignored_items + r.errors.length).toBe(50);
    const sent = fake.journal
      .filter((e) => e.operationId === 'appendDatasetItems' && e.status === 200)
      .flatMap((e) => (e.body as { items: { reference_id: string }[] }).items.map((x) => x.reference_id));
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('stops on abort and rejects with AbortError', async () => {
    const id = await dataset();
    const ac = new AbortController();
    fake.faults.delay(10, { operationId: 'appendDatasetItems', times: 1000 });
    const run = nu.datasets.append(id, items(200), {
      concurrency: 2,
      signal: ac.signal,
      onProgress: (p) => p.done >= 40 && ac.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(AbortError);
    // Let the requests that were in flight at the abort land before the next test's faults are queued.
    await new Promise((r) => setTimeout(r, 100));
    fake.faults.clear();
    expect((await nu.datasets.size(id)).count).toBeLessThan(200);
  });
});

describe('multipart retries', () => {
  it('a 503 with Retry-After on a local batch is retried; the files arrive once', async () => {
    const id = await dataset();
    const dir = mkdtempSync(join(tmpdir(), 'nucleus-retry-'));
    const local = Array.from({ length: 4 }, (_, i) => {
      const path = join(dir, `r${i}.jpg`);
      writeFileSync(path, Buffer.from([0xff, 0xd8, i]));
      return { reference_id: `r-${i}`, image_location: path };
    });
    fake.faults.inject({
      operationId: 'appendDatasetItems',
      status: 503,
      headers: { 'Retry-After': '0' },
      times: 2,
    });
    const r = await nu.datasets.append(id, local);
    expect(r).toMatchObject({ new_items: 4, errors: [] });
    // (filtered by this test's keys: a request the abort test left in flight may land after the reset)
    const mine = fake.journal.filter(
      (e) => e.operationId === 'appendDatasetItems' && JSON.stringify(e.body ?? {}).includes('"r-0"'),
    );
    expect(mine.map((e) => e.status)).toEqual([503, 503, 200]);
  });
});
