/**
 * What the server asks us to wait before retrying, read strictly. A value that is not exactly what the grammar allows
 * is ignored (the caller falls back to its own backoff) rather than guessed at: `Number('0x10')` is 16 and
 * `Date.parse('1.5')` is a date in 2001, so neither is used here.
 *
 * - `retry-after-ms`: not standard, but precise (the Stainless SDKs read it first): non-negative decimal milliseconds,
 *   `1*DIGIT [ "." 1*DIGIT ]`.
 * - `Retry-After` (RFC 9110 §10.2.3): `delay-seconds` (`1*DIGIT`) or an `HTTP-date` (§5.6.7: IMF-fixdate, and the
 *   obsolete RFC 850 and asctime forms every recipient must accept). A date in the past means "now" (0 ms).
 */

/** `retry-after-ms` header name (lower case, as `Headers` normalises it). */
export const RETRY_AFTER_MS_HEADER = 'retry-after-ms';
/** `Retry-After` header name. */
export const RETRY_AFTER_HEADER = 'retry-after';
/** Milliseconds per second, for `delay-seconds`. */
const MS_PER_SECOND = 1_000;
/**
 * RFC 9110 §5.6.7: a two-digit RFC 850 year that would land more than this many years in the future is read as the
 * most recent past year with those digits.
 */
const RFC850_FUTURE_WINDOW_YEARS = 50;

const DELAY_SECONDS = /^\d+$/;
const DECIMAL_MS = /^\d+(?:\.\d+)?$/;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const DAY_LONG = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const RFC850_DATE = new RegExp(`^${DAY_LONG}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** `Sun Nov  6 08:49:37 1994` (day padded with a space) */
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ((?:\\d{2})|(?: \\d)) ${TIME} (\\d{4})$`);

/** `delay-seconds` as milliseconds; undefined unless the value is decimal digits only. */
export function parseDelaySeconds(value: string): number | undefined {
  return DELAY_SECONDS.test(value) ? Number(value) * MS_PER_SECOND : undefined;
}

/** `retry-after-ms` as whole milliseconds (a fraction rounds up); undefined unless a non-negative decimal. */
export function parseDelayMs(value: string): number | undefined {
  return DECIMAL_MS.test(value) ? Math.ceil(Number(value)) : undefined;
}

/** An RFC 9110 `HTTP-date` as epoch milliseconds; undefined for anything else, including impossible dates. */
export function parseHttpDate(value: string, now: number): number | undefined {
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(Number(m[3]), m[2] as string, Number(m[1]), m[4], m[5], m[6]);
  m = RFC850_DATE.exec(value);
  if (m) return utc(rfc850Year(Number(m[3]), now), m[2] as string, Number(m[1]), m[4], m[5], m[6]);
  m = ASCTIME_DATE.exec(value);
  if (m) return utc(Number(m[6]), m[1] as string, Number(m[2]), m[3], m[4], m[5]);
  return undefined;
}

/**
 * The server's requested wait in milliseconds: `retry-after-ms` when valid, else `Retry-After` (seconds, or the time
 * left until its date, 0 when past). Undefined when neither is present and valid.
 */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get(RETRY_AFTER_MS_HEADER);
  const fromMs = ms === null ? undefined : parseDelayMs(ms);
  if (fromMs !== undefined) return fromMs;
  const ra = headers.get(RETRY_AFTER_HEADER);
  if (ra === null) return undefined;
  const seconds = parseDelaySeconds(ra);
  if (seconds !== undefined) return seconds;
  const date = parseHttpDate(ra, now);
  return date === undefined ? undefined : Math.max(0, date - now);
}

function rfc850Year(twoDigits: number, now: number): number {
  const current = new Date(now).getUTCFullYear();
  let year = current - (current % 100) + twoDigits;
  if (year > current + RFC850_FUTURE_WINDOW_YEARS) year -= 100;
  return year;
}

/** Epoch ms of a calendar date and time, or undefined when a field is out of range (31 Feb, 25:00...). */
function utc(
  year: number,
  monthName: string,
  day: number,
  hh: string | undefined,
  mm: string | undefined,
  ss: string | undefined,
): number | undefined {
  const month = MONTHS.indexOf(monthName);
  const [h, min, s] = [Number(hh), Number(mm), Number(ss)];
  // 60 is a leap second, which the grammar allows; it simply lands on the next minute.
  if (h > 23 || min > 59 || s > 60) return undefined;
  const midnight = new Date(Date.UTC(year, month, day));
  // Date.UTC rolls 31 Feb over into March (so the day of the month changes) and maps years 0-99 to 1900-1999: both
  // mean the text was not a real date.
  if (midnight.getUTCFullYear() !== year || midnight.getUTCDate() !== day) return undefined;
  return midnight.getTime() + ((h * 60 + min) * 60 + s) * MS_PER_SECOND;
}
