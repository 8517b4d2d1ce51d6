/**
 * `HubClient`: the Auger Hub API (and its optimizers service) on `@mlclients/package-core`.
 *
 * Everything the spec can describe comes from the generated resource table (`hub.<accessor>.<operation>()`); this
 * file adds only what it cannot: the Hub's body-token auth, its error policy, the retry knobs of the Python client,
 * id-first special methods (`deploy`, `undeploy`,
 * `logs`, `refit`) and the optimizers service, which lives at its own base URL.
 */
import {
  type Client,
  type CreateClientOptions,
  createClient,
  type Logger,
  type LogLevel,
  MissingParamError,
  type RawTransport,
  type RequestOptions,
  type ValidateMode,
} from '@mlclients/package-core';
import { type HubTokens, hubBodyAuth } from './auth.js';
import { hubErrorPolicy } from './errors.js';
import { envelope, operationSchemas, operations, type paths, resources } from './generated/index.js';

/** Options of {@link HubClient}. Tokens: set one; if several are set, the first of project > cluster > user > system is sent. */
export interface HubClientOptions extends HubTokens {
  /**
   * The Hub, e.g. `https://app.auger.ai`. Paths are absolute (`/api/v1/...`), so a path in this URL is dropped, as
   * the Python client's `urljoin` does.
   */
  baseUrl: string;
  /** The optimizers service (`nextTrials`, `nextTrialsV2`, `fte`). Required only by those calls. */
  optimizersUrl?: string | undefined;
  /** Retries after the first attempt (Python `retries_count`, whose default was 5). @default 2 */
  retriesCount?: number | undefined;
  /** Retries for connection errors (Python `connection_retries_count`). @default retriesCount */
  connectionRetriesCount?: number | undefined;
  /**
   * First wait before a retry, seconds (Python `retry_wait_seconds`, a constant 5 s there); doubles on every retry up
   * to `maxRetryDelay`, with jitter, and a server's `Retry-After` wins. @default 0.5
   */
  retryWaitSeconds?: number | undefined;
  /** Longest wait between retries, milliseconds. @default 8000 */
  maxRetryDelay?: number | undefined;
  /** Per-attempt timeout, milliseconds (the Python client had none). @default 600000 */
  timeout?: number | undefined;
  /** Check responses against the spec (`'error'` throws `ResponseValidationError`); requests are checked unless `'off'`. @default 'error' */
  validate?: ValidateMode | undefined;
  /** Pages fetched at once by `iterate()` once the total is known. @default 4 */
  pageConcurrency?: number | undefined;
  /** Extra headers on every request. */
  headers?: Record<string, string> | undefined;
  /** Where logs go (tokens are redacted). @default console */
  logger?: Logger | undefined;
  /** @default process.env.MLCLIENTS_LOG, else 'off' */
  logLevel?: LogLevel | undefined;
  /** The fetch implementation for requests without a GET body. @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /** Transport for GETs with a JSON body. @default on Node, `node:http` (interceptable by MSW); in a browser, none */
  getWithBody?: RawTransport | undefined;
}

type Core = Client<paths, typeof resources, typeof envelope>;
type CoreProjects = Core['projects'];
type CoreTrials = Core['trials'];
type Project = Awaited<ReturnType<CoreProjects['get']>>;
type Trial = Awaited<ReturnType<CoreTrials['get']>>;
type DeployParams = Omit<NonNullable<Parameters<CoreProjects['deploy']>[0]>, 'id'>;

/** `hub.projects`: the convention methods plus id-first `deploy`, `undeploy` and `logs`. */
export type HubProjects = Omit<CoreProjects, 'deploy' | 'undeploy' | 'logs'> & {
  /** `PATCH /projects/{id}/deploy`: the project comes back with status `deploying`. */
  deploy(id: number, params?: DeployParams, options?: RequestOptions): Promise<Project>;
  /** `PATCH /projects/{id}/undeploy`: the project comes back with status `undeploying`. */
  undeploy(id: number, options?: RequestOptions): Promise<Project>;
  /** `GET /projects/{id}/logs`: the logs as text (the one `text/plain` answer of the Hub). */
  logs(id: number, options?: RequestOptions): Promise<string>;
};

/** `hub.trials`: the convention methods, `updateMany` (PATCH /trials) and `refit`. */
export type HubTrials = CoreTrials & {
  /** Refit a trial on new data: `POST /trials {id, refit_data_path}` returns a NEW trial (another id). */
  refit(id: string, refitDataPath: string, options?: RequestOptions): Promise<Trial>;
};

/** The client: one accessor per resource of `openapi/hub.yaml`, plus the core's escape hatches. */
export type HubClient = Omit<Core, 'projects' | 'trials' | 'withOptions'> & {
  readonly projects: HubProjects;
  readonly trials: HubTrials;
};

/** Build a Hub client. Same as `new HubClient(options)`. */
export function createHubClient(options: HubClientOptions): HubClient {
  if (!options?.baseUrl)
    throw new MissingParamError('HubClient: `baseUrl` is required', [
      { path: 'baseUrl', message: 'required' },
    ]);
  const hubOrigin = new URL(options.baseUrl).origin;
  const shared = coreOptions(options);
  const core = createClient<paths, typeof resources, typeof envelope>({ ...shared, baseUrl: hubOrigin });
  const optimizers = options.optimizersUrl
    ? createClient<paths, typeof resources, typeof envelope>({
        ...shared,
        baseUrl: new URL(options.optimizersUrl).origin,
      })
    : undefined;

  const projects = core.projects as unknown as Record<string, unknown>;
  projects.deploy = (id: number, params?: DeployParams, o?: RequestOptions) =>
    core.call('deployProject', { ...(params ?? {}), id }, o);
  projects.undeploy = (id: number, o?: RequestOptions) => core.call('undeployProject', { id }, o);
  projects.logs = (id: number, o?: RequestOptions) => core.call('getProjectLogs', { id }, o);

  const trials = core.trials as unknown as Record<string, unknown>;
  trials.refit = (id: string, refitDataPath: string, o?: RequestOptions) =>
    core.call('createTrial', { id, refit_data_path: refitDataPath }, o);

  // The optimizers service: its own base URL, checked at call time like the Python client does.
  const opt = core.optimizers as unknown as Record<string, unknown>;
  for (const [name, op] of Object.entries(resources.optimizers.operations)) {
    opt[name] = (params?: Record<string, unknown>, o?: RequestOptions) => {
      if (!optimizers) {
        return Promise.reject(
          new MissingParamError(`${op.operationId}: pass optimizersUrl in the HubClient options`, [
            { path: 'optimizersUrl', message: 'required' },
          ]),
        );
      }
      return optimizers.request(op, params, o);
    };
  }

  delete (core as { withOptions?: unknown }).withOptions;
  return core as unknown as HubClient;
}

/**
 * The Auger Hub client.
 *
 * @example
 * ```ts
 * const hub = new HubClient({ baseUrl: 'https://app.auger.ai', projectToken: process.env.HUB_PROJECT_API_TOKEN });
 * const page = await hub.trials.list({ experiment_session_id: 'a2f99b48b6cc5541' });
 * for await (const p of hub.projects.iterate()) console.log(p.name);
 * ```
 */
export const HubClient = function HubClient(this: unknown, options: HubClientOptions) {
  return createHubClient(options);
} as unknown as new (
  options: HubClientOptions,
) => HubClient;

function coreOptions(
  o: HubClientOptions,
): Omit<CreateClientOptions<typeof resources, typeof envelope>, 'baseUrl'> {
  return {
    auth: hubBodyAuth(o),
    errorPolicy: hubErrorPolicy,
    resources,
    operationSchemas,
    envelope,
    ...defined({
      fetch: o.fetch,
      getWithBody: o.getWithBody,
      maxRetries: o.retriesCount,
      maxConnectionRetries: o.connectionRetriesCount ?? o.retriesCount,
      initialRetryDelay: o.retryWaitSeconds === undefined ? undefined : o.retryWaitSeconds * 1000,
      maxRetryDelay: o.maxRetryDelay,
      timeout: o.timeout,
      validate: o.validate,
      headers: o.headers,
      logger: o.logger,
      logLevel: o.logLevel,
      pageConcurrency: o.pageConcurrency,
    }),
    operationOptions: gzipOperations(),
  };
}

/**
 * Operations whose request bodies travel gzip-compressed: those marked `x-content-encoding: gzip` in the spec (the
 * optimizers service). The core does not read that extension itself, so it is handed over as per-operation options.
 */
function gzipOperations(): Record<string, RequestOptions> {
  const out: Record<string, RequestOptions> = {};
  for (const op of Object.values(operations)) {
    const extensions = (op as { extensions?: Record<string, unknown> }).extensions;
    if (extensions?.['content-encoding'] === 'gzip') out[op.operationId] = { compressBody: 'gzip' };
  }
  return out;
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
