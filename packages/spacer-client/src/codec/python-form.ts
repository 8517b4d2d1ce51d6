/**
 * Typed messages -> the JSON value Python's `serialize()` returns, with Python's key order and number kinds: fields
 * Python holds as floats (runtimes, scores, accuracies) are written as floats (`2.0`), ints as ints (exact for
 * bigint), so `dumpPythonJson` of the result is byte for byte `json.dumps(msg.serialize())`.
 */
import { dumpPythonJson, fromPlainJson, type JsonValue, PyNumber } from '@mlclients/package-core/json';
import type { DataLocation } from '../messages/data-location.js';
import { EXTRACTOR_CLASS_PATHS, type ExtractorSpec } from '../messages/extractor-spec.js';
import type { ImageLabels, TrainingTaskLabels } from '../messages/image-labels.js';
import type { JobMsg, JobReturnMsg, TaskResult } from '../messages/job-messages.js';
import type { LabelId, RowCol } from '../messages/label-id.js';
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
import type { TrainerSpec } from '../messages/trainer-spec.js';
import type { ValResults } from '../messages/val-results.js';

type Entries = [string, JsonValue][];
const obj = (entries: Entries): JsonValue => new Map(entries);
const int = (value: number | bigint): JsonValue => PyNumber.int(value);
const float = (value: number): JsonValue => PyNumber.float(value);
const floats = (values: readonly number[]): JsonValue => values.map(float);
const label = (value: LabelId): JsonValue => (typeof value === 'string' ? value : int(value));
const rowcol = ([row, col]: RowCol): JsonValue => [int(row), int(col)];

export function dataLocationToPython(loc: DataLocation): JsonValue {
  return obj([
    ['storage_type', loc.storage_type],
    ['key', loc.key],
    ['bucket_name', loc.bucket_name],
  ]);
}

export function extractorToPython(spec: ExtractorSpec): JsonValue {
  const entries: Entries = [
    ['class_path', spec.class_path],
    [
      'data_locations',
      obj(Object.entries(spec.data_locations).map(([k, loc]) => [k, dataLocationToPython(loc)])),
    ],
    ['data_hashes', obj(Object.entries(spec.data_hashes))],
  ];
  if (spec.class_path === EXTRACTOR_CLASS_PATHS.dummy) entries.push(['feature_dim', int(spec.feature_dim)]);
  return obj(entries);
}

export function trainerToPython(spec: TrainerSpec): JsonValue {
  // The schema already left only non-default parameters, in signature order.
  const entries: Entries = [];
  for (const [name, value] of Object.entries(spec)) {
    if (value === undefined) continue;
    if (name === 'mlp_learning_rate_init')
      entries.push([name, value === null ? null : float(value as number)]);
    else entries.push([name, fromPlainJson(value)]);
  }
  return obj(entries);
}

export function imageLabelsToPython(labels: ImageLabels): JsonValue {
  return obj(
    labels.map(({ loc, annotations }) => [
      dumpPythonJson(dataLocationToPython(loc)),
      annotations.map(([row, col, l]) => [int(row), int(col), label(l)]),
    ]),
  );
}

export function trainingTaskLabelsToPython(labels: TrainingTaskLabels): JsonValue {
  return obj([
    ['train', imageLabelsToPython(labels.train)],
    ['ref', imageLabelsToPython(labels.ref)],
    ['val', imageLabelsToPython(labels.val)],
  ]);
}

export function valResultsToPython(v: ValResults): JsonValue {
  return obj([
    ['scores', floats(v.scores)],
    ['gt', v.gt.map(int)],
    ['est', v.est.map(int)],
    ['classes', v.classes.map(label)],
  ]);
}

export function extractFeaturesMsgToPython(msg: ExtractFeaturesMsg): JsonValue {
  return obj([
    ['job_token', msg.job_token],
    ['extractor', extractorToPython(msg.extractor)],
    ['rowcols', msg.rowcols.map(rowcol)],
    ['image_loc', dataLocationToPython(msg.image_loc)],
    ['feature_loc', dataLocationToPython(msg.feature_loc)],
  ]);
}

export function trainClassifierMsgToPython(msg: TrainClassifierMsg): JsonValue {
  return obj([
    ['job_token', msg.job_token],
    ['trainer', trainerToPython(msg.trainer)],
    ['nbr_epochs', int(msg.nbr_epochs)],
    ['clf_type', msg.clf_type],
    ['labels', trainingTaskLabelsToPython(msg.labels)],
    ['previous_model_locs', msg.previous_model_locs.map(dataLocationToPython)],
    ['model_loc', dataLocationToPython(msg.model_loc)],
    ['valresult_loc', dataLocationToPython(msg.valresult_loc)],
    ['feature_cache_dir', msg.feature_cache_dir],
  ]);
}

export function classifyFeaturesMsgToPython(msg: ClassifyFeaturesMsg): JsonValue {
  return obj([
    ['job_token', msg.job_token],
    ['feature_loc', dataLocationToPython(msg.feature_loc)],
    ['classifier_loc', dataLocationToPython(msg.classifier_loc)],
  ]);
}

export function classifyImageMsgToPython(msg: ClassifyImageMsg): JsonValue {
  return obj([
    ['job_token', msg.job_token],
    ['extractor', extractorToPython(msg.extractor)],
    ['rowcols', msg.rowcols.map(rowcol)],
    ['image_loc', dataLocationToPython(msg.image_loc)],
    ['classifier_loc', dataLocationToPython(msg.classifier_loc)],
  ]);
}

export function extractFeaturesReturnMsgToPython(msg: ExtractFeaturesReturnMsg): JsonValue {
  return obj([
    ['extractor_loaded_remotely', msg.extractor_loaded_remotely],
    ['runtime', float(msg.runtime)],
  ]);
}

export function trainClassifierReturnMsgToPython(msg: TrainClassifierReturnMsg): JsonValue {
  return obj([
    ['acc', float(msg.acc)],
    ['pc_accs', floats(msg.pc_accs)],
    ['ref_accs', floats(msg.ref_accs)],
    ['runtime', float(msg.runtime)],
  ]);
}

export function classifyReturnMsgToPython(msg: ClassifyReturnMsg): JsonValue {
  return obj([
    ['runtime', float(msg.runtime)],
    [
      'scores',
      msg.scores.map(([row, col, scores]) => [
        row === null ? null : int(row),
        col === null ? null : int(col),
        floats(scores),
      ]),
    ],
    ['classes', msg.classes.map(label)],
    ['valid_rowcol', msg.valid_rowcol],
  ]);
}

export function jobMsgToPython(job: JobMsg): JsonValue {
  let tasks: JsonValue[];
  switch (job.task_name) {
    case 'extract_features':
      tasks = job.tasks.map(extractFeaturesMsgToPython);
      break;
    case 'train_classifier':
      tasks = job.tasks.map(trainClassifierMsgToPython);
      break;
    case 'classify_features':
      tasks = job.tasks.map(classifyFeaturesMsgToPython);
      break;
    case 'classify_image':
      tasks = job.tasks.map(classifyImageMsgToPython);
      break;
  }
  return obj([
    ['task_name', job.task_name],
    ['tasks', tasks],
  ]);
}

function resultToPython(taskName: JobMsg['task_name'], result: TaskResult): JsonValue {
  if (taskName === 'extract_features')
    return extractFeaturesReturnMsgToPython(result as ExtractFeaturesReturnMsg);
  if (taskName === 'train_classifier')
    return trainClassifierReturnMsgToPython(result as TrainClassifierReturnMsg);
  return classifyReturnMsgToPython(result as ClassifyReturnMsg);
}

export function jobReturnMsgToPython(msg: JobReturnMsg): JsonValue {
  const taskName = msg.original_job.task_name;
  return obj([
    ['original_job', jobMsgToPython(msg.original_job)],
    ['ok', msg.ok],
    [
      'results',
      msg.ok ? msg.results.map((r) => resultToPython(taskName, r)) : fromPlainJson(msg.results ?? null),
    ],
    ['error_message', msg.error_message],
  ]);
}
