import { MetricTypeError } from './errors.js';

/**
 * Upstream `confidence_filter`: keep predictions with `confidence >= threshold`. A prediction without a
 * confidence cannot be compared (Python raises TypeError), so this names it.
 */
export function confidenceFilter<T extends { confidence?: number | null }>(
  predictions: T[],
  threshold: number,
): T[] {
  return predictions.filter((p, i) => {
    if (typeof p.confidence !== 'number') {
      throw new MetricTypeError(
        `predictions[${i}].confidence: expected a number to compare with confidenceThreshold ${threshold}, got ${p.confidence === undefined ? 'nothing' : JSON.stringify(p.confidence)}`,
      );
    }
    return p.confidence >= threshold;
  });
}

/** Upstream asserts `0 <= threshold <= 1`. */
export function checkUnitInterval(name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new RangeError(`${name}: must be between 0 and 1, got ${String(value)}`);
  }
  return value;
}
