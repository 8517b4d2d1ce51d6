/**
 * Retry classification: what kind of failure an attempt ended in, as plain facts. No policy here (budgets and the
 * idempotency gate are `strategy.ts`) and no I/O (the loop is `loop.ts`, the plumbing `client/send.ts`). The kind
 * of a status comes from the service's {@link ErrorPolicy} through `classifyResponse`, the same function the error
 * mapping uses, so the loop and the error classes can never disagree.
 */
import {
  ConnectionError,
  classifyResponse,
  type ErrorPolicy,
  type ResponseFacts,
} from '../../core/errors.js';
import { parseRetryAfter } from './retry-after.js';

/** A non-2xx response came back: the server saw the request. */
export interface ResponseFailure {
  readonly kind: 'response';
  /** The status is retryable for this service, or the server said `x-should-retry: true`. */
  readonly retryable: boolean;
  /** The server's requested wait (`retry-after-ms`, `Retry-After`), milliseconds; undefined when absent or invalid. */
  readonly retryAfterMs: number | undefined;
}

/** No response: reset, refused, DNS failure, timeout. */
export interface ConnectionFailure {
  readonly kind: 'connection';
  /** True when the request provably never reached the server (the connection was refused). */
  readonly neverSent: boolean;
}

/** Anything else (the caller aborted, a bug, invalid input): never retried. */
export interface FatalFailure {
  readonly kind: 'fatal';
}

/** How one attempt failed, as the strategy sees it. */
export type AttemptFailure = ResponseFailure | ConnectionFailure | FatalFailure;

/** Header a server can set to overrule the status rule (Stainless: `x-should-retry: true|false`). */
export const SHOULD_RETRY_HEADER = 'x-should-retry';

/**
 * System error codes that mean no response arrived (Node's `net`/`dns` and undici's). Anything else thrown by
 * `fetch` (`UND_ERR_ABORTED`, `UND_ERR_INVALID_ARG`, a body larger than allowed...) is not a network failure.
 */
export const CONNECTION_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** The code of a refused connection: the OS turned the connection down, so no byte of the request was sent. */
export const CONNECTION_REFUSED_CODE = 'ECONNREFUSED';

/** Links of `cause` {@link connectionErrorCode} follows (fetch wraps the system error one or two levels down). */
const MAX_CAUSE_DEPTH = 10;

/** Is this system error code one that means "no response arrived"? */
export function isConnectionErrorCode(code: unknown): boolean {
  return typeof code === 'string' && CONNECTION_ERROR_CODES.has(code);
}

/**
 * The deepest connection error code in an error's `cause` chain; undefined if none. Follows at most
 * `MAX_CAUSE_DEPTH` (10) links, which also ends a cyclic chain.
 */
export function connectionErrorCode(err: unknown): string | undefined {
  let found: string | undefined;
  let e = err;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (isConnectionErrorCode(code)) found = code as string;
    e = (e as { cause?: unknown }).cause;
  }
  return found;
}

/** `x-should-retry: true|false` as a boolean; undefined when absent or anything else. */
export function serverRetryHint(headers: Headers | undefined): boolean | undefined {
  const v = headers?.get(SHOULD_RETRY_HEADER);
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** Is a retry of this response worth it? The server's `x-should-retry` first, else the service's status kind. */
export function isRetryableResponse(facts: ResponseFacts, policy: ErrorPolicy): boolean {
  return serverRetryHint(facts.headers) ?? classifyResponse(facts, policy) === 'retryable';
}

/** Classify a non-2xx response. `now` (epoch ms) resolves a `Retry-After` date. */
export function classifyResponseFailure(
  facts: ResponseFacts,
  policy: ErrorPolicy,
  now: number = Date.now(),
): ResponseFailure {
  return {
    kind: 'response',
    retryable: isRetryableResponse(facts, policy),
    retryAfterMs: parseRetryAfter(facts.headers, now),
  };
}

/** Classify what an attempt threw: a {@link ConnectionError} (timeouts included) or something never retried. */
export function classifyThrown(err: unknown): AttemptFailure {
  if (err instanceof ConnectionError) {
    return { kind: 'connection', neverSent: err.code === CONNECTION_REFUSED_CODE };
  }
  return { kind: 'fatal' };
}
