/**
 * The convention most Hub resources follow (hub-api.md §2, §3): list with `limit`/`offset` and parent filters in the
 * GET body, get, create with server-side required fields, update (PATCH merges), delete returning the object.
 * Nested endpoint resources (`/endpoints/{endpoint_id}/...`) check their parent first and are scoped to it.
 */
import { intParam, offsetPage } from '@mlclients/package-core/testing';
import { invalid, missing, notFound, ok, okPage, TOKEN_FIELDS, withoutTokens } from '../answers.js';
import { type HubHandler, modelName } from '../context.js';
import { stateMachine } from '../defaults.js';

/** Fields the server requires on create, per resource (`error_param` names each; dataset_manifests/create_invalid). */
export const REQUIRED_ON_CREATE: Readonly<Record<string, readonly string[]>> = {
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

const PAGINATION = new Set(['limit', 'offset', ...TOKEN_FIELDS]);

/** `GET /<resource>`: declared filters from the body (and the path parent), then one offset page. */
export function list(resource: string): HubHandler {
  return (call, ctx) => {
    const { endpoint_id } = call.params;
    if (endpoint_id !== undefined && !ctx.store.get('endpoints', endpoint_id)) return notFound('Endpoint');
    const limit = intParam(call.body.limit, 50);
    const offset = intParam(call.body.offset, 0);
    if (limit < 0) return invalid(['limit', 'must be greater than or equal to 0']);
    if (offset < 0) return invalid(['offset', 'must be greater than or equal to 0']);
    const filters = Object.fromEntries(Object.entries(call.body).filter(([k]) => !PAGINATION.has(k)));
    if (endpoint_id !== undefined) filters.endpoint_id = endpoint_id;
    const all = ctx.store.list(resource, filters);
    const page = offsetPage(all, { limit, offset });
    return okPage(
      page.items.map((o) => ctx.advance(resource, o)),
      page,
    );
  };
}

/** `GET /<resource>/{id}`. */
export function get(resource: string): HubHandler {
  return (call, ctx) => {
    const { endpoint_id, id } = call.params;
    if (endpoint_id !== undefined && !ctx.store.get('endpoints', endpoint_id)) return notFound('Endpoint');
    const obj = ctx.store.get(resource, id!);
    if (!obj || (endpoint_id !== undefined && String(obj.endpoint_id) !== endpoint_id))
      return notFound(modelName(resource));
    return ok(ctx.advance(resource, obj));
  };
}

/** `POST /<resource>`: required fields, a client-chosen id must be free. */
export function create(resource: string): HubHandler {
  return (call, ctx) => {
    const { endpoint_id } = call.params;
    if (endpoint_id !== undefined && !ctx.store.get('endpoints', endpoint_id)) return notFound('Endpoint');
    const absent = missing(call.body, REQUIRED_ON_CREATE[resource] ?? []);
    if (absent) return absent;
    if (call.body.id !== undefined && ctx.store.raw(resource, call.body.id as string | number))
      return invalid(['id', 'has already been taken']);
    return ok(ctx.create(resource, call.body));
  };
}

/** `PATCH /<resource>/{id}`: merges the fields; the id never changes. */
export function update(resource: string): HubHandler {
  return (call, ctx) => {
    const id = call.params.id!;
    if (!ctx.store.raw(resource, id)) return notFound(modelName(resource));
    const fields = withoutTokens(call.body);
    delete fields.id;
    return ok(ctx.store.patch(resource, id, { ...fields, updated_at: new Date().toISOString() }));
  };
}

/**
 * `DELETE /<resource>/{id}` returns the object: `deleted: true`, except organizations (`status: terminating`) and
 * projects (`deleting: true`), which the server tears down in the background (hub-api.md §3.1).
 */
export function remove(resource: string): HubHandler {
  return (call, ctx) => {
    const id = call.params.id!;
    const obj = ctx.store.get(resource, id);
    if (!obj) return notFound(modelName(resource));
    if (resource === 'organizations')
      return ok(
        ctx.store.patch(resource, id, {
          status: 'terminating',
          state_machine: stateMachine('terminating', 'Terminating'),
        }),
      );
    if (resource === 'projects') return ok(ctx.store.patch(resource, id, { deleting: true }));
    ctx.store.remove(resource, id);
    return ok({ ...obj, deleted: true });
  };
}

/** The convention's handler for a resource operation (`list`, `get`, `create`, `update`, `delete`), if any. */
export function conventionHandler(resource: string, op: string): HubHandler | undefined {
  switch (op) {
    case 'list':
      return list(resource);
    case 'get':
      return get(resource);
    case 'create':
      return create(resource);
    case 'update':
      return update(resource);
    case 'delete':
      return remove(resource);
  }
  return undefined;
}
