import { MetricValueError } from './errors.js';

/** sklearn's `f1_score` averages (`average=`). */
export const F1_METHODS = ['micro', 'macro', 'samples', 'weighted', 'binary'] as const;
/** One of sklearn's `f1_score` averages. */
export type F1Method = (typeof F1_METHODS)[number];

/** Counts per (true label, predicted label): all sklearn's f1_score needs, kept small for streaming. */
export class LabelConfusion {
  readonly counts = new Map<string, Map<string, number>>();
  samples = 0;

  /** Count `n` samples whose true label is `truth` and predicted label `predicted`. */
  add(truth: string, predicted: string, n = 1): void {
    let row = this.counts.get(truth);
    if (!row) {
      row = new Map();
      this.counts.set(truth, row);
    }
    row.set(predicted, (row.get(predicted) ?? 0) + n);
    this.samples += n;
  }

  /** Pair two equally long label lists, as `f1_score(y_true, y_pred)` requires. */
  static fromLists(truth: readonly string[], predicted: readonly string[]): LabelConfusion {
    if (truth.length !== predicted.length) {
      throw new MetricValueError(
        `Found input variables with inconsistent numbers of samples: [${truth.length}, ${predicted.length}]`,
      );
    }
    const c = new LabelConfusion();
    truth.forEach((t, i) => {
      c.add(t, predicted[i]!);
    });
    return c;
  }
}

/**
 * `sklearn.metrics.f1_score(y_true, y_pred, average=...)` for string labels with the default `zero_division`
 * (ill-defined scores count as 0): labels are the sorted union of both sides; `binary` needs the positive label
 * 1 (so string labels raise, as in sklearn) and `samples` is refused outside multilabel data. No samples at all
 * gives NaN (what sklearn 1.2 returns after its warning).
 */
export function f1Score(confusion: LabelConfusion, average: F1Method): number {
  const labels = new Set<string>();
  const tp = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const trueCount = new Map<string, number>();
  for (const [t, row] of confusion.counts) {
    for (const [p, n] of row) {
      labels.add(t).add(p);
      trueCount.set(t, (trueCount.get(t) ?? 0) + n);
      predictedCount.set(p, (predictedCount.get(p) ?? 0) + n);
      if (t === p) tp.set(t, (tp.get(t) ?? 0) + n);
    }
  }
  const sorted = [...labels].sort();
  if (average === 'samples') {
    throw new MetricValueError('Samplewise metrics are not available outside of multilabel classification.');
  }
  if (average === 'binary') {
    if (sorted.length > 2) {
      throw new MetricValueError(
        "Target is multiclass but average='binary'. Please choose another average setting, one of [None, 'micro', 'macro', 'weighted'].",
      );
    }
    if (sorted.length === 2) {
      throw new MetricValueError(
        `pos_label=1 is not a valid label. It should be one of [${sorted.map((l) => `'${l}'`).join(', ')}]`,
      );
    }
    // One string label (or none): the positive label 1 never occurs, so the score is ill-defined → 0.
    return confusion.samples === 0 ? Number.NaN : 0;
  }
  if (confusion.samples === 0) return Number.NaN;
  const f = (l: string) => {
    const t = tp.get(l) ?? 0;
    const denominator = 2 * t + ((predictedCount.get(l) ?? 0) - t) + ((trueCount.get(l) ?? 0) - t);
    return denominator === 0 ? 0 : (2 * t) / denominator;
  };
  if (average === 'micro') {
    let t = 0;
    let p = 0;
    let s = 0;
    for (const l of sorted) {
      t += tp.get(l) ?? 0;
      p += predictedCount.get(l) ?? 0;
      s += trueCount.get(l) ?? 0;
    }
    const denominator = 2 * t + (p - t) + (s - t);
    return denominator === 0 ? 0 : (2 * t) / denominator;
  }
  if (average === 'macro') {
    let sum = 0;
    for (const l of sorted) sum += f(l);
    return sum / sorted.length;
  }
  // weighted by support (true count)
  let sum = 0;
  let support = 0;
  for (const l of sorted) {
    const s = trueCount.get(l) ?? 0;
    sum += f(l) * s;
    support += s;
  }
  return support === 0 ? 0 : sum / support;
}
