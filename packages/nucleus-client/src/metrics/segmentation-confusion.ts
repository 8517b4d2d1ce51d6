import { MetricValueError } from './errors.js';
import { linearSumAssignment } from './linear-sum-assignment.js';
import type { Segment } from './types.js';

/** Label of the extra class holding suppressed (non-max) pixels. */
export const FALSE_POSITIVES = '__non_max_false_positive';

/** A square integer matrix, row-major. */
export interface Square {
  n: number;
  m: Float64Array;
}

const square = (n: number): Square => ({ n, m: new Float64Array(n * n) });
const at = (s: Square, i: number, j: number) => s.m[i * s.n + j]!;

/** `fast_confusion_matrix`: rows ground-truth value, columns predicted value, pixels with gt outside [0, n) skipped. */
export function fastConfusionMatrix(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  n: number,
): Square {
  if (truth.length !== predicted.length) {
    throw new MetricValueError(
      `mask sizes differ: annotation ${truth.length} pixels, prediction ${predicted.length}`,
    );
  }
  const c = square(n);
  for (let k = 0; k < truth.length; k++) {
    const t = Math.trunc(truth[k]!);
    if (!(t >= 0 && t < n)) continue;
    const p = Math.trunc(predicted[k]!);
    if (!(p >= 0 && p < n)) {
      throw new MetricValueError(
        `prediction mask value ${p} at pixel ${k} is not a segment index below ${n}`,
      );
    }
    c.m[t * n + p]! += 1;
  }
  return c;
}

/** `max_iou_match_from_confusion`: pixel IoU of every (gt, pred) index pair and its Hungarian maximum. */
export function maxIouMatchFromConfusion(c: Square) {
  const { n } = c;
  const rowSum = new Float64Array(n);
  const colSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      rowSum[i]! += at(c, i, j);
      colSum[j]! += at(c, i, j);
    }
  }
  const iou = square(n);
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const union = rowSum[i]! + colSum[j]! - at(c, i, j);
      const v = union > 0 ? at(c, i, j) / union : 0;
      iou.m[i * n + j] = v;
      cost[i * n + j] = -v;
    }
  }
  return { iou, ...linearSumAssignment(cost, n, n) };
}

/**
 * `non_max_suppress_confusion`: keep the Hungarian pixel-IoU match of each class; diagonal cells under the
 * threshold and leftover diagonal pixels go to an extra last column (false positives); other off-diagonal
 * pixels stay where they were. The result is (n+1) x (n+1) and holds every pixel.
 */
export function nonMaxSuppressConfusion(input: Square, iouThreshold: number): Square {
  const { n } = input;
  const c: Square = { n, m: Float64Array.from(input.m) };
  const { iou, rows, cols } = maxIouMatchFromConfusion(c);
  const out = square(n + 1);
  const last = n;
  for (let i = 0; i < n; i++) {
    if (!(at(iou, i, i) >= iouThreshold)) {
      out.m[i * (n + 1) + last] = at(c, i, i);
      c.m[i * n + i] = 0;
    }
  }
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const col = cols[k]!;
    out.m[r * (n + 1) + col] = at(c, r, col);
    c.m[r * n + col] = 0;
  }
  for (let i = 0; i < n; i++) {
    out.m[i * (n + 1) + last]! += at(c, i, i);
    c.m[i * n + i] = 0;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (at(c, i, j) > 0) out.m[i * (n + 1) + j] = at(c, i, j);
  }
  return out;
}

function labelIndexes(segments: readonly Segment[]): Map<string, number[]> {
  const byLabel = new Map<string, number[]>();
  for (const s of segments) {
    const list = byLabel.get(s.label);
    if (list) {
      if (!list.includes(s.index)) list.push(s.index);
    } else byLabel.set(s.label, [s.index]);
  }
  for (const list of byLabel.values()) list.sort((a, b) => a - b);
  return byLabel;
}

/**
 * `convert_to_instance_seg_confusion`: regroup an instance-level confusion (indexes) into a class-level one
 * (labels). Class order: prediction labels, then ground-truth labels, the false-positive label last.
 */
export function convertToInstanceSegConfusion(
  c: Square,
  annotationSegments: readonly Segment[],
  predictionSegments: readonly Segment[],
): { confusion: Square; labels: string[]; nonTaxonomy: Set<number> } {
  const predIndexToLabel = new Map(predictionSegments.map((s) => [s.index, s.label]));
  const gtIndexes = labelIndexes(annotationSegments);
  const prIndexes = labelIndexes(predictionSegments);
  const prLabels = [...prIndexes.keys()];
  const gtLabels = [...gtIndexes.keys()];
  const labels = [...new Set([...prLabels.slice(0, -1), ...gtLabels.slice(0, -1)])];
  labels.push(prLabels[prLabels.length - 1]!);
  const k = labels.length;
  const nonTaxonomy = new Set([k - 1]);
  const out = square(k);
  const rowOf = (g: number) => Array.from({ length: c.n }, (_, j) => at(c, g, j));
  const sumAt = (row: number[], indexes: Iterable<number>) => {
    let s = 0;
    for (const i of indexes) s += row[i]!;
    return s;
  };
  labels.forEach((fromLabel, gtClass) => {
    let tp = 0;
    let fp = 0;
    let fromIndexes = gtIndexes.get(fromLabel) ?? [];
    if (fromIndexes.length === 0) {
      nonTaxonomy.add(gtClass);
      fromIndexes = prIndexes.get(fromLabel) ?? [];
    }
    for (const g of fromIndexes) {
      const row = rowOf(g);
      let maxCol = 0;
      for (let j = 1; j < row.length; j++) if (row[j]! > row[maxCol]!) maxCol = j;
      if (row[maxCol] === 0) continue;
      labels.forEach((toLabel, predClass) => {
        const toIndexes = prIndexes.get(toLabel) ?? [];
        if (fromLabel === toLabel) {
          let fpIndexes = toIndexes;
          if (predIndexToLabel.get(maxCol) === fromLabel) {
            tp += row[maxCol]!;
            fpIndexes = toIndexes.filter((i) => i !== maxCol);
          }
          fp += sumAt(row, fpIndexes) + row[row.length - 1]!;
        } else {
          out.m[gtClass * k + predClass]! += sumAt(row, toIndexes);
        }
      });
    }
    out.m[gtClass * k + gtClass] = tp;
    out.m[gtClass * k + k - 1] = fp;
  });
  return { confusion: out, labels, nonTaxonomy };
}
