import { checkUnitInterval } from './confidence-filter.js';
import { MetricValueError } from './errors.js';
import { Metric, type MetricOptions, type Payloads } from './metric.js';
import { aggregateScalarResults, type ScalarResult } from './result.js';
import {
  convertToInstanceSegConfusion,
  FALSE_POSITIVES,
  fastConfusionMatrix,
  nonMaxSuppressConfusion,
  type Square,
} from './segmentation-confusion.js';
import type { MaskImage, MaskLoader, Segment, SegmentationPayload } from './types.js';

export interface SegmentationMetricOptions extends MetricOptions {
  /** Reads `mask_url` into pixels (upstream `SegmentationMaskLoader`). */
  loader?: MaskLoader;
  /** Pixel IoU under which a class match is suppressed to false positives. Default 0.5. */
  iouThreshold?: number;
}

/** What every mask metric computes first: the class confusion after non-max suppression. */
export interface ClassConfusion {
  /** The confusion matrix (rows: ground-truth segment index, columns: predicted), false positives last. */
  confusion: Square;
  /** Indexes of ground-truth segments whose label no prediction uses. */
  nonTaxonomy: Set<number>;
  /** How many pixels were compared. */
  pixels: number;
}

function firstChannel(img: MaskImage, url: string): ArrayLike<number> {
  const channels = img.channels ?? 1;
  const size = img.width * img.height;
  if (img.data.length !== size * channels) {
    throw new MetricValueError(
      `mask ${url}: expected ${size * channels} values for ${img.width}x${img.height}x${channels}, got ${img.data.length}`,
    );
  }
  if (channels === 1) return img.data;
  const out = new Int32Array(size);
  for (let k = 0; k < size; k++) out[k] = img.data[k * channels]!;
  return out;
}

const uniqueLabels = (segments: readonly Segment[]) => new Set(segments.map((s) => s.label));

/**
 * Base of the mask metrics: one mask per side (`mask_url` + segments), masks read through `loader`, pixel
 * confusion between segment indexes, non-max suppression, then a class-level matrix (instance masks, where a
 * label repeats, are regrouped). No mask or no segments on a side gives `{ value: 0, weight: 0 }`.
 */
export abstract class SegmentationMaskMetric extends Metric<ScalarResult, Promise<ScalarResult>> {
  readonly loader: MaskLoader | undefined;
  readonly iouThreshold: number;

  /**
   * Creates a `SegmentationMaskMetric`.
   *
   * @param options The mask loader, IoU threshold, filters and quirks mode.
   */
  constructor(options: SegmentationMetricOptions = {}) {
    super(options);
    this.loader = options.loader;
    this.iouThreshold = checkUnitInterval('iouThreshold', options.iouThreshold ?? 0.5);
  }

  async call(annotations: Payloads, predictions: Payloads): Promise<ScalarResult> {
    const { anns, preds } = this.filterInputs(annotations, predictions);
    if (anns.segmentation.length > 1) {
      throw new MetricValueError(
        `annotations: expected only one segmentation mask, got ${anns.segmentation.length}`,
      );
    }
    if (preds.segmentation.length > 1) {
      throw new MetricValueError(
        `predictions: expected only one segmentation mask, got ${preds.segmentation.length}`,
      );
    }
    const annotation = anns.segmentation[0];
    const prediction = preds.segmentation[0];
    if (
      !annotation ||
      !prediction ||
      annotation.annotations.length === 0 ||
      prediction.annotations.length === 0
    ) {
      return { value: 0, weight: 0 };
    }
    const truth = await this.readMask(annotation);
    const predicted = await this.readMask(prediction);
    return this.compute(truth, predicted, annotation, prediction);
  }

  aggregateScore(results: Iterable<ScalarResult>): ScalarResult {
    return aggregateScalarResults(results);
  }

  /** The metric of one item from its two masks (pixel class indexes) and their segments. */
  protected abstract compute(
    truth: ArrayLike<number>,
    predicted: ArrayLike<number>,
    annotation: SegmentationPayload,
    prediction: SegmentationPayload,
  ): ScalarResult;

  private async readMask(mask: SegmentationPayload): Promise<ArrayLike<number>> {
    if (!this.loader) {
      throw new MetricValueError(
        `loader: a mask loader is needed to read ${mask.mask_url} (pass options.loader)`,
      );
    }
    return firstChannel(await this.loader.fetch(mask.mask_url), mask.mask_url);
  }

  /** `_calculate_confusion_matrix`. */
  protected classConfusion(
    truth: ArrayLike<number>,
    predicted: ArrayLike<number>,
    annotation: SegmentationPayload,
    prediction: SegmentationPayload,
    iouThreshold: number,
  ): ClassConfusion {
    const maxIndex = (segments: readonly Segment[]) => Math.max(...segments.map((s) => s.index));
    const n = Math.max(maxIndex(annotation.annotations), maxIndex(prediction.annotations)) + 1;
    let confusion = this.filterConfusion(fastConfusionMatrix(truth, predicted, n), annotation, prediction);
    confusion = nonMaxSuppressConfusion(confusion, iouThreshold);
    const fp: Segment = { label: FALSE_POSITIVES, index: confusion.n - 1 };
    const withFp = (segments: Segment[]) =>
      segments[segments.length - 1]!.label !== FALSE_POSITIVES ? [...segments, fp] : segments;
    const annSegments = withFp(annotation.annotations);
    const predSegments = withFp(prediction.annotations);
    const annLabels = uniqueLabels(annSegments);
    const predLabels = uniqueLabels(predSegments);
    if (annLabels.size !== annSegments.length || predLabels.size !== predSegments.length) {
      const converted = convertToInstanceSegConfusion(confusion, annSegments, predSegments);
      return { confusion: converted.confusion, nonTaxonomy: converted.nonTaxonomy, pixels: truth.length };
    }
    const nonTaxonomy = new Set(annSegments.filter((s) => !predLabels.has(s.label)).map((s) => s.index));
    return { confusion, nonTaxonomy, pixels: truth.length };
  }

  /** With filters, keep only the rows (annotation) and columns (prediction) of the segments that remain. */
  private filterConfusion(
    c: Square,
    annotation: SegmentationPayload,
    prediction: SegmentationPayload,
  ): Square {
    const hasAnnFilters = (this.annotationFilters?.length ?? 0) > 0;
    const hasPredFilters = (this.predictionFilters?.length ?? 0) > 0;
    if (!hasAnnFilters && !hasPredFilters) return c;
    const { n } = c;
    const out: Square = { n, m: new Float64Array(n * n) };
    if (hasAnnFilters) {
      for (const s of annotation.annotations)
        for (let j = 0; j < n; j++) out.m[s.index * n + j] = c.m[s.index * n + j]!;
    }
    if (hasPredFilters) {
      for (const s of prediction.annotations)
        for (let i = 0; i < n; i++) out.m[i * n + s.index] = c.m[i * n + s.index]!;
    }
    return out;
  }
}

const nanmean = (values: number[]) => {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
  }
  return count === 0 ? Number.NaN : sum / count;
};
const nanToNum = (v: number) =>
  Number.isNaN(v) ? 0 : v === Infinity ? Number.MAX_VALUE : v === -Infinity ? -Number.MAX_VALUE : v;
const cell = (c: Square, i: number, j: number) => c.m[i * c.n + j]!;
const rowSum = (c: Square, i: number, upTo = c.n) => {
  let s = 0;
  for (let j = 0; j < upTo; j++) s += cell(c, i, j);
  return s;
};
const colSum = (c: Square, j: number, upTo = c.n) => {
  let s = 0;
  for (let i = 0; i < upTo; i++) s += cell(c, i, j);
  return s;
};
const total = (c: Square) => c.m.reduce((a, b) => a + b, 0);

/** Mean class IoU (non-taxonomy classes ignored), weight = pixel count. NaN when no class counts. */
export class SegmentationIOU extends SegmentationMaskMetric {
  /** The class IoU of one item's masks (see the class). */
  protected compute(
    truth: ArrayLike<number>,
    predicted: ArrayLike<number>,
    a: SegmentationPayload,
    p: SegmentationPayload,
  ) {
    const {
      confusion: c,
      nonTaxonomy,
      pixels,
    } = this.classConfusion(truth, predicted, a, p, this.iouThreshold);
    const k = c.n - 1;
    const fpTotal = colSum(c, k);
    const iou: number[] = [];
    for (let i = 0; i < k; i++) {
      const d = cell(c, i, i);
      iou.push(nonTaxonomy.has(i) ? Number.NaN : d / (rowSum(c, i, k) + colSum(c, i, k) + fpTotal - d));
    }
    return { value: nanmean(iou), weight: pixels };
  }
}

/** Mean class precision, weight = total pixels in the confusion. */
export class SegmentationPrecision extends SegmentationMaskMetric {
  /** The class precision of one item's masks (see the class). */
  protected compute(
    truth: ArrayLike<number>,
    predicted: ArrayLike<number>,
    a: SegmentationPayload,
    p: SegmentationPayload,
  ) {
    return this.precisionAt(truth, predicted, a, p, this.iouThreshold);
  }

  /** Precision with a given NMS threshold (SegmentationMAP evaluates several). */
  precisionAt(
    truth: ArrayLike<number>,
    predicted: ArrayLike<number>,
    a: SegmentationPayload,
    p: SegmentationPayload,
    iouThreshold: number,
  ): ScalarResult {
    const { confusion: c, nonTaxonomy } = this.classConfusion(truth, predicted, a, p, iouThreshold);
    const k = c.n - 1;
    const precision: number[] = [];
    for (let i = 0; i < k; i++) {
      const tp = cell(c, i, i);
      const fp = cell(c, i, k) + colSum(c, i, k) - tp;
      precision.push(nonTaxonomy.has(i) ? Number.NaN : tp / (tp + fp));
    }
    return { value: nanToNum(nanmean(precision)), weight: total(c) };
  }
}

/** Mean class recall over every class row (the false-positive row included when it has pixels), weight = pixels. */
export class SegmentationRecall extends SegmentationMaskMetric {
  /** The class recall of one item's masks (see the class). */
  protected compute(
    truth: ArrayLike<number>,
    predicted: ArrayLike<number>,
    a: SegmentationPayload,
    p: SegmentationPayload,
  ) {
    const {
      confusion: c,
      nonTaxonomy,
      pixels,
    } = this.classConfusion(truth, predicted, a, p, this.iouThreshold);
    const recall: number[] = [];
    for (let i = 0; i < c.n; i++) recall.push(nonTaxonomy.has(i) ? Number.NaN : cell(c, i, i) / rowSum(c, i));
    return { value: nanToNum(nanmean(recall)), weight: pixels };
  }
}

/** Frequency-weighted IoU: Σ over predicted-frequency > 0 of freq × IoU, weight = total pixels. */
export class SegmentationFWAVACC extends SegmentationMaskMetric {
  /** The frequency-weighted IoU of one item's masks (see the class). */
  protected compute(
    truth: ArrayLike<number>,
    predicted: ArrayLike<number>,
    a: SegmentationPayload,
    p: SegmentationPayload,
  ) {
    const { confusion: c, nonTaxonomy } = this.classConfusion(truth, predicted, a, p, this.iouThreshold);
    const counts: number[] = [];
    let countSum = 0;
    for (let j = 0; j < c.n; j++) {
      const v = nonTaxonomy.has(j) ? Number.NaN : colSum(c, j);
      counts.push(v);
      if (!Number.isNaN(v)) countSum += v;
    }
    let fwavacc = 0;
    for (let i = 0; i < c.n; i++) {
      const freq = counts[i]! / countSum;
      if (!(freq > 0)) continue;
      const d = cell(c, i, i);
      const iu = nonTaxonomy.has(i) ? Number.NaN : d / (rowSum(c, i) + colSum(c, i) - d);
      fwavacc += nanToNum(freq) * nanToNum(iu);
    }
    return { value: nanToNum(fwavacc), weight: total(c) };
  }
}

/** Options of {@link SegmentationMAP}: those of every mask metric, with IoU thresholds instead of one. */
export interface SegmentationMAPOptions extends Omit<SegmentationMetricOptions, 'iouThreshold'> {
  /** A list of IoU thresholds or `"coco"` (0.50, 0.55, ..., 0.95). Default `"coco"`. */
  iouThresholds?: number[] | 'coco';
}

/** `setup_iou_thresholds`: numpy's `arange(0.5, 1.0, 0.05)` for "coco", with numpy's exact float values. */
export function setupIouThresholds(thresholds: number[] | 'coco' | string): number[] {
  if (Array.isArray(thresholds)) {
    thresholds.forEach((t, i) => {
      if (typeof t !== 'number' || Number.isNaN(t))
        throw new MetricValueError(`iouThresholds[${i}]: expected a number`);
    });
    if (thresholds.length === 0) throw new MetricValueError('iouThresholds: expected at least one threshold');
    return [...thresholds];
  }
  if (thresholds === 'coco') {
    // numpy fills arange as start + i * (second - start): 0.6000000000000001, ..., 0.9500000000000004.
    const delta = 0.5 + 0.05 - 0.5;
    return Array.from({ length: 10 }, (_, i) => 0.5 + i * delta);
  }
  throw new MetricValueError(
    `iouThresholds: got invalid configuration value: ${String(thresholds)}, expected one of: coco`,
  );
}

/**
 * Precision integrated over IoU thresholds: Σ precision(t_i) × (t_i − t_{i−1}) from t_0 = 0, plus the last
 * precision × (1 − t_last); weight = the sum of the precision weights.
 */
export class SegmentationMAP extends SegmentationMaskMetric {
  readonly iouThresholds: number[];
  private readonly precision: SegmentationPrecision;

  /**
   * Creates a `SegmentationMAP`.
   *
   * @param options The mask loader, IoU thresholds, filters and quirks mode.
   */
  constructor(options: SegmentationMAPOptions = {}) {
    super(options);
    this.iouThresholds = setupIouThresholds(options.iouThresholds ?? 'coco');
    this.precision = new SegmentationPrecision(options);
  }

  /** The mean precision over the IoU thresholds of one item's masks (see the class). */
  protected compute(
    truth: ArrayLike<number>,
    predicted: ArrayLike<number>,
    a: SegmentationPayload,
    p: SegmentationPayload,
  ) {
    const values: number[] = [];
    let weight = 0;
    for (const t of this.iouThresholds) {
      const r = this.precision.precisionAt(truth, predicted, a, p, t);
      values.push(r.value);
      weight += r.weight;
    }
    const bounds = [0, ...this.iouThresholds, 1];
    let mean = 0;
    for (let i = 0; i < bounds.length - 1; i++) {
      mean += values[Math.min(i, values.length - 1)]! * (bounds[i + 1]! - bounds[i]!);
    }
    return { value: mean, weight };
  }
}
