/** Small helpers shared by the runtime's files. Not exported from the package. */

/** A non-null, non-array object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Base64 of a string's UTF-8 bytes, in browsers (`btoa`) and on Node. */
export function toBase64(s: string): string {
  return typeof btoa === 'function'
    ? btoa(unescape(encodeURIComponent(s)))
    : Buffer.from(s).toString('base64');
}

/** An error's message plus its direct cause's (fetch's `TypeError: fetch failed` hides the reason in `cause`). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
