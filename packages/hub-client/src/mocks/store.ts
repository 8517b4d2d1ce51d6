/**
 * The fake Hub's in-memory state: one `MemoryStore` (package-core's testing toolkit) per resource, with ids
 * generated like the real server's (integers, 16-hex-digit strings, or UUIDs, per resource). Reads return copies, so
 * a test holding an object never sees it change behind its back.
 */
import { MemoryStore } from '@mlclients/package-core/testing';

/** A stored Hub object (`{object, deleted, id, ...}`). */
export type HubObject = Record<string, unknown> & { id: string | number; object?: string };

/** How a resource's ids look on the real server. */
export type IdStyle = 'integer' | 'hex' | 'uuid' | 'name';

/** The id style of every stateful resource (read from the recordings). */
export const ID_STYLES: Readonly<Record<string, IdStyle>> = {
  cluster_tasks: 'integer',
  cluster_statuses: 'integer',
  clusters: 'integer',
  dataset_manifests: 'hex',
  endpoints: 'uuid',
  endpoint_pipelines: 'integer',
  experiments: 'hex',
  experiment_sessions: 'hex',
  hyperparameters: 'integer',
  instance_types: 'name',
  organizations: 'integer',
  pipelines: 'hex',
  pipeline_files: 'integer',
  pod_logs: 'integer',
  predictions: 'integer',
  prediction_groups: 'uuid',
  projects: 'integer',
  project_files: 'integer',
  review_alerts: 'integer',
  review_alert_items: 'integer',
  similar_trials_requests: 'integer',
  trials: 'hex',
  trial_searches: 'integer',
  warm_start_requests: 'integer',
};

/** The in-memory tables. Tests may seed and inspect them directly. */
export class HubStore {
  private readonly tables = new Map<string, MemoryStore<HubObject>>();
  private counter = 0;

  /** The table of one resource (created on first use), in insertion order. */
  table(resource: string): MemoryStore<HubObject> {
    let t = this.tables.get(resource);
    if (!t) {
      t = new MemoryStore<HubObject>();
      this.tables.set(resource, t);
    }
    return t;
  }

  /** A new id in the resource's style. */
  nextId(resource: string): string | number {
    this.counter += 1;
    const style = ID_STYLES[resource] ?? 'integer';
    if (style === 'integer') {
      let max = 0;
      for (const o of this.table(resource).all()) if (typeof o.id === 'number' && o.id > max) max = o.id;
      return max + 1;
    }
    if (style === 'uuid') return globalThis.crypto.randomUUID();
    return (this.counter * 0x9e3779b1).toString(16).padStart(16, '0').slice(-16);
  }

  /** Store an object (its `id` must be set); replaces one with the same id. Returns a copy. */
  insert(resource: string, obj: HubObject): HubObject {
    const t = this.table(resource);
    t.delete(obj.id);
    return t.create(obj);
  }

  /** One object by id (ids compare as strings: `"31"` finds `31`, as Rails does). A copy. */
  get(resource: string, id: string | number): HubObject | undefined {
    return this.table(resource).get(id);
  }

  /** Every object of a resource, in insertion order (copies). */
  list(resource: string): HubObject[] {
    return this.table(resource).all();
  }

  /** Merge fields into a stored object; returns the updated copy, or undefined when absent. */
  patch(resource: string, id: string | number, fields: Record<string, unknown>): HubObject | undefined {
    return this.table(resource).update(id, fields as Partial<HubObject>);
  }

  /** Remove an object; returns it, or undefined when absent. */
  remove(resource: string, id: string | number): HubObject | undefined {
    const obj = this.get(resource, id);
    if (obj) this.table(resource).delete(id);
    return obj;
  }

  /** Empty every table. */
  clear(): void {
    this.tables.clear();
    this.counter = 0;
  }
}
