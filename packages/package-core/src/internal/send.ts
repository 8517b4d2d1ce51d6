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
} from '../core/errors.js';
import { type Logger, type LogLevel, levelEnabled } from '../core/logger.js';
import type { CompressBody } from '../core/options.js';
import { AttemptControl } from './attempt-control.js';
import type { Redactor } from './redact.js';
import { isRedirect, nextHop } from './redirects.js';
import { DEFAULT_MAX_ERROR_BODY_SIZE, DEFAULT_MAX_RESPONSE_SIZE, readCapped } from './response-limits.js';
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
  /**
   * The last attempt's timeout and caller link, still armed while its body is read: the guard `readBodyCounted`
   * reads through, released by the call when done. @internal
   */
  control?: AttemptControl | undefined;
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
      // Disarmed before a retry's wait: a failed attempt's timer must not outlive it.
      stats.control?.release();
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

  const callerSignal = plan.signal;
  if (callerSignal?.aborted) throw callerSignal.reason ?? new Error('aborted');
  const control = new AttemptControl(
    callerSignal,
    plan.timeout ?? DEFAULT_TIMEOUT_MS,
    rt.maxResponseSize ?? DEFAULT_MAX_RESPONSE_SIZE,
    plan.operation,
    attemptNumber,
    rt.redactor,
  );
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
              signal: control.signal,
              operation: plan.operation,
              maxResponseBytes: control.limitBytes,
            })
          : await rt.fetch(hopUrl, {
              method,
              headers,
              body: hopPayload as BodyInit | undefined,
              signal: control.signal,
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
    // The timeout and the caller's abort stay armed while the body is read (readBodyCounted, or the error body);
    // whoever reads it releases the control.
    stats.control = control;
    return res;
  } catch (err) {
    control.release();
    if (err instanceof ClientError) throw err;
    if (callerSignal?.aborted) throw callerSignal.reason ?? err;
    if (control.timedOut) throw control.timeoutError();
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
  }
}

const NO_ORIGINS: ReadonlySet<string> = new Set();

function describe(err: unknown): string {
  if (err instanceof FailedResponse) return err.message;
  return err instanceof Error ? err.name : String(err);
}
