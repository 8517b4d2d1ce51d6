/**
 * Experiment sessions: an update of `status` must be a transition the server's state machine has
 * (hub-api.md §7.1: waiting, preprocess, started, completed, interrupted, error; a2ml reports an illegal change as
 * "Event 'interrupted' cannot transition ..."). The transitions below are the run's path (a2ml starts a run with
 * `preprocess`, stops it with `interrupted`; the trainer moves it to `started` and `completed`); the recordings
 * hold none of the server's table, so the rest is inferred: a finished session (completed, interrupted, error)
 * does not move again. The HTTP status of the refusal is not recorded either; the fake answers 400 invalid_param
 * on `status`, which the client maps to InvalidParamsError with the server's text.
 */
import { invalid, notFound, ok, withoutTokens } from '../answers.js';
import type { HubHandler } from '../context.js';

/** The statuses an experiment session may move to from each status (the fake refuses any other move). */
export const SESSION_TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  waiting: ['preprocess', 'started', 'interrupted', 'error'],
  preprocess: ['started', 'interrupted', 'error'],
  started: ['completed', 'interrupted', 'error'],
  completed: [],
  interrupted: [],
  error: [],
};

export const sessionHandlers: Record<string, HubHandler> = {
  updateExperimentSession(call, ctx) {
    const id = call.params.id!;
    const session = ctx.store.raw('experiment_sessions', id);
    if (!session) return notFound('ExperimentSession');
    const fields = withoutTokens(call.body);
    delete fields.id;
    const from = String(session.status);
    const to = fields.status;
    if (to !== undefined && to !== from) {
      const allowed = SESSION_TRANSITIONS[from] ?? [];
      if (typeof to !== 'string' || !allowed.includes(to))
        return invalid(['status', `Event '${String(to)}' cannot transition from '${from}'`]);
    }
    return ok(
      ctx.store.patch('experiment_sessions', id, { ...fields, updated_at: new Date().toISOString() }),
    );
  },
};
