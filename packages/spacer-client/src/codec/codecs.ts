/** The codec of every pyspacer 0.14 message and data class, and the `encodeX`/`decodeX` pairs built from them. */
import { DataLocationSchema } from '../messages/data-location.js';
import { ExtractorSpecSchema } from '../messages/extractor-spec.js';
import { ImageLabelsSchema, TrainingTaskLabelsSchema } from '../messages/image-labels.js';
import { JobMsgSchema, JobReturnMsgSchema } from '../messages/job-messages.js';
import {
  ClassifyReturnMsgSchema,
  ExtractFeaturesReturnMsgSchema,
  TrainClassifierReturnMsgSchema,
} from '../messages/return-messages.js';
import {
  ClassifyFeaturesMsgSchema,
  ClassifyImageMsgSchema,
  ExtractFeaturesMsgSchema,
  TrainClassifierMsgSchema,
} from '../messages/task-messages.js';
import { TrainerSpecSchema } from '../messages/trainer-spec.js';
import { ValResultsSchema } from '../messages/val-results.js';
import { defineCodec } from './codec.js';
import * as py from './python-form.js';

/**
 * One codec per message and data class, by its pyspacer name: `parse` validates (errors name the field), `encode`
 * writes the bytes of Python's `json.dumps(msg.serialize())`, `decode` reads what Python's `deserialize` reads.
 *
 * @example
 * ```ts
 * const text = codecs.JobMsg.encode(job);      // what pyspacer writes
 * const again = codecs.JobMsg.decode(text);    // legacy field names and short class paths normalised
 * ```
 */
export const codecs = {
  DataLocation: defineCodec('DataLocation', DataLocationSchema, py.dataLocationToPython),
  ExtractorSpec: defineCodec('ExtractorSpec', ExtractorSpecSchema, py.extractorToPython),
  TrainerSpec: defineCodec('TrainerSpec', TrainerSpecSchema, py.trainerToPython),
  ImageLabels: defineCodec('ImageLabels', ImageLabelsSchema, py.imageLabelsToPython),
  TrainingTaskLabels: defineCodec(
    'TrainingTaskLabels',
    TrainingTaskLabelsSchema,
    py.trainingTaskLabelsToPython,
  ),
  ValResults: defineCodec('ValResults', ValResultsSchema, py.valResultsToPython),
  ExtractFeaturesMsg: defineCodec(
    'ExtractFeaturesMsg',
    ExtractFeaturesMsgSchema,
    py.extractFeaturesMsgToPython,
  ),
  ExtractFeaturesReturnMsg: defineCodec(
    'ExtractFeaturesReturnMsg',
    ExtractFeaturesReturnMsgSchema,
    py.extractFeaturesReturnMsgToPython,
  ),
  TrainClassifierMsg: defineCodec(
    'TrainClassifierMsg',
    TrainClassifierMsgSchema,
    py.trainClassifierMsgToPython,
  ),
  TrainClassifierReturnMsg: defineCodec(
    'TrainClassifierReturnMsg',
    TrainClassifierReturnMsgSchema,
    py.trainClassifierReturnMsgToPython,
  ),
  ClassifyFeaturesMsg: defineCodec(
    'ClassifyFeaturesMsg',
    ClassifyFeaturesMsgSchema,
    py.classifyFeaturesMsgToPython,
  ),
  ClassifyImageMsg: defineCodec('ClassifyImageMsg', ClassifyImageMsgSchema, py.classifyImageMsgToPython),
  ClassifyReturnMsg: defineCodec('ClassifyReturnMsg', ClassifyReturnMsgSchema, py.classifyReturnMsgToPython),
  JobMsg: defineCodec('JobMsg', JobMsgSchema, py.jobMsgToPython),
  JobReturnMsg: defineCodec('JobReturnMsg', JobReturnMsgSchema, py.jobReturnMsgToPython),
} as const;

/** The name of a message or data class that has a codec (`'JobMsg'`, `'DataLocation'`, ...). */
export type MessageType = keyof typeof codecs;

/** `codecs.DataLocation.encode`: a `DataLocation` as the JSON text pyspacer writes (validated first). */
export const encodeDataLocation = codecs.DataLocation.encode;
/** `codecs.DataLocation.decode`: a `DataLocation` from the JSON text pyspacer writes (validated, normalised). */
export const decodeDataLocation = codecs.DataLocation.decode;
/** `codecs.ImageLabels.encode`: a `ImageLabels` as the JSON text pyspacer writes (validated first). */
export const encodeImageLabels = codecs.ImageLabels.encode;
/** `codecs.ImageLabels.decode`: a `ImageLabels` from the JSON text pyspacer writes (validated, normalised). */
export const decodeImageLabels = codecs.ImageLabels.decode;
/** `codecs.TrainingTaskLabels.encode`: a `TrainingTaskLabels` as the JSON text pyspacer writes (validated first). */
export const encodeTrainingTaskLabels = codecs.TrainingTaskLabels.encode;
/** `codecs.TrainingTaskLabels.decode`: a `TrainingTaskLabels` from the JSON text pyspacer writes (validated, normalised). */
export const decodeTrainingTaskLabels = codecs.TrainingTaskLabels.decode;
/** `codecs.ValResults.encode`: a `ValResults` as the JSON text pyspacer writes (validated first). */
export const encodeValResults = codecs.ValResults.encode;
/** `codecs.ValResults.decode`: a `ValResults` from the JSON text pyspacer writes (validated, normalised). */
export const decodeValResults = codecs.ValResults.decode;
/** `codecs.ExtractFeaturesMsg.encode`: a `ExtractFeaturesMsg` as the JSON text pyspacer writes (validated first). */
export const encodeExtractFeaturesMsg = codecs.ExtractFeaturesMsg.encode;
/** `codecs.ExtractFeaturesMsg.decode`: a `ExtractFeaturesMsg` from the JSON text pyspacer writes (validated, normalised). */
export const decodeExtractFeaturesMsg = codecs.ExtractFeaturesMsg.decode;
/** `codecs.ExtractFeaturesReturnMsg.encode`: a `ExtractFeaturesReturnMsg` as the JSON text pyspacer writes (validated first). */
export const encodeExtractFeaturesReturnMsg = codecs.ExtractFeaturesReturnMsg.encode;
/** `codecs.ExtractFeaturesReturnMsg.decode`: a `ExtractFeaturesReturnMsg` from the JSON text pyspacer writes (validated, normalised). */
export const decodeExtractFeaturesReturnMsg = codecs.ExtractFeaturesReturnMsg.decode;
/** `codecs.TrainClassifierMsg.encode`: a `TrainClassifierMsg` as the JSON text pyspacer writes (validated first). */
export const encodeTrainClassifierMsg = codecs.TrainClassifierMsg.encode;
/** `codecs.TrainClassifierMsg.decode`: a `TrainClassifierMsg` from the JSON text pyspacer writes (validated, normalised). */
export const decodeTrainClassifierMsg = codecs.TrainClassifierMsg.decode;
/** `codecs.TrainClassifierReturnMsg.encode`: a `TrainClassifierReturnMsg` as the JSON text pyspacer writes (validated first). */
export const encodeTrainClassifierReturnMsg = codecs.TrainClassifierReturnMsg.encode;
/** `codecs.TrainClassifierReturnMsg.decode`: a `TrainClassifierReturnMsg` from the JSON text pyspacer writes (validated, normalised). */
export const decodeTrainClassifierReturnMsg = codecs.TrainClassifierReturnMsg.decode;
/** `codecs.ClassifyFeaturesMsg.encode`: a `ClassifyFeaturesMsg` as the JSON text pyspacer writes (validated first). */
export const encodeClassifyFeaturesMsg = codecs.ClassifyFeaturesMsg.encode;
/** `codecs.ClassifyFeaturesMsg.decode`: a `ClassifyFeaturesMsg` from the JSON text pyspacer writes (validated, normalised). */
export const decodeClassifyFeaturesMsg = codecs.ClassifyFeaturesMsg.decode;
/** `codecs.ClassifyImageMsg.encode`: a `ClassifyImageMsg` as the JSON text pyspacer writes (validated first). */
export const encodeClassifyImageMsg = codecs.ClassifyImageMsg.encode;
/** `codecs.ClassifyImageMsg.decode`: a `ClassifyImageMsg` from the JSON text pyspacer writes (validated, normalised). */
export const decodeClassifyImageMsg = codecs.ClassifyImageMsg.decode;
/** `codecs.ClassifyReturnMsg.encode`: a `ClassifyReturnMsg` as the JSON text pyspacer writes (validated first). */
export const encodeClassifyReturnMsg = codecs.ClassifyReturnMsg.encode;
/** `codecs.ClassifyReturnMsg.decode`: a `ClassifyReturnMsg` from the JSON text pyspacer writes (validated, normalised). */
export const decodeClassifyReturnMsg = codecs.ClassifyReturnMsg.decode;
/** `codecs.JobMsg.encode`: a `JobMsg` as the JSON text pyspacer writes (validated first). */
export const encodeJobMsg = codecs.JobMsg.encode;
/** `codecs.JobMsg.decode`: a `JobMsg` from the JSON text pyspacer writes (validated, normalised). */
export const decodeJobMsg = codecs.JobMsg.decode;
/** `codecs.JobReturnMsg.encode`: a `JobReturnMsg` as the JSON text pyspacer writes (validated first). */
export const encodeJobReturnMsg = codecs.JobReturnMsg.encode;
/** `codecs.JobReturnMsg.decode`: a `JobReturnMsg` from the JSON text pyspacer writes (validated, normalised). */
export const decodeJobReturnMsg = codecs.JobReturnMsg.decode;
