/** The fake worker runs jobs as spacer's process_job would: checks, texts, files (§7, §11, §12 of the fact sheet). */
import { randomUUID } from 'node:crypto';
import { MemoryBlobStore } from '@mlclients/package-core/storage';
import { describe, expect, it } from 'vitest';
import { codecs } from '../src/codec/codecs.js';
import { dataLocation } from '../src/messages/data-location.js';
import { EXTRACTOR_CLASS_PATHS } from '../src/messages/extractor-spec.js';
import type { JobMsg } from '../src/messages/job-messages.js';
import type { ClassifyReturnMsg, TrainClassifierReturnMsg } from '../src/messages/return-messages.js';
import type { ExtractFeaturesMsg, TrainClassifierMsg } from '../src/messages/task-messages.js';
import { FakeSpacerWorker } from '../src/mocks/fake-worker.js';
import { parseErrorMessage } from '../src/results/error-message.js';
import { readImageFeatures } from '../src/results/image-features.js';
import { SpacerStorage } from '../src/storage/spacer-storage.js';
import { pngHeader } from './helpers/images.js';

function setup() {
  const storage = new SpacerStorage({ memory: new MemoryBlobStore() });
  return { storage, worker: new FakeSpacerWorker({ storage }) };
}

const dummy = (feature_dim = 8) => ({
  class_path: EXTRACTOR_CLASS_PATHS.dummy,
  data_locations: {},
  data_hashes: {},
  feature_dim,
});

function extractTask(image: string, rowcols: [number, number][], feats = `${image}.npz`): ExtractFeaturesMsg {
  return {
    job_token: image,
    extractor: dummy(),
    rowcols,
    image_loc: dataLocation('memory', image),
    feature_loc: dataLocation('memory', feats),
  };
}

async function run(worker: FakeSpacerWorker, job: JobMsg) {
  return worker.processJob(codecs.JobMsg.parse(job));
}

describe('extract_features', () => {
  it('writes a real npz of feature_dim values per point, duplicates kept, and returns the Dummy example result', async () => {
    const { storage, worker } = setup();
    await storage.store(dataLocation('memory', 'img'), pngHeader(100, 100));
    const ret = await run(worker, {
      task_name: 'extract_features',
      tasks: [
        extractTask('img', [
          [1, 2],
          [99, 99],
          [1, 2],
        ]),
      ],
    });
    expect(ret).toMatchObject({
      ok: true,
      results: [{ extractor_loaded_remotely: true, runtime: 2.1 }],
      error_message: null,
    });
    const features = readImageFeatures(await storage.load(dataLocation('memory', 'img.npz')));
    expect([features.npoints, features.featureDim, features.validRowcol]).toEqual([3, 8, true]);
    expect(features.points.map((p) => [p.row, p.col])).toEqual([
      [1, 2],
      [99, 99],
      [1, 2],
    ]);
    expect(Array.from(features.data).every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it.each([
    [
      [[100, 100]],
      "spacer.exceptions.RowColumnInvalidError: img: Row value 100 falls outside this image's valid range of 0-99.",
    ],
    [
      [[0, 100]],
      "spacer.exceptions.RowColumnInvalidError: img: Column value 100 falls outside this image's valid range of 0-99.",
    ],
    [
      [[-1, 0]],
      'spacer.exceptions.RowColumnInvalidError: img: Row values must be non-negative. Given value was: -1',
    ],
  ] as [[number, number][], string][])('refuses rowcols %j with spacer’s text', async (rowcols, last) => {
    const { storage, worker } = setup();
    await storage.store(dataLocation('memory', 'img'), pngHeader(100, 100));
    const ret = await run(worker, { task_name: 'extract_features', tasks: [extractTask('img', rowcols)] });
    expect(ret.ok).toBe(false);
    expect(ret.results).toBeNull();
    expect(ret.error_message?.startsWith('Traceback (most recent call last):\n')).toBe(true);
    expect(ret.error_message?.trimEnd().split('\n').at(-1)).toBe(last);
  });

  it('applies the data limits: 10001 x 10000 pixels and 1001 points fail, 10000 x 10000 and 1000 pass', async () => {
    const { storage, worker } = setup();
    await storage.store(dataLocation('memory', 'big'), pngHeader(10001, 10000));
    await storage.store(dataLocation('memory', 'img'), pngHeader(10000, 10000));
    const tooBig = await run(worker, {
      task_name: 'extract_features',
      tasks: [extractTask('big', [[0, 0]])],
    });
    expect(parseErrorMessage(tooBig.error_message ?? '')).toEqual({
      type: 'spacer.exceptions.DataLimitError',
      message:
        'Image big has 10001 x 10000 = 100010000 total pixels, which is larger than the max allowed of 100000000.',
    });
    const points = (n: number) => Array.from({ length: n }, (_, i): [number, number] => [i, i]);
    const tooMany = await run(worker, {
      task_name: 'extract_features',
      tasks: [extractTask('img', points(1001))],
    });
    expect(parseErrorMessage(tooMany.error_message ?? '').message).toBe(
      "1001 point locations were specified for image img, and that's larger than the max allowed of 1000.",
    );
    const fine = await run(worker, {
      task_name: 'extract_features',
      tasks: [extractTask('img', points(1000))],
    });
    expect(fine.ok).toBe(true);
  });

  it('reports a missing memory image as KeyError, and a bad URL as URLDownloadError with the URL (test_mailman)', async () => {
    const { storage, worker } = setup();
    const missing = await run(worker, {
      task_name: 'extract_features',
      tasks: [extractTask('missing_image', [[0, 0]])],
    });
    expect(missing.error_message).toContain("KeyError: 'missing_image'");
    const badUrl = {
      ...extractTask('x', [[0, 0]]),
      image_loc: dataLocation('url', 'http::/invalid_url.com'),
    };
    const url = await run(worker, { task_name: 'extract_features', tasks: [badUrl] });
    expect(url.error_message).toContain('URLDownloadError');
    expect(url.error_message).toContain('http::/invalid_url.com');

    // Two good tasks: two results; a good and a bad one: not ok, no results.
    await storage.store(dataLocation('memory', 'img'), pngHeader(10, 10));
    const two = await run(worker, {
      task_name: 'extract_features',
      tasks: [extractTask('img', [[1, 1]], 'a'), extractTask('img', [[2, 2]], 'b')],
    });
    expect(two.ok && two.results.length).toBe(2);
    const mixed = await run(worker, {
      task_name: 'extract_features',
      tasks: [
        extractTask('img', [[1, 1]]),
        { ...extractTask('img', [[1, 1]]), image_loc: dataLocation('url', 'bad_url') },
      ],
    });
    expect([mixed.ok, mixed.results]).toEqual([false, null]);
  });

  it('loads and hash-checks the weights of a real extractor', async () => {
    const { storage, worker } = setup();
    await storage.store(dataLocation('memory', 'img'), pngHeader(10, 10));
    await storage.store(dataLocation('memory', 'weights.pt'), 'not the weights');
    const task = {
      ...extractTask('img', [[1, 1]]),
      extractor: {
        class_path: EXTRACTOR_CLASS_PATHS.efficientnet,
        data_locations: { weights: dataLocation('memory', 'weights.pt') },
        data_hashes: { weights: 'c3dc6d304179c6729c0a0b3d4e60c728bdcf0d82687deeba54af71827467204c' },
      },
    };
    const ret = await run(worker, { task_name: 'extract_features', tasks: [task] });
    expect(ret.error_message).toContain(
      "spacer.exceptions.HashMismatchError: Hash doesn't match for extractor's 'weights' file/blob.",
    );
    const unchecked = await run(worker, {
      task_name: 'extract_features',
      tasks: [{ ...task, extractor: { ...task.extractor, data_hashes: {} } }],
    });
    expect(unchecked.ok).toBe(true);
    expect(readImageFeatures(await storage.load(task.feature_loc)).featureDim).toBe(1280);
  });
});

describe('train_classifier and classification', () => {
  /** Six images, two classes; features made by the worker itself. */
  async function trainingSet() {
    const { storage, worker } = setup();
    await storage.store(dataLocation('memory', 'img'), pngHeader(50, 50));
    const rowcols: [number, number][] = [
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ];
    const images = Array.from({ length: 6 }, (_, i) => `f${i}.npz`);
    const extract = await run(worker, {
      task_name: 'extract_features',
      tasks: images.map((f, i) => ({ ...extractTask('img', rowcols, f), job_token: `t${i}` })),
    });
    expect(extract.ok).toBe(true);
    const set = (names: string[]) =>
      names.map((name) => ({
        loc: dataLocation('memory', name),
        annotations: rowcols.map(([r, c], k): [number, number, number | string] => [
          r,
          c,
          k % 2 ? 'Sand' : ((2n ** 60n + 7n) as never),
        ]),
      }));
    const msg: TrainClassifierMsg = codecs.TrainClassifierMsg.parse({
      job_token: 'train',
      trainer: 'minibatch',
      nbr_epochs: 3,
      clf_type: 'LR',
      labels: {
        train: set(images.slice(0, 4)),
        ref: set([images[4] as string]),
        val: set([images[5] as string]),
      },
      previous_model_locs: [],
      model_loc: dataLocation('memory', 'model.pkl'),
      valresult_loc: dataLocation('memory', 'valresult.json'),
    });
    return { storage, worker, msg, images };
  }

  it('trains a deterministic stand-in, stores model and ValResults, and classifies with labels in sklearn order', async () => {
    const { storage, worker, msg, images } = await trainingSet();
    const ret = await run(worker, { task_name: 'train_classifier', tasks: [msg] });
    expect(ret.ok).toBe(true);
    const result = (ret.results as TrainClassifierReturnMsg[])[0] as TrainClassifierReturnMsg;
    expect(result.ref_accs).toHaveLength(3);
    expect(result.pc_accs).toEqual([]);
    const val = codecs.ValResults.decode(await storage.load(msg.valresult_loc));
    expect(val.classes).toEqual([2n ** 60n + 7n, 'Sand']);
    expect(val.gt).toEqual([0, 1, 0, 1]);

    const second = await run(worker, {
      task_name: 'train_classifier',
      tasks: [{ ...msg, previous_model_locs: [msg.model_loc] }],
    });
    expect((second.results as TrainClassifierReturnMsg[])[0]?.pc_accs).toEqual([result.acc]);

    const classified = await run(worker, {
      task_name: 'classify_features',
      tasks: [
        {
          job_token: 'c',
          feature_loc: dataLocation('memory', images[0] as string),
          classifier_loc: msg.model_loc,
        },
      ],
    });
    const scores = (classified.results as ClassifyReturnMsg[])[0] as ClassifyReturnMsg;
    expect(scores.classes).toEqual(val.classes);
    expect(scores.scores.map(([r, c, s]) => [r, c, s.length])).toEqual([
      [1, 1, 2],
      [2, 2, 2],
      [3, 3, 2],
      [4, 4, 2],
    ]);
    expect(scores.valid_rowcol).toBe(true);
  });

  it('fails as spacer does: one class left, a missing previous model, mismatched positions', async () => {
    const { worker, msg } = await trainingSet();
    const oneClass = {
      ...msg,
      labels: {
        ...msg.labels,
        ref: msg.labels.ref.map((e) => ({
          ...e,
          annotations: e.annotations.filter(([, , l]) => l === 'Sand'),
        })),
      },
    };
    const a = await run(worker, { task_name: 'train_classifier', tasks: [oneClass] });
    expect(a.error_message).toContain(
      'spacer.exceptions.TrainingLabelsError: Need multiple classes to do training. After preprocessing training data, there are 1 class(es) left.',
    );
    const b = await run(worker, {
      task_name: 'train_classifier',
      tasks: [{ ...msg, previous_model_locs: [dataLocation('memory', 'my_previous_model')] }],
    });
    expect(b.error_message).toContain("KeyError: 'my_previous_model'");
    const shifted = {
      ...msg,
      labels: {
        ...msg.labels,
        val: msg.labels.val.map((e) => ({
          ...e,
          annotations: [[9, 9, 'Sand'] as [number, number, string], ...e.annotations],
        })),
      },
    };
    const c = await run(worker, { task_name: 'train_classifier', tasks: [shifted] });
    expect(c.error_message).toContain(
      "spacer.exceptions.RowColumnMismatchError: f5.npz: The labels' row-column positions don't match those of the feature vector (example: (9, 9)).",
    );
  });
});

describe('env_job', () => {
  it('reads JOB_MSG_LOC, writes the JobReturnMsg to RES_MSG_LOC', async () => {
    const { storage, worker } = setup();
    const id = randomUUID();
    const jobLoc = dataLocation('memory', `jobs/${id}.json`);
    const resLoc = dataLocation('memory', `jobs/${id}.res.json`);
    await storage.store(
      jobLoc,
      codecs.JobMsg.encode({
        task_name: 'extract_features',
        tasks: [extractTask('missing_image', [[0, 0]])],
      }),
    );
    await worker.runEnvJob({
      JOB_MSG_LOC: codecs.DataLocation.encode(jobLoc),
      RES_MSG_LOC: codecs.DataLocation.encode(resLoc),
    });
    const ret = codecs.JobReturnMsg.decode(await storage.load(resLoc));
    expect(ret.ok).toBe(false);
    expect(parseErrorMessage(ret.error_message ?? '')).toEqual({
      type: 'KeyError',
      message: "'missing_image'",
    });
    await expect(worker.runEnvJob({})).rejects.toThrow(
      'JOB_MSG_LOC env. variable not set. Can not process job.',
    );
  });
});
