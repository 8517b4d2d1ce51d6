/**
 * Label ids (`LabelId = int | str` in spacer): CoralNet uses integer label ids, which may exceed 2^53 and are then
 * held as `bigint` so they survive a round trip exactly. Integers within the safe range are plain numbers.
 */
import { z } from 'zod';

/** zod schema of pyspacer's `LabelId`: applies the asserts of its Python constructor; each error names its field. */
export const LabelIdSchema = z.union([z.int(), z.bigint(), z.string()], {
  error: 'expected an integer (number or bigint) or a string label id',
});
/** `LabelId`: the type of what `LabelIdSchema` outputs (wire names kept, as pyspacer writes them). */
export type LabelId = z.output<typeof LabelIdSchema>;

/**
 * A pixel position: 0-based (row, col), row = y. Only the type is checked here: whether it lies inside the image is
 * the worker's check (`RowColumnInvalidError`), as in spacer, because it depends on the image.
 */
export const RowColSchema = z.tuple([z.int(), z.int()], {
  error: 'expected a [row, col] pair of integers',
});
/** `RowCol`: the type of what `RowColSchema` outputs (wire names kept, as pyspacer writes them). */
export type RowCol = z.output<typeof RowColSchema>;

/** The same id in one spelling, for comparisons and Map keys (a bigint in the safe range becomes a number). */
export function normalizeLabelId(label: LabelId): LabelId {
  if (
    typeof label === 'bigint' &&
    label <= BigInt(Number.MAX_SAFE_INTEGER) &&
    label >= BigInt(Number.MIN_SAFE_INTEGER)
  ) {
    return Number(label);
  }
  return label;
}

/** A Map key that keeps 1 (int) and '1' (str) apart, as Python does. */
export function labelKey(label: LabelId): string {
  const l = normalizeLabelId(label);
  return typeof l === 'string' ? `s:${l}` : `i:${l.toString()}`;
}
