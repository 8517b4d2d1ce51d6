/**
 * Task results. The two built with spacer's default `cls(**data)` reject unknown keys (Python's TypeError);
 * ClassifyReturnMsg has its own deserializer, which ignores them.
 */
import { z } from 'zod';
import { LabelIdSchema } from './label-id.js';

export const ExtractFeaturesReturnMsgSchema = z.strictObject({
  extractor_loaded_remotely: z.boolean(),
  runtime: z.number(),
});
export type ExtractFeaturesReturnMsg = z.output<typeof ExtractFeaturesReturnMsgSchema>;

export const TrainClassifierReturnMsgSchema = z.strictObject({
  /** Accuracy of the new classifier on the val set. */
  acc: z.number(),
  /** Accuracy of each previous classifier on the val set. */
  pc_accs: z.array(z.number()),
  /** Accuracy on the ref set after each epoch. */
  ref_accs: z.array(z.number()),
  runtime: z.number(),
});
export type TrainClassifierReturnMsg = z.output<typeof TrainClassifierReturnMsgSchema>;

/** `(row, col, scores)`: row and col are null for legacy features without positions (`valid_rowcol: false`). */
export const PointScoresSchema = z.tuple([z.int().nullable(), z.int().nullable(), z.array(z.number())], {
  error: 'expected a [row, col, scores[]] triple',
});
export type PointScores = z.output<typeof PointScoresSchema>;

export const ClassifyReturnMsgSchema = z.object({
  runtime: z.number(),
  /** One posterior vector per point, ordered like `classes`. */
  scores: z.array(PointScoresSchema),
  /** The classifier's classes (sklearn `classes_`, sorted). */
  classes: z.array(LabelIdSchema),
  valid_rowcol: z.boolean(),
});
export type ClassifyReturnMsg = z.output<typeof ClassifyReturnMsgSchema>;
