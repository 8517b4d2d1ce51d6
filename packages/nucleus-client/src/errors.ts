/**
 * The Nucleus error policy (nucleus-api.md §6): the server's error bodies have no documented shape (the Python client
 * prints the raw text), so the message is the body's `error`/`message` field when it is JSON, else its text.
 * Retried: the Python client's statuses 503, 504, 520, 524, plus 429 (with `Retry-After`); every other 5xx is final,
 * as it is there. 400 and 422 are invalid input; everything else fatal.
 */
import type { ErrorKind, ErrorPolicy, ParsedErrorBody } from '@mlclients/package-core';

/** Statuses the client retries (idempotent operations; the core decides that per operation). */
export const RETRY_STATUSES: readonly number[] = [429, 503, 504, 520, 524];

const RETRYABLE = new Set(RETRY_STATUSES);

function nucleusStatusKind(status: number): ErrorKind {
  if (RETRYABLE.has(status)) return 'retryable';
  if (status === 400 || status === 422) return 'invalid';
  return 'fatal';
}

const MAX_TEXT = 500;

function parseNucleusErrorBody(body: unknown): ParsedErrorBody | undefined {
  if (typeof body === 'string') return body.trim() ? { message: body.trim().slice(0, MAX_TEXT) } : undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const message = [b.error, b.message, b.detail].find((v) => typeof v === 'string') as string | undefined;
    return { message, code: typeof b.code === 'string' ? b.code : undefined, details: body };
  }
  return undefined;
}

/** How Nucleus's errors map to the error classes: which statuses are retried, and where the message is in a body. */
export const nucleusErrorPolicy: ErrorPolicy = {
  classify: ({ status }) => nucleusStatusKind(status),
  parseErrorBody: (body) => parseNucleusErrorBody(body),
};
