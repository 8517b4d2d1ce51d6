/**
 * Task results. The two built with spacer's default `cls(**data)` reject unknown keys (Python's TypeError);
 * ClassifyReturnMsg has its own deserializer, which ignores them.
 */
import { z } from 'zod';
import { LabelIdSchema } from './label-id.js';

/** zod schema of pyspacer's `ExtractFeaturesReturnMsg`: applies the asserts of its Python constructor; each error names its field. */
export const ExtractFeaturesReturnMsgSchema = z.strictObject({
  extractor_loaded_remotely: z.boolean(),
  runtime: z.number(),
});
/** `ExtractFeaturesReturnMsg`: the type of what `ExtractFeaturesReturnMsgSchema` outputs (wire names kept, as pyspacer writes them). */
export type ExtractFeaturesReturnMsg = z.output<typeof ExtractFeaturesReturnMsgSchema>;

/** zod schema of pyspacer's `TrainClassifierReturnMsg`: applies the asserts of its Python constructor; each error names its field. */
export const TrainClassifierReturnMsgSchema = z.strictObject({
  /** Accuracy of the new classifier on the val set. */
  acc: z.number(),
  /** Accuracy of each previous classifier on the val set. */
  pc_accs: z.array(z.number()),
  /** Accuracy on the ref set after each epoch. */
  ref_accs: z.array(z.number()),
  runtime: z.number(),
});
/** `TrainClassifierReturnMsg`: the type of what `TrainClassifierReturnMsgSchema` outputs (wire names kept, as pyspacer writes them). */
export type TrainClassifierReturnMsg = z.output<typeof TrainClassifierReturnMsgSchema>;

/** `(row, col, scores)`: row and col are null for legacy features without positions (`valid_rowcol: false`). */
export const PointScoresSchema = z.tuple([z.int().nullable(), z.int().nullable(), z.array(z.number())], {
  error: 'expected a [row, col, scores[]] triple',
});
/** `PointScores`: the type of what `PointScoresSchema` outputs (wire names kept, as pyspacer writes them). */
export type PointScores = z.output<typeof PointScoresSchema>;

/** zod schema of pyspacer's `ClassifyReturnMsg`: applies the asserts of its Python constructor; each error names its field. */
export const ClassifyReturnMsgSchema = z.object({
  runtime: z.number(),
  /** One posterior vector per point, ordered like `classes`. */
  scores: z.array(PointScoresSchema),
  /** The classifier's classes (sklearn `classes_`, sorted). */
  classes: z.array(LabelIdSchema),
  valid_rowcol: z.boolean(),
});
/** `ClassifyReturnMsg`: the type of what `ClassifyReturnMsgSchema` outputs (wire names kept, as pyspacer writes them). */
export type ClassifyReturnMsg = z.output<typeof ClassifyReturnMsgSchema>;
