/**
 * The fake Hub's tables (package-core's `ResourceStore`) and what it declares per resource: id styles read from the
 * recordings, the parent ids the real server derives when it answers, and the filters each list accepts.
 */
import { type ResourceDeclaration, ResourceStore, type StoredObject } from '@mlclients/package-core/testing';

/** A stored Hub object (`{object, deleted, id, ...}`). */
export type HubObject = StoredObject & { object?: string };

/** How a resource's ids look on the real server. */
export type IdStyle = NonNullable<ResourceDeclaration['idStyle']>;

type Store = ResourceStore;
const ref = (table: string, idField: string) => (o: StoredObject, s: Store) => {
  const id = o[idField];
  return id === undefined || id === null ? undefined : s.get(table, id as string | number);
};
/** `field` of the record `o[idField]` points to (derived itself, so chains work: pipeline -> trial -> session). */
const through =
  (table: string, idField: string, field: string) =>
  (o: StoredObject, s: Store): unknown =>
    ref(table, idField)(o, s)?.[field] ?? null;

/**
 * Derived parents, from the recordings: a session answers its experiment's `project_id`
 * (experiment_sessions/index_with_filter), a trial its session's, a pipeline embeds its trial and answers the
 * trial's session and project and the project's organization (pipelines/create_valid), an endpoint its primary
 * pipeline's project and organization (endpoints/create_valid), a pipeline file its trial's session
 * (pipeline_files/create_valid).
 */
export const HUB_RESOURCES: Readonly<Record<string, ResourceDeclaration>> = {
  actuals: {},
  cluster_statuses: { filters: ['cluster_id'] },
  cluster_tasks: { filters: ['project_id', 'cluster_id', 'status', 'name'] },
  clusters: { filters: ['organization_id', 'name', 'status'] },
  dataset_manifests: { idStyle: 'hex', filters: ['name', 'project_id'] },
  endpoint_pipelines: { filters: ['endpoint_id', 'pipeline_id'] },
  endpoint_predictions: { table: 'prediction_groups', filters: ['endpoint_id', 'pipeline_id'] },
  endpoints: {
    idStyle: 'uuid',
    derived: {
      project_id: through('pipelines', 'primary_pipeline_id', 'project_id'),
      organization_id: through('pipelines', 'primary_pipeline_id', 'organization_id'),
      primary_experiment_session_id: through('pipelines', 'primary_pipeline_id', 'experiment_session_id'),
    },
    filters: ['project_id', 'organization_id', 'name', 'primary_pipeline_id'],
  },
  experiments: { idStyle: 'hex', filters: ['project_id', 'name', 'dataset_manifest_id', 'project_file_id'] },
  experiment_sessions: {
    idStyle: 'hex',
    derived: {
      project_id: through('experiments', 'experiment_id', 'project_id'),
      dataset_manifest_id: through('experiments', 'experiment_id', 'dataset_manifest_id'),
    },
    filters: ['project_id', 'experiment_id', 'dataset_manifest_id', 'status'],
  },
  hyperparameters: { filters: ['algorithm_name', 'algorithm_params_hash'] },
  instance_types: { idStyle: 'name' },
  organizations: { filters: ['name'] },
  pipelines: {
    idStyle: 'hex',
    derived: {
      trial: (o, s) => ref('trials', 'trial_id')(o, s) ?? null,
      experiment_session_id: through('trials', 'trial_id', 'experiment_session_id'),
      project_id: through('trials', 'trial_id', 'project_id'),
      organization_id: (o, s) => {
        const project = o.project_id ?? through('trials', 'trial_id', 'project_id')(o, s);
        return project === null ? null : (s.get('projects', project as number)?.organization_id ?? null);
      },
    },
    filters: ['project_id', 'organization_id', 'experiment_session_id', 'trial_id', 'status', 'name'],
  },
  pipeline_files: {
    derived: { experiment_session_id: through('trials', 'trial_id', 'experiment_session_id') },
    filters: ['trial_id', 'experiment_session_id'],
  },
  pod_logs: { filters: ['project_id', 'pod_name'] },
  predictions: { filters: ['pipeline_id', 'status'] },
  prediction_groups: { idStyle: 'uuid', filters: ['pipeline_id', 'endpoint_id', 'status'] },
  projects: { filters: ['organization_id', 'name', 'cluster_id', 'status'] },
  project_files: { filters: ['project_id', 'name', 'url', 'status'] },
  review_alerts: { filters: ['endpoint_id', 'kind', 'active'] },
  review_alert_items: { filters: ['endpoint_id', 'review_alert_id', 'kind'] },
  similar_trials_requests: {},
  trials: {
    idStyle: 'hex',
    derived: { project_id: through('experiment_sessions', 'experiment_session_id', 'project_id') },
    filters: ['experiment_session_id', 'project_id'],
  },
  trial_searches: { filters: ['status'] },
  warm_start_requests: {},
};

/** The id style of every stateful resource. */
export const ID_STYLES: Readonly<Record<string, IdStyle>> = Object.fromEntries(
  Object.entries(HUB_RESOURCES).map(([name, d]) => [name, d.idStyle ?? 'integer']),
);

/** The in-memory tables. Tests may seed and inspect them directly. */
export class HubStore extends ResourceStore {
  /** Empty tables for every resource of {@link HUB_RESOURCES}. */
  constructor() {
    super(HUB_RESOURCES);
  }

  /** Every object of a resource, in insertion order, with derived fields (copies). */
  override list(resource: string, filters: Readonly<Record<string, unknown>> = {}): HubObject[] {
    return super.list(resource, filters);
  }
}
