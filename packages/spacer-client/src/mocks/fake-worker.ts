/**
 * A worker that runs spacer jobs from the messages alone, as pyspacer 0.14's `process_job` would, without PyTorch or
 * scikit-learn: the same loading and input checks with spacer's exception texts, the DummyExtractor's semantics for
 * feature extraction (random features of `feature_dim` per point, written as a real npz; the real extractors get
 * stand-in features of their dimension after their weight files are loaded and hash-checked), and deterministic
 * stand-ins for training (a nearest-centroid classifier) and classification. A failing task ends the job with
 * `ok: false` and a traceback-shaped `error_message`, earlier results discarded, as in spacer.
 */
import { createHash } from 'node:crypto';
import { BlobNotFoundError } from '@mlclients/package-core/storage';
import { imageSize } from 'image-size';
import { codecs } from '../codec/codecs.js';
import type { SpacerConfig } from '../config.js';
import { URLDownloadError } from '../errors.js';
import { type DataLocation, isRemote } from '../messages/data-location.js';
import {
  EXTRACTOR_CLASS_PATHS,
  type ExtractorSpec,
  extractorFeatureDim,
} from '../messages/extractor-spec.js';
import type { ImageLabels } from '../messages/image-labels.js';
import type { JobMsg, JobReturnMsg, TaskResult } from '../messages/job-messages.js';
import { type LabelId, labelKey, type RowCol } from '../messages/label-id.js';
import type {
  ClassifyReturnMsg,
  ExtractFeaturesReturnMsg,
  TrainClassifierReturnMsg,
} from '../messages/return-messages.js';
import type {
  ClassifyFeaturesMsg,
  ClassifyImageMsg,
  ExtractFeaturesMsg,
  TrainClassifierMsg,
} from '../messages/task-messages.js';
import { type ImageFeatures, readImageFeatures, writeImageFeatures } from '../results/image-features.js';
import { calcAcc } from '../results/val-results-stats.js';
import { SpacerStorage } from '../storage/spacer-storage.js';
import {
  argmax,
  decodeClassifier,
  encodeClassifier,
  type FakeClassifier,
  fitCentroids,
  predictProba,
} from './fake-classifier.js';
import { formatTraceback, PythonException, pythonRepr, spacerError } from './python-errors.js';

/** Options of {@link FakeSpacerWorker}. */
export interface FakeWorkerOptions {
  /** Where locations are read and written. @default a new SpacerStorage() */
  storage?: SpacerStorage;
  /** MAX_IMAGE_PIXELS, MAX_POINTS_PER_IMAGE and EXTRACTORS_CACHE_DIR. @default spacer's defaults */
  config?: SpacerConfig;
  /** Seed of the stand-in feature values (spacer's DummyExtractor uses `random.random()`). @default 0 */
  seed?: number;
}

/** mulberry32: a small seeded generator, so fake features repeat from run to run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\0')).digest().readUInt32LE(0);
}

/**
 * A stand-in for spacer's worker: runs jobs on the same messages, storage and errors, with deterministic made-up
 * features and classifiers instead of PyTorch and scikit-learn.
 */
export class FakeSpacerWorker {
  /** Where it reads images and writes features, classifiers and results. */
  readonly storage: SpacerStorage;
  readonly #maxPixels: number;
  readonly #maxPoints: number;
  readonly #cacheDir: string | null;
  readonly #seed: number;

  /**
   * Creates a `FakeSpacerWorker`.
   *
   * @param options Its storage, configuration (limits, cache folder) and random seed.
   */
  constructor(options: FakeWorkerOptions = {}) {
    this.storage = options.storage ?? new SpacerStorage();
    this.#maxPixels = options.config?.get('MAX_IMAGE_PIXELS') ?? 10000 * 10000;
    this.#maxPoints = options.config?.get('MAX_POINTS_PER_IMAGE') ?? 1000;
    this.#cacheDir = options.config?.get('EXTRACTORS_CACHE_DIR') ?? null;
    this.#seed = options.seed ?? 0;
  }

  /** spacer's `process_job`. */
  async processJob(job: JobMsg): Promise<JobReturnMsg> {
    const results: TaskResult[] = [];
    for (const task of job.tasks) {
      try {
        results.push(await this.#runTask(job.task_name, task));
      } catch (error) {
        return {
          original_job: job,
          ok: false,
          results: null,
          error_message: formatTraceback(job.task_name, error),
        };
      }
    }
    return { original_job: job, ok: true, results, error_message: null };
  }

  /**
   * spacer's `mailman.env_job`: reads the job at `JOB_MSG_LOC` (a JSON DataLocation), runs it and writes the
   * JobReturnMsg to `RES_MSG_LOC`. A job that cannot be read throws (the container crashes; Batch says FAILED).
   */
  async runEnvJob(env: Record<string, string | undefined>): Promise<JobReturnMsg> {
    const jobLocText = env.JOB_MSG_LOC;
    if (jobLocText === undefined) throw new Error('JOB_MSG_LOC env. variable not set. Can not process job.');
    const jobLoc = codecs.DataLocation.decode(jobLocText);
    const job = codecs.JobMsg.decode(await this.storage.load(jobLoc));
    let result: JobReturnMsg;
    try {
      result = await this.processJob(job);
    } catch (error) {
      result = {
        original_job: job,
        ok: false,
        results: null,
        error_message: `Error deserializing message: ${(error as Error).name}(${pythonRepr((error as Error).message)})`,
      };
    }
    if (env.RES_MSG_LOC !== undefined) {
      await this.storage.store(
        codecs.DataLocation.decode(env.RES_MSG_LOC),
        codecs.JobReturnMsg.encodeBytes(result),
      );
    }
    return result;
  }

  async #runTask(taskName: JobMsg['task_name'], task: unknown): Promise<TaskResult> {
    switch (taskName) {
      case 'extract_features':
        return this.extractFeatures(task as ExtractFeaturesMsg);
      case 'train_classifier':
        return this.trainClassifier(task as TrainClassifierMsg);
      case 'classify_features':
        return this.classifyFeatures(task as ClassifyFeaturesMsg);
      case 'classify_image':
        return this.classifyImage(task as ClassifyImageMsg);
    }
  }

  /** A blob, failing as spacer's storage backends fail. */
  async #load(loc: DataLocation): Promise<Uint8Array> {
    try {
      return await this.storage.load(loc);
    } catch (error) {
      if (error instanceof URLDownloadError) throw spacerError.urlDownload(error.toString());
      if (!(error instanceof BlobNotFoundError)) throw error;
      if (loc.storage_type === 'memory') throw spacerError.keyError(loc.key);
      if (loc.storage_type === 'filesystem') throw spacerError.fileNotFound(loc.key);
      throw new PythonException(
        'botocore.exceptions.ClientError',
        'An error occurred (404) when calling the HeadObject operation: Not Found',
      );
    }
  }

  async #loadImageSize(loc: DataLocation): Promise<{ width: number; height: number }> {
    const bytes = await this.#load(loc);
    try {
      const { width, height } = imageSize(bytes);
      return { width, height };
    } catch {
      throw new PythonException(
        'PIL.UnidentifiedImageError',
        'cannot identify image file <_io.BytesIO object at 0x7f0000000000>',
      );
    }
  }

  /** spacer's `check_extract_inputs`. */
  #checkExtractInputs(
    size: { width: number; height: number },
    rowcols: readonly RowCol[],
    key: string,
  ): void {
    const { width, height } = size;
    if (width * height > this.#maxPixels) {
      throw spacerError.dataLimit(
        `Image ${key} has ${width} x ${height} = ${width * height} total pixels, which is larger than the max allowed of ${this.#maxPixels}.`,
      );
    }
    if (rowcols.length > this.#maxPoints) {
      throw spacerError.dataLimit(
        `${rowcols.length} point locations were specified for image ${key}, and that's larger than the max allowed of ${this.#maxPoints}.`,
      );
    }
    for (const [row, col] of rowcols) {
      if (row < 0)
        throw spacerError.rowColumnInvalid(
          `${key}: Row values must be non-negative. Given value was: ${row}`,
        );
      if (col < 0) {
        throw spacerError.rowColumnInvalid(
          `${key}: Column values must be non-negative. Given value was: ${col}`,
        );
      }
      if (row >= height) {
        throw spacerError.rowColumnInvalid(
          `${key}: Row value ${row} falls outside this image's valid range of 0-${height - 1}.`,
        );
      }
      if (col >= width) {
        throw spacerError.rowColumnInvalid(
          `${key}: Column value ${col} falls outside this image's valid range of 0-${width - 1}.`,
        );
      }
    }
  }

  /** Runs the extractor on the points: loads (and hash-checks) its files, then stand-in features. */
  async #extract(
    extractor: ExtractorSpec,
    rowcols: readonly RowCol[],
    seedKey: string,
  ): Promise<{ vectors: Float64Array[]; ret: ExtractFeaturesReturnMsg }> {
    const started = performance.now();
    let loadedRemotely = false;
    for (const [name, loc] of Object.entries(extractor.data_locations)) {
      if (isRemote(loc) && !this.#cacheDir) {
        throw spacerError.config(
          'Must define EXTRACTORS_CACHE_DIR to load extractor files/blobs into the filesystem.',
        );
      }
      const bytes = await this.#load(loc);
      loadedRemotely ||= isRemote(loc);
      const expected = extractor.data_hashes[name];
      if (expected && createHash('sha256').update(bytes).digest('hex') !== expected) {
        throw spacerError.hashMismatch(`Hash doesn't match for extractor's '${name}' file/blob.`);
      }
    }
    const dim = extractorFeatureDim(extractor);
    const random = seededRandom(seedOf(String(this.#seed), seedKey));
    const vectors = rowcols.map(() => Float64Array.from({ length: dim }, random));
    const ret =
      extractor.class_path === EXTRACTOR_CLASS_PATHS.dummy
        ? codecs.ExtractFeaturesReturnMsg.parse({ extractor_loaded_remotely: true, runtime: 2.1 })
        : { extractor_loaded_remotely: loadedRemotely, runtime: (performance.now() - started) / 1000 };
    return { vectors, ret };
  }

  /** spacer's `extract_features` task: features of the points of one image. */
  async extractFeatures(msg: ExtractFeaturesMsg): Promise<ExtractFeaturesReturnMsg> {
    const size = await this.#loadImageSize(msg.image_loc);
    this.#checkExtractInputs(size, msg.rowcols, msg.image_loc.key);
    const { vectors, ret } = await this.#extract(
      msg.extractor,
      msg.rowcols,
      `${msg.job_token}\0${msg.image_loc.key}`,
    );
    await this.storage.store(msg.feature_loc, writeImageFeatures({ rowcols: msg.rowcols, vectors }));
    return ret;
  }

  async #loadFeatures(loc: DataLocation): Promise<ImageFeatures> {
    const bytes = await this.#load(loc);
    try {
      return readImageFeatures(bytes);
    } catch (error) {
      throw new PythonException('ValueError', (error as Error).message);
    }
  }

  async #loadClassifier(loc: DataLocation): Promise<FakeClassifier> {
    return decodeClassifier(await this.#load(loc));
  }

  /** Feature/label pairs of one set, failing as `load_data_in_batches` does. */
  async #pairs(labels: ImageLabels): Promise<{ label: LabelId; vector: Float64Array }[]> {
    const pairs: { label: LabelId; vector: Float64Array }[] = [];
    for (const { loc, annotations } of labels) {
      const features = await this.#loadFeatures(loc);
      if (!features.validRowcol) {
        throw spacerError.rowColumnMissing(
          `${loc.key}: Features without rowcols are no longer supported for training.`,
        );
      }
      const byPosition = new Map(features.points.map((p) => [`${p.row},${p.col}`, p.data]));
      const missing = annotations.find(([row, col]) => !byPosition.has(`${row},${col}`));
      if (missing) {
        throw spacerError.rowColumnMismatch(
          `${loc.key}: The labels' row-column positions don't match those of the feature vector (example: (${missing[0]}, ${missing[1]})).`,
        );
      }
      for (const [row, col, label] of annotations) {
        pairs.push({ label, vector: byPosition.get(`${row},${col}`) as Float64Array });
      }
    }
    return pairs;
  }

  /** spacer's `train_classifier` task: a classifier, its validation results and accuracies. */
  async trainClassifier(msg: TrainClassifierMsg): Promise<TrainClassifierReturnMsg> {
    const started = performance.now();
    const labels = preprocessLabels(msg.labels);
    const previous = await Promise.all(msg.previous_model_locs.map((loc) => this.#loadClassifier(loc)));
    const ref = await this.#pairs(labels.ref);
    const train = await this.#pairs(labels.train);
    const val = await this.#pairs(labels.val);

    const clf = fitCentroids(msg.clf_type, train);
    const predict = (model: FakeClassifier, pairs: typeof val) =>
      pairs.map(({ vector }) => {
        const proba = predictProba(model, vector);
        const best = argmax(proba);
        return { est: model.classes[best] as LabelId, score: proba[best] as number };
      });
    const accOf = (model: FakeClassifier, pairs: typeof val) =>
      calcAcc(
        pairs.map((p) => labelKey(p.label)),
        predict(model, pairs).map((p) => labelKey(p.est)),
      );

    const refAcc = accOf(clf, ref);
    const valPredictions = predict(clf, val);
    const classIndex = new Map(clf.classes.map((c, i) => [labelKey(c), i]));
    const valResults = codecs.ValResults.parse({
      scores: valPredictions.map((p) => p.score),
      gt: val.map((p) => classIndex.get(labelKey(p.label))),
      est: valPredictions.map((p) => classIndex.get(labelKey(p.est))),
      classes: clf.classes,
    });
    await this.storage.store(msg.model_loc, encodeClassifier(clf));
    await this.storage.store(msg.valresult_loc, codecs.ValResults.encodeBytes(valResults));
    return {
      acc: accOf(clf, val),
      pc_accs: previous.map((model) => accOf(model, val)),
      ref_accs: Array.from({ length: msg.nbr_epochs }, () => refAcc),
      runtime: (performance.now() - started) / 1000,
    };
  }

  /** spacer's `classify_features` task: scores of the points of a stored feature file. */
  async classifyFeatures(msg: ClassifyFeaturesMsg): Promise<ClassifyReturnMsg> {
    const started = performance.now();
    const features = await this.#loadFeatures(msg.feature_loc);
    const clf = await this.#loadClassifier(msg.classifier_loc);
    return {
      runtime: (performance.now() - started) / 1000,
      scores: features.points.map((p) => [p.row, p.col, predictProba(clf, p.data)]),
      classes: clf.classes,
      valid_rowcol: features.validRowcol,
    };
  }

  /** spacer's `classify_image` task: extract, then classify, the points of one image. */
  async classifyImage(msg: ClassifyImageMsg): Promise<ClassifyReturnMsg> {
    const started = performance.now();
    const size = await this.#loadImageSize(msg.image_loc);
    this.#checkExtractInputs(size, msg.rowcols, msg.image_loc.key);
    const { vectors } = await this.#extract(
      msg.extractor,
      msg.rowcols,
      `${msg.job_token}\0${msg.image_loc.key}`,
    );
    const clf = await this.#loadClassifier(msg.classifier_loc);
    return {
      runtime: (performance.now() - started) / 1000,
      scores: msg.rowcols.map(([row, col], i) => [row, col, predictProba(clf, vectors[i] as Float64Array)]),
      classes: clf.classes,
      valid_rowcol: true,
    };
  }
}

/** spacer's `preprocess_labels` on already-split labels: keep classes in both train and ref; no set may end empty. */
export function preprocessLabels(labels: TrainClassifierMsg['labels']): TrainClassifierMsg['labels'] {
  const classes = (set: ImageLabels) =>
    new Set(set.flatMap((e) => e.annotations.map(([, , l]) => labelKey(l))));
  const train = classes(labels.train);
  const common = new Set([...classes(labels.ref)].filter((c) => train.has(c)));
  if (common.size <= 1) {
    throw spacerError.trainingLabels(
      `Need multiple classes to do training. After preprocessing training data, there are ${common.size} class(es) left.`,
    );
  }
  const out = {} as TrainClassifierMsg['labels'];
  for (const name of ['train', 'ref', 'val'] as const) {
    out[name] = labels[name]
      .map((e) => ({ loc: e.loc, annotations: e.annotations.filter(([, , l]) => common.has(labelKey(l))) }))
      .filter((e) => e.annotations.length > 0);
    if (out[name].length === 0) {
      throw spacerError.trainingLabels(`After preprocessing training data, '${name}' set is empty.`);
    }
  }
  return out;
}
