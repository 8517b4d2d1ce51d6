/**
 * Tuning constants of the runtime, each with its unit. Defaults follow the Stainless SDKs (sdk-anchors.md §2.2,
 * §10) unless said otherwise.
 */

/** Retries after the first attempt (3 attempts in all). */
export const DEFAULT_MAX_RETRIES = 2;
/** First backoff delay, milliseconds; doubles on every retry. */
export const DEFAULT_INITIAL_RETRY_DELAY_MS = 500;
/** Ceiling of the exponential backoff, milliseconds. */
export const DEFAULT_MAX_RETRY_DELAY_MS = 8_000;
/**
 * Fraction of each backoff delay removed at random (0.25 = up to 25 % shorter). Jitter that only shortens keeps the
 * worst case bounded by the documented delays.
 */
export const DEFAULT_RETRY_JITTER = 0.25;
/**
 * Longest server-requested wait (`Retry-After`, `retry-after-ms`) honoured, milliseconds. A longer value waits this
 * long instead of blocking for an hour (openai/openai-node#1840); `retryAfterBeyondCap: 'backoff'` uses the normal
 * backoff instead, as openai-node does.
 */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
/** Per-attempt timeout, milliseconds (10 minutes, the Stainless default). */
export const DEFAULT_TIMEOUT_MS = 600_000;
/** Header carrying the number of retries already made (0 on the first attempt), like `X-Stainless-Retry-Count`. */
export const DEFAULT_RETRY_COUNT_HEADER = 'x-retry-count';
/** Header used for idempotency keys when the caller supplies one and the service names none. */
export const DEFAULT_IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Pages fetched at once by `iterate()` when an offset list reports its total. */
export const DEFAULT_PAGE_CONCURRENCY = 4;
