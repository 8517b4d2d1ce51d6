import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  parseRetryAfter,
  Redactor,
  retryDelay,
  serverRetryHint,
} from '../../../../src/index.js';

describe('backoff', () => {
  it('doubles from 500 ms to the 8 s cap; jitter only shortens, by at most 25 %', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, {}, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (n, r) => {
          const full = Math.min(500 * 2 ** n, 8000);
          const d = backoffDelay(n, {}, () => r);
          return d <= full && d >= Math.floor(full * 0.75);
        },
      ),
    );
  });
});

describe('Retry-After', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  it('parses seconds, HTTP dates and retry-after-ms; ignores garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(h({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(h({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now)).toBe(7000);
    expect(parseRetryAfter(h({ 'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(h({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': '-3' }), now)).toBeUndefined();
    expect(parseRetryAfter(h({}), now)).toBeUndefined();
  });

  it('is honoured up to the cap; above it, the cap (or the backoff, if asked)', () => {
    expect(retryDelay(0, h({ 'retry-after': '59' }), {}, () => 0)).toBe(59_000);
    expect(retryDelay(0, h({ 'retry-after': '3600' }), {}, () => 0)).toBe(60_000);
    expect(retryDelay(0, h({ 'retry-after': '3600' }), { retryAfterBeyondCap: 'backoff' }, () => 0)).toBe(
      500,
    );
    expect(retryDelay(0, h({}), {}, () => 0)).toBe(500);
    expect(retryDelay(1, h({ 'retry-after': '3600' }), { maxRetryAfter: 3_600_000 }, () => 0)).toBe(
      3_600_000,
    );
  });

  it('x-should-retry', () => {
    expect(serverRetryHint(h({ 'x-should-retry': 'true' }))).toBe(true);
    expect(serverRetryHint(h({ 'x-should-retry': 'false' }))).toBe(false);
    expect(serverRetryHint(h({}))).toBeUndefined();
  });
});

describe('redaction (property)', () => {
  it('a token never survives, wherever it sits in a JSON body or its text', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/);
    const key = fc.constantFrom(
      'token',
      'project_api_token',
      'password',
      'api_key',
      'sessionToken',
      'Authorization',
    );
    fc.assert(
      fc.property(token, key, fc.jsonValue(), (t, k, other) => {
        const r = new Redactor();
        const body = { data: other, nested: [{ [k]: t }], [k]: t };
        const masked = JSON.stringify(r.value(body));
        const text = r.string(JSON.stringify(body));
        return !masked.includes(`"${t}"`) && !text.includes(`"${t}"`);
      }),
    );
  });

  it('a registered secret is masked inside any text', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{6,30}$/), fc.string(), fc.string(), (secret, a, b) => {
        const r = new Redactor([secret]);
        return !r.string(`${a}${secret}${b}`).includes(secret) || `${a}${b}`.includes(secret);
      }),
    );
  });
});
