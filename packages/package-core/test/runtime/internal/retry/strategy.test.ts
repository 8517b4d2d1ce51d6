import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, delayBeforeRetry } from '../../../../src/internal/retry/backoff.js';
import type { AttemptFailure } from '../../../../src/internal/retry/classify.js';
import {
  checkRetryOptions,
  mayRetry,
  type RetryDecision,
  RetryStrategy,
  type RetryStrategyOptions,
  totalRetryLimit,
} from '../../../../src/internal/retry/strategy.js';

const retryable503: AttemptFailure = { kind: 'response', retryable: true, retryAfterMs: undefined };
const fatal404: AttemptFailure = { kind: 'response', retryable: false, retryAfterMs: undefined };
const reset: AttemptFailure = { kind: 'connection', neverSent: false };
const refused: AttemptFailure = { kind: 'connection', neverSent: true };
const aborted: AttemptFailure = { kind: 'fatal' };
const withRetryAfter = (ms: number): AttemptFailure => ({
  kind: 'response',
  retryable: true,
  retryAfterMs: ms,
});

/** A strategy with no jitter, so every delay is exact. */
const strategy = (opts: Partial<RetryStrategyOptions> = {}) =>
  new RetryStrategy({ idempotent: true, ...opts }, () => 0);
/** Feed failures in order; the decisions come back. */
const run = (s: RetryStrategy, ...failures: AttemptFailure[]): RetryDecision[] =>
  failures.map((f) => s.decide(f));

describe('backoff', () => {
  it('0.5 s doubling to the 8 s ceiling', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, {}, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(backoffDelay(2, { initialRetryDelay: 100, maxRetryDelay: 300 }, () => 0)).toBe(300);
  });

  it('jitter only shortens, by at most the configured fraction', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, r, jitter) => {
          const full = Math.min(500 * 2 ** n, 8000);
          const d = backoffDelay(n, { retryJitter: jitter }, () => r);
          return d <= full && d >= Math.floor(full * (1 - jitter));
        },
      ),
    );
  });

  it('the server wait is honoured up to the cap; beyond it the cap, or the backoff if asked', () => {
    expect(delayBeforeRetry(0, 0, {}, () => 0)).toBe(0);
    expect(delayBeforeRetry(0, 59_000, {}, () => 0)).toBe(59_000);
    expect(delayBeforeRetry(0, 60_000, {}, () => 0)).toBe(60_000);
    // Exactly the cap is within it, whatever is done beyond it.
    expect(delayBeforeRetry(0, 60_000, { retryAfterBeyondCap: 'backoff' }, () => 0)).toBe(60_000);
    expect(delayBeforeRetry(0, 3_600_000, {}, () => 0)).toBe(60_000);
    expect(delayBeforeRetry(2, 3_600_000, { retryAfterBeyondCap: 'backoff' }, () => 0)).toBe(2_000);
    expect(delayBeforeRetry(0, 3_600_000, { maxRetryAfter: 3_600_000 }, () => 0)).toBe(3_600_000);
    expect(delayBeforeRetry(1, undefined, {}, () => 0)).toBe(1_000);
  });
});

describe('the idempotency gate', () => {
  it('an idempotent call retries retryable responses and every connection failure', () => {
    expect(mayRetry(retryable503, true)).toBeUndefined();
    expect(mayRetry(reset, true)).toBeUndefined();
    expect(mayRetry(refused, true)).toBeUndefined();
  });

  it('a call that is not idempotent retries only a refused connection', () => {
    expect(mayRetry(retryable503, false)).toBe('not-idempotent');
    expect(mayRetry(withRetryAfter(0), false)).toBe('not-idempotent');
    expect(mayRetry(reset, false)).toBe('not-idempotent');
    expect(mayRetry(refused, false)).toBeUndefined();
  });

  it('non-retryable failures stop whatever the method', () => {
    for (const idempotent of [true, false]) {
      expect(mayRetry(fatal404, idempotent)).toBe('not-retryable');
      expect(mayRetry(aborted, idempotent)).toBe('not-retryable');
    }
  });
});

describe('RetryStrategy', () => {
  it('defaults: 2 retries with 0.5 s then 1 s, then stops', () => {
    expect(run(strategy(), retryable503, retryable503, retryable503)).toEqual([
      { retry: true, delayMs: 500 },
      { retry: true, delayMs: 1_000 },
      { retry: false, reason: 'budget-exhausted' },
    ]);
  });

  it('a POST (not idempotent) is never retried after a response, even a 503 with Retry-After: 0', () => {
    expect(run(strategy({ idempotent: false }), withRetryAfter(0))).toEqual([
      { retry: false, reason: 'not-idempotent' },
    ]);
    expect(run(strategy({ idempotent: false }), reset)).toEqual([{ retry: false, reason: 'not-idempotent' }]);
  });

  it('a POST is retried while the connection is refused, within the connection budget', () => {
    expect(run(strategy({ idempotent: false }), refused, refused, refused)).toEqual([
      { retry: true, delayMs: 500 },
      { retry: true, delayMs: 1_000 },
      { retry: false, reason: 'budget-exhausted' },
    ]);
  });

  it('responses and connection failures have separate budgets', () => {
    const s = strategy({ maxRetries: 0, maxConnectionRetries: 2 });
    expect(run(s, retryable503)).toEqual([{ retry: false, reason: 'budget-exhausted' }]);
    expect(run(strategy({ maxRetries: 0, maxConnectionRetries: 2 }), reset, reset, reset)).toEqual([
      { retry: true, delayMs: 500 },
      { retry: true, delayMs: 1_000 },
      { retry: false, reason: 'budget-exhausted' },
    ]);
    expect(run(strategy({ maxRetries: 3, maxConnectionRetries: 1 }), reset, reset)).toEqual([
      { retry: true, delayMs: 500 },
      { retry: false, reason: 'budget-exhausted' },
    ]);
  });

  it('the connection budget defaults to maxRetries', () => {
    expect(run(strategy({ maxRetries: 1 }), reset, reset)).toEqual([
      { retry: true, delayMs: 500 },
      { retry: false, reason: 'budget-exhausted' },
    ]);
  });

  it('the total never exceeds the larger budget, however the failures mix', () => {
    expect(totalRetryLimit({ idempotent: true })).toBe(2);
    expect(totalRetryLimit({ idempotent: true, maxRetries: 1, maxConnectionRetries: 4 })).toBe(4);
    expect(run(strategy(), retryable503, reset, retryable503)).toEqual([
      { retry: true, delayMs: 500 },
      { retry: true, delayMs: 1_000 },
      { retry: false, reason: 'budget-exhausted' },
    ]);
    fc.assert(
      fc.property(
        fc.nat({ max: 5 }),
        fc.nat({ max: 5 }),
        fc.array(fc.constantFrom(retryable503, reset, refused), { maxLength: 20 }),
        (maxRetries, maxConnectionRetries, failures) => {
          const s = strategy({ maxRetries, maxConnectionRetries });
          const granted = run(s, ...failures).filter((d) => d.retry).length;
          return granted <= Math.max(maxRetries, maxConnectionRetries) && granted === s.retries;
        },
      ),
    );
  });

  it('the backoff counts every retry so far, of either kind', () => {
    expect(
      run(strategy({ maxRetries: 4 }), reset, retryable503, reset).map((d) => d.retry && d.delayMs),
    ).toEqual([500, 1_000, 2_000]);
  });

  it("the server's wait replaces the backoff, up to the cap", () => {
    expect(run(strategy(), withRetryAfter(2_000), withRetryAfter(3_600_000))).toEqual([
      { retry: true, delayMs: 2_000 },
      { retry: true, delayMs: 60_000 },
    ]);
    expect(run(strategy({ retryAfterBeyondCap: 'backoff' }), withRetryAfter(3_600_000))).toEqual([
      { retry: true, delayMs: 500 },
    ]);
  });

  it('a non-retryable failure stops at once and uses no budget', () => {
    const s = strategy();
    expect(run(s, fatal404, aborted)).toEqual([
      { retry: false, reason: 'not-retryable' },
      { retry: false, reason: 'not-retryable' },
    ]);
    expect(s.retries).toBe(0);
  });
});

describe('retry options', () => {
  it.each([
    [{ maxRetries: -1 }, 'maxRetries: expected a whole number >= 0, got -1'],
    [{ maxRetries: 1.5 }, 'maxRetries: expected a whole number >= 0, got 1.5'],
    [{ maxConnectionRetries: Number.NaN }, 'maxConnectionRetries: expected a whole number >= 0, got NaN'],
    [{ initialRetryDelay: -5 }, 'initialRetryDelay: expected milliseconds >= 0, got -5'],
    [{ maxRetryDelay: Number.POSITIVE_INFINITY }, 'maxRetryDelay: expected milliseconds >= 0, got Infinity'],
    [{ maxRetryAfter: Number.NaN }, 'maxRetryAfter: expected milliseconds >= 0, got NaN'],
    [{ retryJitter: 1.5 }, 'retryJitter: expected a fraction from 0 to 1, got 1.5'],
    [{ retryJitter: -0.1 }, 'retryJitter: expected a fraction from 0 to 1, got -0.1'],
  ])('refuses %j, naming the option', (bad, message) => {
    expect(() => checkRetryOptions({ idempotent: true, ...bad })).toThrow(message);
    expect(() => new RetryStrategy({ idempotent: true, ...bad })).toThrow(RangeError);
  });

  it('accepts the edges: 0 retries, 0 ms, jitter 0 and 1', () => {
    expect(() =>
      checkRetryOptions({
        idempotent: false,
        maxRetries: 0,
        maxConnectionRetries: 0,
        initialRetryDelay: 0,
        maxRetryDelay: 0,
        maxRetryAfter: 0,
        retryJitter: 1,
      }),
    ).not.toThrow();
    expect(() => checkRetryOptions({ idempotent: true, retryJitter: 0 })).not.toThrow();
  });
});
