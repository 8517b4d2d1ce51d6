/**
 * Bounds on what a response may cost: the attempt's timeout keeps running until the body is read to the end, and
 * the decoded body (after gzip/deflate/br) may not exceed `maxResponseSize` bytes, counted while it streams so a
 * decompression bomb stops at the limit instead of filling memory. Error bodies are read only up to
 * `maxErrorBodySize`.
 */

import { ResponseTooLargeError } from '../core/errors.js';
import type { Redactor } from './redact.js';

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
 * Read a whole response body, counting the decoded bytes (after gzip/deflate/br) and stopping past the limit; an
 * abort of the attempt while reading (its timeout) surfaces as the attempt's error. Calls `guard.done()` at the end.
 *
 * Why the caller reads the stream itself instead of getting a wrapped Response: a new ReadableStream and Response per
 * call cost half the client's throughput on small JSON bodies (Node makes every web stream transferable).
 */
export async function readBodyCounted(
  body: ReadableStream<Uint8Array>,
  guard: BodyGuard,
): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > guard.limitBytes) {
        const err = guard.tooLarge();
        guard.abort(err);
        reader.cancel(err).catch(() => {});
        throw err;
      }
      chunks.push(value);
    }
  } catch (err) {
    throw guard.abortError() ?? err;
  } finally {
    guard.done();
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** An ArrayBuffer holding exactly these bytes (a chunk may be a view into a larger pooled buffer). */
export function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
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
