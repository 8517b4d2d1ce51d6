/**
 * The retry strategy of one logical call: given how an attempt failed, retry or stop, and after how long. It holds
 * the call's retry budgets; everything else is a pure function of its inputs (the jitter source is injectable), so it
 * is tested without timers or a network.
 *
 * Rules (DESIGN.md §4):
 * - the idempotency gate: a call that is not idempotent (POST/PATCH not declared `x-idempotent: true`, or an
 *   operation declared `x-idempotent: false` because it starts server-side work) is retried only when the request
 *   provably never reached the server (connection refused). After a response, or a reset mid-request, the server
 *   may have acted, and a second attempt could act twice;
 * - a response is retried when classified retryable (status kind or `x-should-retry`), a connection error or timeout
 *   always (subject to the gate);
 * - two budgets: `maxRetries` for responses, `maxConnectionRetries` for connection errors; the total number of
 *   retries never exceeds the larger of the two;
 * - the wait is the backoff, or the server's `Retry-After` up to `maxRetryAfter` (see `backoff.ts`).
 */
import { DEFAULT_MAX_RETRIES } from '../../core/constants.js';
import { type BackoffOptions, delayBeforeRetry } from './backoff.js';
import type { AttemptFailure } from './classify.js';

/** What the strategy needs to know about the call. */
export interface RetryStrategyOptions extends BackoffOptions {
  /** Safe to send twice: the HTTP method's default, or the spec's `x-idempotent`. */
  idempotent: boolean;
  /** Retries after a retryable response. @default 2 */
  maxRetries?: number | undefined;
  /** Retries after a connection error or timeout. @default maxRetries */
  maxConnectionRetries?: number | undefined;
}

/** Why the strategy stopped. */
export type StopReason =
  /** The failure is not worth retrying (a 4xx, an abort, a bug). */
  | 'not-retryable'
  /** The call is not idempotent and the server may have seen the request. */
  | 'not-idempotent'
  /** The failure's budget is used up. */
  | 'budget-exhausted';

/** The strategy's answer for one failed attempt. */
export type RetryDecision =
  | { readonly retry: true /** Wait before the next attempt, ms. */; readonly delayMs: number }
  | { readonly retry: false; readonly reason: StopReason };

/** The response-retry budget when the call sets none. */
function responseBudget(opts: RetryStrategyOptions): number {
  return opts.maxRetries ?? DEFAULT_MAX_RETRIES;
}

/** The connection-retry budget when the call sets none: the same as for responses. */
function connectionBudget(opts: RetryStrategyOptions): number {
  return opts.maxConnectionRetries ?? responseBudget(opts);
}

/** The most retries a call may make in all (the retry loop's hard limit). */
export function totalRetryLimit(opts: RetryStrategyOptions): number {
  return Math.max(responseBudget(opts), connectionBudget(opts));
}

/**
 * The idempotency gate and the retryable test, without budgets: may this failure be retried at all? Also the
 * `retryable` verdict of a connection error that ends the call.
 */
export function mayRetry(failure: AttemptFailure, idempotent: boolean): StopReason | undefined {
  switch (failure.kind) {
    case 'response':
      if (!failure.retryable) return 'not-retryable';
      return idempotent ? undefined : 'not-idempotent';
    case 'connection':
      return idempotent || failure.neverSent ? undefined : 'not-idempotent';
    default:
      return 'not-retryable';
  }
}

/**
 * Refuse retry options that would make no sense at run time (a negative budget, a NaN delay, a jitter that could
 * lengthen a wait past its documented bound), naming the option, before anything is sent.
 */
export function checkRetryOptions(opts: RetryStrategyOptions): void {
  for (const name of ['maxRetries', 'maxConnectionRetries'] as const) {
    const v = opts[name];
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0)) {
      throw new RangeError(`${name}: expected a whole number >= 0, got ${String(v)}`);
    }
  }
  for (const name of ['initialRetryDelay', 'maxRetryDelay', 'maxRetryAfter'] as const) {
    const v = opts[name];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new RangeError(`${name}: expected milliseconds >= 0, got ${String(v)}`);
    }
  }
  const jitter = opts.retryJitter;
  if (jitter !== undefined && !(jitter >= 0 && jitter <= 1)) {
    throw new RangeError(`retryJitter: expected a fraction from 0 to 1, got ${String(jitter)}`);
  }
}

/** The retry strategy of one call. Create one per logical call; it counts the retries it grants. */
export class RetryStrategy {
  private responseRetries = 0;
  private connectionRetries = 0;

  constructor(
    private readonly opts: RetryStrategyOptions,
    private readonly random: () => number = Math.random,
  ) {
    checkRetryOptions(opts);
  }

  /** Retries granted so far. */
  get retries(): number {
    return this.responseRetries + this.connectionRetries;
  }

  /** Decide after a failed attempt; a `retry: true` answer uses one retry of the failure's budget. */
  decide(failure: AttemptFailure): RetryDecision {
    const blocked = mayRetry(failure, this.opts.idempotent);
    if (blocked) return { retry: false, reason: blocked };
    if (this.retries >= totalRetryLimit(this.opts)) return { retry: false, reason: 'budget-exhausted' };
    const retriesSoFar = this.retries;
    if (failure.kind === 'response') {
      if (this.responseRetries >= responseBudget(this.opts))
        return { retry: false, reason: 'budget-exhausted' };
      this.responseRetries++;
      return {
        retry: true,
        delayMs: delayBeforeRetry(retriesSoFar, failure.retryAfterMs, this.opts, this.random),
      };
    }
    if (this.connectionRetries >= connectionBudget(this.opts))
      return { retry: false, reason: 'budget-exhausted' };
    this.connectionRetries++;
    return { retry: true, delayMs: delayBeforeRetry(retriesSoFar, undefined, this.opts, this.random) };
  }
}
