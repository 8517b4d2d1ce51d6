/** `ScalarResult` of nucleus.metrics: a value and the weight it carries when results are aggregated. */
export interface ScalarResult {
  value: number;
  weight: number;
}

/** Python's `sys.float_info.epsilon`. */
export const EPSILON = 2.220446049250313e-16;

export function scalarResult(value: number, weight = 1): ScalarResult {
  return { value, weight };
}

/**
 * `ScalarResult.aggregate`: weighted mean over the results whose weight is not 0, summed in input order like
 * Python's `sum`; the returned weight is the total weight.
 */
export function aggregateScalarResults(results: Iterable<ScalarResult>): ScalarResult {
  let totalWeight = 0;
  let totalValue = 0;
  for (const r of results) {
    if (r.weight === 0) continue;
    totalWeight += r.weight;
    totalValue += r.value * r.weight;
  }
  return { value: totalValue / Math.max(totalWeight, EPSILON), weight: totalWeight };
}
