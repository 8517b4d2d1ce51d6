/**
 * The messages of spacer's `example()` class methods (pyspacer 0.14), which its tests round-trip: handy for tests,
 * documentation and the fake worker. Each call returns a fresh object.
 */
import { type DataLocation, dataLocation } from './data-location.js';
import { EXTRACTOR_CLASS_PATHS, type ExtractorSpec } from './extractor-spec.js';
import type { ImageLabels, TrainingTaskLabels } from './image-labels.js';
import type { JobMsg, JobMsgOf, JobReturnMsg, TaskName, TaskResults } from './job-messages.js';
import type {
  ClassifyReturnMsg,
  ExtractFeaturesReturnMsg,
  TrainClassifierReturnMsg,
} from './return-messages.js';
import type {
  ClassifyFeaturesMsg,
  ClassifyImageMsg,
  ExtractFeaturesMsg,
  TrainClassifierMsg,
} from './task-messages.js';
import { MINIBATCH_TRAINER_CLASS_PATH } from './trainer-spec.js';
import type { ValResults } from './val-results.js';

const S3_BASE = 'https://my-bucket.s3-my-region.amazonaws.com';

function efficientNet(): ExtractorSpec {
  return {
    class_path: EXTRACTOR_CLASS_PATHS.efficientnet,
    data_locations: { weights: dataLocation('filesystem', '/path/to/weights.pt') },
    data_hashes: {},
  };
}

/** The message of each pyspacer class's `example()`, as a function returning a fresh object. */
export const examples = {
  /** A fresh `DataLocation` equal to pyspacer's `DataLocation.example()`. */
  dataLocation: (): DataLocation => dataLocation('memory', 'my_blob'),
  /** A fresh `ImageLabels` equal to pyspacer's `ImageLabels.example()`. */
  imageLabels: (): ImageLabels =>
    (
      [
        ['img1.features', 200, 3, 200, 2],
        ['img2.features', 202, 3, 200, 3],
        ['img3.features', 202, 3, 200, 3],
        ['img4.features', 202, 3, 200, 3],
      ] as const
    ).map(([key, c1, l1, c2, l2]) => ({
      loc: dataLocation('filesystem', key),
      annotations: [
        [100, c1, l1],
        [101, c2, l2],
      ],
    })),
  /** A fresh `TrainingTaskLabels` equal to pyspacer's `TrainingTaskLabels.example()`. */
  trainingTaskLabels: (): TrainingTaskLabels => ({
    train: examples.imageLabels(),
    ref: examples.imageLabels(),
    val: examples.imageLabels(),
  }),
  /** A fresh `ValResults` equal to pyspacer's `ValResults.example()`. */
  valResults: (): ValResults => ({
    scores: [0.9, 0.8, 0.7],
    gt: [0, 1, 0],
    est: [0, 1, 1],
    classes: [121, 1222],
  }),
  /** A fresh `ExtractFeaturesMsg` equal to pyspacer's `ExtractFeaturesMsg.example()`. */
  extractFeaturesMsg: (): ExtractFeaturesMsg => ({
    job_token: '123abc',
    extractor: efficientNet(),
    rowcols: [[100, 100]],
    image_loc: dataLocation('memory', 'my_image.jpg'),
    feature_loc: dataLocation('memory', 'my_feats.json'),
  }),
  /** A fresh `ExtractFeaturesReturnMsg` equal to pyspacer's `ExtractFeaturesReturnMsg.example()`. */
  extractFeaturesReturnMsg: (): ExtractFeaturesReturnMsg => ({
    extractor_loaded_remotely: true,
    runtime: 2.1,
  }),
  /** A fresh `TrainClassifierMsg` equal to pyspacer's `TrainClassifierMsg.example()`. */
  trainClassifierMsg: (): TrainClassifierMsg => ({
    job_token: '123_abc',
    trainer: { class_path: MINIBATCH_TRAINER_CLASS_PATH },
    nbr_epochs: 2,
    clf_type: 'MLP',
    labels: examples.trainingTaskLabels(),
    previous_model_locs: [
      dataLocation('memory', 'previous_model1.pkl'),
      dataLocation('memory', 'previous_model2.pkl'),
    ],
    model_loc: dataLocation('memory', 'my_new_model.pkl'),
    valresult_loc: dataLocation('memory', 'my_valresult.json'),
    feature_cache_dir: 'auto',
  }),
  /** A fresh `TrainClassifierReturnMsg` equal to pyspacer's `TrainClassifierReturnMsg.example()`. */
  trainClassifierReturnMsg: (): TrainClassifierReturnMsg => ({
    acc: 0.7,
    pc_accs: [0.4, 0.5, 0.6],
    ref_accs: [0.55, 0.65, 0.64, 0.67, 0.7],
    runtime: 123.4,
  }),
  /** A fresh `ClassifyFeaturesMsg` equal to pyspacer's `ClassifyFeaturesMsg.example()`. */
  classifyFeaturesMsg: (): ClassifyFeaturesMsg => ({
    job_token: 'my_job',
    feature_loc: dataLocation('url', `${S3_BASE}/01234aeiou.png.featurevector`),
    classifier_loc: dataLocation('url', `${S3_BASE}/my_model_id.model`),
  }),
  /** A fresh `ClassifyImageMsg` equal to pyspacer's `ClassifyImageMsg.example()`. */
  classifyImageMsg: (): ClassifyImageMsg => ({
    job_token: 'my_job',
    extractor: efficientNet(),
    rowcols: [
      [1, 1],
      [2, 2],
    ],
    image_loc: dataLocation('url', `${S3_BASE}/01234aeiou.png`),
    classifier_loc: dataLocation('url', `${S3_BASE}/my_model_id.model`),
  }),
  /** A fresh `ClassifyReturnMsg` equal to pyspacer's `ClassifyReturnMsg.example()`. */
  classifyReturnMsg: (): ClassifyReturnMsg => ({
    runtime: 1.1,
    scores: [
      [10, 20, [0.1, 0.2, 0.7]],
      [20, 40, [0.9, 0.06, 0.04]],
    ],
    classes: [100, 12, 44],
    valid_rowcol: true,
  }),
  /** A fresh `JobMsg` equal to pyspacer's `JobMsg.example()`. */
  jobMsg: (): JobMsg => ({ task_name: 'classify_image', tasks: [examples.classifyImageMsg()] }),
  /** A fresh `JobReturnMsg` equal to pyspacer's `JobReturnMsg.example()`. */
  jobReturnMsg: (): JobReturnMsg => ({
    original_job: examples.jobMsg(),
    ok: true,
    results: [examples.classifyReturnMsg()],
    error_message: null,
  }),
};

const TASK_EXAMPLES = {
  extract_features: [examples.extractFeaturesMsg, examples.extractFeaturesReturnMsg],
  train_classifier: [examples.trainClassifierMsg, examples.trainClassifierReturnMsg],
  classify_features: [examples.classifyFeaturesMsg, examples.classifyReturnMsg],
  classify_image: [examples.classifyImageMsg, examples.classifyReturnMsg],
} as const;

/** A job of `count` example tasks of one type, as spacer's tests build them. */
export function exampleJob<T extends TaskName>(taskName: T, count = 1): JobMsgOf<T> {
  const [task] = TASK_EXAMPLES[taskName];
  return { task_name: taskName, tasks: Array.from({ length: count }, () => task()) } as JobMsgOf<T>;
}

/** The example result of one task type. */
export function exampleResult<T extends TaskName>(taskName: T): TaskResults[T] {
  return TASK_EXAMPLES[taskName][1]() as TaskResults[T];
}
