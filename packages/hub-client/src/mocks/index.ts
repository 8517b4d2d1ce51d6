/**
 * `@mlclients/hub-client/mocks`: a stateful fake of the Auger Hub API (and its optimizers service), for your own
 * tests, as MSW handlers or behind a real HTTP server (`npm run mock -- hub`).
 *
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createHubFake } from '@mlclients/hub-client/mocks';
 *
 * const fake = createHubFake({ baseUrl: 'http://hub.test', tokens: ['secret'] });
 * const server = setupServer(...fake.handlers);
 * ```
 */

export type { FaultPlan, FaultRule } from '@mlclients/package-core/testing';
export { type HubErrorItem, MASKED } from './answers.js';
export { createHubFake, type FakeJournalEntry, type HubFake, type HubFakeOptions, REDACTED } from './fake.js';
export { type Fault, Faults, HEROKU_503_PAGE } from './faults.js';
export { buildOperationIndex, type OperationMatch } from './operation-index.js';
export { SESSION_TRANSITIONS } from './resources/sessions.js';
export { HUB_RESOURCES, type HubObject, HubStore, ID_STYLES, type IdStyle } from './store.js';
