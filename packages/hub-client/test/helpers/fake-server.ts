/**
 * The fake Hub wired into vitest's hooks, in-process or over real HTTP:
 * - `'msw'`: behind a fail-loud MSW server (package-core's `installFakeServer`: an unhandled request fails the test
 *   even when a retrying client swallows it);
 * - `'http'`: behind `tools/mock-server` (`startMockServer('hub')` on 127.0.0.1, a free port), as `npm run mock --
 *   hub` serves it.
 * After each test every answer the fake gave must have conformed to the spec, and the fake starts over.
 */

import { type MockServer, startMockServer } from '@mlclients/mock-server';
import { type FakeServer, installFakeServer } from '@mlclients/package-core/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createHubFake, type HubFake, type HubFakeOptions } from '../../src/mocks/index.js';
import { expectConforms, reportConformance } from './conformance.js';

export type FakeTransport = 'msw' | 'http';

/** Where the fake answers and what it is; `fake` and the URLs are ready once `beforeAll` ran. */
export interface HubFakeEnv {
  readonly transport: FakeTransport;
  readonly fake: HubFake;
  /** The MSW server ('msw' only). */
  readonly server: FakeServer;
  /** Origin of the Hub. */
  readonly baseUrl: string;
  /** Origin of the optimizers service (the same server over HTTP). */
  readonly optimizersUrl: string;
}

export function useHubFake(
  options: HubFakeOptions & { baseUrl: string; optimizersUrl: string },
  transport: FakeTransport = 'msw',
): HubFakeEnv {
  const where = `${transport}: ${new Error().stack?.split('\n')[2]?.match(/test\/[^:]+/)?.[0] ?? 'test'}`;
  if (transport === 'msw') {
    const fake = createHubFake({ ...options, conformance: 'error' });
    const server = installFakeServer({ beforeAll, afterEach, afterAll }, ...fake.handlers);
    afterEach(() => {
      try {
        expectConforms(fake);
      } finally {
        fake.reset();
        fake.engine.conformance.problems.length = 0;
      }
    });
    afterAll(() => reportConformance(fake, where));
    return { transport, fake, server, baseUrl: options.baseUrl, optimizersUrl: options.optimizersUrl };
  }
  let mock: MockServer | undefined;
  beforeAll(async () => {
    mock = await startMockServer('hub', {
      conformance: 'error',
      seed: { ...options.seed, ...(options.tokens ? { _tokens: options.tokens } : {}) },
    });
  });
  afterEach(() => {
    try {
      expectConforms(env.fake);
    } finally {
      env.fake.reset();
      env.fake.engine.conformance.problems.length = 0;
    }
  });
  afterAll(async () => {
    if (mock) reportConformance(env.fake, where);
    await mock?.close();
  });
  const started = () => {
    if (!mock) throw new Error('the mock server starts in beforeAll');
    return mock;
  };
  const env: HubFakeEnv = {
    transport,
    get fake() {
      return started().fake as HubFake;
    },
    get server(): FakeServer {
      throw new Error('no MSW server over HTTP');
    },
    get baseUrl() {
      return started().url;
    },
    get optimizersUrl() {
      return started().url;
    },
  };
  return env;
}
