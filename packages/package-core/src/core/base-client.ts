/**
 * `BaseClient`: the runtime every service client extends (generated `Generated<Svc>Client`, then the service's own
 * `<Svc>Client`). It owns one openapi-fetch client (URL building, header merging, body parsing) and, for every
 * call, hands it a retrying fetch (`send.ts`) so auth, logging, timeouts and retries run once per attempt beneath
 * openapi-fetch.
 *
 * A call: params split into path, query and body by the operation's table entry -> request validation ->
 * middleware (the spec extensions, then `options.middleware`) -> the retrying fetch -> the one error mapping ->
 * response validation -> envelope unwrap. Operations of a named server (`x-server-name`) go to
 * `options.servers[name]`.
 *
 * @example
 * ```ts
 * class WidgetsClient extends GeneratedWidgetsClient {} // generated: one accessor per resource
 * const client = new WidgetsClient({ baseUrl: 'https://api.example.com/v1', auth: headerToken(token) });
 * const page = await client.widgets.list({ limit: 10 });
 * for await (const w of client.widgets.list()) console.log(w.name); // every page
 * const { data, requestId } = await client.widgets.get('w1').withResponse();
 * const raw = await client.get('/undeclared/endpoint', { query: { q: 1 } }); // auth, retries, errors apply
 * ```
 */
import type { Client as FetchClient } from 'openapi-fetch';
import { checkPathParams } from '../internal/path-params.js';
import { Redactor } from '../internal/redact.js';
import { normaliseOrigins } from '../internal/redirects.js';
import { checkRequestParams } from '../internal/request-params.js';
import { exactBuffer, readBodyCounted } from '../internal/response-limits.js';
import { registerSecretFields } from '../internal/secret-fields.js';
import {
  AttemptTemplate,
  abortError,
  type CallPlan,
  type CallStats,
  type Runtime,
  retryingFetch,
} from '../internal/send.js';
import { defaultGetWithBody } from '../internal/transport.js';
import { errorMessage, isRecord } from '../internal/util.js';
import { type IterateOptions, iteratePages, type PageIterable } from '../pagination/iterate.js';
import { Page, type PageRequest } from '../pagination/page.js';
import { parsePage } from '../pagination/strategies.js';
import type { OperationEntry, OperationTable, PaginationSpec } from '../resource/table.js';
import type { EnvelopeSpec } from '../resource/types.js';
import { loadValidator, type SchemaSource, type Validator } from '../validation/load.js';
import { APIPromise, type CallResult } from './api-promise.js';
import { DEFAULT_IDEMPOTENCY_HEADER, DEFAULT_RETRY_COUNT_HEADER } from './constants.js';
import { ClientError, defaultErrorPolicy, MissingParamError, requestIdOf } from './errors.js';
import { filterLogger, type Logger, type LogLevel, resolveLogLevel } from './logger.js';
import { type Middleware, type PreparedCall, specExtensions } from './middleware.js';
import {
  CLIENT_OPTION_KEYS,
  type ClientOptions,
  type HeadersInit,
  type RequestOptions,
  type ValidateMode,
} from './options.js';
import { PagePromise } from './page-promise.js';
import { readEnv, type ServiceConfig } from './service.js';

/** The generated tables a client class carries (`static spec` of `Generated<Svc>Client`). */
export interface ClientSpec {
  /** Every operation by `operationId` (for `call()`). */
  readonly operations?: OperationTable;
  /** The zod schemas, or (generated clients) a loader of them: zod is loaded on the first validated call. */
  readonly operationSchemas?: SchemaSource;
  readonly envelope?: EnvelopeSpec;
}

/** Options of the escape hatch (`client.get(path, options)`...). */
export interface RawRequestOptions extends RequestOptions {
  /** JSON body. */
  body?: unknown;
}

/** The options of {@link BaseClient.requestWithResponse}: the per-call {@link RequestOptions}, plus `unwrap`. */
export interface CallOptions extends RequestOptions {
  /** `false`: keep the service's envelope in the data (pages read their metadata from it). Default: unwrap. */
  unwrap?: boolean;
}

/** Flat params split by an operation's table entry (what {@link splitParams} returns). */
export interface CallParts {
  /** The path parameters, by name (undefined when there are none). */
  path: Record<string, unknown> | undefined;
  /** The query parameters, by name (undefined when there are none). */
  query: Record<string, unknown> | undefined;
  /** The JSON body: every other field (`{}` when the body is required and no field was given; else undefined). */
  body: unknown;
}

/** No schemas: nothing is validated (one object, so the loader caches it once). */
const NO_SCHEMAS: SchemaSource = Object.freeze({});

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * What every generated client extends: options and environment, auth, the retrying transport, validation, the error
 * mapping, pagination, and the escape hatch `get/post/put/patch/delete(path, options)` for paths the spec lacks.
 *
 * @example
 * ```ts
 * const raw = await hub.get<{ data: unknown[] }>('/api/v1/some_new_endpoint', { body: { limit: 10 } });
 * ```
 */
export class BaseClient<O extends object = ClientOptions> {
  /** The generated tables; set by the generated client class. */
  static spec: ClientSpec = {};
  /** The service's quirks (`src/service.ts`); set by the service's client class. */
  // biome-ignore lint/suspicious/noExplicitAny: each subclass narrows it to its own options type
  static service: ServiceConfig<any> | undefined = undefined;

  /** The resolved core options (the service's own option names already mapped). */
  readonly options: Readonly<ClientOptions>;
  /** The effective logger (already level-filtered). */
  readonly logger: Logger;

  readonly #userOptions: O;
  readonly #runtime: Runtime;
  /** Created with the first call (openapi-fetch loads then, see `loadOpenapiFetch`). */
  #fetchClient: FetchClient<Record<string, never>> | undefined;
  readonly #defaultHeaders: Record<string, string> | undefined;
  readonly #baseUrl: string;
  readonly #servers: Readonly<Record<string, string | undefined>>;
  readonly #service: ServiceConfig<object> | undefined;
  readonly #spec: ClientSpec;
  readonly #schemas: SchemaSource;
  #validator: Validator | undefined;
  readonly #middleware: readonly Middleware[];
  readonly #validate: ValidateMode;
  #warned: Set<string> | undefined;

  /**
   * Creates a client of this class (its resources, runtime and options resolved).
   *
   * @param options The client's options in its own names; the class's `service` maps them (and the environment) to
   * the core's.
   */
  constructor(options: O) {
    const ctor = new.target as typeof BaseClient;
    const service = ctor.service;
    const resolved = resolveOptions(service, options, ctor.name);
    this.#userOptions = options;
    this.#service = service;
    const logLevel: LogLevel = resolveLogLevel(resolved.logLevel);
    this.logger = filterLogger(resolved.logger, logLevel);
    const redactor = new Redactor(resolved.auth?.secrets() ?? []);
    redactor.addSecretHeaders(resolved.headers);
    // What the client shows (`client.options`, `util.inspect(client)`) has secret header values masked.
    this.options = redactor.options(resolved);
    this.#baseUrl = resolved.baseUrl.replace(/\/+$/, '');
    this.#servers = resolved.servers ?? {};
    this.#runtime = {
      // Read the global lazily so test tools that patch `fetch` after the client exists (MSW) still apply.
      fetch: resolved.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      getWithBody: resolved.getWithBody ?? defaultGetWithBody(),
      auth: resolved.auth,
      redactor,
      logger: this.logger,
      logLevel,
      errorPolicy: resolved.errorPolicy ?? defaultErrorPolicy,
      retryCountHeader:
        resolved.retryCountHeader === undefined ? DEFAULT_RETRY_COUNT_HEADER : resolved.retryCountHeader,
      allowedRedirectOrigins: normaliseOrigins(resolved.allowedRedirectOrigins),
      maxResponseSize: resolved.maxResponseSize,
      maxErrorBodySize: resolved.maxErrorBodySize,
      maxErrorMessageLength: resolved.maxErrorMessageLength,
    };
    this.#defaultHeaders = resolved.headers as Record<string, string> | undefined;
    this.#spec = ctor.spec;
    this.#schemas = resolved.operationSchemas ?? ctor.spec.operationSchemas ?? NO_SCHEMAS;
    this.#middleware = resolved.middleware ? [...specExtensions, ...resolved.middleware] : specExtensions;
    this.#validate = resolved.validate ?? 'warn';
  }

  /**
   * A new client of the same class with these options merged over this one's (headers merged key by key), in the
   * class's own option names (`hub.withOptions({ retriesCount: 0 })`).
   */
  withOptions(options: Partial<O>): this {
    const prev = this.#userOptions as { headers?: HeadersInit };
    const more = options as { headers?: HeadersInit };
    const merged = { ...this.#userOptions, ...options, headers: mergeHeaders(prev.headers, more.headers) };
    const Class = this.constructor as new (options: O) => this;
    return new Class(merged);
  }

  /** The table entry of an operation of this client's spec. */
  operation(operationId: string): OperationEntry {
    const op = this.#spec.operations?.[operationId] ?? this.extraOperations()?.[operationId];
    if (!op) throw new ClientError(`unknown operation \`${operationId}\``);
    return op;
  }

  /** Operations known besides the class's generated table (`createClient` passes its table here). @internal */
  protected extraOperations(): OperationTable | undefined {
    return undefined;
  }

  /** Run one operation by table entry; flat params split into path, query and body. */
  request(
    op: OperationEntry,
    params?: Readonly<Record<string, unknown>>,
    options?: RequestOptions,
  ): APIPromise<unknown> {
    return new APIPromise(this.requestWithResponse(op, params, options));
  }

  /** Run one operation by `operationId` (hand-written methods, generic tools). */
  call(
    operationId: string,
    params?: Readonly<Record<string, unknown>>,
    options?: RequestOptions,
  ): APIPromise<unknown> {
    return new APIPromise(this.#callById(operationId, params, options));
  }

  async #callById(
    operationId: string,
    params: Readonly<Record<string, unknown>> | undefined,
    o?: RequestOptions,
  ) {
    return this.requestWithResponse(this.operation(operationId), params, o);
  }

  /** One page of a paginated operation: await it for the `Page`, `for await` it for every item. */
  list<Item = unknown, B = unknown>(
    op: OperationEntry,
    params?: Readonly<Record<string, unknown>>,
    options?: RequestOptions,
  ): PagePromise<Item, B> {
    return new PagePromise(this.#firstPage<Item, B>(op, params, options));
  }

  async #firstPage<Item, B>(
    op: OperationEntry,
    params: Readonly<Record<string, unknown>> | undefined,
    o: RequestOptions | undefined,
  ): Promise<CallResult<Page<Item, B>>> {
    return this.#pageLoader<Item, B>(op, o).loadResult(firstRequest(paginationOf(op), params));
  }

  /** Every item of a paginated operation (prefetch; offset pages fetched concurrently once the total is known). */
  iterate<Item = unknown, B = unknown>(
    op: OperationEntry,
    params?: Readonly<Record<string, unknown>>,
    options?: RequestOptions & IterateOptions,
  ): PageIterable<Item, B> {
    const { concurrency, ...rest } = options ?? {};
    const spec = paginationOf(op);
    return iteratePages(spec, this.#pageLoader<Item, B>(op, rest).load, firstRequest(spec, params), {
      concurrency: concurrency ?? this.options.pageConcurrency,
      signal: options?.signal,
    });
  }

  /** `GET path` on an endpoint the spec does not declare: auth, middleware, retries and the error taxonomy apply. */
  get<T = unknown>(path: string, options?: RawRequestOptions): APIPromise<T> {
    return this.#raw('GET', path, options);
  }
  /** `POST path` (see {@link get}); retried only on a refused connection, as POSTs are. */
  post<T = unknown>(path: string, options?: RawRequestOptions): APIPromise<T> {
    return this.#raw('POST', path, options);
  }
  /** `PUT path` (see {@link get}). */
  put<T = unknown>(path: string, options?: RawRequestOptions): APIPromise<T> {
    return this.#raw('PUT', path, options);
  }
  /** `PATCH path` (see {@link get}). */
  patch<T = unknown>(path: string, options?: RawRequestOptions): APIPromise<T> {
    return this.#raw('PATCH', path, options);
  }
  /** `DELETE path` (see {@link get}). */
  delete<T = unknown>(path: string, options?: RawRequestOptions): APIPromise<T> {
    return this.#raw('DELETE', path, options);
  }

  #raw<T>(method: string, path: string, options: RawRequestOptions = {}): APIPromise<T> {
    if (typeof path !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//')) {
      // An absolute URL would send this client's credentials to whatever host it names.
      const err = new ClientError(
        `${method} ${String(path)}: pass a path relative to baseUrl (absolute URLs are refused: auth would go along)`,
      );
      return new APIPromise(Promise.reject(err));
    }
    const { body, query, ...rest } = options;
    const op: OperationEntry = {
      operationId: `${method} ${path}`,
      method: method.toLowerCase(),
      path: path.startsWith('/') ? path : `/${path}`,
      pathParams: [],
      queryParams: [],
      body: body !== undefined,
      bodyRequired: false,
      responseType: 'auto',
      idempotent: IDEMPOTENT_METHODS.has(method),
    };
    const parts: CallParts = { path: undefined, query: query ? { ...query } : undefined, body };
    return new APIPromise(this.#send(op, this.#baseUrl, parts, rest, false) as Promise<CallResult<T>>);
  }

  /** Log `message` at warn level once per client and `key` (deprecations and the like). */
  warnOnce(key: string, message: string): void {
    this.#warned ??= new Set();
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.logger.warn(message);
  }

  /** Like `request`, resolving to the data with the response, the request id and the attempts. */
  async requestWithResponse(
    op: OperationEntry,
    params: Readonly<Record<string, unknown>> | undefined,
    callOptions: CallOptions = {},
  ): Promise<CallResult> {
    const perOp = this.options.operationOptions?.[op.operationId];
    const o: CallOptions = perOp ? { ...perOp, ...callOptions } : callOptions;
    const validate = o.validate ?? this.#validate;
    // A named server that is not configured fails first: no other problem of the call matters before that one.
    const baseUrl = this.#baseUrlOf(op);
    checkRequestParams(op.operationId, params);
    const parts = splitParams(op, params, o.query);
    checkPathParams(op, parts.path);
    if (validate !== 'off') {
      const v = this.#validator ?? (await this.#loadValidator());
      v.validateRequest(op.operationId, v.schemas[op.operationId], parts, this.#runtime.redactor);
    }
    return this.#send(op, baseUrl, parts, o, validate);
  }

  async #send(
    op: OperationEntry,
    baseUrl: string,
    parts: CallParts,
    o: CallOptions,
    validate: ValidateMode | false,
  ): Promise<CallResult> {
    const rt = this.#runtime;
    const options = this.options;
    if (o.headers) rt.redactor.addSecretHeaders(o.headers);
    if (o.auth) for (const secret of o.auth.secrets()) rt.redactor.addSecret(secret);
    const method = op.method.toUpperCase();

    const call: PreparedCall = {
      operation: op,
      path: parts.path,
      query: parts.query,
      body: parts.body,
      headers: o.headers,
      compressBody: o.compressBody,
    };
    // The spec-extension middleware only acts on entries with extensions: skip the loop on the hot path otherwise.
    if (op.extensions !== undefined || this.#middleware !== specExtensions) {
      for (const m of this.#middleware) m.prepare(call);
    }
    registerSecretFields(op, call.body, rt.redactor);

    const idempotencyHeader =
      options.idempotencyHeader ?? (o.idempotencyKey ? DEFAULT_IDEMPOTENCY_HEADER : undefined);
    const idempotencyKey =
      o.idempotencyKey ??
      (options.idempotencyHeader && method !== 'GET' && method !== 'HEAD' ? newIdempotencyKey() : undefined);
    const plan: CallPlan = {
      operation: op.operationId,
      method,
      idempotent: op.idempotent,
      body: call.body,
      signal: o.signal,
      timeout: o.timeout ?? options.timeout,
      maxRetries: o.maxRetries ?? options.maxRetries,
      maxConnectionRetries: o.maxConnectionRetries ?? options.maxConnectionRetries,
      initialRetryDelay: o.initialRetryDelay ?? options.initialRetryDelay,
      maxRetryDelay: o.maxRetryDelay ?? options.maxRetryDelay,
      retryJitter: o.retryJitter ?? options.retryJitter,
      maxRetryAfter: o.maxRetryAfter ?? options.maxRetryAfter,
      retryAfterBeyondCap: o.retryAfterBeyondCap ?? options.retryAfterBeyondCap,
      compressBody: call.compressBody ?? options.compressBody,
      auth: o.auth,
      authBodyField: o.authBodyField,
      idempotencyHeader,
      idempotencyKey,
      url: o.url,
    };
    const stats: CallStats = { attempts: 0, totalRetryDelay: 0 };
    let result: { data?: unknown; response: Response };
    let bytes: Uint8Array | undefined;
    try {
      const fetchClient = this.#fetchClient ?? (await this.#createFetchClient());
      // biome-ignore lint/suspicious/noExplicitAny: the operation is chosen at run time; the types live in the resource classes
      result = await (fetchClient as any).request(op.method, op.path, {
        // Only a named server's operations override openapi-fetch's base URL (it would re-normalise it per call).
        baseUrl: baseUrl === this.#baseUrl ? undefined : baseUrl,
        params: { path: parts.path, query: call.query },
        headers: call.headers,
        // The body is read here, through the attempt's guard (size limit, timeout): see readBodyCounted.
        parseAs: 'stream',
        Request: AttemptTemplate,
        fetch: retryingFetch(rt, plan, stats),
      });
      const body = result.data as ReadableStream<Uint8Array> | null | undefined;
      if (body && op.responseType === 'none') await body.cancel().catch(() => {});
      else if (body && stats.control) bytes = await readBodyCounted(body, stats.control);
    } catch (err) {
      if (err instanceof ClientError) throw err;
      // Past the retrying fetch, only reading a 2xx body can fail: an abort mid-body.
      if (o.signal?.aborted) throw abortError(op.operationId, stats.attempts, o.signal.reason, rt.redactor);
      throw this.#unreadable(op, stats, err);
    } finally {
      stats.control?.release();
    }
    // Every non-2xx was already thrown by the retrying fetch, through the one mapping in errors.ts (`errorFromResponse`).
    const { response } = result;
    let data: unknown;
    if (op.responseType === 'binary') {
      data = bytes && exactBuffer(bytes);
    } else if (op.responseType === 'auto') {
      data = parseAuto(bytes && UTF8.decode(bytes), response, (err) => this.#unreadable(op, stats, err));
    } else if (op.responseType === 'text') {
      data = bytes && UTF8.decode(bytes);
    } else if (op.responseType === 'json') {
      data = parseJson(bytes, (err) => this.#unreadable(op, stats, err));
      // A 204 has no body to check (e.g. SC's "no prediction available"): its data is undefined.
      if (validate && response.status !== 204) {
        const v = this.#validator ?? (await this.#loadValidator());
        v.validateResponse(
          op.operationId,
          v.schemas[op.operationId]?.response,
          data,
          validate,
          this.logger,
          rt.redactor,
        );
      }
      const envelope = options.envelope ?? this.#spec.envelope;
      if (o.unwrap !== false && envelope && isRecord(data) && envelope.data in data) {
        data = data[envelope.data];
      }
    }
    return {
      data,
      response,
      attempts: stats.attempts,
      totalRetryDelay: stats.totalRetryDelay,
      requestId: requestIdOf(response.headers, rt.errorPolicy),
    };
  }

  /** The openapi-fetch client, made on the first call. Every call hands it its own retrying fetch. */
  async #createFetchClient(): Promise<FetchClient<Record<string, never>>> {
    const createFetchClient = await loadOpenapiFetch();
    this.#fetchClient ??= createFetchClient({ baseUrl: this.#baseUrl, headers: this.#defaultHeaders });
    return this.#fetchClient;
  }

  /** Load zod and the schemas once per client (see validation/load.ts for why it is lazy). */
  async #loadValidator(): Promise<Validator> {
    this.#validator = await loadValidator(this.#schemas);
    return this.#validator;
  }

  #unreadable(op: OperationEntry, stats: CallStats, err: unknown): ClientError {
    return new ClientError(`${op.operationId}: could not read the response: ${errorMessage(err)}`, {
      operation: op.operationId,
      attempts: stats.attempts,
      cause: err,
      redactor: this.#runtime.redactor,
    });
  }

  /** The base URL of an operation: its named server's, or the client's. */
  #baseUrlOf(op: OperationEntry): string {
    if (op.server === undefined) return this.#baseUrl;
    const url = this.#servers[op.server];
    if (url) return url;
    const option = this.#service?.servers?.[op.server]?.option ?? `servers.${op.server}`;
    const name = this.#service?.name ?? this.constructor.name;
    throw new MissingParamError(
      `${op.operationId}: pass ${option} in the ${name} options (the \`${op.server}\` server)`,
      [{ path: option, message: 'required' }],
      { operation: op.operationId, attempts: 0 },
    );
  }

  #pageLoader<Item, B>(op: OperationEntry, o: RequestOptions | undefined) {
    const spec = paginationOf(op);
    const loadResult = async (req: PageRequest, signal?: AbortSignal): Promise<CallResult<Page<Item, B>>> => {
      const r = await this.requestWithResponse(op, req.params, {
        ...o,
        // The caller's signal keeps applying to pages fetched on its behalf (for await over list()).
        signal: signal && o?.signal ? AbortSignal.any([signal, o.signal]) : (signal ?? o?.signal),
        // A next link may be relative to the API (`/v1/items?cursor=2`, `items?cursor=2`).
        url: req.url === undefined ? undefined : new URL(req.url, `${this.#baseUrlOf(op)}/`).toString(),
        unwrap: false,
      });
      const parsed = parsePage(spec, req, r.data);
      const page = new Page<Item, B>(
        parsed.items as Item[],
        r.data as B,
        parsed.meta,
        parsed.info,
        req,
        parsed.next,
        load,
      );
      return { ...r, data: page };
    };
    const load = async (req: PageRequest, signal?: AbortSignal): Promise<Page<Item, B>> =>
      (await loadResult(req, signal)).data;
    return { load, loadResult };
  }
}

/** The service's option names -> core options (env, aliases, named servers, auth, defaults). */
function resolveOptions(
  service: ServiceConfig<object> | undefined,
  options: object,
  className: string,
): ClientOptions {
  if (options === null || typeof options !== 'object') {
    throw new ClientError(`${service?.name ?? className}: options are required`);
  }
  const user = options as Record<string, unknown>;
  if (!service) {
    if (!user.baseUrl) throw missingBaseUrl(className);
    return options as ClientOptions;
  }
  const given = { ...user };
  for (const [option, variable] of Object.entries(service.env ?? {})) {
    if (given[option] === undefined && typeof variable === 'string') {
      const value = readEnv(variable);
      if (value !== undefined) given[option] = value;
    }
  }
  const core: Record<string, unknown> = { ...service.defaults };
  for (const key of CLIENT_OPTION_KEYS) if (given[key] !== undefined) core[key] = given[key];
  for (const [alias, { option, scale }] of Object.entries(service.aliases ?? {})) {
    const value = given[alias];
    if (value !== undefined && given[option] === undefined) {
      core[option] = typeof value === 'number' && scale !== undefined ? value * scale : value;
    }
  }
  const baseUrl = core.baseUrl;
  if (typeof baseUrl !== 'string' || baseUrl === '') throw missingBaseUrl(service.name);
  const normalise = (url: string) => (service.baseUrlPath === 'origin' ? new URL(url).origin : url);
  core.baseUrl = normalise(baseUrl);
  if (service.servers) {
    const servers: Record<string, string | undefined> = {};
    for (const [name, server] of Object.entries(service.servers)) {
      const url =
        (given.servers as Record<string, string | undefined> | undefined)?.[name] ??
        (server.option ? (given[server.option] as string | undefined) : undefined) ??
        server.default;
      if (url) servers[name] = normalise(url);
    }
    core.servers = { ...(given.servers as object | undefined), ...servers };
  }
  if (core.auth === undefined && service.auth) core.auth = service.auth(given);
  if (core.errorPolicy === undefined && service.errorPolicy) core.errorPolicy = service.errorPolicy;
  return core as unknown as ClientOptions;
}

function missingBaseUrl(name: string): MissingParamError {
  return new MissingParamError(`${name}: \`baseUrl\` is required`, [
    { path: 'baseUrl', message: 'required' },
  ]);
}

function paginationOf(op: OperationEntry): PaginationSpec {
  if (!op.pagination) throw new ClientError(`${op.operationId}: the operation does not paginate`);
  return op.pagination;
}

function firstRequest(
  spec: PaginationSpec,
  params: Readonly<Record<string, unknown>> | undefined,
): PageRequest {
  const p: Record<string, unknown> = { ...(params ?? {}) };
  if (spec.style === 'offset') {
    // The first page is asked for explicitly (`offset: 0`), as the seed clients do and the recordings show.
    if (spec.defaultLimit !== undefined) p[spec.limitParam ?? 'limit'] ??= spec.defaultLimit;
    p[spec.offsetParam ?? 'offset'] ??= 0;
  }
  return { params: p };
}

/**
 * openapi-fetch is loaded with the first call of any client, not at import: a call awaits anyway, and importing a
 * client then costs only its own code (bench/import.bench.ts measures it against importing openapi-fetch itself).
 */
let openapiFetchLoading: Promise<typeof import('openapi-fetch').default> | undefined;
function loadOpenapiFetch(): Promise<typeof import('openapi-fetch').default> {
  if (!openapiFetchLoading) {
    openapiFetchLoading = import('openapi-fetch').then((m) => m.default);
    // A failed load (a broken install) is not cached: the next call tries again and reports it again.
    openapiFetchLoading.catch(() => {
      openapiFetchLoading = undefined;
    });
  }
  return openapiFetchLoading;
}

/** Decodes UTF-8 and drops a BOM, as `Response.text()` does; stateless without `stream`, so one is shared. */
const UTF8 = new TextDecoder();

/** A JSON body; an empty one is `undefined` (as openapi-fetch gives for a body without Content-Length). */
function parseJson(bytes: Uint8Array | undefined, fail: (err: unknown) => Error): unknown {
  if (!bytes || bytes.byteLength === 0) return undefined;
  try {
    return JSON.parse(UTF8.decode(bytes));
  } catch (err) {
    throw fail(err);
  }
}

/** An undeclared endpoint's body: JSON when the response says so, else the text (undefined when empty). */
function parseAuto(text: unknown, response: Response, fail: (err: unknown) => Error): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  if (!/\bjson\b/i.test(response.headers.get('content-type') ?? '')) return text;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw fail(err);
  }
}

/** Split flat params into path, query and body by the operation's table entry. */
export function splitParams(
  op: OperationEntry,
  params: Readonly<Record<string, unknown>> | undefined,
  extraQuery?: Record<string, unknown>,
): CallParts {
  let path: Record<string, unknown> | undefined;
  let query: Record<string, unknown> | undefined;
  let body: Record<string, unknown> | undefined;
  if (params) {
    for (const key in params) {
      const value = params[key];
      if (value === undefined) continue;
      if (op.pathParams.includes(key)) {
        path ??= {};
        path[key] = value;
      } else if (op.queryParams.includes(key) || !op.body) {
        query ??= {};
        query[key] = value;
      } else {
        body ??= {};
        body[key] = value;
      }
    }
  }
  if (extraQuery) query = { ...query, ...extraQuery };
  if (body === undefined && op.body && op.bodyRequired) body = {};
  return { path, query, body };
}

function mergeHeaders(a: HeadersInit | undefined, b: HeadersInit | undefined): HeadersInit | undefined {
  if (!a) return b;
  if (!b) return a;
  return { ...a, ...b };
}

function newIdempotencyKey(): string {
  return `mlclients-retry-${globalThis.crypto.randomUUID()}`;
}
