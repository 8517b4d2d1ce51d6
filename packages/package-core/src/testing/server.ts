/**
 * A fail-loud MSW server: an unhandled request fails the request AND the test. MSW's own
 * `onUnhandledRequest: 'error'` only fails the request, which a retrying client may swallow (mswjs/msw#946), so
 * unhandled requests are also recorded and `assertAllHandled()` (run after each test) throws with the list.
 */
import type { RequestHandler } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';

/** The server plus its assertions. */
export interface FakeServer {
  readonly server: SetupServer;
  /** Start intercepting (call before creating clients). */
  listen(): void;
  /** Throw if any request went unhandled since the last check. */
  assertAllHandled(): void;
  /** Drop runtime handlers (`server.use`) and assert nothing went unhandled. */
  reset(): void;
  /** Stop intercepting requests. */
  close(): void;
  /** Add runtime handlers (e.g. `{ once: true }` fault scripts). */
  use(...handlers: RequestHandler[]): void;
}

/** Create a fail-loud server. */
export function createFakeServer(...handlers: RequestHandler[]): FakeServer {
  const server = setupServer(...handlers);
  const unhandled: string[] = [];
  return {
    server,
    listen() {
      server.listen({
        onUnhandledRequest(request, print) {
          unhandled.push(`${request.method} ${request.url}`);
          print.error();
        },
      });
    },
    assertAllHandled() {
      if (unhandled.length > 0) {
        const list = unhandled.splice(0);
        throw new Error(`The fake server got ${list.length} unhandled request(s):\n  ${list.join('\n  ')}`);
      }
    },
    reset() {
      server.resetHandlers();
      this.assertAllHandled();
    },
    close() {
      server.close();
    },
    use(...more) {
      server.use(...more);
    },
  };
}

/** Test-runner hooks (vitest's or jest's). */
export interface TestHooks {
  /** Run `fn` once before the tests of the file. */
  beforeAll(fn: () => void): void;
  /** Run `fn` after each test. */
  afterEach(fn: () => void): void;
  /** Run `fn` once after the tests of the file. */
  afterAll(fn: () => void): void;
}

/**
 * Create a fail-loud server and wire it into the runner: listen before all, reset and assert after each, close
 * after all.
 *
 * @example
 * ```ts
 * import { afterAll, afterEach, beforeAll } from 'vitest';
 * const fake = installFakeServer({ beforeAll, afterEach, afterAll }, ...handlers);
 * ```
 */
export function installFakeServer(hooks: TestHooks, ...handlers: RequestHandler[]): FakeServer {
  const fake = createFakeServer(...handlers);
  hooks.beforeAll(() => fake.listen());
  hooks.afterEach(() => fake.reset());
  hooks.afterAll(() => fake.close());
  return fake;
}
