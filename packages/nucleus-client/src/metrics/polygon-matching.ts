import { type Shape, shapeIou, toShape } from './geometry.js';
import { linearSumAssignment } from './linear-sum-assignment.js';
import type { QuirksMode } from './quirks.js';
import type { BoxOrPolygon } from './types.js';

/** Where a metric sends a warning it would log (upstream's `logging.warning`), e.g. `console.warn`. */
export type WarningSink = (message: string) => void;

/** What matching one reference id gives (upstream `_iou_assignments_for_same_reference_id`). */
export interface SameReferenceAssignments {
  /** IoU of each kept (prediction, annotation) pair. */
  ious: number[];
  /** Per prediction (input order): whether it was matched. */
  predictionMatched: boolean[];
}

export function groupBy<T>(items: Iterable<T>, key: (item: T) => string, into = new Map<string, T[]>()) {
  for (const item of items) {
    const k = key(item);
    const bucket = into.get(k);
    if (bucket) bucket.push(item);
    else into.set(k, [item]);
  }
  return into;
}

/** Annotations and predictions grouped by a key, annotation keys first (the union of both sides' keys). */
export function groupPairs<A, P>(
  annotations: readonly A[],
  predictions: readonly P[],
  key: (item: A | P) => string,
): Map<string, [A[], P[]]> {
  const grouped = new Map<string, [A[], P[]]>();
  const bucket = (k: string) => {
    const found = grouped.get(k);
    if (found) return found;
    const created: [A[], P[]] = [[], []];
    grouped.set(k, created);
    return created;
  };
  for (const a of annotations) bucket(key(a))[0].push(a);
  for (const p of predictions) bucket(key(p))[1].push(p);
  return grouped;
}

/**
 * Match predictions to annotations of one reference id: IoU matrix (predictions x annotations), entries below
 * the threshold zeroed, scipy-equivalent Hungarian assignment maximising IoU, pairs with IoU >= threshold kept.
 * Invalid shapes are dropped (with a warning) but still counted by the callers' weights, as upstream does.
 * With `quirks: 'fixed'` a pair must also overlap (IoU > 0) to count, so threshold 0 does not match disjoint shapes.
 */
export function assignSameReference(
  annotations: readonly BoxOrPolygon[],
  predictions: readonly BoxOrPolygon[],
  iouThreshold: number,
  quirks: QuirksMode,
  warn: WarningSink,
): SameReferenceAssignments {
  const annShapes = annotations.map((a) => toShape(a, quirks));
  const predShapes = predictions.map((p) => toShape(p, quirks));
  let validAnns: Shape[] = annShapes;
  let validPreds: Shape[] = predShapes;
  const invalidAnns = annotations.filter((_, i) => !annShapes[i]!.valid);
  const invalidPreds = predictions.filter((_, i) => !predShapes[i]!.valid);
  if (invalidAnns.length > 0 || invalidPreds.length > 0) {
    validAnns = annShapes.filter((s) => s.valid);
    validPreds = predShapes.filter((s) => s.valid);
    const refs = new Set([...invalidAnns, ...invalidPreds].map((x) => x.reference_id));
    warn(
      `Invalid polygons for dataset items: ${[...refs].join(', ')} Annotations: ${invalidAnns.map((a) => a.annotation_id).join(', ')}, predictions: ${invalidPreds.map((p) => p.annotation_id).join(', ')}`,
    );
  }
  const nP = validPreds.length;
  const nA = validAnns.length;
  const iou = new Float64Array(nP * nA);
  const cost = new Float64Array(nP * nA);
  for (let i = 0; i < nP; i++) {
    for (let j = 0; j < nA; j++) {
      let v = shapeIou(validAnns[j]!, validPreds[i]!);
      if (v < iouThreshold) v = 0;
      iou[i * nA + j] = v;
      cost[i * nA + j] = -v;
    }
  }
  const { rows, cols } = linearSumAssignment(cost, nP, nA);
  const ious: number[] = [];
  const predictionMatched = new Array<boolean>(predictions.length).fill(false);
  for (let k = 0; k < rows.length; k++) {
    const v = iou[rows[k]! * nA + cols[k]!]!;
    if (v >= iouThreshold && (quirks === 'faithful' || v > 0)) {
      ious.push(v);
      // Upstream indexes its per-prediction flags with positions in the valid-only list.
      predictionMatched[rows[k]!] = true;
    }
  }
  return { ious, predictionMatched };
}

const byReference = (x: BoxOrPolygon) => x.reference_id;

/** `iou_assignments`: IoUs of matched pairs over every reference id. */
export function iouAssignments(
  annotations: readonly BoxOrPolygon[],
  predictions: readonly BoxOrPolygon[],
  iouThreshold: number,
  quirks: QuirksMode,
  warn: WarningSink,
): number[] {
  const out: number[] = [];
  for (const [anns, preds] of groupPairs(annotations, predictions, byReference).values()) {
    out.push(...assignSameReference(anns, preds, iouThreshold, quirks, warn).ious);
  }
  return out;
}

/** `get_true_false_positives_confidences`: a match flag and the confidence of every prediction, per reference id. */
export function truePositivesAndConfidences(
  annotations: readonly BoxOrPolygon[],
  predictions: readonly BoxOrPolygon[],
  iouThreshold: number,
  quirks: QuirksMode,
  warn: WarningSink,
): { groups: number; truePositive: boolean[]; confidences: Array<number | null | undefined> } {
  const truePositive: boolean[] = [];
  const confidences: Array<number | null | undefined> = [];
  const grouped = groupPairs(annotations, predictions, byReference);
  for (const [anns, preds] of grouped.values()) {
    truePositive.push(...assignSameReference(anns, preds, iouThreshold, quirks, warn).predictionMatched);
    for (const p of preds) confidences.push(p.confidence);
  }
  return { groups: grouped.size, truePositive, confidences };
}
