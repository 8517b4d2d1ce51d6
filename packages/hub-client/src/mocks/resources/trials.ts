/**
 * Trials and trial searches. The bulk update (`PATCH /trials`, trials/update_valid) upserts trials from the raw
 * dicts a trainer writes; a refit (`POST /trials` with `id` + `refit_data_path`, trials/create) copies a trial.
 */
import { invalid, notFound, ok, withoutTokens } from '../answers.js';
import type { HubContext, HubHandler } from '../context.js';
import type { HubObject } from '../store.js';
import { create } from './crud.js';

/** The hyperparameter the server stores for a trial, or the previous one when the input names no algorithm. */
function hyperparameter(raw: Record<string, unknown>, previous: unknown, ctx: HubContext): unknown {
  // Without `algorithm_name` the real server's answer is not recorded; the spec forbids a hyperparameter with a
  // null name, so the trial keeps what it had (null for a new trial, which the spec allows).
  if (typeof raw.algorithm_name !== 'string') return previous ?? null;
  const prev = previous as HubObject | null | undefined;
  return {
    object: 'hyperparameter',
    deleted: false,
    id: prev?.id ?? ctx.store.nextId('hyperparameters'),
    algorithm_name: raw.algorithm_name,
    algorithm_params: raw.algorithm_params ?? {},
    algorithm_params_hash: typeof raw.algorithm_params_hash === 'string' ? raw.algorithm_params_hash : null,
  };
}

const createTrial = create('trials');

export const trialHandlers: Record<string, HubHandler> = {
  updateTrials(call, ctx) {
    const trials = call.body.trials;
    if (!Array.isArray(trials)) return invalid(['trials', 'is required']);
    const errors: [string, string][] = [];
    trials.forEach((t, i) => {
      if (!t || typeof t !== 'object' || !(t as Record<string, unknown>).uid)
        errors.push([`trials[${i}].uid`, 'is required']);
    });
    if (errors.length) return invalid(...errors);
    const updated = (trials as Record<string, unknown>[]).map((raw) => {
      const id = String(raw.uid);
      const existing = ctx.store.raw('trials', id);
      const fields = {
        experiment_session_id: call.body.experiment_session_id ?? existing?.experiment_session_id ?? null,
        score_name: raw.score_name ?? existing?.score_name ?? null,
        score_value: raw.score ?? existing?.score_value ?? null,
        task_type: raw.task_type ?? existing?.task_type ?? null,
        hyperparameter: hyperparameter(raw, existing?.hyperparameter, ctx),
        raw_data: raw,
        updated_at: new Date().toISOString(),
      };
      return existing ? ctx.store.patch('trials', id, fields)! : ctx.create('trials', { id }, fields);
    });
    return ok(updated.map((t) => ctx.store.get('trials', t.id)));
  },

  createTrial(call, ctx) {
    if (call.body.id === undefined || call.body.refit_data_path === undefined) return createTrial(call, ctx);
    const source = ctx.store.raw('trials', call.body.id as string);
    if (!source) return notFound('Trial');
    const raw = {
      ...((source.raw_data as Record<string, unknown> | null) ?? {}),
      refit_data_path: call.body.refit_data_path,
    };
    return ok(ctx.create('trials', { ...source, id: ctx.store.nextId('trials'), raw_data: raw }));
  },

  updateTrial(call, ctx) {
    const id = call.params.id!;
    const existing = ctx.store.raw('trials', id);
    if (!existing) return notFound('Trial');
    const fields = withoutTokens(call.body);
    delete fields.id;
    if (fields.hyperparameter && typeof fields.hyperparameter === 'object')
      fields.hyperparameter = hyperparameter(
        fields.hyperparameter as Record<string, unknown>,
        existing.hyperparameter,
        ctx,
      );
    if (fields.score_value === undefined && typeof fields.score === 'number')
      fields.score_value = fields.score;
    return ok(ctx.store.patch('trials', id, { ...fields, updated_at: new Date().toISOString() }));
  },

  updateTrialSearch(call, ctx) {
    const id = call.params.id!;
    const stored = ctx.store.get('trial_searches', id);
    if (!stored) return notFound('TrialSearch');
    // The previous iteration runs in the background: an update is an access like a read, so a search refused once
    // as still `requested` is `done` by the next call (the same one step `autoAdvance` gives reads).
    const search = ctx.advance('trial_searches', stored);
    // trial_searches/update_invalid, word for word.
    if (search.status !== 'done')
      return invalid(['id', 'trial search can be continued only when previous iteration is done']);
    const fields = withoutTokens(call.body);
    delete fields.id;
    return ok(ctx.store.patch('trial_searches', id, { ...fields, status: 'requested' }));
  },
};
