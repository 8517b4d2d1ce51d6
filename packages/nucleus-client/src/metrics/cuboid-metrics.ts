import { checkUnitInterval, confidenceFilter } from './confidence-filter.js';
import { intersectionArea, polygonShape, type Shape } from './geometry.js';
import { Metric, type MetricOptions, type Payloads } from './metric.js';
import { groupPairs } from './polygon-matching.js';
import { aggregateScalarResults, EPSILON, type ScalarResult } from './result.js';
import type { CuboidPayload } from './types.js';

/** Pairs whose centres are this far apart or more are not intersected (upstream `distance_threshold`). */
const DISTANCE_THRESHOLD = 25;

/**
 * Bird's-eye footprint of a cuboid as upstream builds it: length along x = dimensions.y, width along y =
 * dimensions.x, rotated by `yaw + π/2` (Scale convention) plus any extra offset the caller adds.
 */
function footprint(c: CuboidPayload, extraYaw: number): Shape {
  const { position: p, dimensions: d } = c.geometry;
  const yaw = c.geometry.yaw + extraYaw + Math.PI / 2;
  const cos = Math.cos(yaw);
  const sin = Math.sin(yaw);
  const halfL = d.y / 2;
  const halfW = d.x / 2;
  // Corners 1, 0, 4, 5 of upstream's 8-corner layout.
  const local: Array<[number, number]> = [
    [halfL, -halfW],
    [halfL, halfW],
    [-halfL, halfW],
    [-halfL, -halfW],
  ];
  return polygonShape(
    local.map(([x, y]): [number, number] => [cos * x - sin * y + p.x, sin * x + cos * y + p.y]),
  );
}

/** `compute_outer_iou`: 3D and BEV IoU matrices, rows = `a`, columns = `b`. */
export function outerIou(a: readonly CuboidPayload[], b: readonly CuboidPayload[], extraYaw = 0) {
  const fa = a.map((c) => footprint(c, extraYaw));
  const fb = b.map((c) => footprint(c, extraYaw));
  const iou3d = new Float64Array(a.length * b.length);
  const iou2d = new Float64Array(a.length * b.length);
  for (let i = 0; i < a.length; i++) {
    const ga = a[i]!.geometry;
    for (let j = 0; j < b.length; j++) {
      const gb = b[j]!.geometry;
      const bottom = Math.max(ga.position.z - ga.dimensions.z / 2, gb.position.z - gb.dimensions.z / 2);
      const top = Math.min(ga.position.z + ga.dimensions.z / 2, gb.position.z + gb.dimensions.z / 2);
      const height = Math.max(0, top - bottom);
      const distance = Math.hypot(
        ga.position.x - gb.position.x,
        ga.position.y - gb.position.y,
        ga.position.z - gb.position.z,
      );
      // Upstream stores the BEV intersection in a float32 matrix.
      const area = distance < DISTANCE_THRESHOLD ? Math.fround(intersectionArea(fa[i]!, fb[j]!)) : 0;
      const areaA = ga.dimensions.x * ga.dimensions.y;
      const areaB = gb.dimensions.x * gb.dimensions.y;
      const intersection = height * area;
      iou3d[i * b.length + j] =
        intersection / (areaA * ga.dimensions.z + areaB * gb.dimensions.z - intersection);
      iou2d[i * b.length + j] = area / (areaA + areaB - area);
    }
  }
  return { iou3d, iou2d };
}

/** numpy argmax of one row: first maximum; NaN wins as in numpy. */
function argmaxRow(m: Float64Array, row: number, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    const v = m[row * n + j]!;
    if (Number.isNaN(v)) return j;
    if (v > m[row * n + best]!) best = j;
  }
  return best;
}

export interface CuboidMetricOptions extends MetricOptions {
  /** Default true for every cuboid metric. */
  enforceLabelMatch?: boolean;
  iouThreshold?: number;
  confidenceThreshold?: number;
}

const byLabel = (c: CuboidPayload) => c.label;

abstract class CuboidMetric extends Metric<ScalarResult> {
  readonly enforceLabelMatch: boolean;
  readonly iouThreshold: number;
  readonly confidenceThreshold: number;

  constructor(options: CuboidMetricOptions) {
    super(options);
    this.enforceLabelMatch = options.enforceLabelMatch ?? true;
    this.iouThreshold = checkUnitInterval('iouThreshold', options.iouThreshold ?? 0);
    this.confidenceThreshold = checkUnitInterval('confidenceThreshold', options.confidenceThreshold ?? 0);
  }

  abstract evaluate(annotations: CuboidPayload[], predictions: CuboidPayload[]): ScalarResult;

  call(annotations: Payloads, predictions: Payloads): ScalarResult {
    const { anns, preds } = this.filterInputs(annotations, predictions);
    const cuboids =
      this.confidenceThreshold > 0 ? confidenceFilter(preds.cuboid, this.confidenceThreshold) : preds.cuboid;
    if (!this.enforceLabelMatch) return this.evaluate(anns.cuboid, cuboids);
    const results: ScalarResult[] = [];
    for (const [a, p] of groupPairs(anns.cuboid, cuboids, byLabel).values())
      results.push(this.evaluate(a, p));
    return aggregateScalarResults(results);
  }

  aggregateScore(results: Iterable<ScalarResult>): ScalarResult {
    return aggregateScalarResults(results);
  }
}

export interface CuboidIOUOptions extends CuboidMetricOptions {
  /** Report the bird's-eye-view IoU instead of the 3D one. */
  iou2d?: boolean;
}

/**
 * Mean IoU where each annotation takes its best prediction (argmax, not one-to-one) if at or above the
 * threshold, over max(#annotations, #predictions).
 */
export class CuboidIOU extends CuboidMetric {
  readonly iou2d: boolean;
  /**
   * Creates a `CuboidIOU`.
   *
   * @param options Thresholds, label matching, filters and `iou2d` (bird's-eye-view IoU instead of 3D).
   */
  constructor(options: CuboidIOUOptions = {}) {
    super(options);
    this.iou2d = options.iou2d ?? false;
  }
  /** The mean IoU of one item's cuboids (see the class). */
  evaluate(annotations: CuboidPayload[], predictions: CuboidPayload[]): ScalarResult {
    const weight = Math.max(annotations.length, predictions.length);
    let sum = 0;
    if (annotations.length > 0 && predictions.length > 0) {
      const { iou3d, iou2d } = outerIou(annotations, predictions);
      const n = predictions.length;
      for (let i = 0; i < annotations.length; i++) {
        const j = argmaxRow(iou3d, i, n);
        if (iou3d[i * n + j]! >= this.iouThreshold) sum += (this.iou2d ? iou2d : iou3d)[i * n + j]!;
      }
    }
    return { value: sum / Math.max(weight, EPSILON), weight };
  }
}

/** `recall_precision`: each prediction takes its best annotation; an annotation is claimed by the first one. */
export function cuboidTruePositives(
  annotations: CuboidPayload[],
  predictions: CuboidPayload[],
  threshold: number,
) {
  let tp = 0;
  if (annotations.length > 0 && predictions.length > 0) {
    // This path rotates by a further π/2 (upstream adds it before compute_outer_iou adds its own).
    const { iou3d } = outerIou(predictions, annotations, Math.PI / 2);
    const n = annotations.length;
    const claimed = new Uint8Array(n);
    for (let i = 0; i < predictions.length; i++) {
      const j = argmaxRow(iou3d, i, n);
      if (!(iou3d[i * n + j]! >= threshold) || claimed[j]) continue;
      claimed[j] = 1;
      tp++;
    }
  }
  return { tp, fp: predictions.length - tp, fn: annotations.length - tp };
}

/** TP / (TP + FP), weight TP + FP. */
export class CuboidPrecision extends CuboidMetric {
  /**
   * Creates a `CuboidPrecision`.
   *
   * @param options Thresholds, label matching and filters.
   */
  constructor(options: CuboidMetricOptions = {}) {
    super(options);
  }
  /** The precision over one item's cuboids. */
  evaluate(annotations: CuboidPayload[], predictions: CuboidPayload[]): ScalarResult {
    const { tp, fp } = cuboidTruePositives(annotations, predictions, this.iouThreshold);
    const weight = tp + fp;
    return { value: tp / Math.max(weight, EPSILON), weight };
  }
}

/** TP / (TP + FN), weight TP + FN. */
export class CuboidRecall extends CuboidMetric {
  /**
   * Creates a `CuboidRecall`.
   *
   * @param options Thresholds, label matching and filters.
   */
  constructor(options: CuboidMetricOptions = {}) {
    super(options);
  }
  /** The recall over one item's cuboids. */
  evaluate(annotations: CuboidPayload[], predictions: CuboidPayload[]): ScalarResult {
    const { tp, fn } = cuboidTruePositives(annotations, predictions, this.iouThreshold);
    const weight = tp + fn;
    return { value: tp / Math.max(weight, EPSILON), weight };
  }
}
