/**
 * The error taxonomy (DESIGN.md §4) and the ONE place that maps a response, or a failure to get one, to a class.
 *
 * ```
 * ClientError
 * ├─ MissingParamError             invalid input, nothing was sent
 * ├─ ConnectionError (NetworkError) no response: reset, refused, DNS...
 * │  └─ TimeoutError               an attempt ran past `timeout`
 * ├─ AbortError                    the caller aborted
 * ├─ ResponseValidationError       2xx body does not match the spec
 * └─ ApiError                      a response came back
 *    ├─ InvalidParamsError         400, 422         -> BadRequestError, UnprocessableEntityError
 *    ├─ FatalApiError              401, 403, 404... -> AuthenticationError, PermissionDeniedError, NotFoundError, ConflictError
 *    └─ RetryableApiError          408, 429, 5xx    -> RequestTimeoutError, RateLimitError, InternalServerError
 * ```
 *
 * A service moves a status between the three kinds through its {@link ErrorPolicy}, never with scattered ifs.
 * `instanceof` is duck-typed (like smithy's `ServiceException`) so it holds across two installed copies of this
 * package.
 */
import { defaultRedactor, type Redactor } from '../internal/redact.js';

/** Brand carried by every error instance: the names of the classes in its chain. */
const KINDS = Symbol.for('@mlclients/package-core:error-kinds');

type Branded = { [KINDS]?: readonly string[] };

/**
 * Each error's redactor, kept off the instance: nothing that prints an error (`util.inspect` with `showHidden`,
 * `%o`, a structured logger walking own properties) can reach the client's secrets through it.
 */
const redactors = new WeakMap<object, Redactor>();

/** Common metadata every error may carry. */
export interface ClientErrorInit {
  /** The operation that failed (`operationId`, e.g. `listTrials`). */
  operation?: string | undefined;
  /** How many HTTP attempts were made (1 = no retry). */
  attempts?: number | undefined;
  /** The server's request id, from the policy's request-id headers. */
  requestId?: string | undefined;
  cause?: unknown;
  /** Redactor holding the client's secrets; defaults to pattern rules only. */
  redactor?: Redactor | undefined;
}

/** Base class of every error this runtime throws. */
export class ClientError extends Error {
  /** Stable name used by the duck-typed `instanceof` (survives minification and duplicate installs). */
  static readonly kindName: string = 'ClientError';

  /** `instanceof` by the brand of `kindName`, not by identity, so it holds across two installed copies of the core. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (value === null || typeof value !== 'object') return false;
    const kinds = (value as Branded)[KINDS];
    // `this` is the class on the right of `instanceof` (a subclass inherits this method), so it must stay `this`.
    // biome-ignore lint/complexity/noThisInStatic: see above
    return Array.isArray(kinds) && kinds.includes((this as unknown as typeof ClientError).kindName);
  }

  /** `operationId` of the failed call, when known. */
  operation: string | undefined;
  /** HTTP attempts made, when known. */
  attempts: number | undefined;
  /** Server request id, when the response carried one. */
  requestId: string | undefined;
  /** Whether retrying the same request could succeed (the retry loop's verdict). */
  retryable = false;
  /** The client's redactor (module-private storage, see `redactors`). @internal */
  protected get redactor(): Redactor {
    return redactors.get(this) ?? defaultRedactor;
  }

  /** Thrown by the clients; `message` names the operation, `init` carries what is known of the call. */
  constructor(message: string, init: ClientErrorInit = {}) {
    const redactor = init.redactor ?? defaultRedactor;
    super(
      redactor.string(message),
      init.cause === undefined ? undefined : { cause: redactor.error(init.cause) },
    );
    redactors.set(this, redactor);
    this.operation = init.operation;
    this.attempts = init.attempts;
    this.requestId = init.requestId;
    const kinds: string[] = [];
    for (let c = new.target as unknown as typeof ClientError | undefined; c?.kindName; ) {
      if (!kinds.includes(c.kindName)) kinds.push(c.kindName);
      const parent = Object.getPrototypeOf(c);
      c = parent === Function.prototype ? undefined : parent;
    }
    Object.defineProperty(this, KINDS, { value: Object.freeze(kinds), enumerable: false });
    this.name = (new.target as unknown as typeof ClientError).kindName;
  }

  /** A redacted, JSON-safe view (what `JSON.stringify(error)` prints). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      operation: this.operation,
      attempts: this.attempts,
      requestId: this.requestId,
      retryable: this.retryable,
      cause: this.cause instanceof Error ? { name: this.cause.name, message: this.cause.message } : undefined,
    };
  }
}

/** One problem found by request validation. */
export interface ValidationIssue {
  /** Dot/bracket path into the params, e.g. `trials[3].score`. */
  path: string;
  /** What is wrong, e.g. `expected number, got string`. */
  message: string;
}

/** The request is invalid; nothing was sent. */
export class MissingParamError extends ClientError {
  static override readonly kindName: string = 'MissingParamError';
  readonly issues: readonly ValidationIssue[];
  /** Thrown by the clients; `message` names the operation, `init` carries what is known of the call. */
  constructor(message: string, issues: readonly ValidationIssue[], init: ClientErrorInit = {}) {
    super(message, init);
    this.issues = issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** No response arrived (connection reset or refused, DNS failure...). Alias: {@link NetworkError}. */
export class ConnectionError extends ClientError {
  static override readonly kindName: string = 'ConnectionError';
  /** The system error code when there is one (`ECONNREFUSED`, `ECONNRESET`...). */
  readonly code: string | undefined;
  /** True when the connection was refused: the request provably never reached the server. */
  readonly connectionRefused: boolean;
  /** Thrown by the clients; `message` names the operation, `init` carries what is known of the call. */
  constructor(message: string, init: ClientErrorInit & { code?: string | undefined } = {}) {
    super(message, init);
    this.code = init.code;
    this.connectionRefused = init.code === 'ECONNREFUSED';
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), code: this.code };
  }
}

/** The seed clients' name for {@link ConnectionError}. */
export const NetworkError = ConnectionError;
/** The seed clients' name for {@link ConnectionError}. */
export type NetworkError = ConnectionError;

/** One attempt ran past its `timeout`. Retried like any connection error. */
export class TimeoutError extends ConnectionError {
  static override readonly kindName: string = 'TimeoutError';
  /** The per-attempt timeout that fired, in milliseconds. */
  readonly timeoutMs: number | undefined;
  /** Thrown by the clients; `message` names the operation, `init` carries what is known of the call. */
  constructor(message: string, init: ClientErrorInit & { timeoutMs?: number } = {}) {
    super(message, init);
    this.timeoutMs = init.timeoutMs;
  }
}

/** A response body grew past `maxResponseSize` (decoded bytes, counted while streaming). Never retried. */
export class ResponseTooLargeError extends ClientError {
  static override readonly kindName: string = 'ResponseTooLargeError';
  /** The limit that was hit, in bytes. */
  readonly limitBytes: number;
  /** Thrown by the clients; `message` names the operation, `init` carries what is known of the call. */
  constructor(message: string, init: ClientErrorInit & { limitBytes: number }) {
    super(message, init);
    this.limitBytes = init.limitBytes;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limitBytes: this.limitBytes };
  }
}

/** The caller aborted (their `signal` fired). Never retried. */
export class AbortError extends ClientError {
  static override readonly kindName: string = 'AbortError';
}

/** A 2xx body did not match the spec's schema (thrown only with `validate: 'error'`). */
export class ResponseValidationError extends ClientError {
  static override readonly kindName: string = 'ResponseValidationError';
  readonly issues: readonly ValidationIssue[];
  /** The body as received (redacted). */
  readonly body: unknown;
  /** Thrown by the clients; `message` names the operation, `init` carries what is known of the call. */
  constructor(
    message: string,
    issues: readonly ValidationIssue[],
    body: unknown,
    init: ClientErrorInit = {},
  ) {
    super(message, init);
    this.issues = issues;
    this.body = this.redactor.value(body);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** What {@link ApiError} constructors receive. */
export interface ApiErrorInit extends ClientErrorInit {
  status: number;
  headers: Headers;
  body: unknown;
  retryable?: boolean;
  /** Service-specific details from {@link ErrorPolicy.parseErrorBody} (e.g. the Hub's `error_param`s). */
  details?: unknown;
  /** A service error code from the body, when there is one. */
  code?: string | undefined;
  /** The server's own message, uncut by `maxErrorMessageLength` (it comes from a body capped at `maxErrorBodySize`). */
  serverMessage?: string | undefined;
}

/** A response came back with a non-2xx status. */
export class ApiError extends ClientError {
  static override readonly kindName: string = 'ApiError';
  readonly status: number;
  /** Response headers; secret ones (`set-cookie`) masked. */
  readonly headers: Record<string, string>;
  /** The error body as received (parsed JSON, or text), with secret fields masked. */
  readonly body: unknown;
  readonly details: unknown;
  readonly code: string | undefined;
  /** The server's whole message (redacted; capped by the error body limit), when `message` had to be cut. */
  readonly serverMessage: string | undefined;
  /** Thrown by the clients; `message` names the operation, `init` carries what is known of the call. */
  constructor(message: string, init: ApiErrorInit) {
    super(message, init);
    this.status = init.status;
    this.serverMessage =
      init.serverMessage === undefined ? undefined : this.redactor.string(init.serverMessage);
    this.headers = this.redactor.headers(init.headers);
    this.body = this.redactor.value(init.body);
    this.details = this.redactor.value(init.details);
    this.code = init.code;
    this.retryable = init.retryable ?? false;
  }
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      code: this.code,
      headers: this.headers,
      body: this.body,
      details: this.details,
    };
  }
}

/** The request was rejected as invalid (400, 422 by default). */
export class InvalidParamsError extends ApiError {
  static override readonly kindName: string = 'InvalidParamsError';
}
/** A non-retryable failure (401, 403, 404, 409 and other 4xx by default). */
export class FatalApiError extends ApiError {
  static override readonly kindName: string = 'FatalApiError';
}
/** A failure worth retrying (408, 429, 5xx by default). Thrown once retries are exhausted or not allowed. */
export class RetryableApiError extends ApiError {
  static override readonly kindName: string = 'RetryableApiError';
}
export class BadRequestError extends InvalidParamsError {
  static override readonly kindName: string = 'BadRequestError';
}
export class UnprocessableEntityError extends InvalidParamsError {
  static override readonly kindName: string = 'UnprocessableEntityError';
}
export class AuthenticationError extends FatalApiError {
  static override readonly kindName: string = 'AuthenticationError';
}
export class PermissionDeniedError extends FatalApiError {
  static override readonly kindName: string = 'PermissionDeniedError';
}
export class NotFoundError extends FatalApiError {
  static override readonly kindName: string = 'NotFoundError';
}
export class ConflictError extends FatalApiError {
  static override readonly kindName: string = 'ConflictError';
}
export class RequestTimeoutError extends RetryableApiError {
  static override readonly kindName: string = 'RequestTimeoutError';
}
export class RateLimitError extends RetryableApiError {
  static override readonly kindName: string = 'RateLimitError';
}
export class InternalServerError extends RetryableApiError {
  static override readonly kindName: string = 'InternalServerError';
}
/**
 * A redirect to another origin (scheme, host, port) than the request's, refused so the request's credentials (a
 * body token, `x-api-key`...) never reach it. `targetOrigin` names where it pointed; `allowedRedirectOrigins` admits it.
 */
export class RedirectRefusedError extends FatalApiError {
  static override readonly kindName: string = 'RedirectRefusedError';
  /** The origin the `Location` header pointed to (no path or query: those may carry secrets). */
  readonly targetOrigin: string;
  /** Thrown by the clients; `message` names the operation, `init` carries what is known of the call. */
  constructor(message: string, init: ApiErrorInit & { targetOrigin: string }) {
    super(message, init);
    this.targetOrigin = init.targetOrigin;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), targetOrigin: this.targetOrigin };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Policy: which kind a status is, how to read the server's message. Per service, plain data plus optional hooks.
// ---------------------------------------------------------------------------------------------------------------

/** The three kinds of {@link ApiError}. `retryable` responses are retried (subject to the idempotency rules). */
export type ErrorKind = 'invalid' | 'fatal' | 'retryable';

/** What a service's error body says, as extracted by {@link ErrorPolicy.parseErrorBody}. */
export interface ParsedErrorBody {
  /** The server's own error text. */
  message?: string | undefined;
  /** A machine-readable code, when the service has one. */
  code?: string | undefined;
  /** Anything else worth keeping (field errors, `error_param`s...). Exposed as `error.details`. */
  details?: unknown;
}

/** The facts the classifier sees. */
export interface ResponseFacts {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or the text when it is not JSON, or undefined when empty. */
  body: unknown;
  /** True when the body parsed as JSON. */
  json: boolean;
}

/**
 * A service's error rules. Every field is optional; the defaults are {@link defaultErrorPolicy}.
 *
 * @example the Hub: 500 is a server bug, not transient; a 400 whose body is not JSON comes from the proxy.
 * ```ts
 * const hubErrorPolicy: ErrorPolicy = {
 *   statusKinds: { 500: 'fatal' },
 *   classify: ({ status, json }) => (status === 400 && !json ? 'fatal' : undefined),
 *   parseErrorBody: (body) => ({ message: body?.meta?.error_message, details: body?.meta?.errors }),
 * };
 * ```
 */
export interface ErrorPolicy {
  /** Per-status kind overrides, e.g. `{ 500: 'fatal', 409: 'retryable' }`. */
  statusKinds?: Readonly<Record<number, ErrorKind>>;
  /** A hook consulted first; return undefined to fall through to `statusKinds` and the defaults. */
  classify?: (facts: ResponseFacts) => ErrorKind | undefined;
  /** Extract the server's message/code/details from an error body. Falls back to {@link defaultParseErrorBody}. */
  parseErrorBody?: (body: unknown, facts: ResponseFacts) => ParsedErrorBody | undefined;
  /**
   * Response headers that carry the request id, first match wins.
   * @default ['x-request-id', 'request-id', 'x-amzn-requestid', 'x-correlation-id']
   */
  requestIdHeaders?: readonly string[];
}

/** Default request-id header names (openai uses `x-request-id`, anthropic `request-id`). */
export const DEFAULT_REQUEST_ID_HEADERS = [
  'x-request-id',
  'request-id',
  'x-amzn-requestid',
  'x-correlation-id',
];

/**
 * The default kind of a status (DESIGN.md §4): 400/422 invalid; 408, 429 and every 5xx retryable; every other
 * status fatal. 409 is fatal here although Stainless retries it ("lock timeouts"): a service that wants that sets
 * `statusKinds: { 409: 'retryable' }`.
 */
export function defaultStatusKind(status: number): ErrorKind {
  if (status === 400 || status === 422) return 'invalid';
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  return 'fatal';
}

/** The default policy: no overrides. */
export const defaultErrorPolicy: Required<Pick<ErrorPolicy, 'requestIdHeaders'>> & ErrorPolicy = {
  requestIdHeaders: DEFAULT_REQUEST_ID_HEADERS,
};

/** Classify a response. The retry loop and the error mapping both call this, so they can never disagree. */
export function classifyResponse(facts: ResponseFacts, policy: ErrorPolicy = defaultErrorPolicy): ErrorKind {
  return policy.classify?.(facts) ?? policy.statusKinds?.[facts.status] ?? defaultStatusKind(facts.status);
}

/** Longest server message copied into `error.message` (the `maxErrorMessageLength` default). */
export const DEFAULT_MAX_ERROR_MESSAGE_LENGTH = 1_000;

/**
 * Read the common error-body shapes: `{message}`, `{error: "..."}`, `{error: {message, code}}`, `{detail}`,
 * `{errors: [{message}]}`, or plain text.
 */
export function defaultParseErrorBody(body: unknown): ParsedErrorBody {
  if (typeof body === 'string') return { message: body.trim() || undefined };
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const err = b.error;
  const nested = err && typeof err === 'object' ? (err as Record<string, unknown>) : undefined;
  const firstOf = Array.isArray(b.errors) ? (b.errors[0] as Record<string, unknown> | undefined) : undefined;
  const message =
    str(b.message) ??
    str(nested?.message) ??
    str(err) ??
    str(b.detail) ??
    str(b.error_message) ??
    str(b.title) ??
    str(firstOf?.message);
  const code = str(b.code) ?? str(nested?.code) ?? str(nested?.type) ?? str(b.type);
  return { message, code, details: Array.isArray(b.errors) ? b.errors : undefined };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Find the request id in response headers. */
export function requestIdOf(headers: Headers, policy: ErrorPolicy = defaultErrorPolicy): string | undefined {
  for (const name of policy.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS) {
    const v = headers.get(name);
    if (v) return v;
  }
  return undefined;
}

type ApiErrorClass = new (message: string, init: ApiErrorInit) => ApiError;

/** Status-named classes, each under its default kind. A status moved to another kind gets that kind's base class. */
const STATUS_CLASSES: Readonly<Record<ErrorKind, Readonly<Record<number, ApiErrorClass>>>> = {
  invalid: { 400: BadRequestError, 422: UnprocessableEntityError },
  fatal: { 401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError, 409: ConflictError },
  retryable: { 408: RequestTimeoutError, 429: RateLimitError },
};
const KIND_CLASSES: Readonly<Record<ErrorKind, ApiErrorClass>> = {
  invalid: InvalidParamsError,
  fatal: FatalApiError,
  retryable: RetryableApiError,
};

/** Context for {@link errorFromResponse}. */
export interface ResponseErrorContext {
  operation?: string | undefined;
  attempts?: number | undefined;
  policy?: ErrorPolicy | undefined;
  redactor?: Redactor | undefined;
  /** Whether the retry loop would have retried this (kind retryable, `x-should-retry` not false). */
  retryable?: boolean | undefined;
  /** Longest server message put into `error.message`. @default 1000 */
  maxMessageLength?: number | undefined;
}

/**
 * THE mapping from a non-2xx response to an error class. Message: `<operation>: <status> <server message>`.
 */
export function errorFromResponse(facts: ResponseFacts, ctx: ResponseErrorContext = {}): ApiError {
  const policy = ctx.policy ?? defaultErrorPolicy;
  const kind = classifyResponse(facts, policy);
  const parsed = {
    ...defaultParseErrorBody(facts.body),
    ...stripUndefined(policy.parseErrorBody?.(facts.body, facts) ?? {}),
  };
  const Class =
    STATUS_CLASSES[kind][facts.status] ??
    (kind === 'retryable' && facts.status >= 500 ? InternalServerError : KIND_CLASSES[kind]);
  const maxLength = ctx.maxMessageLength ?? DEFAULT_MAX_ERROR_MESSAGE_LENGTH;
  const full = parsed.message ?? (facts.body === undefined ? 'status code (no body)' : 'status code');
  const text = full.length > maxLength ? `${full.slice(0, maxLength)}… (${full.length} characters)` : full;
  const prefix = ctx.operation ? `${ctx.operation}: ` : '';
  return new Class(`${prefix}${facts.status} ${text}`, {
    serverMessage: parsed.message,
    status: facts.status,
    headers: facts.headers,
    body: facts.body,
    details: parsed.details,
    code: parsed.code,
    operation: ctx.operation,
    attempts: ctx.attempts,
    requestId: requestIdOf(facts.headers, policy),
    retryable: ctx.retryable ?? kind === 'retryable',
    redactor: ctx.redactor,
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * The deepest system error code in an error's `cause` chain that means "no response" (`ECONNRESET`,
 * `ECONNREFUSED`...). The list lives with the retry classifiers (`internal/retry/classify.ts`).
 */
export { connectionErrorCode as systemErrorCode } from '../internal/retry/classify.js';
