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

export type MessageType = keyof typeof codecs;

export const encodeDataLocation = codecs.DataLocation.encode;
export const decodeDataLocation = codecs.DataLocation.decode;
export const encodeImageLabels = codecs.ImageLabels.encode;
export const decodeImageLabels = codecs.ImageLabels.decode;
export const encodeTrainingTaskLabels = codecs.TrainingTaskLabels.encode;
export const decodeTrainingTaskLabels = codecs.TrainingTaskLabels.decode;
export const encodeValResults = codecs.ValResults.encode;
export const decodeValResults = codecs.ValResults.decode;
export const encodeExtractFeaturesMsg = codecs.ExtractFeaturesMsg.encode;
export const decodeExtractFeaturesMsg = codecs.ExtractFeaturesMsg.decode;
export const encodeExtractFeaturesReturnMsg = codecs.ExtractFeaturesReturnMsg.encode;
export const decodeExtractFeaturesReturnMsg = codecs.ExtractFeaturesReturnMsg.decode;
export const encodeTrainClassifierMsg = codecs.TrainClassifierMsg.encode;
export const decodeTrainClassifierMsg = codecs.TrainClassifierMsg.decode;
export const encodeTrainClassifierReturnMsg = codecs.TrainClassifierReturnMsg.encode;
export const decodeTrainClassifierReturnMsg = codecs.TrainClassifierReturnMsg.decode;
export const encodeClassifyFeaturesMsg = codecs.ClassifyFeaturesMsg.encode;
export const decodeClassifyFeaturesMsg = codecs.ClassifyFeaturesMsg.decode;
export const encodeClassifyImageMsg = codecs.ClassifyImageMsg.encode;
export const decodeClassifyImageMsg = codecs.ClassifyImageMsg.decode;
export const encodeClassifyReturnMsg = codecs.ClassifyReturnMsg.encode;
export const decodeClassifyReturnMsg = codecs.ClassifyReturnMsg.decode;
export const encodeJobMsg = codecs.JobMsg.encode;
export const decodeJobMsg = codecs.JobMsg.decode;
export const encodeJobReturnMsg = codecs.JobReturnMsg.encode;
export const decodeJobReturnMsg = codecs.JobReturnMsg.decode;
