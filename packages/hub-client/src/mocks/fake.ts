/**
 * A stateful fake of the whole Auger Hub API (and its optimizers service) as MSW request handlers.
 *
 * It routes by the generated operation table (so it can only answer what `openapi/hub.yaml` declares) and answers
 * the way the recordings show the real server does: `{data, meta}` envelopes, `meta.pagination` with an empty last
 * page, DELETE returning the object (`deleted: true`; organizations `status: terminating`; projects
 * `deleting: true`), empty acks `data: {}`, 400 `invalid_param` errors with `error_param`, 401 `unauthenticated`,
 * 404 "Couldn't find X". Its responses are validated against the spec's zod schemas in this package's tests.
 */
import { faultResponse, nextFault, readRequestText } from '@mlclients/package-core/testing';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { TOKEN_PRIORITY } from '../auth.js';
import type { HubErrorItem } from '../errors.js';
import { operationSchemas, operations, resources } from '../generated/index.js';
import { Faults } from './faults.js';
import { type HubObject, HubStore, ID_STYLES } from './store.js';

/** Body fields that carry a token (the client merges exactly one). */
const TOKEN_FIELDS: readonly string[] = TOKEN_PRIORITY.map(([, field]) => field);

/** What the journal shows instead of a token or password (the journal ends up in test failure messages). */
export const REDACTED = '[redacted]';
const SECRET_FIELDS: ReadonlySet<string> = new Set([...TOKEN_FIELDS, 'password']);

/**
 * The classes `GET /status` accepts (the spec's enum), and the resource each one lives in (the first resource whose
 * item is that class; none for `Component` and `Subscription`, which the fake does not keep).
 */
const STATUS_OBJECTS: Readonly<Record<string, string | undefined>> = Object.fromEntries(
  operationSchemas.getStatus.body.shape.object.options.map((objectClass) => [
    objectClass,
    Object.values(resources).find((r) => r.item === objectClass)?.name,
  ]),
);

/** Options of {@link createHubFake}. */
export interface HubFakeOptions {
  /** Origin of the Hub the client talks to. @default any origin (`*`) */
  baseUrl?: string;
  /** Origin of the optimizers service. @default any origin (`*`) */
  optimizersUrl?: string;
  /**
   * Tokens the fake accepts (in any of the four body fields). A request with another token, or none, gets 401.
   * Tokens issued by `tokens.create` are added. @default undefined: any non-empty token is accepted
   */
  tokens?: string[];
  /** Answer 401 to requests that carry no token at all. @default true */
  requireToken?: boolean;
  /** Users for `POST /tokens` (`email` + `password`). @default undefined: any email with a non-empty password */
  users?: { email: string; password: string }[];
  /**
   * Move in-progress states on when an object is read again (`deploying` -> `running`, `undeploying` ->
   * `undeployed`, `requested` -> `done`, `pending` -> `success`), so polling code terminates. @default true
   */
  autoAdvance?: boolean;
  /** Objects to start with, per resource (`{ projects: [{ id: 1, name: 'p' }] }`); `object`/`deleted` are filled in. */
  seed?: Partial<Record<string, Record<string, unknown>[]>>;
}

/** One request the fake answered (for assertions and for validating the fake against the spec). */
export interface FakeJournalEntry {
  operationId: string;
  method: string;
  path: string;
  /**
   * The parsed JSON body the client sent, with the value of each token field and `password` replaced by
   * {@link REDACTED} (the field itself stays, so a test can see which token was sent).
   */
  body: Record<string, unknown> | undefined;
  status: number;
  /** What the fake answered: parsed JSON (an issued user token {@link REDACTED}), or text for `text/*`. */
  response: unknown;
  contentType: string;
  /** True when a fault answered instead of the fake's own logic. */
  injected: boolean;
}

/** What {@link createHubFake} returns. */
export interface HubFake {
  /** MSW handlers: `setupServer(...fake.handlers)` or `server.use(...fake.handlers)`. */
  handlers: RequestHandler[];
  /** The in-memory state (seed it, inspect it). */
  store: HubStore;
  /** Fault injection. */
  faults: Faults;
  /** Every answered request, in order. */
  journal: FakeJournalEntry[];
  /** Empty the store, the journal and the faults, and re-apply the seed. */
  reset(): void;
}

interface FakeResult {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

interface Call {
  operationId: string;
  resource: string;
  op: string;
  method: string;
  path: string;
  params: Record<string, string>;
  body: Record<string, unknown>;
}

const META_OK = { status: 200 };
const now = () => new Date().toISOString();

function ok(data: unknown): FakeResult {
  return { status: 200, json: { data, meta: META_OK } };
}
/** The Hub's error envelope (`ErrorEnvelope` in the spec): `{meta: {status, errors: [...]}}`. */
function errorBody(status: number, errors: HubErrorItem[]) {
  return { meta: { status, errors } };
}
function hubError(status: number, errors: HubErrorItem[]): FakeResult {
  return { status, json: errorBody(status, errors) };
}
function invalid(...errors: [param: string, message: string][]): FakeResult {
  return hubError(
    400,
    errors.map(([error_param, message]) => ({ error_type: 'invalid_param', error_param, message })),
  );
}
function unauthenticated(message = 'User should be logged in', errorParam?: string): FakeResult {
  return hubError(401, [
    { error_type: 'unauthenticated', message, ...(errorParam ? { error_param: errorParam } : {}) },
  ]);
}
function notFound(model: string): FakeResult {
  return hubError(404, [{ message: `Couldn't find ${model}`, error_type: 'not_found' }]);
}
function missing(body: Record<string, unknown>, fields: readonly string[]): FakeResult | undefined {
  const absent = fields.filter((f) => body[f] === undefined || body[f] === null || body[f] === '');
  return absent.length ? invalid(...absent.map((f): [string, string] => [f, 'is required'])) : undefined;
}

/** Fields the fake requires on create, per resource (server-side validation; `error_param` names each). */
const REQUIRED_ON_CREATE: Readonly<Record<string, readonly string[]>> = {
  actuals: ['pipeline_id', 'actuals'],
  cluster_tasks: ['name'],
  clusters: ['name', 'organization_id'],
  dataset_manifests: ['id', 'name', 'statistics'],
  endpoints: ['pipeline_id'],
  endpoint_actuals: ['actuals'],
  endpoint_pipelines: ['endpoint_id', 'pipeline_id'],
  endpoint_predictions: ['records', 'features'],
  endpoint_roi_validations: ['expressions'],
  experiments: ['name'],
  experiment_sessions: ['experiment_id'],
  hyperparameters: ['algorithm_name'],
  organizations: ['name'],
  pipelines: ['trial_id'],
  pipeline_files: ['trial_id'],
  predictions: ['pipeline_id', 'records', 'features'],
  prediction_groups: ['pipeline_id', 'records', 'features'],
  projects: ['name', 'organization_id'],
  project_files: ['project_id', 'url'],
  project_file_urls: ['project_id', 'file_path'],
  review_alerts: ['endpoint_id', 'kind'],
  similar_trials_requests: ['algorithm_name'],
  tokens: ['email', 'password'],
  trial_searches: ['trials_total_count', 'search_space'],
  warm_start_requests: ['dataset_manifest_id'],
};

/** The item class of a resource in the spec's `x-resources` (`PredictionGroup` for `endpoint_predictions`). */
function itemOf(resource: string): string | undefined {
  return (resources as Record<string, { item: string }>)[resource]?.item;
}

/** The `object` name of a resource's items: its item class in snake_case (`PredictionGroup` -> `prediction_group`). */
function objectName(resource: string): string {
  const item = itemOf(resource);
  return item ? item.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase() : resource.replace(/s$/, '');
}

/** The store table a resource's objects live in: an endpoint's predictions are prediction groups. */
function tableOf(resource: string): string {
  return resource === 'endpoint_predictions' ? 'prediction_groups' : resource;
}

/** The model name in "Couldn't find X" (Rails class name). */
function modelName(resource: string): string {
  return itemOf(resource) ?? resource;
}

function stateMachine(id: string, name: string, transitions: { id: string; name: string }[] = []) {
  return {
    object: 'state_machine',
    deleted: false,
    current_state: { id, name },
    possible_transitions: transitions,
  };
}

/** Defaults the real server fills in on create, per resource. */
function defaultsFor(resource: string, body: Record<string, unknown>): Record<string, unknown> {
  const ts = { created_at: now(), updated_at: now() };
  switch (resource) {
    case 'projects':
      return {
        url: `https://cluster.fake.test/${String(body.name)}-project/?`,
        status: 'undeployed',
        deleting: false,
        state_machine: stateMachine('undeployed', 'Stopped', [{ id: 'deploy', name: 'start' }]),
        deploy_progress: { undeployed: 0, undeploying: 0, deploying: 0, deployed: 0, running: 0 },
        services_status: { total: 0, running: 0 },
        jobs_status: { total: 0, done: 0 },
        kube_service_port: null,
        cluster_id: null,
        components: [],
        default_worker_nodes_count: null,
        default_workers_per_node_count: 0,
        default_instance_type: null,
        default_kubernetes_stack: null,
        cluster_autoterminate_minutes: 0,
        ...ts,
      };
    case 'organizations': {
      const sub = String(body.name ?? 'org');
      return {
        subdomain: sub,
        main_bucket: `auger-${sub.slice(0, 9)}-fake00`,
        status: 'created',
        state_machine: stateMachine('created', 'Created'),
        is_demo: false,
        is_jupyter_enabled: true,
        error_message: null,
        ...ts,
      };
    }
    case 'experiments':
      return { search_space: null, search_space_status: 'not_requested', ...ts };
    case 'experiment_sessions':
      return { status: 'waiting', model_type: null, message: null, model_settings: {}, pipelines: [], ...ts };
    case 'pipelines':
      return { status: 'creating_files', lambda_package_s3_path: null, error_message: null, ...ts };
    case 'pipeline_files':
      return {
        model_path: null,
        model_path_status: 'pending',
        s3_model_path: null,
        s3_model_path_status: 'not_requested',
        signed_s3_model_path: null,
        signed_s3_model_path_status: 'not_requested',
        error_message: null,
        ...ts,
      };
    case 'predictions':
      return { status: 'requested', records_count: recordsCount(body), time_consumed_ms: null, result: null };
    case 'prediction_groups':
    case 'endpoint_predictions':
      return {
        endpoint_id: null,
        status: 'requested',
        records_count: recordsCount(body),
        time_consumed_ms: null,
        result: null,
        error_message: null,
        created_at: now(),
        predicted_at: now(),
      };
    case 'project_files':
      return {
        content_type: null,
        status: 'processing',
        image_url: null,
        industry: null,
        description: null,
        statistics: null,
        error_message: null,
        ...ts,
      };
    case 'cluster_tasks':
    case 'endpoint_roi_validations':
      return {
        external_uid: null,
        cluster_id: null,
        queue: null,
        status: 'pending',
        args: null,
        result: null,
        exception: null,
      };
    case 'endpoints':
      return {
        name: null,
        dataset_signature: '00000000000000000000000000000000',
        primary_pipeline_id: body.pipeline_id ?? null,
        primary_experiment_session_id: null,
        avg_prediction_time_ms: null,
        endpoint_pipelines: [],
        ...ts,
      };
    case 'endpoint_pipelines':
      return { active: false, ...ts };
    case 'review_alerts':
      return {
        threshold: 0,
        sensitivity: 0,
        actions: 'no_actions',
        notifications: 'no_notifications',
        active: true,
        ...ts,
      };
    case 'similar_trials_requests':
      return { limit: 10, status: 'requested', time_consumed_ms: null, trials: [] };
    case 'warm_start_requests':
      return { limit: 10, status: 'requested', time_consumed_ms: null, hyperparameters: [] };
    case 'trial_searches':
      return { status: 'requested', trials_limit: 10, trials_history: [], next_trials: [] };
    case 'clusters':
      return { status: 'waiting', error_message: null, components: [], ...ts };
    case 'trials':
      return { metrics: null, metrics_status: 'not_requested', raw_data: {}, ...ts };
    default:
      return { ...ts };
  }
}

function recordsCount(body: Record<string, unknown>): number {
  return Array.isArray(body.records) ? body.records.length : 0;
}

/** Strip token fields from a body before storing it. */
function withoutTokens(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  for (const f of TOKEN_FIELDS) delete out[f];
  return out;
}

/** A request body as the journal keeps it: secrets redacted. */
function redactBody(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  for (const f of Object.keys(out)) if (SECRET_FIELDS.has(f)) out[f] = REDACTED;
  return out;
}

/** A response as the journal keeps it: the user token `POST /tokens` issued, redacted. */
function redactResponse(operationId: string, response: unknown): unknown {
  const data = (response as { data?: { token?: unknown } } | undefined)?.data;
  if (operationId !== 'createToken' || typeof data?.token !== 'string') return response;
  return { ...(response as object), data: { ...data, token: REDACTED } };
}

/** In-progress state -> the state polling code waits for. */
const ADVANCE: Readonly<Record<string, string>> = {
  deploying: 'running',
  undeploying: 'undeployed',
  requested: 'done',
  pending: 'success',
  processing: 'processed',
  creating_files: 'ready',
  packaging: 'ready',
};

/** Build the fake. */
export function createHubFake(options: HubFakeOptions = {}): HubFake {
  const store = new HubStore();
  const faults = new Faults();
  const journal: FakeJournalEntry[] = [];
  const acceptedTokens = options.tokens ? new Set(options.tokens) : undefined;
  const autoAdvance = options.autoAdvance ?? true;

  const applySeed = () => {
    for (const [resource, items] of Object.entries(options.seed ?? {})) {
      for (const item of items ?? []) {
        const id = item.id ?? store.nextId(resource);
        store.insert(resource, {
          object: objectName(resource),
          deleted: false,
          ...item,
          id: id as string | number,
        });
      }
    }
  };
  applySeed();

  const opIndex = buildOperationIndex();

  function authError(call: Call): FakeResult | undefined {
    const present = TOKEN_FIELDS.map((f) => call.body[f]).filter(
      (v) => v !== undefined && v !== null && v !== '',
    );
    if (call.operationId === 'createToken') return undefined;
    const rejected =
      present.length === 0
        ? options.requireToken !== false
        : acceptedTokens !== undefined && !present.some((t) => acceptedTokens.has(String(t)));
    if (!rejected) return undefined;
    // The optimizers service words it differently and names the field.
    return call.resource === 'optimizers'
      ? unauthenticated('authentication required', 'token')
      : unauthenticated();
  }

  /** Objects read once in an in-progress state (`resource:id`): the next read moves them on. */
  const seen = new Set<string>();

  /** The object as a read sees it, after moving it on (see `autoAdvance`). */
  function advance(resource: string, obj: HubObject): HubObject {
    if (!autoAdvance) return obj;
    const next = typeof obj.status === 'string' ? ADVANCE[obj.status] : undefined;
    if (!next) return obj;
    const key = `${resource}:${String(obj.id)}`;
    // A read moves the object on at most one step, so a poller sees the in-progress state at least once.
    if (!seen.has(key)) {
      seen.add(key);
      return obj;
    }
    seen.delete(key);
    const fields: Record<string, unknown> = { status: next };
    if (resource === 'projects')
      fields.state_machine = stateMachine(next, next === 'running' ? 'Running' : 'Stopped');
    return store.patch(resource, obj.id, fields) ?? obj;
  }

  function list(call: Call, items: HubObject[]): FakeResult {
    const limit = toInt(call.body.limit, 50);
    const offset = toInt(call.body.offset, 0);
    if (limit < 0) return invalid(['limit', 'must be greater than or equal to 0']);
    if (offset < 0) return invalid(['offset', 'must be greater than or equal to 0']);
    const filters = Object.entries(withoutTokens(call.body)).filter(([k]) => k !== 'limit' && k !== 'offset');
    const matching = items.filter((o) =>
      filters.every(([k, v]) => !(k in o) || v === undefined || v === null || String(o[k]) === String(v)),
    );
    const page = matching.slice(offset, offset + limit);
    return {
      status: 200,
      json: {
        data: page,
        meta: { status: 200, pagination: { limit, offset, count: page.length, total: matching.length } },
      },
    };
  }

  function create(
    resource: string,
    body: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): HubObject {
    const fields = withoutTokens(body);
    const stored = tableOf(resource);
    const id = (fields.id as string | number | undefined) ?? store.nextId(stored);
    const obj: HubObject = {
      object: objectName(resource),
      deleted: false,
      ...defaultsFor(resource, fields),
      ...fields,
      ...extra,
      // Ids of hex/uuid/name styles are strings on the wire, even when a client sends a number (dataset_manifests).
      id: (ID_STYLES[stored] ?? 'integer') === 'integer' ? id : String(id),
    };
    return store.insert(stored, obj);
  }

  function clusterTask(name: string, args: unknown[], projectId: unknown = null): HubObject {
    return create('cluster_tasks', { name, args }, { project_id: projectId ?? null });
  }

  function handle(call: Call): FakeResult {
    const auth = authError(call);
    if (auth) return auth;
    const { resource, op, body, params } = call;
    const model = modelName(resource);

    // ---- specials first ----
    switch (call.operationId) {
      case 'createToken': {
        const m = missing(body, ['email', 'password']);
        if (m) return m;
        const known = options.users?.some((u) => u.email === body.email && u.password === body.password);
        if (options.users ? !known : body.password === 'wrong')
          return unauthenticated('Email or password incorrect');
        const token = `fake-user-token.${globalThis.crypto.randomUUID()}`;
        acceptedTokens?.add(token);
        return ok({ token, confirmation_required: false });
      }
      case 'getStatus': {
        const m = missing(body, ['object', 'id']);
        if (m) return m;
        const objectClass = String(body.object);
        if (!(objectClass in STATUS_OBJECTS)) {
          return invalid(['object', `is not in the list ${JSON.stringify(Object.keys(STATUS_OBJECTS))}`]);
        }
        const table = STATUS_OBJECTS[objectClass];
        const obj = table ? store.get(table, body.id as string | number) : undefined;
        if (!obj || !table) return notFound(objectClass);
        return ok({ status: advance(table, obj).status });
      }
      case 'deployProject':
      case 'undeployProject': {
        const project = store.get('projects', params.id!);
        if (!project) return notFound('Project');
        const deploying = call.operationId === 'deployProject';
        const status = deploying ? 'deploying' : 'undeploying';
        const fields = withoutTokens(body);
        const updated = store.patch('projects', params.id!, {
          status,
          state_machine: stateMachine(status, deploying ? 'Starting' : 'Stopping'),
          ...(fields.worker_type_id !== undefined ? { default_worker_type_id: fields.worker_type_id } : {}),
          ...(fields.workers_count !== undefined ? { default_workers_count: fields.workers_count } : {}),
          updated_at: now(),
        });
        return ok(updated);
      }
      case 'getProjectLogs': {
        if (!store.get('projects', params.id!)) return notFound('Project');
        const lines = store
          .list('pod_logs')
          .filter((l) => String(l.project_id) === params.id)
          .map((l) => String(l.data ?? ''));
        return { status: 200, text: lines.join(''), contentType: 'text/plain; charset=utf-8' };
      }
      case 'createProjectFileUrl': {
        const m = missing(body, ['project_id', 'file_path']);
        if (m) return m;
        const project = store.get('projects', body.project_id as number);
        if (!project) return notFound('Project');
        const key = fileKey(project, String(body.file_path));
        if (body.async) {
          const task = clusterTask(
            'a2ml.tasks_queue.tasks_hub_api.project_file_url_task',
            [{ key }],
            project.id,
          );
          return ok({ id: task.id, url: 'https://fake-bucket.s3.fake.test' });
        }
        return ok({
          url: 'https://fake-bucket.s3.fake.test',
          fields: {
            key,
            success_action_status: '201',
            policy: 'FAKE',
            'x-amz-credential': 'FAKE',
            'x-amz-algorithm': 'AWS4-HMAC-SHA256',
            'x-amz-date': '20200101T000000Z',
            'x-amz-signature': 'FAKE',
          },
        });
      }
      case 'getProjectFileUrl': {
        const m = missing(body, ['project_id', 'file_path']);
        if (m) return m;
        const project = store.get('projects', body.project_id as number);
        if (!project) return notFound('Project');
        const key = fileKey(project, String(body.file_path));
        return ok({
          url: `https://fake-bucket.s3.fake.test/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=FAKE`,
        });
      }
      case 'createActual':
      case 'createEndpointActual': {
        if (call.operationId === 'createEndpointActual' && !store.get('endpoints', params.endpoint_id!))
          return notFound('Endpoint');
        const m = missing(body, REQUIRED_ON_CREATE[resource] ?? []);
        if (m) return m;
        return ok({});
      }
      case 'deleteActuals': {
        const m = missing(body, ['pipeline_id']);
        if (m) return m;
        return ok(clusterTask('a2ml.tasks_queue.tasks_hub_api.delete_actuals_task', [withoutTokens(body)]));
      }
      case 'deleteEndpointActuals': {
        if (!store.get('endpoints', params.endpoint_id!)) return notFound('Endpoint');
        const task = clusterTask('a2ml.tasks_queue.tasks_hub_api.delete_actuals_task', [
          { ...withoutTokens(body), endpoint_id: params.endpoint_id },
        ]);
        return ok([task]);
      }
      case 'updateTrials': {
        if (!Array.isArray(body.trials)) return invalid(['trials', 'is required']);
        const errors: [string, string][] = [];
        body.trials.forEach((t, i) => {
          if (!t || typeof t !== 'object' || !(t as Record<string, unknown>).uid)
            errors.push([`trials[${i}].uid`, 'is required']);
        });
        if (errors.length) return invalid(...errors);
        const updated = (body.trials as Record<string, unknown>[]).map((raw) => {
          const id = String(raw.uid);
          const existing = store.get('trials', id);
          const fields = {
            experiment_session_id: body.experiment_session_id ?? existing?.experiment_session_id ?? null,
            score_name: raw.score_name ?? existing?.score_name ?? null,
            score_value: raw.score ?? existing?.score_value ?? null,
            task_type: raw.task_type ?? existing?.task_type ?? null,
            hyperparameter: {
              object: 'hyperparameter',
              deleted: false,
              id: store.nextId('hyperparameters'),
              algorithm_name: raw.algorithm_name ?? null,
              algorithm_params: raw.algorithm_params ?? {},
              algorithm_params_hash: raw.algorithm_params_hash ?? null,
            },
            raw_data: raw,
            updated_at: now(),
          };
          if (existing) return store.patch('trials', id, fields)!;
          return create('trials', { id }, fields);
        });
        return ok(updated);
      }
      case 'createTrial': {
        if (body.id !== undefined && body.refit_data_path !== undefined) {
          const source = store.get('trials', body.id as string);
          if (!source) return notFound('Trial');
          const id = store.nextId('trials');
          const raw = {
            ...((source.raw_data as Record<string, unknown> | null) ?? {}),
            refit_data_path: body.refit_data_path,
          };
          return ok(create('trials', { ...source, id, raw_data: raw }));
        }
        break;
      }
      case 'updateTrialSearch': {
        const search = store.get('trial_searches', params.id!);
        if (!search) return notFound('TrialSearch');
        if (search.status !== 'done') {
          return invalid(['id', 'trial search can be continued only when previous iteration is done']);
        }
        break;
      }
      case 'getNextTrials': {
        const m = missing(body, ['optimizer_name']);
        if (m) return m;
        const batch = toInt((body.optimizer_params as Record<string, unknown> | undefined)?.batch_size, 1);
        return ok([
          proposals(body.search_space, batch),
          { ...((body.optimizer_context as object | undefined) ?? {}) },
        ]);
      }
      case 'getNextTrialsV2': {
        return ok({
          trials: proposals(body.search_space, toInt(body.trials_limit, 1)),
          optimizer_context: body.optimizer_context ?? {},
        });
      }
      case 'getFte': {
        const m = missing(body, ['alg_params']);
        if (m) return m;
        const cells = toInt(body.ncols, 1) * toInt(body.nrows, 1);
        return ok({ estimated_time: Math.max(0.1, Math.log10(cells + 1)) });
      }
    }

    // ---- parent checks (nested resources) ----
    if (params.endpoint_id !== undefined && !store.get('endpoints', params.endpoint_id))
      return notFound('Endpoint');
    const table = tableOf(resource);

    // ---- the convention ----
    switch (op) {
      case 'list': {
        const scope = params.endpoint_id
          ? store.list(table).filter((o) => String(o.endpoint_id) === params.endpoint_id)
          : store.list(table);
        return list(
          call,
          scope.map((o) => advance(table, o)),
        );
      }
      case 'get': {
        const obj = store.get(table, params.id!);
        if (!obj || (params.endpoint_id && String(obj.endpoint_id) !== params.endpoint_id))
          return notFound(model);
        return ok(advance(table, obj));
      }
      case 'create': {
        const m = missing(body, REQUIRED_ON_CREATE[resource] ?? []);
        if (m) return m;
        if (body.id !== undefined && store.get(table, body.id as string | number))
          return invalid(['id', 'has already been taken']);
        const check = validateCreate(resource, body);
        if (check) return check;
        const extra: Record<string, unknown> = {};
        if (params.endpoint_id) {
          const endpoint = store.get('endpoints', params.endpoint_id)!;
          extra.endpoint_id = params.endpoint_id;
          extra.pipeline_id = endpoint.primary_pipeline_id ?? null;
          extra.project_id = endpoint.project_id ?? null;
        }
        if (resource === 'endpoint_roi_validations') {
          return ok(
            clusterTask(
              'a2ml.tasks_queue.tasks_hub_api.validate_roi_syntax_task',
              [{ expressions: body.expressions }],
              extra.project_id,
            ),
          );
        }
        if (resource === 'endpoint_pipelines') {
          const endpoint = store.get('endpoints', body.endpoint_id as string);
          if (!endpoint) return notFound('Endpoint');
          const ep = create(resource, body);
          store.patch('endpoints', endpoint.id, {
            endpoint_pipelines: [...((endpoint.endpoint_pipelines as unknown[]) ?? []), ep],
          });
          return ok(ep);
        }
        if (resource === 'hyperparameters') extra.algorithm_params = body.algorithm_params ?? {};
        return ok(create(resource, body, extra));
      }
      case 'update': {
        const obj = store.get(table, params.id!);
        if (!obj) return notFound(model);
        const fields = withoutTokens(body);
        delete fields.id;
        if (resource === 'trial_searches') fields.status = 'requested';
        if (resource === 'trials' && fields.hyperparameter && typeof fields.hyperparameter === 'object') {
          // The server stores the hyperparameter as its own object and embeds it.
          const previous = obj.hyperparameter as HubObject | null | undefined;
          fields.hyperparameter = {
            object: 'hyperparameter',
            deleted: false,
            id: previous?.id ?? store.nextId('hyperparameters'),
            ...(fields.hyperparameter as Record<string, unknown>),
          };
        }
        if (resource === 'trials' && fields.score_value === undefined && typeof fields.score === 'number') {
          fields.score_value = fields.score;
        }
        return ok(store.patch(table, params.id!, { ...fields, updated_at: now() }));
      }
      case 'delete': {
        const obj = store.get(table, params.id!);
        if (!obj) return notFound(model);
        if (resource === 'organizations') {
          return ok(
            store.patch(table, params.id!, {
              status: 'terminating',
              state_machine: stateMachine('terminating', 'Terminating'),
            }),
          );
        }
        if (resource === 'projects') return ok(store.patch(table, params.id!, { deleting: true }));
        store.remove(table, params.id!);
        return ok({ ...obj, deleted: true });
      }
    }
    return notFound(model);
  }

  function validateCreate(resource: string, body: Record<string, unknown>): FakeResult | undefined {
    if (
      resource === 'predictions' ||
      resource === 'prediction_groups' ||
      resource === 'endpoint_predictions'
    ) {
      const features = Array.isArray(body.features) ? body.features.length : 0;
      if (!Array.isArray(body.records)) return invalid(['records', 'must be an array']);
      if (body.records.some((r) => !Array.isArray(r) || r.length !== features)) {
        return invalid(['records', 'all records must have the same number of values as features']);
      }
    }
    if (resource === 'project_files') {
      const dup = store
        .list('project_files')
        .some((f) => f.url === body.url && String(f.project_id) === String(body.project_id));
      if (dup) return invalid(['url', 'en.errors.project_file.url_not_uniq']);
    }
    return undefined;
  }

  const dispatch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const match = opIndex.match(method, url.pathname);
    if (!match) {
      return HttpResponse.json(
        errorBody(404, [
          { error_type: 'not_found', message: `No route matches [${method}] "${url.pathname}"` },
        ]),
        { status: 404 },
      );
    }
    const raw = await readRequestText(request);
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = raw ? JSON.parse(raw) : {};
      body =
        parsed && typeof parsed === 'object' && !Array.isArray(parsed)
          ? (parsed as Record<string, unknown>)
          : {};
    } catch {
      // Production Rails answers malformed JSON with an empty 400 (predictions/create_invalid_with_nan_blank_response).
      journal.push({
        operationId: match.operationId,
        method,
        path: url.pathname,
        body: undefined,
        status: 400,
        response: '',
        contentType: 'text/html',
        injected: false,
      });
      return new HttpResponse('', { status: 400, headers: { 'Content-Type': 'text/html; charset=UTF-8' } });
    }
    const call: Call = { ...match, method, path: url.pathname, body };

    const fault = faults.take(call.operationId, method);
    if (!fault) {
      for (const plan of faults.plans) {
        const planned = nextFault(plan, request);
        const res = planned ? await faultResponse(planned) : undefined;
        if (!res) continue;
        journal.push({
          operationId: call.operationId,
          method,
          path: url.pathname,
          body: redactBody(body),
          status: res.status,
          response: undefined,
          contentType: res.headers.get('content-type') ?? '',
          injected: true,
        });
        return res;
      }
    }
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.networkError) return HttpResponse.error();
    let result: FakeResult;
    if (fault?.status !== undefined) {
      const b = fault.body;
      result =
        typeof b === 'string'
          ? { status: fault.status, text: b, contentType: 'text/html; charset=utf-8' }
          : {
              status: fault.status,
              json:
                b ??
                errorBody(fault.status, [{ error_type: 'injected', message: `injected ${fault.status}` }]),
            };
      result.headers = fault.headers;
    } else {
      result = handle(call);
      if (fault?.headers) result.headers = { ...result.headers, ...fault.headers };
    }
    const contentType = result.contentType ?? 'application/json; charset=utf-8';
    const payload = result.text ?? JSON.stringify(result.json);
    journal.push({
      operationId: call.operationId,
      method,
      path: url.pathname,
      body: redactBody(body),
      status: result.status,
      response: result.text ?? redactResponse(call.operationId, JSON.parse(payload)),
      contentType,
      injected: fault?.status !== undefined,
    });
    return new HttpResponse(payload, {
      status: result.status,
      headers: {
        'Content-Type': contentType,
        'X-Request-Id': globalThis.crypto.randomUUID(),
        ...result.headers,
      },
    });
  };

  const hubBase = options.baseUrl ? new URL(options.baseUrl).origin : '*';
  const optBase = options.optimizersUrl ? new URL(options.optimizersUrl).origin : '*';
  const handlers: RequestHandler[] = [
    http.all(`${hubBase}/api/v1/*`, ({ request }) => dispatch(request)),
    // The operations the spec serves from their own `servers` (the optimizers service).
    ...Object.values(operations)
      .filter((o) => 'servers' in o)
      .map((o) => http[o.method](`${optBase}${o.path}`, ({ request }) => dispatch(request))),
  ];

  return {
    handlers,
    store,
    faults,
    journal,
    reset() {
      store.clear();
      seen.clear();
      faults.clear();
      journal.length = 0;
      applySeed();
    },
  };
}

function toInt(v: unknown, fallback: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isInteger(n) ? n : fallback;
}

function fileKey(project: HubObject, filePath: string): string {
  return filePath.startsWith('workspace/')
    ? filePath
    : `workspace/projects/${String(project.name)}/files/${filePath}`;
}

/** Deterministic proposals from a search space `{<algorithm>: {<param>: {bounds | values}}}`. */
function proposals(
  space: unknown,
  count: number,
): { algorithm_name: string; algorithm_params: Record<string, unknown> }[] {
  const algorithms =
    space && typeof space === 'object' ? Object.entries(space as Record<string, unknown>) : [];
  const usable = algorithms.filter(([, params]) => params && typeof params === 'object');
  const out = [];
  for (let i = 0; i < Math.max(0, count); i++) {
    const [name, params] = usable[i % Math.max(1, usable.length)] ?? [
      'sklearn.ensemble.RandomForestClassifier',
      {},
    ];
    const chosen: Record<string, unknown> = {};
    for (const [param, def] of Object.entries(params as Record<string, Record<string, unknown>>)) {
      if (Array.isArray(def?.values)) chosen[param] = def.values[i % def.values.length];
      else if (Array.isArray(def?.bounds)) {
        const [lo, hi] = def.bounds as number[];
        chosen[param] = (lo ?? 0) + (((hi ?? 1) - (lo ?? 0)) * (i + 1)) / (count + 1);
      }
    }
    out.push({ algorithm_name: name, algorithm_params: chosen });
  }
  return out;
}

/** An operation found by {@link buildOperationIndex}. */
export interface OperationMatch {
  operationId: string;
  resource: string;
  op: string;
  params: Record<string, string>;
}

/** Method + path -> operation, from the generated tables. Literal segments win over `{params}`. */
export function buildOperationIndex(): {
  match(method: string, pathname: string): OperationMatch | undefined;
} {
  const owner = new Map<string, { resource: string; op: string }>();
  for (const [resource, def] of Object.entries(resources)) {
    for (const [op, o] of Object.entries(def.operations as Record<string, { operationId: string }>)) {
      owner.set(o.operationId, { resource, op });
    }
  }
  const routes = Object.values(operations).map((o) => {
    const names: string[] = [];
    const source = o.path.replace(/\{([^}]+)\}/g, (_m: string, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return {
      operationId: o.operationId,
      method: o.method.toUpperCase(),
      re: new RegExp(`^${source}/?$`),
      names,
      literal: names.length === 0 ? 1 : 0,
      ...(owner.get(o.operationId) ?? { resource: '', op: '' }),
    };
  });
  routes.sort((a, b) => b.literal - a.literal || a.names.length - b.names.length);
  return {
    match(method: string, pathname: string): OperationMatch | undefined {
      for (const r of routes) {
        if (r.method !== method) continue;
        const m = r.re.exec(pathname);
        if (!m) continue;
        const params: Record<string, string> = {};
        r.names.forEach((n, i) => {
          params[n] = decodeURIComponent(m[i + 1] ?? '');
        });
        return { operationId: r.operationId, resource: r.resource, op: r.op, params };
      }
      return undefined;
    },
  };
}
