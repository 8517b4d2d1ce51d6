import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseDelayMs,
  parseDelaySeconds,
  parseHttpDate,
  parseRetryAfter,
} from '../../../../src/internal/retry/retry-after.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const h = (o: Record<string, string>) => new Headers(o);

describe('Retry-After: delay-seconds', () => {
  it('reads decimal digits as seconds', () => {
    expect(parseRetryAfter(h({ 'retry-after': '0' }), NOW)).toBe(0);
    expect(parseRetryAfter(h({ 'retry-after': '2' }), NOW)).toBe(2_000);
    expect(parseRetryAfter(h({ 'retry-after': '007' }), NOW)).toBe(7_000);
    expect(parseRetryAfter(h({ 'retry-after': '3600' }), NOW)).toBe(3_600_000);
  });

  it.each([
    ['hex', '0x10'],
    ['negative', '-1'],
    ['a fraction', '1.5'],
    ['an exponent', '1e3'],
    ['a sign', '+5'],
    ['blank', ''],
    ['spaces only', '   '],
    ['garbage', 'soon'],
    ['two values', '2, 3'],
    ['digits with a unit', '5s'],
    ['Infinity', 'Infinity'],
  ])('ignores %s (%j) instead of reading it as a delay', (_what, value) => {
    expect(parseRetryAfter(h({ 'retry-after': value }), NOW)).toBeUndefined();
  });

  it('no header, no headers: undefined', () => {
    expect(parseRetryAfter(h({}), NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  it('property: exactly the strings of decimal digits are delays, n digits meaning n seconds', () => {
    fc.assert(fc.property(fc.nat({ max: 10_000_000 }), (n) => parseDelaySeconds(String(n)) === n * 1000));
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\d+$/.test(s)),
        (s) => parseDelaySeconds(s) === undefined,
      ),
    );
  });
});

describe('Retry-After: HTTP-date', () => {
  it('reads the preferred IMF-fixdate form as the time left', () => {
    expect(parseRetryAfter(h({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), NOW)).toBe(7_000);
    expect(parseRetryAfter(h({ 'retry-after': 'Fri, 02 Jan 2026 00:00:00 GMT' }), NOW)).toBe(86_400_000);
  });

  it('reads the obsolete RFC 850 and asctime forms every recipient must accept', () => {
    expect(parseRetryAfter(h({ 'retry-after': 'Thursday, 01-Jan-26 00:00:30 GMT' }), NOW)).toBe(30_000);
    expect(parseRetryAfter(h({ 'retry-after': 'Thu Jan  1 00:01:00 2026' }), NOW)).toBe(60_000);
    expect(parseRetryAfter(h({ 'retry-after': 'Thu Jan 15 00:00:00 2026' }), NOW)).toBe(14 * 86_400_000);
  });

  it('a two-digit RFC 850 year more than 50 years ahead is the previous century', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(Date.parse('1994-11-06T08:49:37Z'));
    expect(parseHttpDate('Monday, 06-Nov-50 08:49:37 GMT', NOW)).toBe(Date.parse('2050-11-06T08:49:37Z'));
    // Exactly 50 years ahead is not "more than 50": it stays in this century.
    expect(parseHttpDate('Wednesday, 01-Jan-76 00:00:00 GMT', NOW)).toBe(Date.parse('2076-01-01T00:00:00Z'));
    expect(parseHttpDate('Thursday, 02-Jan-77 00:00:00 GMT', NOW)).toBe(Date.parse('1977-01-02T00:00:00Z'));
  });

  it('a date in the past means retry now (0), not a negative wait and not "ignore"', () => {
    expect(parseRetryAfter(h({ 'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT' }), NOW)).toBe(0);
    expect(parseRetryAfter(h({ 'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT' }), NOW)).toBe(0);
  });

  it.each([
    ['an ISO date', '2026-01-01T00:00:05Z'],
    ['a free-form date Date.parse takes', 'January 1, 2026 00:00:05'],
    ['a fraction Date.parse takes for a date', '1.5'],
    ['a zone other than GMT', 'Thu, 01 Jan 2026 00:00:07 UTC'],
    ['a lower-case month', 'Thu, 01 jan 2026 00:00:07 GMT'],
    ['a one-digit day in IMF-fixdate', 'Thu, 1 Jan 2026 00:00:07 GMT'],
    ['31 February', 'Tue, 31 Feb 2026 00:00:00 GMT'],
    ['31 April', 'Fri, 31 Apr 2026 00:00:00 GMT'],
    ['29 February of a common year', 'Sun, 29 Feb 2026 00:00:00 GMT'],
    ['hour 24', 'Thu, 01 Jan 2026 24:00:00 GMT'],
    ['minute 60', 'Thu, 01 Jan 2026 00:60:00 GMT'],
    ['a year below 1000', 'Thu, 01 Jan 0050 00:00:00 GMT'],
  ])('ignores %s (%j)', (_what, value) => {
    expect(parseHttpDate(value, NOW)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': value }), NOW)).toBeUndefined();
  });

  it('accepts 29 February of a leap year, and a leap second (second 60)', () => {
    expect(parseHttpDate('Thu, 29 Feb 2024 12:00:00 GMT', NOW)).toBe(Date.parse('2024-02-29T12:00:00Z'));
    expect(parseHttpDate('Wed, 31 Dec 2025 23:59:60 GMT', NOW)).toBe(NOW);
  });

  it('property: what Date#toUTCString writes reads back to the same second', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => parseHttpDate(d.toUTCString(), NOW) === Math.floor(d.getTime() / 1000) * 1000,
      ),
    );
  });
});

describe('retry-after-ms', () => {
  it('wins over Retry-After when valid', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '250', 'retry-after': '9' }), NOW)).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after-ms': '0' }), NOW)).toBe(0);
  });

  it('a fraction rounds up to whole milliseconds', () => {
    expect(parseDelayMs('1.5')).toBe(2);
    expect(parseDelayMs('1500.0')).toBe(1500);
    expect(parseDelayMs('1.25')).toBe(2);
    expect(parseDelayMs('0.001')).toBe(1);
  });

  it.each([
    ['negative', '-1'],
    ['hex', '0x10'],
    ['blank', ''],
    ['garbage', 'fast'],
    ['an exponent', '1e3'],
    ['a bare point', '.5'],
  ])('ignores %s (%j) and falls back to Retry-After', (_what, value) => {
    expect(parseDelayMs(value)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after-ms': value }), NOW)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after-ms': value, 'retry-after': '3' }), NOW)).toBe(3_000);
  });
});
