/**
 * The retry module's public face: the pure pieces a user may want to reuse or check (backoff, the server's retry
 * hints). The module itself lives in `../internal/retry/`: `classify.ts` (what failed), `retry-after.ts` (what the
 * server asked for), `backoff.ts` (how long to wait), `strategy.ts` (budgets and the idempotency gate), `loop.ts`
 * (p-retry); `send.ts` wires them to HTTP.
 */
import { type BackoffOptions, backoffDelay, delayBeforeRetry } from './backoff.js';
import { parseRetryAfter } from './retry-after.js';

export { serverRetryHint } from './classify.js';
export { type BackoffOptions, backoffDelay, parseRetryAfter };

/**
 * How long to wait before the next attempt, ms, given the response headers: the server's wait (`retry-after-ms`,
 * `Retry-After`) when it is within `maxRetryAfter`; beyond it, the cap (or the backoff, with
 * `retryAfterBeyondCap: 'backoff'`); without one, the backoff.
 */
export function retryDelay(
  retriesSoFar: number,
  headers: Headers | undefined,
  opts: BackoffOptions = {},
  random = Math.random,
): number {
  return delayBeforeRetry(retriesSoFar, parseRetryAfter(headers), opts, random);
}
