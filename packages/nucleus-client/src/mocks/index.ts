/**
 * `@mlclients/nucleus-client/mocks`: a stateful fake of Scale Nucleus for your tests, as MSW handlers or behind a
 * real HTTP server (`npm run mock -- nucleus`, served under `/v1/nucleus`).
 *
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createNucleusFake } from '@mlclients/nucleus-client/mocks';
 *
 * const fake = createNucleusFake({ baseUrl: 'https://api.scale.com/v1/nucleus' });
 * const server = setupServer(...fake.handlers);
 * ```
 */
export type { FaultPlan, FaultRule } from '@mlclients/package-core/testing';
export { nucleusError, pageToken } from './answers.js';
export type { NucleusFakeOptions } from './context.js';
export { BASE_PATH, createNucleusFake, NOT_MODELLED, type NucleusFake, STORAGE_PATH } from './fake.js';
export { MAX_SYNC_APPEND } from './handlers/items.js';
export { MAX_SLICE_REFS } from './handlers/slices.js';
export { MASK_PATH, MAX_FILES_PER_MULTIPART } from './multipart.js';
export type { FakeDataset, FakeJob, FakeSlice, Json, NucleusState } from './state.js';
