/** Client and per-request options. Every option is documented with its default. */

import type { RawTransport } from '../internal/transport.js';
import type { EnvelopeSpec } from '../resource/types.js';
import type { SchemaSource } from '../validation/load.js';
import type { AuthStrategy } from './auth.js';
import type { ErrorPolicy } from './errors.js';
import type { Logger, LogLevel } from './logger.js';
import type { Middleware } from './middleware.js';

/** What to do when a schema check fails. */
export type ValidateMode = 'error' | 'warn' | 'off';

/** Header values; `null` removes a default header for one call. */
export type HeadersInit = Record<string, string | null | undefined>;

/** Body compression for a request. */
export type CompressBody = 'gzip' | false;

/** Options that can be set on the client and overridden per call. */
export interface SharedOptions {
  /**
   * Per-attempt timeout, milliseconds, covering the whole response (headers and body, every method). A timed-out attempt is a `TimeoutError` and is
   * retried (idempotent operations only), so a call may take up to `(maxRetries + 1) × timeout` plus the waits.
   * @default 600000
   */
  timeout?: number;
  /** Retries after the first attempt. @default 2 */
  maxRetries?: number;
  /**
   * Retries allowed for connection errors (reset, refused, timeout), when they should differ from `maxRetries`
   * (the seed clients' `connection_retries_count`). @default maxRetries
   */
  maxConnectionRetries?: number;
  /** First backoff delay, ms; doubles each retry (the seeds' `retry_wait_seconds` × 1000). @default 500 */
  initialRetryDelay?: number;
  /** Backoff ceiling, ms. @default 8000 */
  maxRetryDelay?: number;
  /** Fraction of each backoff delay removed at random, 0..1. @default 0.25 */
  retryJitter?: number;
  /** Longest `Retry-After`/`retry-after-ms` honoured, ms; longer values use the backoff instead. @default 60000 */
  maxRetryAfter?: number;
  /**
   * A `Retry-After` above `maxRetryAfter`: `'cap'` waits the cap, `'backoff'` uses the normal backoff instead.
   * @default 'cap'
   */
  retryAfterBeyondCap?: 'cap' | 'backoff';
  /** Headers for every request; `null` removes one. @default {} */
  headers?: HeadersInit;
  /**
   * Response validation against the generated zod schemas: `'warn'` logs a mismatch (once per operation and field)
   * and returns the data, `'error'` throws `ResponseValidationError`, `'off'` skips it. Requests are validated
   * before sending unless `'off'`. @default 'warn' (a spec inferred from a service can be stricter than the service)
   */
  validate?: ValidateMode;
  /** Compress JSON request bodies (sets `Content-Encoding`). @default false */
  compressBody?: CompressBody;
}

/** Options of a client (`new BaseClient(options)`, the generated clients, `createClient`). */
export interface ClientOptions extends SharedOptions {
  /** Base URL, e.g. `https://app.auger.ai/api/v1`. Required. */
  baseUrl: string;
  /**
   * Base URLs of the named servers some operations live on (the spec's per-operation `servers` with
   * `x-server-name`), e.g. `{ optimizers: 'https://optimizers.example' }`. @default {}
   */
  servers?: Readonly<Record<string, string | undefined>>;
  /** Extra middleware, run after the spec extensions (see `core/middleware.ts`). @default [] */
  middleware?: readonly Middleware[];
  /** The field of successful bodies that holds the payload. @default the spec's `x-envelope` */
  envelope?: EnvelopeSpec;
  /** How requests authenticate. @default noAuth */
  auth?: AuthStrategy;
  /** The fetch implementation (tests inject one; MSW patches the global). @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * Sends a request whose method forbids a body in WHATWG fetch (a GET with a JSON body). @default on Node,
   * `nodeHttpTransport` (`node:http`, which MSW can intercept); in a browser, none (such calls fail with a `ClientError` naming the operation).
   */
  getWithBody?: RawTransport;
  /** Where log lines go. @default console */
  logger?: Logger;
  /** @default process.env.MLCLIENTS_LOG, else 'warn' */
  logLevel?: LogLevel;
  /** The service's error rules (which statuses retry, how to read error bodies). @default defaultErrorPolicy */
  errorPolicy?: ErrorPolicy;
  /** Generated `operationSchemas` (zod). @default the generated client's (for `createClient`: {}, nothing validated) */
  operationSchemas?: SchemaSource;
  /**
   * Header that carries idempotency keys. When set, every non-GET call gets a key (one per logical call, the same on
   * every retry); when unset, a key is sent only if the caller passes `idempotencyKey`, under `Idempotency-Key`.
   * @default undefined
   */
  idempotencyHeader?: string;
  /** Header with the number of retries so far (0 first); `null` to send none. @default 'x-retry-count' */
  retryCountHeader?: string | null;
  /** Per-operation defaults keyed by `operationId`, e.g. `{ uploadTrials: { compressBody: 'gzip' } }`. @default {} */
  operationOptions?: Readonly<Record<string, RequestOptions>>;
  /** Pages `iterate()` fetches at once for offset lists with a known total (per call: `concurrency`). @default 4 */
  pageConcurrency?: number;
  /**
   * Origins besides the request's own that a redirect may lead to, e.g. `['https://files.example.com']`. Any
   * other cross-origin redirect is a `RedirectRefusedError` (the request's credentials stay home). @default []
   */
  allowedRedirectOrigins?: readonly string[];
  /** Decoded bytes a response body may have, counted while it streams (gzip/deflate/br decoded); past it: `ResponseTooLargeError`. @default 268435456 (256 MiB) */
  maxResponseSize?: number;
  /** Bytes of a non-2xx body read and kept on the error (`error.body`). @default 65536 (64 KiB) */
  maxErrorBodySize?: number;
  /** Characters of the server's message put into `error.message` (the whole one stays in `error.serverMessage`). @default 1000 */
  maxErrorMessageLength?: number;
}

/** Per-call options (the last argument of every method). */
export interface RequestOptions extends SharedOptions {
  /** Abort the call; an abort is never retried and surfaces as `AbortError`. */
  signal?: AbortSignal | undefined;
  /** Idempotency key for this call (same on every retry). @default generated when `idempotencyHeader` is set */
  idempotencyKey?: string;
  /** Override the client's auth for this call; `null` sends none. */
  auth?: AuthStrategy | null;
  /** Body field carrying the token for the `bodyToken` strategy, for this call. */
  authBodyField?: string;
  /** Extra query parameters, merged over the operation's. */
  query?: Record<string, unknown>;
  /** Absolute URL to request instead of the operation's path (next-link pagination). @internal */
  url?: string;
}

/** The keys of {@link ClientOptions}: what a service's own option names are filtered down to. */
export const CLIENT_OPTION_KEYS = [
  'timeout',
  'maxRetries',
  'maxConnectionRetries',
  'initialRetryDelay',
  'maxRetryDelay',
  'retryJitter',
  'maxRetryAfter',
  'retryAfterBeyondCap',
  'headers',
  'validate',
  'compressBody',
  'baseUrl',
  'servers',
  'middleware',
  'envelope',
  'auth',
  'fetch',
  'getWithBody',
  'logger',
  'logLevel',
  'errorPolicy',
  'operationSchemas',
  'idempotencyHeader',
  'retryCountHeader',
  'operationOptions',
  'pageConcurrency',
  'allowedRedirectOrigins',
  'maxResponseSize',
  'maxErrorBodySize',
  'maxErrorMessageLength',
] as const satisfies readonly (keyof ClientOptions)[];
