/**
 * The fake worker against pyspacer 0.14 itself: test/fixtures/pyspacer-worker.json holds what pyspacer's
 * process_job returned for the same jobs (made by test/oracle/make_worker_vectors.py, with SPACER_MAX_IMAGE_PIXELS
 * lowered to 5000), and features-pyspacer.npz the feature file it wrote.
 */
import { readFileSync } from 'node:fs';
import { MemoryBlobStore } from '@mlclients/package-core/storage';
import { describe, expect, it } from 'vitest';
import { codecs } from '../src/codec/codecs.js';
import { SpacerConfig } from '../src/config.js';
import { dataLocation } from '../src/messages/data-location.js';
import { FakeSpacerWorker } from '../src/mocks/fake-worker.js';
import { readImageFeatures } from '../src/results/image-features.js';
import { SpacerStorage } from '../src/storage/spacer-storage.js';
import { pngHeader } from './helpers/images.js';

interface Case {
  name: string;
  job: string;
  last_line?: string;
  result?: string;
}
const cases: Case[] = JSON.parse(
  readFileSync(new URL('./fixtures/pyspacer-worker.json', import.meta.url), 'utf8'),
);

async function worker() {
  const storage = new SpacerStorage({ memory: new MemoryBlobStore() });
  await storage.store(dataLocation('memory', 'img'), pngHeader(100, 40));
  await storage.store(dataLocation('memory', 'big'), pngHeader(101, 50));
  const fake = new FakeSpacerWorker({
    storage,
    config: SpacerConfig.load({ env: { SPACER_MAX_IMAGE_PIXELS: '5000' }, secrets: {} }),
  });
  // The training cases read features that pyspacer extracted first.
  for (const i of [0, 1, 2]) {
    const job = codecs.JobMsg.parse({
      task_name: 'extract_features',
      tasks: [
        {
          job_token: 't',
          extractor: { class_path: 'spacer.extractors.DummyExtractor', data_locations: {}, feature_dim: 4 },
          rowcols: [
            [1, 1],
            [2, 2],
          ],
          image_loc: dataLocation('memory', 'img'),
          feature_loc: dataLocation('memory', `train${i}.npz`),
        },
      ],
    });
    expect((await fake.processJob(job)).ok).toBe(true);
  }
  return fake;
}

describe('the fake worker fails where pyspacer fails, with the same exception line', () => {
  it.each(cases.filter((c) => c.last_line).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const ret = await (await worker()).processJob(codecs.JobMsg.decode(c.job));
    expect(ret.ok).toBe(false);
    expect(ret.results).toBeNull();
    expect(ret.error_message?.startsWith('Traceback (most recent call last):\n')).toBe(true);
    expect(ret.error_message?.trimEnd().split('\n').at(-1)).toBe(c.last_line);
  });
});

describe('a good DummyExtractor job', () => {
  const good = cases.find((c) => c.name === 'good extract') as Case;

  it('returns what pyspacer returns, byte for byte', async () => {
    const ret = await (await worker()).processJob(codecs.JobMsg.decode(good.job));
    expect(codecs.JobReturnMsg.encode(ret)).toBe(good.result);
  });

  it('writes a feature file shaped like the one pyspacer wrote', async () => {
    const fake = await worker();
    await fake.processJob(codecs.JobMsg.decode(good.job));
    const ours = readImageFeatures(await fake.storage.load(dataLocation('memory', 'good.npz')));
    const theirs = readImageFeatures(
      new Uint8Array(readFileSync(new URL('./fixtures/features-pyspacer.npz', import.meta.url))),
    );
    for (const f of [ours, theirs]) {
      expect([f.validRowcol, f.npoints, f.featureDim]).toEqual([true, 3, 3]);
      expect(f.points.map((p) => [p.row, p.col])).toEqual([
        [0, 0],
        [39, 99],
        [0, 0],
      ]);
      expect(Array.from(f.data).every((v) => v >= 0 && v < 1)).toBe(true);
    }
  });
});
