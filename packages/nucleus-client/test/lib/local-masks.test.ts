/**
 * Local segmentation masks (PNG files) through `datasets.annotate` and `predictions.uploadBatched` against the fake:
 * multipart to the upload route itself, at most 10 masks per request, in the Python client's form (part
 * `serialized_request` = JSON `{segmentations, update}`, one `mask` part per file named by its local path), beside
 * the JSON batches of the other annotations; refusals before sending.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError, NucleusClient } from '../../src/index.js';
import type { AnnotationInput } from '../../src/lib/annotations.js';
import { createNucleusFake, MASK_PATH } from '../../src/mocks/index.js';

const BASE = 'http://nucleus.test/v1/nucleus';
const fake = createNucleusFake({ baseUrl: BASE, conformance: 'error' });
const server = setupServer(...fake.handlers);
const nu = new NucleusClient({ apiKey: 'test-key', endpoint: BASE, initialRetryDelay: 1, maxRetries: 3 });

/** Every request as sent (cloned before the fake reads it). */
let sent: Request[] = [];
server.events.on('request:start', ({ request }) => {
  sent.push(request.clone());
});

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  fake.reset();
  sent = [];
});
afterAll(() => server.close());

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const dir = mkdtempSync(join(tmpdir(), 'nucleus-masks-'));

/** `n` PNG files (distinct bytes each) and their segmentations on items `img-<from + i>`. */
function localMasks(n: number, from = 0): AnnotationInput[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const path = join(dir, `mask ${i}.png`);
    writeFileSync(path, Buffer.from([...PNG, i % 256, 7]));
    return {
      type: 'segmentation',
      reference_id: `img-${i}`,
      annotation_id: `seg-${i}`,
      mask_url: path,
      annotations: [
        { label: 'road', index: 1 },
        { label: 'car', index: 2 },
      ],
    };
  });
}

async function datasetWithItems(n: number): Promise<string> {
  const { dataset_id } = await nu.datasets.create({ name: 'd', is_scene: false, use_privacy_mode: false });
  const items = Array.from({ length: n }, (_, i) => ({
    reference_id: `img-${i}`,
    image_location: `https://cdn.test/${i}.jpg`,
  }));
  expect((await nu.datasets.append(dataset_id, items)).new_items).toBe(n);
  sent = [];
  return dataset_id;
}

const isMultipart = (r: Request) => /^multipart\/form-data/.test(r.headers.get('content-type') ?? '');

describe('local segmentation masks', () => {
  it('are sent as multipart to annotate, 10 per request, beside the JSON batches; counts summed', async () => {
    const id = await datasetWithItems(30);
    const masks = localMasks(23);
    const remote: AnnotationInput = {
      type: 'segmentation',
      reference_id: 'img-25',
      mask_url: 's3://bucket/m25.png',
      annotations: [{ label: 'road', index: 1 }],
    };
    const box: AnnotationInput = {
      type: 'box',
      reference_id: 'img-26',
      label: 'car',
      geometry: { x: 1, y: 2, width: 3, height: 4 },
    };
    const progress: number[] = [];
    const r = await nu.datasets.annotate(id, [...masks, remote, box], {
      onProgress: (p) => progress.push(p.done),
    });
    expect(r.errors).toEqual([]);
    expect(r.counts).toMatchObject({ annotations_processed: 25, annotations_ignored: 0 });
    expect(Math.max(...progress)).toBe(25);

    const forms = await Promise.all(sent.filter(isMultipart).map((q) => q.formData()));
    expect(
      sent.filter(isMultipart).every((q) => new URL(q.url).pathname === `/v1/nucleus/dataset/${id}/annotate`),
    ).toBe(true);
    expect(forms.map((f) => f.getAll('mask').length).sort((a, b) => a - b)).toEqual([3, 10, 10]);
    for (const form of forms) {
      // a plain field, as the Python client sends it (the server reads it as form data, not as a file)
      const serialized = form.get('serialized_request');
      expect(typeof serialized).toBe('string');
      const request = JSON.parse(serialized as string) as {
        segmentations: { mask_url: string; type: string }[];
        update: boolean;
      };
      expect(request.update).toBe(false);
      const files = form.getAll('mask') as File[];
      // the local path, percent-quoted as aiohttp sends it (`/` is %2F, a space %20)
      expect(files.map((f) => decodeURIComponent(f.name))).toEqual(
        request.segmentations.map((s) => s.mask_url),
      );
      expect(files.every((f) => !f.name.includes('/') && f.name.includes('%20'))).toBe(true);
      expect(files.every((f) => f.type === 'image/png')).toBe(true);
      expect(request.segmentations.every((s) => s.type === 'mask')).toBe(true);
    }
    // the remote mask and the box went as JSON
    const json = sent.filter((q) => !isMultipart(q) && q.method === 'POST');
    expect(json).toHaveLength(2);

    // each stored mask is the file that was uploaded
    const stored = await nu.datasetItems.getByReferenceId('img-7', { dataset_id: id });
    const seg = (stored.annotations as { segmentation: { mask_url: string; annotation_id: string }[] })
      .segmentation[0]!;
    expect(seg.annotation_id).toBe('seg-7');
    expect(new URL(seg.mask_url).pathname.startsWith(MASK_PATH)).toBe(true);
    const png = new Uint8Array(await (await fetch(seg.mask_url)).arrayBuffer());
    expect(Buffer.from(png)).toEqual(readFileSync(join(dir, 'mask 7.png')));
  });

  it('update: true overwrites; a second upload without it is ignored', async () => {
    const id = await datasetWithItems(3);
    await nu.datasets.annotate(id, localMasks(3));
    expect((await nu.datasets.annotate(id, localMasks(3))).counts).toMatchObject({
      annotations_processed: 0,
      annotations_ignored: 3,
    });
    const again = await nu.datasets.annotate(id, localMasks(3), { update: true });
    expect(again.counts).toMatchObject({ annotations_processed: 3, annotations_ignored: 0 });
    const form = await sent.filter(isMultipart).at(-1)!.formData();
    expect(JSON.parse(form.get('serialized_request') as string).update).toBe(true);
  });

  it('predictions with local masks go to uploadPredictions as multipart', async () => {
    const id = await datasetWithItems(12);
    const { model_id } = await nu.models.create({ name: 'm', reference_id: 'm-1', metadata: {} });
    const model = { model_id: String(model_id) };
    const r = await nu.predictions.uploadBatched(
      { dataset_id: id, model_id: model.model_id },
      localMasks(12),
      { localBatchSize: 5 },
    );
    expect(r.errors).toEqual([]);
    expect(r.counts).toMatchObject({ predictions_processed: 12 });
    const multipart = sent.filter(isMultipart);
    expect(multipart.map((q) => new URL(q.url).pathname)).toEqual(
      Array(3).fill(`/v1/nucleus/dataset/${id}/model/${model.model_id}/uploadPredictions`),
    );
    const got = await nu.predictions.getByReferenceId('img-11', { dataset_id: id, model_id: model.model_id });
    expect(got.annotations).toHaveProperty('segmentation');
  });

  it('a 503 on a mask batch is retried with the files sent again, and stored once', async () => {
    const id = await datasetWithItems(4);
    fake.faults.inject({ operationId: 'uploadAnnotations', status: 503, headers: { 'Retry-After': '0' } });
    const r = await nu.datasets.annotate(id, localMasks(4));
    expect(r).toMatchObject({ errors: [], counts: { annotations_processed: 4 } });
    const attempts = sent.filter(isMultipart);
    expect(attempts).toHaveLength(2);
    for (const q of attempts) expect((await q.formData()).getAll('mask')).toHaveLength(4);
    expect([...fake.state.datasets.get(id)!.annotations.values()]).toHaveLength(4);
  });

  it('a file the server refuses (not a PNG inside) fails its batch only, each of its items listed', async () => {
    const id = await datasetWithItems(12);
    const list = localMasks(12);
    const fakePng = join(dir, 'not-really.png');
    writeFileSync(fakePng, 'GIF89a');
    (list[11] as { mask_url: string }).mask_url = fakePng;
    const r = await nu.datasets.annotate(id, list);
    expect(r.counts.annotations_processed).toBe(10);
    expect(r.errors.map((e) => e.index)).toEqual([10, 11]);
    expect(String((r.errors[0]!.error as Error).message)).toMatch(/segmentations\[1\]: mask .* is not a PNG/);
  });

  it('bad local masks are refused before anything is sent, naming the index', async () => {
    const id = await datasetWithItems(3);
    const missing = localMasks(3);
    (missing[1] as { mask_url: string }).mask_url = join(dir, 'no-such-mask.png');
    await expect(nu.datasets.annotate(id, missing)).rejects.toThrow(
      /annotations\[1\]\.mask_url: .*no-such-mask\.png: no such file/,
    );
    const jpeg = localMasks(2);
    (jpeg[0] as { mask_url: string }).mask_url = join(dir, 'mask.jpg');
    await expect(nu.datasets.annotate(id, jpeg)).rejects.toThrow(
      /annotations\[0\]\.mask_url: .*mask\.jpg: only PNG masks are supported/,
    );
    await expect(nu.datasets.annotate(id, localMasks(2), { localBatchSize: 11 })).rejects.toThrow(
      /localBatchSize: expected an integer from 1 to 10/,
    );
    await expect(nu.datasets.annotateAsync(id, localMasks(1))).rejects.toBeInstanceOf(InvalidInputError);
    expect(sent).toEqual([]);
  });
});

describe('the fake reads multipart as the server does', () => {
  const auth = { authorization: `Basic ${Buffer.from('test-key:').toString('base64')}` };

  it('refuses 11 masks in one request, and a mask part that matches no segmentation', async () => {
    const id = await datasetWithItems(11);
    const post = (form: FormData) =>
      fetch(`${BASE}/dataset/${id}/annotate`, { method: 'POST', body: form, headers: auth });
    const masks = localMasks(11) as { mask_url: string }[];
    const form = new FormData();
    form.append('serialized_request', JSON.stringify({ segmentations: masks, update: false }));
    for (const m of masks)
      form.append('mask', new Blob([readFileSync(m.mask_url)], { type: 'image/png' }), m.mask_url);
    const tooMany = await post(form);
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ error: expect.stringMatching(/at most 10/) });

    const one = new FormData();
    one.append('serialized_request', JSON.stringify({ segmentations: [masks[0]], update: false }));
    one.append(
      'mask',
      new Blob([readFileSync(masks[1]!.mask_url)], { type: 'image/png' }),
      masks[1]!.mask_url,
    );
    const unmatched = await post(one);
    expect(unmatched.status).toBe(400);
    expect((await unmatched.json()).error).toMatch(/segmentations\[0\]\.mask_url: no mask part named/);
    expect(fake.state.datasets.get(id)!.annotations.size).toBe(0);
  });

  it('answers 415 to multipart on a route that takes JSON only', async () => {
    const id = await datasetWithItems(1);
    const form = new FormData();
    form.append('x', '1');
    const r = await fetch(`${BASE}/dataset/${id}/tags`, { method: 'POST', body: form, headers: auth });
    expect(r.status).toBe(415);
    expect((await r.json()).error).toMatch(/does not take multipart/);
  });
});
