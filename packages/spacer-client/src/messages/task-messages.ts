/** The four task messages of pyspacer 0.14 (spacer/messages.py). Unknown keys are ignored, as spacer's deserializers do. */
import { z } from 'zod';
import { DataLocationSchema, isWritable } from './data-location.js';
import { ExtractorSpecSchema } from './extractor-spec.js';
import { TrainingTaskLabelsSchema } from './image-labels.js';
import { RowColSchema } from './label-id.js';
import { TrainerSpecSchema } from './trainer-spec.js';

/** zod schema of pyspacer's `ExtractFeaturesMsg`: applies the asserts of its Python constructor; each error names its field. */
export const ExtractFeaturesMsgSchema = z
  .object({
    job_token: z.string(),
    extractor: ExtractorSpecSchema,
    rowcols: z.array(RowColSchema).min(1, 'Invalid message, rowcols entry is empty.'),
    image_loc: DataLocationSchema,
    feature_loc: DataLocationSchema,
  })
  .superRefine((msg, ctx) => {
    if (!isWritable(msg.feature_loc)) {
      ctx.addIssue({
        code: 'custom',
        path: ['feature_loc', 'storage_type'],
        message: `Write not supported for '${msg.feature_loc.storage_type}' storage type.`,
      });
    }
  });
/** `ExtractFeaturesMsg`: the type of what `ExtractFeaturesMsgSchema` outputs (wire names kept, as pyspacer writes them). */
export type ExtractFeaturesMsg = z.output<typeof ExtractFeaturesMsgSchema>;

/** `config.CLASSIFIER_TYPES` */
export const CLASSIFIER_TYPES = ['LR', 'MLP'] as const;

/** `feature_cache_dir`'s default, `'auto'`: spacer decides where features are cached. */
export const FEATURE_CACHE_AUTO = 'auto';
/** `feature_cache_dir` value: no feature cache. */
export const FEATURE_CACHE_DISABLED = 'disabled';

/** zod schema of pyspacer's `TrainClassifierMsg`: applies the asserts of its Python constructor; each error names its field. */
export const TrainClassifierMsgSchema = z.preprocess(
  (value) => {
    // 0.13 and older name the trainer with `trainer_name`; Python's deserializer still reads it (and prefers it).
    if (value && typeof value === 'object' && 'trainer_name' in value) {
      const { trainer_name, ...rest } = value as Record<string, unknown>;
      return { ...rest, trainer: trainer_name };
    }
    return value;
  },
  z.object({
    job_token: z.string(),
    trainer: TrainerSpecSchema,
    nbr_epochs: z.int().nonnegative(),
    clf_type: z.enum(CLASSIFIER_TYPES, { error: `clf_type must be one of ${CLASSIFIER_TYPES.join(', ')}` }),
    labels: TrainingTaskLabelsSchema,
    previous_model_locs: z.array(DataLocationSchema),
    model_loc: DataLocationSchema,
    valresult_loc: DataLocationSchema,
    /** 'auto' (an OS temporary directory), 'disabled', or a directory path. */
    feature_cache_dir: z.string().default(FEATURE_CACHE_AUTO),
  }),
);
/** `TrainClassifierMsg`: the type of what `TrainClassifierMsgSchema` outputs (wire names kept, as pyspacer writes them). */
export type TrainClassifierMsg = z.output<typeof TrainClassifierMsgSchema>;

/** zod schema of pyspacer's `ClassifyFeaturesMsg`: applies the asserts of its Python constructor; each error names its field. */
export const ClassifyFeaturesMsgSchema = z.object({
  job_token: z.string(),
  feature_loc: DataLocationSchema,
  classifier_loc: DataLocationSchema,
});
/** `ClassifyFeaturesMsg`: the type of what `ClassifyFeaturesMsgSchema` outputs (wire names kept, as pyspacer writes them). */
export type ClassifyFeaturesMsg = z.output<typeof ClassifyFeaturesMsgSchema>;

/** Unlike ExtractFeaturesMsg, spacer asserts nothing about these rowcols. */
export const ClassifyImageMsgSchema = z.object({
  job_token: z.string(),
  extractor: ExtractorSpecSchema,
  rowcols: z.array(RowColSchema),
  image_loc: DataLocationSchema,
  classifier_loc: DataLocationSchema,
});
/** `ClassifyImageMsg`: the type of what `ClassifyImageMsgSchema` outputs (wire names kept, as pyspacer writes them). */
export type ClassifyImageMsg = z.output<typeof ClassifyImageMsgSchema>;
