/**
 * `createClient`: the runtime a service client stands on. It owns one openapi-fetch client (URL building, header
 * merging, body parsing) and, for every call, hands it a retrying fetch (`send.ts`) so auth, logging, timeouts and
 * retries run once per attempt beneath openapi-fetch.
 *
 * @example
 * ```ts
 * import { createClient, headerToken } from '@mlclients/package-core';
 * import { envelope, operationSchemas, resources, type paths } from './generated/index.js';
 *
 * const client = createClient<paths, typeof resources, typeof envelope>({
 *   baseUrl: 'https://api.example.com/v1',
 *   auth: headerToken(process.env.EXAMPLE_TOKEN!),
 *   resources, operationSchemas, envelope,
 * });
 * const page = await client.widgets.list({ limit: 10 });
 * for await (const w of client.widgets.iterate()) console.log(w.name);
 * ```
 */
import createFetchClient, { type Client as FetchClient } from 'openapi-fetch';
import { ClientError, defaultErrorPolicy, MissingParamError, requestIdOf } from '../errors.js';
import { type IterateOptions, iteratePages, type PageIterable } from '../pagination/iterate.js';
import { Page, type PageRequest } from '../pagination/page.js';
import { parsePage } from '../pagination/strategies.js';
import { buildResources } from '../resource/build.js';
import type { OperationEntry, ResourceTable } from '../resource/table.js';
import type { EnvelopeSpec, ResourcesOf } from '../resource/types.js';
import { validateRequest, validateResponse } from '../validation/validate.js';
import { DEFAULT_IDEMPOTENCY_HEADER, DEFAULT_RETRY_COUNT_HEADER } from './constants.js';
import { filterLogger, type Logger, type LogLevel, resolveLogLevel } from './logger.js';
import type { ClientOptions, HeadersInit, RequestOptions } from './options.js';
import { Redactor } from './redact.js';
import {
  AttemptTemplate,
  abortError,
  type CallPlan,
  type CallStats,
  type Runtime,
  retryingFetch,
} from './send.js';
import { defaultGetWithBody } from './transport.js';
import { errorMessage, isRecord } from './util.js';

/** `createClient` options plus the generated tables. */
export interface CreateClientOptions<T extends ResourceTable = {}, E extends EnvelopeSpec = undefined>
  extends ClientOptions {
  /** Generated `resources`: builds `client.<accessor>.<operation>()`. @default {} */
  resources?: T;
  /** Generated `envelope`: the field of successful bodies that holds the payload. @default undefined (no unwrap) */
  envelope?: E;
}

/** What a call returns when you want more than the data. */
export interface CallResult<D = unknown> {
  data: D;
  response: Response;
  /** HTTP attempts made (1 = no retry). */
  attempts: number;
  /** Milliseconds spent waiting between attempts. */
  totalRetryDelay: number;
  requestId: string | undefined;
}

/** The client without its resources. */
export interface ClientBase<Paths extends {}> {
  /** The resolved options (what `withOptions` starts from). */
  readonly options: Readonly<CreateClientOptions<ResourceTable, EnvelopeSpec>>;
  /** The underlying openapi-fetch client (no retries, no validation): an escape hatch. */
  readonly raw: FetchClient<Paths>;
  /** The effective logger (already level-filtered). */
  readonly logger: Logger;
  /** Run one operation by table entry; flat params split into path, query and body. */
  request(op: OperationEntry, params?: Record<string, unknown>, options?: RequestOptions): Promise<unknown>;
  /** Like `request`, with the response, attempts and request id. */
  requestWithResponse(
    op: OperationEntry,
    params?: Record<string, unknown>,
    options?: RequestOptions & { unwrap?: boolean },
  ): Promise<CallResult>;
  /** Run one operation by `operationId` (for hand-written methods in a service's `client.ts`). */
  call(operationId: string, params?: Record<string, unknown>, options?: RequestOptions): Promise<unknown>;
  /** One page of a paginated operation. */
  list<T = unknown>(
    op: OperationEntry,
    params?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<Page<T, unknown>>;
  /** Every item of a paginated operation. */
  iterate<T = unknown>(
    op: OperationEntry,
    params?: Record<string, unknown>,
    options?: RequestOptions & IterateOptions,
  ): PageIterable<T, unknown>;
  /** Look up a table entry by `operationId`. */
  operation(operationId: string): OperationEntry;
}

/** A client: the base plus one accessor per resource. */
export type Client<
  Paths extends {},
  T extends ResourceTable = {},
  E extends EnvelopeSpec = undefined,
> = ClientBase<Paths> &
  ResourcesOf<Paths, T, E> & {
    /** A new client with these options merged over this one's (headers merged key by key). */
    withOptions(options: Partial<CreateClientOptions<T, E>>): Client<Paths, T, E>;
  };

/** Build a client. `Paths` is openapi-typescript's `paths`; the table and envelope come from codegen. */
export function createClient<
  Paths extends {},
  const T extends ResourceTable = {},
  const E extends EnvelopeSpec = undefined,
>(options: CreateClientOptions<T, E>): Client<Paths, T, E> {
  if (!options?.baseUrl) throw new ClientError('createClient: `baseUrl` is required');
  const logLevel: LogLevel = resolveLogLevel(options.logLevel);
  const logger = filterLogger(options.logger, logLevel);
  const redactor = new Redactor(options.auth?.secrets() ?? []);
  redactor.addSecretHeaders(options.headers);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const runtime: Runtime = {
    // Read the global lazily so test tools that patch `fetch` after the client exists (MSW) still apply.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    getWithBody: options.getWithBody ?? defaultGetWithBody(),
    auth: options.auth,
    redactor,
    logger,
    logLevel,
    errorPolicy: options.errorPolicy ?? defaultErrorPolicy,
    retryCountHeader:
      options.retryCountHeader === undefined ? DEFAULT_RETRY_COUNT_HEADER : options.retryCountHeader,
  };
  // Our calls hand openapi-fetch their own fetch; this one serves `client.raw` (no retries, no validation).
  const raw = createFetchClient<Paths>({
    baseUrl,
    headers: options.headers as Record<string, string>,
    fetch: (input: Request) => runtime.fetch(input),
  });
  const schemas = options.operationSchemas ?? {};
  const byId = new Map<string, OperationEntry>();
  for (const r of Object.values(options.resources ?? {})) {
    for (const op of Object.values(r.operations)) byId.set(op.operationId, op);
  }

  async function requestWithResponse(
    op: OperationEntry,
    params: Record<string, unknown> | undefined,
    callOptions: RequestOptions & { unwrap?: boolean } = {},
  ): Promise<CallResult> {
    const perOp = options.operationOptions?.[op.operationId];
    const o: RequestOptions = perOp ? { ...perOp, ...callOptions } : callOptions;
    const validate = o.validate ?? options.validate ?? 'error';
    if (o.headers) redactor.addSecretHeaders(o.headers);
    if (o.auth) for (const secret of o.auth.secrets()) redactor.addSecret(secret);
    const method = op.method.toUpperCase();
    const parts = splitParams(op, params, o.query);

    for (const name of op.pathParams) {
      const v = parts.path?.[name];
      if (v === undefined || v === null || v === '') {
        throw new MissingParamError(
          `${op.operationId}: missing path parameter \`${name}\``,
          [{ path: name, message: 'required' }],
          { operation: op.operationId, attempts: 0 },
        );
      }
    }
    if (validate !== 'off') validateRequest(op.operationId, schemas[op.operationId], parts, redactor);

    const idempotencyHeader =
      options.idempotencyHeader ?? (o.idempotencyKey ? DEFAULT_IDEMPOTENCY_HEADER : undefined);
    const idempotencyKey =
      o.idempotencyKey ??
      (options.idempotencyHeader && method !== 'GET' && method !== 'HEAD' ? newIdempotencyKey() : undefined);
    const plan: CallPlan = {
      operation: op.operationId,
      method,
      idempotent: op.idempotent,
      body: parts.body,
      signal: o.signal,
      timeout: o.timeout ?? options.timeout,
      maxRetries: o.maxRetries ?? options.maxRetries,
      maxConnectionRetries: o.maxConnectionRetries ?? options.maxConnectionRetries,
      initialRetryDelay: o.initialRetryDelay ?? options.initialRetryDelay,
      maxRetryDelay: o.maxRetryDelay ?? options.maxRetryDelay,
      retryJitter: o.retryJitter ?? options.retryJitter,
      maxRetryAfter: o.maxRetryAfter ?? options.maxRetryAfter,
      retryAfterBeyondCap: o.retryAfterBeyondCap ?? options.retryAfterBeyondCap,
      compressBody: o.compressBody ?? options.compressBody,
      auth: o.auth,
      authBodyField: o.authBodyField,
      idempotencyHeader,
      idempotencyKey,
      url: o.url,
    };
    const stats: CallStats = { attempts: 0, totalRetryDelay: 0 };
    const parseAs =
      op.responseType === 'binary' ? 'arrayBuffer' : op.responseType === 'json' ? 'json' : ('text' as const);

    let result: { data?: unknown; response: Response };
    try {
      // biome-ignore lint/suspicious/noExplicitAny: the operation is chosen at run time; types live in ResourcesOf
      result = await (raw as any).request(op.method, op.path, {
        params: { path: parts.path, query: parts.query },
        headers: o.headers,
        parseAs,
        Request: AttemptTemplate,
        fetch: retryingFetch(runtime, plan, stats),
      });
    } catch (err) {
      if (err instanceof ClientError) throw err;
      // Past the retrying fetch, only reading a 2xx body can fail: an abort mid-body, or a body that is not what it
      // claims (e.g. invalid JSON).
      if (o.signal?.aborted) throw abortError(op.operationId, stats.attempts, o.signal.reason, redactor);
      throw new ClientError(`${op.operationId}: could not read the response: ${errorMessage(err)}`, {
        operation: op.operationId,
        attempts: stats.attempts,
        cause: err,
        redactor,
      });
    } finally {
      stats.release?.();
    }
    // Every non-2xx was already thrown by the retrying fetch, through the one mapping in errors.ts (`errorFromResponse`).
    const { response } = result;
    let data = op.responseType === 'none' ? undefined : result.data;
    if (op.responseType === 'json') {
      validateResponse(op.operationId, schemas[op.operationId]?.response, data, validate, logger, redactor);
      if (
        callOptions.unwrap !== false &&
        options.envelope &&
        isRecord(data) &&
        options.envelope.data in data
      ) {
        data = data[options.envelope.data];
      }
    }
    return {
      data,
      response,
      attempts: stats.attempts,
      totalRetryDelay: stats.totalRetryDelay,
      requestId: requestIdOf(response.headers, runtime.errorPolicy),
    };
  }

  async function request(op: OperationEntry, params?: Record<string, unknown>, o?: RequestOptions) {
    return (await requestWithResponse(op, params, o)).data;
  }

  function paginationOf(op: OperationEntry) {
    if (!op.pagination) throw new ClientError(`${op.operationId}: the operation does not paginate`);
    return op.pagination;
  }

  function pageLoader<Item>(op: OperationEntry, o: RequestOptions | undefined) {
    const spec = paginationOf(op);
    const load = async (req: PageRequest, signal?: AbortSignal): Promise<Page<Item, unknown>> => {
      const { data } = await requestWithResponse(op, req.params as Record<string, unknown>, {
        ...o,
        signal: signal ?? o?.signal,
        // A next link may be relative to the API (`/v1/items?cursor=2`, `items?cursor=2`).
        url: req.url === undefined ? undefined : new URL(req.url, `${baseUrl}/`).toString(),
        unwrap: false,
      });
      const parsed = parsePage(spec, req, data);
      return new Page<Item, unknown>(
        parsed.items as Item[],
        data,
        parsed.meta,
        parsed.info,
        req,
        parsed.next,
        load,
      );
    };
    return load;
  }

  function firstRequest(op: OperationEntry, params: Record<string, unknown> | undefined): PageRequest {
    const spec = paginationOf(op);
    const p: Record<string, unknown> = { ...(params ?? {}) };
    if (spec.style === 'offset') {
      // The first page is asked for explicitly (`offset: 0`), as the seed clients do and the recordings show.
      if (spec.defaultLimit !== undefined) p[spec.limitParam ?? 'limit'] ??= spec.defaultLimit;
      p[spec.offsetParam ?? 'offset'] ??= 0;
    }
    return { params: p };
  }

  const base: ClientBase<Paths> & { withOptions: unknown } = {
    options,
    raw,
    logger,
    request,
    requestWithResponse,
    async call(operationId, params, o) {
      return request(lookup(operationId), params, o);
    },
    list<Item>(op: OperationEntry, params?: Record<string, unknown>, o?: RequestOptions) {
      return pageLoader<Item>(op, o)(firstRequest(op, params));
    },
    iterate<Item>(op: OperationEntry, params?: Record<string, unknown>, o?: RequestOptions & IterateOptions) {
      const { concurrency, ...rest } = o ?? {};
      return iteratePages(paginationOf(op), pageLoader<Item>(op, rest), firstRequest(op, params), {
        concurrency: concurrency ?? options.pageConcurrency,
        signal: o?.signal,
      });
    },
    operation: lookup,
    withOptions(more: Partial<CreateClientOptions<T, E>>) {
      return createClient<Paths, T, E>({
        ...options,
        ...more,
        headers: mergeHeaders(options.headers, more.headers),
      } as CreateClientOptions<T, E>);
    },
  };

  function lookup(operationId: string): OperationEntry {
    const op = byId.get(operationId);
    if (!op) throw new ClientError(`unknown operation \`${operationId}\``);
    return op;
  }

  const resources = buildResources(base, options.resources ?? {});
  return Object.assign(base, resources) as unknown as Client<Paths, T, E>;
}

/** Split flat params into path, query and body by the operation's table entry. */
export function splitParams(
  op: OperationEntry,
  params: Record<string, unknown> | undefined,
  extraQuery?: Record<string, unknown>,
): { path: Record<string, unknown> | undefined; query: Record<string, unknown> | undefined; body: unknown } {
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
