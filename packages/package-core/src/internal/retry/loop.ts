/**
 * The retry loop: p-retry runs every attempt, the first included; the strategy decides after each failure whether
 * to go on and how long to wait. p-retry's own delay is switched off because the wait depends on the failure
 * (`Retry-After`, jitter that only shortens), so the loop sleeps in `shouldRetry`, where the caller's signal can cut
 * it short.
 */
import type pRetryFn from 'p-retry';

/**
 * p-retry is loaded with the first call, not at import: its module graph is a sizeable share of a client's import
 * cost (bench/import.bench.ts), and a call awaits anyway. Later calls find it loaded and do not wait for it.
 */
let pRetry: typeof pRetryFn | undefined;
let loading: Promise<typeof pRetryFn> | undefined;
function loadPRetry(): Promise<typeof pRetryFn> {
  loading ??= import('p-retry').then((m) => {
    pRetry = m.default;
    return pRetry;
  });
  return loading;
}

/** What the loop needs besides the attempt. */
export interface RetryLoopOptions {
  /** Hard limit on retries after the first attempt. */
  retries: number;
  /** The caller's signal: aborts the wait between attempts (the attempt itself watches it too). */
  signal?: AbortSignal | undefined;
  /** After a failed attempt (1-based): the wait before the next one in ms, or undefined to stop and throw `error`. */
  nextDelay(error: unknown, attemptNumber: number): number | undefined;
  /** Called once the loop has decided to retry, before waiting. */
  onRetry?: ((error: unknown, attemptNumber: number, delayMs: number) => void) | undefined;
}

/** Run `attempt(1)`, `attempt(2)`, ... until one succeeds or `nextDelay` says stop; the last error is thrown. */
export function retryLoop<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  opts: RetryLoopOptions,
): Promise<T> {
  if (pRetry) return runLoop(pRetry, attempt, opts);
  return loadPRetry().then((loaded) => runLoop(loaded, attempt, opts));
}

function runLoop<T>(
  retry: typeof pRetryFn,
  attempt: (attemptNumber: number) => Promise<T>,
  opts: RetryLoopOptions,
): Promise<T> {
  // Every p-retry option is given, even those left at their defaults: p-retry fills missing ones in with `??=` on a
  // copy, and on Node 20 that costs about 50 us a call (measured), more than a whole call to a local server. With
  // all of them present it costs 1-4 us, so the first attempt can go through the loop like every other one.
  return retry(attempt, {
    retries: opts.retries,
    // The wait is computed by the strategy and slept in shouldRetry; p-retry's own is off (0 ms).
    minTimeout: 0,
    maxTimeout: 0,
    factor: 1,
    randomize: false,
    maxRetryTime: Number.POSITIVE_INFINITY,
    signal: opts.signal,
    onFailedAttempt: ignore,
    shouldConsumeRetry: always,
    shouldRetry: async ({ error, attemptNumber }) => {
      const delayMs = opts.nextDelay(error, attemptNumber);
      if (delayMs === undefined) return false;
      opts.onRetry?.(error, attemptNumber, delayMs);
      await sleep(delayMs, opts.signal);
      return true;
    },
  });
}

function ignore(): void {}
function always(): boolean {
  return true;
}

/** Sleep `ms`, rejecting with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
