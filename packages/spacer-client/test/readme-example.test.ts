/** The README's full example, run against the fakes: store images, extract, train, classify, read the results. */
import { BatchClient } from '@aws-sdk/client-batch';
import { MemoryBlobStore } from '@mlclients/package-core/storage';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { codecs } from '../src/codec/codecs.js';
import { dataLocation } from '../src/messages/data-location.js';
import { EXTRACTOR_CLASS_PATHS } from '../src/messages/extractor-spec.js';
import type { ImageLabels } from '../src/messages/image-labels.js';
import type { JobMsg, JobReturnMsg } from '../src/messages/job-messages.js';
import type { ClassifyReturnMsg } from '../src/messages/return-messages.js';
import { FakeBatchApi } from '../src/mocks/fake-batch.js';
import { FakeSpacerWorker } from '../src/mocks/fake-worker.js';
import { BatchQueue } from '../src/queues/batch-queue.js';
import { collectAll } from '../src/queues/job-queue.js';
import { labelledScores } from '../src/results/classify-scores.js';
import { readImageFeatures } from '../src/results/image-features.js';
import { perClassCounts } from '../src/results/val-results-stats.js';
import { SpacerStorage } from '../src/storage/spacer-storage.js';
import { pngHeader } from './helpers/images.js';

const bucketStore = new MemoryBlobStore('memory://my-spacer-bucket');
const storage = new SpacerStorage({ bucketStore: () => bucketStore });
const fakeBatch = new FakeBatchApi({ worker: new FakeSpacerWorker({ storage }) });
const server = setupServer(...fakeBatch.handlers);
const batch = new BatchClient({
  region: 'us-west-2',
  credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'x' },
});
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => {
  server.close();
  batch.destroy();
});

async function runToEnd(queue: BatchQueue, job: JobMsg, id: string): Promise<JobReturnMsg> {
  await queue.submit(job, { id });
  for await (const finished of collectAll(queue, { intervalMs: 1 })) {
    expect(finished.status).toBe('SUCCEEDED');
    return finished.result as JobReturnMsg;
  }
  throw new Error('nothing collected');
}

it('extracts, trains and classifies through BatchQueue, and reads what a UI shows', async () => {
  const bucket = 'my-spacer-bucket';
  const s3 = (key: string) => dataLocation('s3', key, bucket);
  const queue = new BatchQueue({ batch, jobQueue: 'spacer-queue', storage, bucket });
  const extractor = {
    class_path: EXTRACTOR_CLASS_PATHS.dummy,
    data_locations: {},
    data_hashes: {},
    feature_dim: 16,
  };

  // 1. Images and features: 6 images, 4 points each.
  const rowcols: [number, number][] = [
    [10, 12],
    [34, 8],
    [20, 20],
    [5, 40],
  ];
  const images = [1, 2, 3, 4, 5, 6];
  for (const i of images) await storage.store(s3(`images/${i}.png`), pngHeader(64, 48));
  const extract: JobMsg = {
    task_name: 'extract_features',
    tasks: images.map((i) => ({
      job_token: `img-${i}`,
      extractor,
      rowcols,
      image_loc: s3(`images/${i}.png`),
      feature_loc: s3(`features/${i}.featurevector`),
    })),
  };
  const extracted = await runToEnd(queue, extract, 'extract-1');
  expect(extracted.ok).toBe(true);
  expect(readImageFeatures(await storage.load(s3('features/1.featurevector'))).npoints).toBe(4);

  // 2. Train on labelled points (labels: CoralNet label ids).
  const labels = (ids: number[]): ImageLabels =>
    ids.map((i) => ({
      loc: s3(`features/${i}.featurevector`),
      annotations: rowcols.map(([r, c], k): [number, number, number] => [r, c, k % 2 ? 1222 : 121]),
    }));
  const train: JobMsg = {
    task_name: 'train_classifier',
    tasks: [
      codecs.TrainClassifierMsg.parse({
        job_token: 'clf-1',
        trainer: 'minibatch',
        nbr_epochs: 10,
        clf_type: 'MLP',
        labels: { train: labels([1, 2, 3, 4]), ref: labels([5]), val: labels([6]) },
        previous_model_locs: [],
        model_loc: s3('classifiers/1.model'),
        valresult_loc: s3('classifiers/1.valresult.json'),
      }),
    ],
  };
  const trained = await runToEnd(queue, train, 'train-1');
  expect(trained.ok).toBe(true);
  const valResults = codecs.ValResults.decode(await storage.load(s3('classifiers/1.valresult.json')));
  expect(perClassCounts(valResults).map((c) => [c.label, c.gt])).toEqual([
    [121, 2],
    [1222, 2],
  ]);

  // 3. Classify a new image's points.
  await storage.store(s3('images/new.png'), pngHeader(64, 48));
  const classify: JobMsg = {
    task_name: 'classify_image',
    tasks: [
      {
        job_token: 'new',
        extractor,
        rowcols: [[1, 1]],
        image_loc: s3('images/new.png'),
        classifier_loc: s3('classifiers/1.model'),
      },
    ],
  };
  const classified = await runToEnd(queue, classify, 'classify-1');
  const [point] = labelledScores((classified.results as ClassifyReturnMsg[])[0] as ClassifyReturnMsg);
  expect(point?.scores.map((s) => s.label)).toEqual([121, 1222]);
  expect(point?.top.score).toBeGreaterThanOrEqual(0.5);
});
