import { checkUnitInterval, confidenceFilter } from './confidence-filter.js';
import { MetricValueError } from './errors.js';
import { F1_METHODS, type F1Method, f1Score, LabelConfusion } from './f1-score.js';
import { Metric, type MetricOptions, type Payloads } from './metric.js';
import type { ScalarResult } from './result.js';
import type { CategoryPayload } from './types.js';

/** `"{taxonomy}->{label}"`, or the bare label without a taxonomy; a set, so duplicates collapse. */
export function toTaxonomyLabels(items: readonly CategoryPayload[]): string[] {
  const labels = new Set<string>();
  for (const item of items)
    labels.add(item.taxonomy_name ? `${item.taxonomy_name}->${item.label}` : item.label);
  return [...labels];
}

/**
 * Per-item result of `CategorizationF1`: the matched categories. `value` is computed on access, as upstream's
 * property: macro F1 whatever `f1Method` is (quirk 16; with `quirks: 'fixed'` the metric's `f1Method`). Labels
 * are paired in insertion order (Python pairs them in hash-seed-dependent set order when an item has several).
 */
export class CategorizationResult {
  /**
   * Creates a `CategorizationResult`.
   *
   * @param valueMethod How `value` averages the F1 over labels.
   */
  constructor(
    readonly annotations: CategoryPayload[],
    readonly predictions: CategoryPayload[],
    readonly valueMethod: F1Method = 'macro',
  ) {}

  /** The F1 score of this item's labels (see the class for the averaging). */
  get value(): number {
    return f1Score(
      LabelConfusion.fromLists(toTaxonomyLabels(this.annotations), toTaxonomyLabels(this.predictions)),
      this.valueMethod,
    );
  }
}

export interface CategorizationF1Options extends MetricOptions {
  confidenceThreshold?: number;
  /** sklearn `average`: micro, macro (default), samples, weighted, binary. */
  f1Method?: F1Method;
}

/**
 * F1 of category predictions. Predictions in taxonomies absent from the annotations are dropped, then
 * annotations in taxonomies without a prediction; the score is computed at aggregation, as sklearn's `f1_score`
 * over every item's labels.
 */
export class CategorizationF1 extends Metric<CategorizationResult> {
  readonly confidenceThreshold: number;
  readonly f1Method: F1Method;

  /**
   * Creates a `CategorizationF1`.
   *
   * @param options Confidence threshold, F1 averaging, filters and quirks mode.
   */
  constructor(options: CategorizationF1Options = {}) {
    super(options);
    this.confidenceThreshold = checkUnitInterval('confidenceThreshold', options.confidenceThreshold ?? 0);
    const method = options.f1Method ?? 'macro';
    if (!(F1_METHODS as readonly string[]).includes(method)) {
      throw new MetricValueError(
        `f1Method: invalid ${JSON.stringify(method)}, expected one of ${F1_METHODS.join(', ')}`,
      );
    }
    this.f1Method = method;
  }

  call(annotations: Payloads, predictions: Payloads): CategorizationResult {
    const { anns, preds } = this.filterInputs(annotations, predictions);
    const categoryPreds =
      this.confidenceThreshold > 0
        ? confidenceFilter(preds.category, this.confidenceThreshold)
        : preds.category;
    const annotated = new Set(anns.category.map((a) => a.taxonomy_name ?? null));
    const matchingPreds = categoryPreds.filter((p) => annotated.has(p.taxonomy_name ?? null));
    const predicted = new Set(matchingPreds.map((p) => p.taxonomy_name ?? null));
    const matchingAnns = anns.category.filter((a) => predicted.has(a.taxonomy_name ?? null));
    return new CategorizationResult(
      matchingAnns,
      matchingPreds,
      this.quirks === 'fixed' ? this.f1Method : 'macro',
    );
  }

  /** A running pairing of every result's labels (what `evaluate` keeps instead of the results). */
  accumulator(): LabelPairing {
    return new LabelPairing();
  }

  aggregateScore(results: Iterable<CategorizationResult>): ScalarResult {
    const pairing = new LabelPairing();
    for (const r of results) pairing.add(r);
    return this.scoreOf(pairing);
  }

  /** F1 of the paired labels; with `quirks: 'fixed'` no labels at all give weight 0 instead of NaN. */
  scoreOf(pairing: LabelPairing): ScalarResult {
    const confusion = pairing.finish();
    if (this.quirks === 'fixed' && confusion.samples === 0) return { value: 0, weight: 0 };
    return { value: f1Score(confusion, this.f1Method), weight: 1 };
  }
}

/**
 * Upstream concatenates every item's ground-truth labels and every item's predicted labels, then pairs the two
 * lists by position. This pairs them the same way as items arrive, holding only the labels not yet paired.
 */
export class LabelPairing {
  private readonly confusion = new LabelConfusion();
  private pendingTruth: string[] = [];
  private pendingPredicted: string[] = [];
  private truthTotal = 0;
  private predictedTotal = 0;

  /** Add one item's labels, pairing them with the labels still waiting on the other side. */
  add(result: CategorizationResult): void {
    const gt = toTaxonomyLabels(result.annotations);
    const pred = toTaxonomyLabels(result.predictions);
    this.truthTotal += gt.length;
    this.predictedTotal += pred.length;
    this.pendingTruth.push(...gt);
    this.pendingPredicted.push(...pred);
    const n = Math.min(this.pendingTruth.length, this.pendingPredicted.length);
    for (let i = 0; i < n; i++) this.confusion.add(this.pendingTruth[i]!, this.pendingPredicted[i]!);
    this.pendingTruth = this.pendingTruth.slice(n);
    this.pendingPredicted = this.pendingPredicted.slice(n);
  }

  /** The paired counts; raises sklearn's error when the totals differ. */
  finish(): LabelConfusion {
    if (this.truthTotal !== this.predictedTotal) {
      throw new MetricValueError(
        `Found input variables with inconsistent numbers of samples: [${this.truthTotal}, ${this.predictedTotal}]`,
      );
    }
    return this.confusion;
  }
}
