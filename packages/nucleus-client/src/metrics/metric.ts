import { EverythingFilteredError } from './errors.js';
import { type FilterInput, filterPayloadList, prettyFormatFilters } from './filters.js';
import { type PayloadList, payloadCount, toPayloadList } from './payload-list.js';
import type { QuirksMode } from './quirks.js';
import type { ScalarResult } from './result.js';
import type { WirePayload } from './types.js';

/** Options every metric takes (upstream keyword arguments in camelCase). */
export interface MetricOptions {
  /** Filters on the ground truth: a flat list (AND) or a list of lists (OR of ANDs), objects or wire form. */
  annotationFilters?: FilterInput | null;
  /** Filters on the predictions, same shapes. */
  predictionFilters?: FilterInput | null;
  /** `'faithful'` (default) reproduces upstream's numbers, `'fixed'` corrects its quirks (see quirks.ts). */
  quirks?: QuirksMode;
}

/** One item's annotations or predictions, as the API sends them (any mix of types). */
export type Payloads = Iterable<WirePayload>;

function describe(
  list: PayloadList,
  side: 'Annotations' | 'Predictions',
  filters: FilterInput | null | undefined,
) {
  const lines = [
    `${side}: All items filtered out by:`,
    ` ${prettyFormatFilters(filters)}`,
    '',
    `Original ${side}:`,
  ];
  for (const [kind, items] of Object.entries(list) as Array<[string, Array<Record<string, unknown>>]>) {
    if (items.length === 0) continue;
    const labels = new Set<string>();
    for (const item of items) {
      if (kind === 'segmentation')
        for (const s of item.annotations as Array<{ label: string }>) labels.add(s.label);
      else labels.add(String(item.label ?? item.labels));
    }
    lines.push(`  ${kind}: ${items.length} (labels: ${[...labels].join(', ')})`);
  }
  return lines;
}

/**
 * Base of every metric: `call(annotations, predictions)` filters both sides, raises `EverythingFilteredError`
 * when a side ends up empty (upstream `Metric.__call__`; with `quirks: 'fixed'` the metric runs on the empty side
 * and gives a weight-0 result instead), then computes the per-item result; `aggregateScore(results)` combines them.
 */
export abstract class Metric<Result, CallReturn = Result> {
  readonly annotationFilters: FilterInput | null;
  readonly predictionFilters: FilterInput | null;
  readonly quirks: QuirksMode;

  /**
   * Creates a `Metric`.
   *
   * @param options Filters on each side and the quirks mode.
   */
  constructor(options: MetricOptions = {}) {
    this.annotationFilters = options.annotationFilters ?? null;
    this.predictionFilters = options.predictionFilters ?? null;
    this.quirks = options.quirks ?? 'faithful';
    if (this.quirks !== 'faithful' && this.quirks !== 'fixed') {
      throw new TypeError(`quirks: expected 'faithful' or 'fixed', got ${JSON.stringify(this.quirks)}`);
    }
  }

  /** Evaluate one item (or any set of items; boxes and polygons are matched per reference_id). */
  abstract call(annotations: Payloads, predictions: Payloads): CallReturn;

  /** Combine per-item results into one `{ value, weight }`. */
  abstract aggregateScore(results: Iterable<Result>): ScalarResult;

  /** Sort by type, apply the filters and the everything-filtered check. */
  protected filterInputs(
    annotations: Payloads,
    predictions: Payloads,
  ): { anns: PayloadList; preds: PayloadList } {
    const rawAnns = toPayloadList(annotations, 'annotations');
    const rawPreds = toPayloadList(predictions, 'predictions');
    const anns = filterPayloadList(rawAnns, this.annotationFilters, 'annotations');
    const preds = filterPayloadList(rawPreds, this.predictionFilters, 'predictions');
    if (this.quirks === 'faithful') {
      const msg: string[] = [];
      if (payloadCount(anns) === 0) msg.push(...describe(rawAnns, 'Annotations', this.annotationFilters));
      if (payloadCount(preds) === 0) msg.push(...describe(rawPreds, 'Predictions', this.predictionFilters));
      if (msg.length > 0) throw new EverythingFilteredError(msg.join('\n'));
    }
    return { anns, preds };
  }
}
