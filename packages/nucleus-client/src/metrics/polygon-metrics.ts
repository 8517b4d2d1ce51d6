import { computeAveragePrecision } from './average-precision.js';
import { checkUnitInterval, confidenceFilter } from './confidence-filter.js';
import { MetricValueError } from './errors.js';
import { Metric, type MetricOptions, type Payloads } from './metric.js';
import {
  groupPairs,
  iouAssignments,
  truePositivesAndConfidences,
  type WarningSink,
} from './polygon-matching.js';
import type { QuirksMode } from './quirks.js';
import { aggregateScalarResults, EPSILON, type ScalarResult } from './result.js';
import type { BoxOrPolygon } from './types.js';

export interface PolygonMetricOptions extends MetricOptions {
  /** Match only annotations and predictions with the same label (per-label results, weighted). */
  enforceLabelMatch?: boolean;
  /** Drop predictions whose confidence is below this (0..1). */
  confidenceThreshold?: number;
  /** Where the "invalid polygons" warning goes (upstream logs it); default `console.warn`. */
  onWarning?: WarningSink;
}

export interface PolygonThresholdOptions extends PolygonMetricOptions {
  iouThreshold?: number;
}

const byLabel = (x: BoxOrPolygon) => x.label;

/**
 * Base of the box/polygon metrics: boxes and polygons pooled (boxes first), optional confidence filter, optional
 * per-label evaluation aggregated with `ScalarResult.aggregate`.
 */
export abstract class PolygonMetric extends Metric<ScalarResult> {
  readonly enforceLabelMatch: boolean;
  readonly confidenceThreshold: number;
  protected readonly warn: WarningSink;

  /**
   * Creates a `PolygonMetric`.
   *
   * @param options Label matching, confidence threshold, filters, quirks mode, warning sink.
   * @param defaults What the subclass defaults `enforceLabelMatch` to.
   */
  constructor(options: PolygonMetricOptions, defaults: { enforceLabelMatch: boolean }) {
    super(options);
    this.enforceLabelMatch = options.enforceLabelMatch ?? defaults.enforceLabelMatch;
    this.confidenceThreshold = checkUnitInterval('confidenceThreshold', options.confidenceThreshold ?? 0);
    this.warn = options.onWarning ?? ((m) => console.warn(m));
  }

  /** The metric on pooled boxes and polygons (upstream `eval`). */
  abstract evaluate(annotations: BoxOrPolygon[], predictions: BoxOrPolygon[]): ScalarResult;

  call(annotations: Payloads, predictions: Payloads): ScalarResult {
    const { anns, preds } = this.filterInputs(annotations, predictions);
    const boxes =
      this.confidenceThreshold > 0 ? confidenceFilter(preds.box, this.confidenceThreshold) : preds.box;
    const polygons =
      this.confidenceThreshold > 0
        ? confidenceFilter(preds.polygon, this.confidenceThreshold)
        : preds.polygon;
    const pooledAnns: BoxOrPolygon[] = [...anns.box, ...anns.polygon];
    const pooledPreds: BoxOrPolygon[] = [...boxes, ...polygons];
    if (!this.enforceLabelMatch) return this.evaluate(pooledAnns, pooledPreds);
    const results: ScalarResult[] = [];
    for (const [a, p] of groupPairs(pooledAnns, pooledPreds, byLabel).values())
      results.push(this.evaluate(a, p));
    return aggregateScalarResults(results);
  }

  aggregateScore(results: Iterable<ScalarResult>): ScalarResult {
    return aggregateScalarResults(results);
  }
}

/** Mean IoU of Hungarian-matched pairs over max(#annotations, #predictions). Defaults: threshold 0, no label match. */
export class PolygonIOU extends PolygonMetric {
  readonly iouThreshold: number;
  /**
   * Creates a `PolygonIOU`.
   *
   * @param options The IoU threshold (default 0), label matching, confidence threshold, filters, quirks mode.
   */
  constructor(options: PolygonThresholdOptions = {}) {
    super(options, { enforceLabelMatch: false });
    this.iouThreshold = checkUnitInterval('iouThreshold', options.iouThreshold ?? 0);
  }
  evaluate(annotations: BoxOrPolygon[], predictions: BoxOrPolygon[]): ScalarResult {
    const ious = iouAssignments(annotations, predictions, this.iouThreshold, this.quirks, this.warn);
    const weight = Math.max(annotations.length, predictions.length);
    let sum = 0;
    for (const v of ious) sum += v;
    return { value: sum / Math.max(weight, EPSILON), weight };
  }
}

/** True positives / #predictions (weight #predictions). Default threshold 0.5. */
export class PolygonPrecision extends PolygonMetric {
  readonly iouThreshold: number;
  /**
   * Creates a `PolygonPrecision`.
   *
   * @param options The IoU threshold (default 0.5), label matching, confidence threshold, filters, quirks mode.
   */
  constructor(options: PolygonThresholdOptions = {}) {
    super(options, { enforceLabelMatch: false });
    this.iouThreshold = checkUnitInterval('iouThreshold', options.iouThreshold ?? 0.5);
  }
  evaluate(annotations: BoxOrPolygon[], predictions: BoxOrPolygon[]): ScalarResult {
    const tp = iouAssignments(annotations, predictions, this.iouThreshold, this.quirks, this.warn).length;
    const weight = predictions.length;
    return { value: tp / Math.max(weight, EPSILON), weight };
  }
}

/** True positives / #annotations (weight #annotations + eps, as upstream). Default threshold 0.5. */
export class PolygonRecall extends PolygonMetric {
  readonly iouThreshold: number;
  /**
   * Creates a `PolygonRecall`.
   *
   * @param options The IoU threshold (default 0.5), label matching, confidence threshold, filters, quirks mode.
   */
  constructor(options: PolygonThresholdOptions = {}) {
    super(options, { enforceLabelMatch: false });
    this.iouThreshold = checkUnitInterval('iouThreshold', options.iouThreshold ?? 0.5);
  }
  evaluate(annotations: BoxOrPolygon[], predictions: BoxOrPolygon[]): ScalarResult {
    const tp = iouAssignments(annotations, predictions, this.iouThreshold, this.quirks, this.warn).length;
    const weight = annotations.length + EPSILON;
    return { value: tp / Math.max(weight, EPSILON), weight };
  }
}

/** `PolygonAveragePrecision.eval` as a function (PolygonMAP calls it once per label). */
function averagePrecision(
  annotations: BoxOrPolygon[],
  predictions: BoxOrPolygon[],
  label: string,
  iouThreshold: number,
  quirks: QuirksMode,
  warn: WarningSink,
): ScalarResult {
  const anns = annotations.filter((a) => a.label === label);
  const preds = predictions.filter((p) => p.label === label);
  const { groups, truePositive, confidences } = truePositivesAndConfidences(
    anns,
    preds,
    iouThreshold,
    quirks,
    warn,
  );
  const fixed = quirks === 'fixed';
  if (groups === 0) {
    if (fixed) return { value: 0, weight: 0 };
    throw new MetricValueError('need at least one array to concatenate');
  }
  let order = truePositive.map((_, i) => i);
  const conf = (i: number) => confidences[i];
  // np.all(confidences): NaN counts as truthy, 0 / None do not.
  const allTruthy = confidences.every((c) => c !== 0 && c !== null && c !== undefined);
  if (fixed) {
    const key = (i: number) => (typeof conf(i) === 'number' && !Number.isNaN(conf(i)) ? conf(i)! : -Infinity);
    order = order.sort((a, b) => key(b) - key(a) || a - b);
  } else if (allTruthy) {
    order = order.sort((a, b) => -(conf(a) as number) - -(conf(b) as number) || a - b);
  }
  const recallBase = fixed ? anns.length : annotations.length;
  const precisions: number[] = [];
  const recalls: number[] = [];
  let cumulative = 0;
  order.forEach((i, k) => {
    if (truePositive[i]) cumulative++;
    precisions.push(cumulative / (k + 1));
    recalls.push(fixed && recallBase === 0 ? 0 : cumulative / recallBase);
  });
  const value = fixed
    ? computeAveragePrecision(recalls, precisions)
    : computeAveragePrecision(precisions, recalls);
  return { value, weight: 1 };
}

export interface PolygonAveragePrecisionOptions extends MetricOptions {
  label: string;
  iouThreshold?: number;
  onWarning?: WarningSink;
}

/**
 * Average precision of one label (weight 1). Faithful: recall over every annotation passed in, predictions
 * sorted by confidence only when every confidence is truthy, and the AP helper called with precision and recall
 * swapped (quirks 2, 12), so the value is (TP / #predictions) × (TP / #annotations). `'fixed'`: a stable
 * descending confidence sort, recall over the label's annotations, arguments in order; an item where the label
 * appears on neither side gives weight 0 instead of upstream's ValueError (quirk 13).
 */
export class PolygonAveragePrecision extends PolygonMetric {
  readonly label: string;
  readonly iouThreshold: number;
  /**
   * Creates a `PolygonAveragePrecision`.
   *
   * @param options The label, the IoU threshold (default 0.5), filters and quirks mode.
   */
  constructor(options: PolygonAveragePrecisionOptions) {
    super({ ...options, enforceLabelMatch: false, confidenceThreshold: 0 }, { enforceLabelMatch: false });
    if (typeof options?.label !== 'string') throw new MetricValueError('label: expected a string');
    this.label = options.label;
    this.iouThreshold = checkUnitInterval('iouThreshold', options.iouThreshold ?? 0.5);
  }

  evaluate(annotations: BoxOrPolygon[], predictions: BoxOrPolygon[]): ScalarResult {
    return averagePrecision(annotations, predictions, this.label, this.iouThreshold, this.quirks, this.warn);
  }
}

/** Options of {@link PolygonMAP}. */
export interface PolygonMAPOptions extends MetricOptions {
  iouThreshold?: number;
  onWarning?: WarningSink;
}

/**
 * Mean of the per-label average precisions over every label on either side (weight = #labels). Faithful: each
 * AP uses the default threshold 0.5 whatever `iouThreshold` says (quirk 11); `'fixed'` honours it.
 */
export class PolygonMAP extends PolygonMetric {
  readonly iouThreshold: number;
  /**
   * Creates a `PolygonMAP`.
   *
   * @param options The IoU threshold (default 0.5; ignored by upstream's quirk), filters and quirks mode.
   */
  constructor(options: PolygonMAPOptions = {}) {
    super({ ...options, enforceLabelMatch: false, confidenceThreshold: 0 }, { enforceLabelMatch: false });
    this.iouThreshold = checkUnitInterval('iouThreshold', options.iouThreshold ?? 0.5);
  }
  evaluate(annotations: BoxOrPolygon[], predictions: BoxOrPolygon[]): ScalarResult {
    const results: ScalarResult[] = [];
    for (const [label, [anns, preds]] of groupPairs(annotations, predictions, byLabel)) {
      // Faithful: upstream builds PolygonAveragePrecision(label) with its default threshold (quirk 11).
      const threshold = this.quirks === 'fixed' ? this.iouThreshold : 0.5;
      results.push(averagePrecision(anns, preds, label, threshold, this.quirks, this.warn));
    }
    return aggregateScalarResults(results);
  }
}
