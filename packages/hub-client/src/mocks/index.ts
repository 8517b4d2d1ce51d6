/**
 * `@mlclients/hub-client/mocks`: a stateful fake of the Auger Hub API (and its optimizers service) as MSW handlers,
 * for your own tests.
 *
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createHubFake } from '@mlclients/hub-client/mocks';
 *
 * const fake = createHubFake({ baseUrl: 'http://hub.test', tokens: ['secret'] });
 * const server = setupServer(...fake.handlers);
 * ```
 */

export type { FaultPlan } from '@mlclients/package-core/testing';
export {
  buildOperationIndex,
  createHubFake,
  type FakeJournalEntry,
  type HubFake,
  type HubFakeOptions,
  type OperationMatch,
  REDACTED,
} from './fake.js';
export { type Fault, Faults, HEROKU_503_PAGE } from './faults.js';
export { type HubObject, HubStore } from './store.js';
