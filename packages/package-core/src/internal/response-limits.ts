/**
 * Bounds on what a response may cost: the attempt's timeout keeps running until the body is read to the end, and
 * the decoded body (after gzip/deflate/br) may not exceed `maxResponseSize` bytes, counted while it streams so a
 * decompression bomb stops at the limit instead of filling memory. Error bodies are read only up to
 * `maxErrorBodySize`.
 */
import type { Redactor } from '../client/redact.js';
import { ResponseTooLargeError } from '../errors.js';

/** Default `maxResponseSize`: 256 MiB of decoded body. */
export const DEFAULT_MAX_RESPONSE_SIZE = 256 * 1024 * 1024;
/** Default `maxErrorBodySize`: the part of a non-2xx body kept (and parsed) for the error. */
export const DEFAULT_MAX_ERROR_BODY_SIZE = 64 * 1024;

/** The error for a body over the limit. */
export function tooLarge(operation: string, limitBytes: number, redactor: Redactor): ResponseTooLargeError {
  return new ResponseTooLargeError(
    `${operation}: response body larger than ${limitBytes} bytes (maxResponseSize); reading stopped there`,
    { operation, limitBytes, redactor },
  );
}

/** How a guarded body ends its attempt. */
export interface BodyGuard {
  limitBytes: number;
  /** Abort the attempt's request (stops the download and the decoder). */
  abort: (reason: unknown) => void;
  /** The error to report when the attempt's own signal fired while the body was read (a timeout), if any. */
  abortError: () => Error | undefined;
  /** Called once when the body is done, failed or cancelled (clears the timer, unhooks the caller's signal). */
  done: () => void;
  tooLarge: () => Error;
}

/**
 * A Response whose body stream counts decoded bytes and stops past the limit, and maps an abort of the attempt
 * (timeout) to the attempt's error. Status, headers and url are kept.
 */
export function guardBody(res: Response, guard: BodyGuard): Response {
  if (!res.body) {
    guard.done();
    return res;
  }
  const reader = res.body.getReader();
  let total = 0;
  let finished = false;
  const finish = () => {
    if (!finished) {
      finished = true;
      guard.done();
    }
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          finish();
          controller.close();
          return;
        }
        total += value.byteLength;
        if (total > guard.limitBytes) {
          const err = guard.tooLarge();
          guard.abort(err);
          reader.cancel(err).catch(() => {});
          finish();
          controller.error(err);
          return;
        }
        controller.enqueue(value);
      } catch (err) {
        finish();
        controller.error(guard.abortError() ?? err);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
  const out = new Response(stream, { status: res.status, statusText: res.statusText, headers: res.headers });
  if (res.url) Object.defineProperty(out, 'url', { value: res.url });
  return out;
}

/** Read at most `limitBytes` of a body as text, then cancel the rest. */
export async function readCapped(res: Response, limitBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < limitBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = limitBytes - total;
      chunks.push(value.byteLength > room ? value.subarray(0, room) : value);
      total += Math.min(value.byteLength, room);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
