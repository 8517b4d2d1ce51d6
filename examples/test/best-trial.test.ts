/**
 * How to test your own code that uses a client: the fake answers through MSW (Node's fetch and http are
 * intercepted), seeded with the objects your test needs; faults make the unhappy paths easy to reach, and the
 * journal shows what was sent. Copy this file into your project as a starting point.
 */
import { HubClient } from '@mlclients/hub-client';
import { createHubFake } from '@mlclients/hub-client/mocks';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { bestTrial } from '../best-trial.js';

const BASE = 'http://hub.test';
const trials = Array.from({ length: 250 }, (_, i) => ({
  id: `t${i}`,
  experiment_session_id: 's1',
  score_name: 'accuracy',
  score_value: i === 137 ? 0.99 : (i % 50) / 100,
}));
const fake = createHubFake({
  baseUrl: BASE,
  seed: { experiment_sessions: [{ id: 's1' }, { id: 'empty' }], trials },
});
const server = setupServer(...fake.handlers);
const hub = new HubClient({ baseUrl: BASE, projectToken: 'test-token', retryWaitSeconds: 0.001 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' })); // a request nobody fakes fails the test
afterEach(() => {
  fake.faults.clear();
  fake.journal.length = 0;
});
afterAll(() => server.close());

it('finds the best trial across every page', async () => {
  const best = await bestTrial(hub, 's1');
  expect(best?.id).toBe('t137');
  // 250 trials at 100 a page: 3 requests, and the token went in the body as the Hub expects (redacted in the journal).
  expect(fake.journal.map((e) => e.operationId)).toEqual(['listTrials', 'listTrials', 'listTrials']);
  expect(fake.journal[0]?.body).toMatchObject({
    experiment_session_id: 's1',
    project_api_token: '[redacted]',
  });
});

it('returns undefined for a session without trials', async () => {
  expect(await bestTrial(hub, 'empty')).toBeUndefined();
});

it('survives a 503 on the second page', async () => {
  fake.faults.plan({ sequence: [null, { kind: 'status', status: 503 }] });
  expect((await bestTrial(hub, 's1'))?.id).toBe('t137');
  expect(fake.journal.filter((e) => e.status === 503)).toHaveLength(1);
});
