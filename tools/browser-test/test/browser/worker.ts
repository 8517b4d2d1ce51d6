/**
 * MSW's browser worker for one test file: the fake's handlers answer inside the page's service worker, so the client
 * under test runs its real fetch, as in a user's app. A request to one of the fake hosts that no handler answers fails
 * the test; everything else (Vite's own modules, the proxied Hub on the page's origin) passes through.
 */
import type { RequestHandler } from 'msw';
import { setupWorker } from 'msw/browser';
import { afterAll, beforeAll } from 'vitest';

export function useWorker(fakeOrigins: readonly string[], handlers: () => RequestHandler[]): void {
  const worker = setupWorker();
  beforeAll(async () => {
    worker.use(...handlers());
    await worker.start({
      quiet: true,
      serviceWorker: { url: '/mockServiceWorker.js' },
      onUnhandledRequest(request, print) {
        if (fakeOrigins.includes(new URL(request.url).origin)) print.error();
      },
    });
  });
  afterAll(() => worker.stop());
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
