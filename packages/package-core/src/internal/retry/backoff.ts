/**
 * How long to wait between attempts: exponential backoff with jitter, or the server's requested wait up to a cap.
 * Pure functions; `random` is injectable so tests need no timers and no luck.
 */
import {
  DEFAULT_INITIAL_RETRY_DELAY_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_MAX_RETRY_DELAY_MS,
  DEFAULT_RETRY_JITTER,
} from '../../core/constants.js';

/** Backoff knobs (all milliseconds except `retryJitter`). */
export interface BackoffOptions {
  /** First backoff delay, ms; doubles on every retry. @default 500 */
  initialRetryDelay?: number | undefined;
  /** Ceiling of the backoff, ms. @default 8000 */
  maxRetryDelay?: number | undefined;
  /** Fraction of each delay removed at random, 0..1. @default 0.25 */
  retryJitter?: number | undefined;
  /** Longest `Retry-After` honoured, ms. @default 60000 */
  maxRetryAfter?: number | undefined;
  /**
   * What a longer `Retry-After` means: `'cap'` waits `maxRetryAfter` (the server asked for at least that long, so
   * retrying sooner would likely fail again); `'backoff'` ignores it and uses the normal backoff (openai-node's
   * choice). @default 'cap'
   */
  retryAfterBeyondCap?: 'cap' | 'backoff' | undefined;
}

/** Growth factor of the backoff per retry. */
const BACKOFF_MULTIPLIER = 2;

/**
 * Exponential backoff, ms: `min(initial * 2^n, max) * (1 - random() * jitter)`, `n` = retries already made. Jitter
 * only shortens, so the documented delays are also the worst case.
 */
export function backoffDelay(retriesSoFar: number, opts: BackoffOptions = {}, random = Math.random): number {
  const initial = opts.initialRetryDelay ?? DEFAULT_INITIAL_RETRY_DELAY_MS;
  const max = opts.maxRetryDelay ?? DEFAULT_MAX_RETRY_DELAY_MS;
  const jitter = opts.retryJitter ?? DEFAULT_RETRY_JITTER;
  const base = Math.min(initial * BACKOFF_MULTIPLIER ** retriesSoFar, max);
  return Math.round(base * (1 - random() * jitter));
}

/**
 * The wait before the next attempt, ms: the server's `requestedMs` when it is within `maxRetryAfter`; beyond it, the
 * cap (or the backoff, with `retryAfterBeyondCap: 'backoff'`); without one, the backoff.
 */
export function delayBeforeRetry(
  retriesSoFar: number,
  requestedMs: number | undefined,
  opts: BackoffOptions = {},
  random = Math.random,
): number {
  const cap = opts.maxRetryAfter ?? DEFAULT_MAX_RETRY_AFTER_MS;
  if (requestedMs !== undefined) {
    if (requestedMs <= cap) return requestedMs;
    if ((opts.retryAfterBeyondCap ?? 'cap') === 'cap') return cap;
  }
  return backoffDelay(retriesSoFar, opts, random);
}
