/**
 * What a UI shows about a trained classifier, from its ValResults (`gt`/`est` are indices into `classes`):
 * accuracy, the confusion matrix and per-class counts.
 */
import type { LabelId } from '../messages/label-id.js';
import type { ValResults } from '../messages/val-results.js';

/** spacer's `calc_acc`: the share of equal pairs; ValueError (here RangeError) for empty or unequal inputs. */
export function calcAcc<T>(gt: readonly T[], est: readonly T[]): number {
  if (gt.length === 0 || est.length === 0) throw new RangeError('Inputs can not be empty');
  if (gt.length !== est.length) throw new RangeError('Input gt and est must have the same length');
  let equal = 0;
  for (let i = 0; i < gt.length; i++) if (gt[i] === est[i]) equal++;
  return equal / gt.length;
}

/** Accuracy of the new classifier on the val set (what TrainClassifierReturnMsg.acc reports). */
export function accuracy(v: ValResults): number {
  return calcAcc(v.gt, v.est);
}

/** Val points counted by true class (rows) and estimated class (columns). */
export interface ConfusionMatrix {
  classes: LabelId[];
  /** `counts[g][e]`: val points of class `classes[g]` estimated as `classes[e]`. */
  counts: number[][];
}

/** The confusion matrix of a classifier's validation results. */
export function confusionMatrix(v: ValResults): ConfusionMatrix {
  const n = v.classes.length;
  const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  v.gt.forEach((g, i) => {
    const row = counts[g] as number[];
    const e = v.est[i] as number;
    row[e] = (row[e] as number) + 1;
  });
  return { classes: [...v.classes], counts };
}

/** One class's validation counts, recall and precision. */
export interface ClassCounts {
  label: LabelId;
  /** Val points of this class. */
  gt: number;
  /** Val points estimated as this class. */
  est: number;
  /** Val points of this class estimated right. */
  correct: number;
  /** correct / gt (recall), null without points of the class. */
  recall: number | null;
  /** correct / est, null when never estimated. */
  precision: number | null;
}

/** Counts, recall and precision of each class, in `classes` order. */
export function perClassCounts(v: ValResults): ClassCounts[] {
  const { counts } = confusionMatrix(v);
  return v.classes.map((label, c) => {
    const gt = (counts[c] as number[]).reduce((a, b) => a + b, 0);
    const est = counts.reduce((sum, row) => sum + (row[c] as number), 0);
    const correct = (counts[c] as number[])[c] as number;
    return {
      label,
      gt,
      est,
      correct,
      recall: gt ? correct / gt : null,
      precision: est ? correct / est : null,
    };
  });
}

/** Accuracy counting only val points whose top score is at least `threshold` (CoralNet's confidence filter). */
export function accuracyAtThreshold(
  v: ValResults,
  threshold: number,
): { accuracy: number | null; kept: number } {
  let kept = 0;
  let equal = 0;
  v.scores.forEach((score, i) => {
    if (score < threshold) return;
    kept++;
    if (v.gt[i] === v.est[i]) equal++;
  });
  return { accuracy: kept ? equal / kept : null, kept };
}
