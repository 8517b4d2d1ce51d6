import { CategorizationF1, type CategorizationResult } from './categorization-metrics.js';
import type { Metric, Payloads } from './metric.js';
import type { ScalarResult } from './result.js';

/** One dataset item: its ground truth and the model's predictions (as an object or a `[ann, pred]` tuple). */
export type ItemPair = { annotations: Payloads; predictions: Payloads } | readonly [Payloads, Payloads];

/** Options of {@link evaluate}. */
export interface EvaluateOptions<Result> {
  /** Called after each item (for progress bars); gets the item's result and its 0-based position. */
  onItem?: (result: Result, index: number) => void;
}

export interface Evaluation extends ScalarResult {
  /** Number of items evaluated. */
  items: number;
}

/**
 * Run `metric` over a stream of items and aggregate as `metric.aggregateScore` would over all the results, while
 * keeping only running sums (weighted metrics) or the paired label counts (CategorizationF1): memory does not
 * grow with the number of items.
 */
export async function evaluate<Result, CallReturn>(
  metric: Metric<Result, CallReturn>,
  pairs: AsyncIterable<ItemPair> | Iterable<ItemPair>,
  options: EvaluateOptions<Result> = {},
): Promise<Evaluation> {
  const categorization = metric instanceof CategorizationF1 ? metric : null;
  const pairing = categorization?.accumulator();
  let totalWeight = 0;
  let totalValue = 0;
  let items = 0;
  for await (const pair of pairs) {
    const [annotations, predictions] = Array.isArray(pair)
      ? (pair as readonly [Payloads, Payloads])
      : [(pair as { annotations: Payloads }).annotations, (pair as { predictions: Payloads }).predictions];
    const result = (await metric.call(annotations, predictions)) as Result;
    if (pairing) {
      pairing.add(result as CategorizationResult);
    } else {
      // The same sums, in the same order, as ScalarResult.aggregate.
      const r = result as ScalarResult;
      if (r.weight !== 0) {
        totalWeight += r.weight;
        totalValue += r.value * r.weight;
      }
    }
    options.onItem?.(result, items);
    items++;
  }
  if (categorization && pairing) {
    return { ...categorization.scoreOf(pairing), items };
  }
  return { value: totalValue / Math.max(totalWeight, 2.220446049250313e-16), weight: totalWeight, items };
}
