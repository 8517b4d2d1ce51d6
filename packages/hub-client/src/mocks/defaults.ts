/**
 * What the real Hub fills in when it creates an object, per resource (field names and initial values from the
 * recordings), and how in-progress states move on when polled.
 */

const now = () => new Date().toISOString();

/** The `{object: 'state_machine'}` the Hub embeds in projects and organizations. */
export function stateMachine(id: string, name: string, transitions: { id: string; name: string }[] = []) {
  return {
    object: 'state_machine',
    deleted: false,
    current_state: { id, name },
    possible_transitions: transitions,
  };
}

/** The AWS region of the recorded buckets (`auger-org-1-lyyv0w.s3.us-west-1.amazonaws.com`). */
export const S3_REGION = 'us-west-1';

/** An organization's bucket, shaped like the recorded ones: `auger-<subdomain>-<6 chars>` (`auger-org-1-lyyv0w`). */
export function mainBucket(subdomain: string, id: string | number): string {
  // FNV-1a of the id: the suffix looks random like the real ones, yet a run is reproducible.
  let hash = 0x811c9dc5;
  for (const ch of `${subdomain}:${id}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const suffix = hash.toString(36).padStart(6, '0').slice(-6);
  return `auger-${subdomain
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 20)}-${suffix}`;
}

function recordsCount(body: Record<string, unknown>): number {
  return Array.isArray(body.records) ? body.records.length : 0;
}

/** Defaults the real server fills in on create, per resource. */
export function defaultsFor(
  resource: string,
  body: Record<string, unknown>,
  id: string | number,
): Record<string, unknown> {
  const ts = { created_at: now(), updated_at: now() };
  switch (resource) {
    case 'projects':
      return {
        url: `https://${String(body.name)}-project.auger.ai/?`,
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
        main_bucket: mainBucket(sub, id),
        status: 'created',
        state_machine: stateMachine('created', 'Created'),
        is_demo: false,
        is_jupyter_enabled: true,
        error_message: null,
        ...ts,
      };
    }
    case 'experiments':
      return { project_id: null, search_space: null, search_space_status: 'not_requested', ...ts };
    case 'experiment_sessions':
      return {
        status: 'waiting',
        model_type: null,
        message: null,
        model_settings: {},
        search_space: null,
        pipelines: [],
        statistics: null,
        dataset_statistics: null,
        correlation_to_target: null,
        correlation_to_target_status: 'not_requested',
        correlation_matrix: null,
        correlation_matrix_status: 'not_requested',
        ...ts,
      };
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
      return {
        external_uid: null,
        cluster_id: null,
        project_id: null,
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
    case 'hyperparameters':
      return { algorithm_params: {}, algorithm_params_hash: null };
    case 'trials':
      return { hyperparameter: null, metrics: null, metrics_status: 'not_requested', raw_data: {}, ...ts };
    default:
      return { ...ts };
  }
}

/**
 * In-progress state -> the state polling code waits for, per resource (hub-api.md §7.1). A read moves an object on
 * at most one step, and only after it was seen once in the in-progress state, so a poller sees that state at least
 * once. Sessions take the path a run takes: `preprocess` -> `started` -> `completed`.
 */
const COMMON_ADVANCE: Readonly<Record<string, string>> = {
  deploying: 'running',
  undeploying: 'undeployed',
  requested: 'done',
  processing: 'processed',
  creating_files: 'ready',
  packaging: 'ready',
};
const ADVANCE_BY_RESOURCE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  experiment_sessions: { preprocess: 'started', started: 'completed' },
  cluster_tasks: { pending: 'success', received: 'success', started: 'success', retry: 'success' },
};

/** The state an object in `status` moves on to when polled, if it is in progress. */
export function advancedStatus(table: string, status: unknown): string | undefined {
  if (typeof status !== 'string') return undefined;
  return (ADVANCE_BY_RESOURCE[table] ?? COMMON_ADVANCE)[status];
}
