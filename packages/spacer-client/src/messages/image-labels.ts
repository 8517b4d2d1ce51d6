/**
 * `ImageLabels` (spacer/data_classes.py): annotations `(row, col, label)` per feature file. Since 0.13 the wire form
 * is a flat object whose keys are `json.dumps` strings of DataLocations; Python parses each key with `json.loads`,
 * so any spelling of the object is read, and two keys naming the same location become one entry (dict semantics:
 * first position, last value). In TypeScript the labels are a list of `{ loc, annotations }` entries; both forms are
 * accepted by the schema.
 */
import { parseJson, toPlainJson } from '@mlclients/package-core/json';
import { z } from 'zod';
import { type DataLocation, DataLocationSchema, locationId } from './data-location.js';
import { type LabelId, LabelIdSchema } from './label-id.js';

/** zod schema of pyspacer's `Annotation`: applies the asserts of its Python constructor; each error names its field. */
export const AnnotationSchema = z.tuple([z.int(), z.int(), LabelIdSchema], {
  error: 'expected a [row, col, label] annotation',
});
/** `Annotation`: the type of what `AnnotationSchema` outputs (wire names kept, as pyspacer writes them). */
export type Annotation = z.output<typeof AnnotationSchema>;

/** zod schema of one entry of `ImageLabels`: a feature file's location and its `(row, col, label)` annotations. */
export const ImageLabelsEntrySchema = z.strictObject({
  loc: DataLocationSchema,
  annotations: z.array(AnnotationSchema),
});
/** `ImageLabelsEntry`: the type of what `ImageLabelsEntrySchema` outputs (wire names kept, as pyspacer writes them). */
export type ImageLabelsEntry = z.output<typeof ImageLabelsEntrySchema>;

/** Wire form (an object keyed by serialized DataLocations) to entries; issues name the offending key. */
function fromWire(value: Record<string, unknown>, ctx: z.RefinementCtx): unknown[] {
  const entries: { loc: unknown; annotations: unknown }[] = [];
  for (const [key, annotations] of Object.entries(value)) {
    let loc: unknown;
    try {
      loc = toPlainJson(parseJson(key));
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        input: key,
        message: `key is not a JSON DataLocation (ImageLabels keys are serialized DataLocations since pyspacer 0.13): ${(error as Error).message}`,
      });
      continue;
    }
    entries.push({ loc, annotations });
  }
  return entries;
}

/** Entries with the same location merge as Python dict keys do: first position, last value. */
function mergeSameLocations(entries: ImageLabelsEntry[]): ImageLabelsEntry[] {
  const byId = new Map<string, ImageLabelsEntry>();
  for (const entry of entries) {
    const id = locationId(entry.loc);
    const existing = byId.get(id);
    if (existing) existing.annotations = entry.annotations;
    else byId.set(id, { loc: entry.loc, annotations: entry.annotations });
  }
  return [...byId.values()];
}

/** zod schema of pyspacer's `ImageLabels`: applies the asserts of its Python constructor; each error names its field. */
export const ImageLabelsSchema = z
  .preprocess(
    (value, ctx) =>
      value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Map)
        ? fromWire(value as Record<string, unknown>, ctx)
        : value,
    z.array(ImageLabelsEntrySchema),
  )
  .transform(mergeSameLocations);

/** `ImageLabels`: the type of what `ImageLabelsSchema` outputs (wire names kept, as pyspacer writes them). */
export type ImageLabels = z.output<typeof ImageLabelsSchema>;
/** Entries, or the wire object keyed by serialized DataLocations. */
export type ImageLabelsInput = z.input<typeof ImageLabelsEntrySchema>[] | Record<string, unknown>;

/** `TrainingTaskLabels` (0.7.0+): train is learnt from, ref gives per-epoch accuracy and calibration, val scores. */
export const TrainingTaskLabelsSchema = z.object({
  train: ImageLabelsSchema,
  ref: ImageLabelsSchema,
  val: ImageLabelsSchema,
});
/** `TrainingTaskLabels`: the type of what `TrainingTaskLabelsSchema` outputs (wire names kept, as pyspacer writes them). */
export type TrainingTaskLabels = z.output<typeof TrainingTaskLabelsSchema>;

/** Number of annotations (`label_count`). */
export function labelCount(labels: ImageLabels): number {
  return labels.reduce((sum, entry) => sum + entry.annotations.length, 0);
}

/** The annotations of one feature file, or undefined. */
export function annotationsAt(labels: ImageLabels, loc: DataLocation): Annotation[] | undefined {
  const id = locationId(loc);
  return labels.find((entry) => locationId(entry.loc) === id)?.annotations;
}

/** Distinct labels, in first-seen order. */
export function classesOf(labels: ImageLabels): LabelId[] {
  const seen = new Map<string, LabelId>();
  for (const { annotations } of labels) {
    for (const [, , label] of annotations) seen.set(`${typeof label}:${String(label)}`, label);
  }
  return [...seen.values()];
}
