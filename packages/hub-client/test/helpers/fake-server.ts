/**
 * The fake Hub behind a fail-loud MSW server (package-core's `installFakeServer`: an unhandled request fails the
 * test even when a retrying client swallows it), wired into vitest's hooks. After each test every response the fake
 * gave must conform to the spec, and the fake starts over.
 */
import { installFakeServer } from '@mlclients/package-core/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createHubFake, type HubFakeOptions } from '../../src/mocks/index.js';
import { expectJournalConforms } from './conformance.js';

export function useHubFake(options: HubFakeOptions) {
  const fake = createHubFake(options);
  const server = installFakeServer({ beforeAll, afterEach, afterAll }, ...fake.handlers);
  afterEach(() => {
    expectJournalConforms(fake.journal);
    fake.reset();
  });
  return { fake, server };
}
