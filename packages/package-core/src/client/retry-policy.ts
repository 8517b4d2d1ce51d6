/**
 * Retry policy: delays and the header rules. Pure functions; the plumbing lives in `send.ts`, the classification
 * of statuses in `../errors.ts`.
 */
import {
  DEFAULT_INITIAL_RETRY_DELAY_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_MAX_RETRY_DELAY_MS,
  DEFAULT_RETRY_JITTER,
} from './constants.js';

/** Backoff knobs (all milliseconds except `jitter`). */
export interface BackoffOptions {
  /** @default 500 */
  initialRetryDelay?: number;
  /** @default 8000 */
  maxRetryDelay?: number;
  /** Fraction of each delay removed at random, 0..1. @default 0.25 */
  retryJitter?: number;
  /** Longest `Retry-After` honoured, ms. @default 60000 */
  maxRetryAfter?: number;
  /**
   * What a longer `Retry-After` means: `'cap'` waits `maxRetryAfter` (the server asked for at least that long, so
   * retrying sooner would likely fail again); `'backoff'` ignores it and uses the normal backoff (openai-node's
   * choice). @default 'cap'
   */
  retryAfterBeyondCap?: 'cap' | 'backoff';
}

/**
 * Exponential backoff: `min(initial * 2^n, max) * (1 - random * jitter)`, `n` = retries already made.
 */
export function backoffDelay(retriesSoFar: number, opts: BackoffOptions = {}, random = Math.random): number {
  const initial = opts.initialRetryDelay ?? DEFAULT_INITIAL_RETRY_DELAY_MS;
  const max = opts.maxRetryDelay ?? DEFAULT_MAX_RETRY_DELAY_MS;
  const jitter = opts.retryJitter ?? DEFAULT_RETRY_JITTER;
  const base = Math.min(initial * 2 ** retriesSoFar, max);
  return Math.round(base * (1 - random() * jitter));
}

/**
 * The server's requested wait, milliseconds: `retry-after-ms` (not standard, but precise; the Stainless SDKs read it
 * first), then `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3). Undefined when absent or invalid.
 */
export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * How long to wait before the next attempt: the server's wait when it is within `maxRetryAfter`; beyond it, the cap
 * (or the backoff, with `retryAfterBeyondCap: 'backoff'`); without one, the backoff.
 */
export function retryDelay(
  retriesSoFar: number,
  headers: Headers | undefined,
  opts: BackoffOptions = {},
  random = Math.random,
): number {
  const requested = parseRetryAfter(headers);
  const cap = opts.maxRetryAfter ?? DEFAULT_MAX_RETRY_AFTER_MS;
  if (requested !== undefined) {
    if (requested <= cap) return requested;
    if ((opts.retryAfterBeyondCap ?? 'cap') === 'cap') return cap;
  }
  return backoffDelay(retriesSoFar, opts, random);
}

/** `x-should-retry: true|false` lets the server override the status rule (Stainless); undefined when absent. */
export function serverRetryHint(headers: Headers | undefined): boolean | undefined {
  const v = headers?.get('x-should-retry');
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}
