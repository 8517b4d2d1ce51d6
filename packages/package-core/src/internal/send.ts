/**
 * The retrying fetch handed to openapi-fetch for one logical call: the plumbing that wires the retry module
 * (`internal/retry/`: classify -> strategy -> loop) to HTTP. openapi-fetch builds the URL and merges headers; below
 * it, every attempt (the first included) runs in the retry loop with auth and logging, a timeout, the retry-count
 * header and the same idempotency key each time. Non-2xx responses that end the loop are turned into errors here,
 * through the one mapping in `errors.ts`.
 */

import type { AuthRequest, AuthStrategy } from '../core/auth.js';
import { DEFAULT_TIMEOUT_MS } from '../core/constants.js';
import {
  AbortError,
  type ApiError,
  ClientError,
  ConnectionError,
  type ErrorPolicy,
  errorFromResponse,
  type ResponseFacts,
  TimeoutError,
} from '../core/errors.js';
import { type Logger, type LogLevel, levelEnabled } from '../core/logger.js';
import type { CompressBody } from '../core/options.js';
import type { Redactor } from './redact.js';
import { isRedirect, nextHop } from './redirects.js';
import {
  type BodyGuard,
  DEFAULT_MAX_ERROR_BODY_SIZE,
  DEFAULT_MAX_RESPONSE_SIZE,
  readCapped,
  tooLarge,
} from './response-limits.js';
import type { BackoffOptions } from './retry/backoff.js';
import {
  type AttemptFailure,
  classifyResponseFailure,
  classifyThrown,
  connectionErrorCode,
  type ResponseFailure,
} from './retry/classify.js';
import { retryLoop } from './retry/loop.js';
import { mayRetry, RetryStrategy, totalRetryLimit } from './retry/strategy.js';
import { gzip, type RawTransport } from './transport.js';
import { errorMessage, isRecord } from './util.js';

/** Client-wide machinery the loop needs. */
export interface Runtime {
  fetch: typeof fetch;
  getWithBody: RawTransport;
  auth: AuthStrategy | undefined;
  redactor: Redactor;
  logger: Logger;
  logLevel: LogLevel;
  errorPolicy: ErrorPolicy;
  retryCountHeader: string | null;
  /** Origins besides the request's own that redirects may lead to (`allowedRedirectOrigins`). */
  allowedRedirectOrigins?: ReadonlySet<string> | undefined;
  /** Decoded bytes a response body may have. @default 256 MiB */
  maxResponseSize?: number | undefined;
  /** Bytes of a non-2xx body kept for the error. @default 64 KiB */
  maxErrorBodySize?: number | undefined;
  /** Characters of the server's message put into `error.message`. @default 1000 */
  maxErrorMessageLength?: number | undefined;
}

/** Everything about one logical call. */
export interface CallPlan extends BackoffOptions {
  operation: string;
  /** Upper-case method. */
  method: string;
  /** Safe to send twice (method default or `x-idempotent`); gates every retry after the server may have acted. */
  idempotent: boolean;
  /** JSON body value; undefined for none. */
  body: unknown;
  signal: AbortSignal | undefined;
  timeout: number | undefined;
  maxRetries: number | undefined;
  maxConnectionRetries: number | undefined;
  compressBody: CompressBody | undefined;
  auth: AuthStrategy | null | undefined;
  authBodyField: string | undefined;
  idempotencyHeader: string | undefined;
  idempotencyKey: string | undefined;
  /** Replaces the URL openapi-fetch built (next-link pages). */
  url: string | undefined;
}

/** Filled in while the call runs (like AWS `$metadata`). */
export interface CallStats {
  attempts: number;
  /** Milliseconds spent waiting between attempts. */
  totalRetryDelay: number;
  /** Unhooks the caller's signal from the successful attempt once its body has been read. @internal */
  release?: (() => void) | undefined;
  /** How the successful attempt's body must be read (size limit, timeout mapping); see `readBodyCounted`. @internal */
  bodyGuard?: BodyGuard | undefined;
}

/** A non-2xx response, thrown inside the loop so p-retry sees a failure; mapped to an {@link ApiError} at the end. */
class FailedResponse extends Error {
  constructor(
    readonly facts: ResponseFacts,
    readonly failure: ResponseFailure,
  ) {
    super(`status ${facts.status}`);
  }
}

/** Why the per-attempt controller fired. */
const TIMEOUT_REASON = Symbol('timeout');

let nextCallId = 0;

/**
 * What openapi-fetch hands the retrying fetch: the URL it built and the headers it merged. openapi-fetch lets a
 * client choose the class it builds (its `Request` option); ours is this plain holder, because every attempt builds
 * its own request below anyway and a WHATWG `Request` per call would only add cost (and forbids GET bodies).
 */
export class AttemptTemplate {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  constructor(url: string, init: { method?: string; headers?: HeadersInit }) {
    this.url = url;
    this.method = init.method ?? 'GET';
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
  }
}

/** Build the fetch that openapi-fetch calls once for this logical call. */
export function retryingFetch(
  rt: Runtime,
  plan: CallPlan,
  stats: CallStats,
): (input: AttemptTemplate) => Promise<Response> {
  return async (input: AttemptTemplate) => {
    const auth = plan.auth === null ? undefined : (plan.auth ?? rt.auth);
    const logId = levelEnabled(rt.logLevel, 'info') ? `req_${(++nextCallId).toString(36)}` : '';

    const attempt = async (attemptNumber: number): Promise<Response> => {
      stats.attempts = attemptNumber;
      const res = await sendAttempt(rt, plan, input, auth, attemptNumber, logId, stats);
      if (res.ok) return res;
      const facts = await readErrorFacts(res, rt.maxErrorBodySize ?? DEFAULT_MAX_ERROR_BODY_SIZE);
      throw new FailedResponse(facts, classifyResponseFailure(facts, rt.errorPolicy));
    };

    try {
      // Inside the try: options it refuses become a ClientError naming the operation and the option.
      const strategy = new RetryStrategy(plan);
      return await retryLoop(attempt, {
        retries: totalRetryLimit(plan),
        signal: plan.signal,
        nextDelay: (error) => {
          const decision = strategy.decide(failureOf(error));
          return decision.retry ? decision.delayMs : undefined;
        },
        onRetry: (error, attemptNumber, delayMs) => {
          rt.logger.info(
            `${logId} ${plan.operation}: attempt ${attemptNumber} failed (${describe(error)}), retrying in ${delayMs} ms`,
          );
          stats.totalRetryDelay += delayMs;
        },
      });
    } catch (err) {
      throw finalError(err, rt, plan, stats);
    }
  };
}

function failureOf(error: unknown): AttemptFailure {
  return error instanceof FailedResponse ? error.failure : classifyThrown(error);
}

function finalError(err: unknown, rt: Runtime, plan: CallPlan, stats: CallStats): unknown {
  // Once the caller has aborted, whatever the last attempt died of is reported as the abort, unless a response
  // had already come back.
  if (plan.signal?.aborted && !(err instanceof FailedResponse)) {
    return abortError(plan.operation, stats.attempts, plan.signal.reason, rt.redactor);
  }
  if (err instanceof FailedResponse) {
    return errorFromResponse(err.facts, {
      operation: plan.operation,
      attempts: stats.attempts,
      policy: rt.errorPolicy,
      redactor: rt.redactor,
      // Whether a retry could succeed, idempotency aside: a 503 to a POST is still a transient failure.
      retryable: err.failure.retryable,
      maxMessageLength: rt.maxErrorMessageLength,
    });
  }
  if (err instanceof ClientError) {
    err.attempts = stats.attempts;
    if (err instanceof ConnectionError)
      err.retryable = mayRetry(failureOf(err), plan.idempotent) === undefined;
    return err;
  }
  return new ClientError(`${plan.operation}: ${errorMessage(err)}`, {
    operation: plan.operation,
    attempts: stats.attempts,
    cause: err,
    redactor: rt.redactor,
  });
}

/** The error of a call the caller aborted (also used by `createClient` when the abort hits the body read). */
export function abortError(
  operation: string,
  attempts: number,
  reason: unknown,
  redactor: Redactor,
): AbortError {
  return new AbortError(`${operation}: aborted by the caller`, {
    operation,
    attempts,
    cause: reason,
    redactor,
  });
}

/** Read a non-2xx body once, at most `limitBytes` of it: JSON when it parses, else text, else undefined. */
async function readErrorFacts(res: Response, limitBytes: number): Promise<ResponseFacts> {
  let text = '';
  try {
    text = await readCapped(res, limitBytes);
  } catch {
    // A body cut off mid-way still leaves the status to classify on.
  }
  if (!text) return { status: res.status, headers: res.headers, body: undefined, json: false };
  try {
    return { status: res.status, headers: res.headers, body: JSON.parse(text), json: true };
  } catch {
    return { status: res.status, headers: res.headers, body: text, json: false };
  }
}

/** One HTTP attempt: auth, serialisation, timeout, send. Throws ConnectionError/TimeoutError/AbortError. */
async function sendAttempt(
  rt: Runtime,
  plan: CallPlan,
  input: AttemptTemplate,
  auth: AuthStrategy | undefined,
  attemptNumber: number,
  logId: string,
  stats: CallStats,
): Promise<Response> {
  // openapi-fetch built these for this call only: edit them in place (every attempt sets the same keys).
  const headers = input.headers;
  if (rt.retryCountHeader) headers.set(rt.retryCountHeader, String(attemptNumber - 1));
  if (plan.idempotencyKey && plan.idempotencyHeader) headers.set(plan.idempotencyHeader, plan.idempotencyKey);
  const url = plan.url ?? input.url;

  let body: unknown = plan.body;
  if (auth) {
    const req: AuthRequest = {
      operation: plan.operation,
      method: plan.method,
      url,
      headers,
      body:
        body !== undefined && isRecord(body)
          ? { ...body }
          : auth.needsBody && body === undefined
            ? {}
            : (body as undefined),
      bodyField: plan.authBodyField,
      addSecret: (s) => rt.redactor.addSecret(s),
    };
    await auth.apply(req);
    if (req.body !== undefined) body = req.body;
  }

  let payload: string | Uint8Array | undefined;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    headers.set('content-type', 'application/json');
    if (plan.compressBody === 'gzip') {
      payload = await gzip(payload);
      headers.set('content-encoding', 'gzip');
    }
  }

  if (levelEnabled(rt.logLevel, 'debug')) {
    rt.logger.debug(`${logId} ${plan.operation}: ${plan.method} ${rt.redactor.string(url)}`, {
      attempt: attemptNumber,
      headers: rt.redactor.headers(headers),
      body: rt.redactor.value(body),
    });
  }

  // Per-attempt controller: fires on timeout or when the caller aborts.
  const controller = new AbortController();
  const timeoutMs = plan.timeout ?? DEFAULT_TIMEOUT_MS;
  const callerSignal = plan.signal;
  if (callerSignal?.aborted) throw callerSignal.reason ?? new Error('aborted');
  // A module-level callback with an argument: no closure per attempt on the hot path.
  const timer = setTimeout(abortOnTimeout, timeoutMs, controller);
  let onCallerAbort: (() => void) | undefined;
  let keepCallerLink = false;
  // Set once the body is handed on: the body guard then owns the timer and the caller link.
  let bodyOwnsTimer = false;
  if (callerSignal) {
    onCallerAbort = () => controller.abort(callerSignal.reason);
    callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  }

  const maxResponseSize = rt.maxResponseSize ?? DEFAULT_MAX_RESPONSE_SIZE;
  const timeoutError = () =>
    new TimeoutError(`${plan.operation}: attempt ${attemptNumber} timed out after ${timeoutMs} ms`, {
      operation: plan.operation,
      timeoutMs,
      redactor: rt.redactor,
    });
  try {
    // Redirects are followed here, same origin only (internal/redirects.ts): fetch would re-send the body token.
    let hopUrl = url;
    let method = plan.method;
    let hopPayload = payload;
    let res: Response;
    for (let hops = 0; ; hops++) {
      res =
        hopPayload !== undefined && (method === 'GET' || method === 'HEAD')
          ? await rt.getWithBody({
              url: hopUrl,
              method,
              headers,
              body: hopPayload,
              signal: controller.signal,
              operation: plan.operation,
              maxResponseBytes: maxResponseSize,
            })
          : await rt.fetch(hopUrl, {
              method,
              headers,
              body: hopPayload as BodyInit | undefined,
              signal: controller.signal,
              redirect: 'manual',
            });
      if (!isRedirect(res)) break;
      const hop = nextHop(
        res,
        hopUrl,
        method,
        hops,
        rt.allowedRedirectOrigins ?? NO_ORIGINS,
        plan.operation,
        rt.redactor,
      );
      await res.body?.cancel().catch(() => {});
      hopUrl = hop.url;
      method = hop.method;
      if (hop.dropBody) {
        hopPayload = undefined;
        headers.delete('content-type');
        headers.delete('content-encoding');
      }
    }
    if (logId)
      rt.logger.info(`${logId} ${plan.operation}: ${plan.method} ${res.status} (attempt ${attemptNumber})`);
    if (callerSignal && res.ok) {
      // Keep the caller's abort wired to this attempt while its body is read; the call releases it when done.
      const listener = onCallerAbort as () => void;
      stats.release = () => callerSignal.removeEventListener('abort', listener);
      keepCallerLink = true;
    }
    // The timeout keeps running until the body is read (or dropped), and the body is counted as it decodes.
    bodyOwnsTimer = true;
    // A body the call never reads (Content-Length: 0, HEAD) must not keep the timer: the call releases it when done.
    const releaseCaller = stats.release;
    stats.release = () => {
      releaseCaller?.();
      clearTimeout(timer);
    };
    // The caller reads the body through this guard (readBodyCounted): no wrapper stream per response.
    stats.bodyGuard = {
      limitBytes: maxResponseSize,
      abort: (reason) => controller.abort(reason),
      abortError: () =>
        controller.signal.reason === TIMEOUT_REASON
          ? timeoutError()
          : controller.signal.reason instanceof ClientError
            ? controller.signal.reason
            : undefined,
      done: () => clearTimeout(timer),
      tooLarge: () => tooLarge(plan.operation, maxResponseSize, rt.redactor),
    };
    return res;
  } catch (err) {
    if (err instanceof ClientError) throw err;
    if (callerSignal?.aborted) throw callerSignal.reason ?? err;
    if (controller.signal.aborted && controller.signal.reason === TIMEOUT_REASON) throw timeoutError();
    const code = connectionErrorCode(err);
    throw new ConnectionError(
      `${plan.operation}: connection error${code ? ` (${code})` : ''}: ${errorMessage(err)}`,
      {
        operation: plan.operation,
        code,
        cause: err,
        redactor: rt.redactor,
      },
    );
  } finally {
    if (!bodyOwnsTimer) clearTimeout(timer);
    if (!keepCallerLink && onCallerAbort) callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

const NO_ORIGINS: ReadonlySet<string> = new Set();

function abortOnTimeout(controller: AbortController): void {
  controller.abort(TIMEOUT_REASON);
}

function describe(err: unknown): string {
  if (err instanceof FailedResponse) return err.message;
  return err instanceof Error ? err.name : String(err);
}
