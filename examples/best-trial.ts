/**
 * A piece of "your" application code that uses the Hub client: the best trial of an experiment session. The test
 * next to it (`test/best-trial.test.ts`) shows how to test such code in your own vitest suite with the client's
 * fake (`@mlclients/hub-client/mocks`) and MSW: no network, no server process, real HTTP semantics.
 */
import type { HubClient, Trial } from '@mlclients/hub-client';

/** The trial with the highest `score_value` in a session (every page is read), or undefined for an empty session. */
export async function bestTrial(hub: HubClient, experimentSessionId: string): Promise<Trial | undefined> {
  let best: Trial | undefined;
  for await (const trial of hub.trials.iterate({ experiment_session_id: experimentSessionId, limit: 100 })) {
    if (trial.score_value != null && (best?.score_value == null || trial.score_value > best.score_value))
      best = trial;
  }
  return best;
}
