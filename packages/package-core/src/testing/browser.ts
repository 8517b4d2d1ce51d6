/**
 * `@mlclients/package-core/testing` under the `browser` condition: the whole toolkit but the fail-loud MSW server
 * (`server.ts` builds on `msw/node`, which needs `node:http`). In a browser, serve a fake's `handlers` with MSW's
 * `setupWorker` from `msw/browser` instead.
 */
export * from './conformance.js';
export * from './engine.js';
export * from './faults.js';
export * from './journal.js';
export * from './pagination.js';
export * from './request-body.js';
export * from './resource-store.js';
export * from './router.js';
export * from './store.js';
