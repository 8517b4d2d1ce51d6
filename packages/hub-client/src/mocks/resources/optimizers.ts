/**
 * The optimizers service (`optimizers_url`): deterministic proposals from the search space, so tests can assert
 * them; the required-field errors are the recorded ones (optimizers_service/*_invalid*).
 */
import { intParam } from '@mlclients/package-core/testing';
import { missing, ok } from '../answers.js';
import type { HubHandler } from '../context.js';

/** Proposals from a search space `{<algorithm>: {<param>: {bounds | values}}}`: values cycle, bounds are spread. */
function proposals(
  space: unknown,
  count: number,
): { algorithm_name: string; algorithm_params: Record<string, unknown> }[] {
  const algorithms =
    space && typeof space === 'object' ? Object.entries(space as Record<string, unknown>) : [];
  const usable = algorithms.filter(([, params]) => params && typeof params === 'object');
  const out = [];
  for (let i = 0; i < Math.max(0, count); i++) {
    const [name, params] = usable[i % Math.max(1, usable.length)] ?? [
      'sklearn.ensemble.RandomForestClassifier',
      {},
    ];
    const chosen: Record<string, unknown> = {};
    for (const [param, def] of Object.entries(params as Record<string, Record<string, unknown>>)) {
      if (Array.isArray(def?.values)) chosen[param] = def.values[i % def.values.length];
      else if (Array.isArray(def?.bounds)) {
        const [lo, hi] = def.bounds as number[];
        chosen[param] = (lo ?? 0) + (((hi ?? 1) - (lo ?? 0)) * (i + 1)) / (count + 1);
      }
    }
    out.push({ algorithm_name: name, algorithm_params: chosen });
  }
  return out;
}

export const optimizerHandlers: Record<string, HubHandler> = {
  getNextTrials(call) {
    const absent = missing(call.body, ['optimizer_name']);
    if (absent) return absent;
    const batch = intParam(
      (call.body.optimizer_params as Record<string, unknown> | undefined)?.batch_size,
      1,
    );
    return ok([
      proposals(call.body.search_space, batch),
      { ...((call.body.optimizer_context as object | undefined) ?? {}) },
    ]);
  },
  getNextTrialsV2(call) {
    return ok({
      trials: proposals(call.body.search_space, intParam(call.body.trials_limit, 1)),
      optimizer_context: call.body.optimizer_context ?? {},
    });
  },
  getFte(call) {
    const absent = missing(call.body, ['alg_params']);
    if (absent) return absent;
    const cells = intParam(call.body.ncols, 1) * intParam(call.body.nrows, 1);
    return ok({ estimated_time: Math.max(0.1, Math.log10(cells + 1)) });
  },
};
