/**
 * The fake's in-memory Nucleus: datasets with their items (keyed by `reference_id`, in insertion order),
 * annotations (keyed by item and `annotation_id`), models, model runs and their predictions, slices, scenes,
 * jobs, and the NDJSON bodies PUT to signed URLs. Ids carry the real prefixes (`ds_`, `di_`, `ann_`...).
 */

/** A JSON object as the fake stores it (items, annotations, predictions: the wire payloads, kept whole). */
export type Json = Record<string, unknown>;

/** A dataset as the fake keeps it, with its items, annotations and scenes. */
export interface FakeDataset {
  id: string;
  name: string;
  is_scene: boolean;
  use_privacy_mode: boolean;
  tags: string[];
  /** reference_id -> stored item (with its `di_` id). */
  items: Map<string, Json>;
  /** `${reference_id}\0${annotation_id}` -> stored annotation. */
  annotations: Map<string, Json>;
  scenes: Map<string, Json>;
  annotation_metadata_schema?: unknown;
  item_metadata_schema?: unknown;
}

/** An async job of the fake: it advances one status per poll and runs its `work` when it completes. */
export interface FakeJob {
  job_id: string;
  job_type: string;
  job_creation_time: string;
  /** Polls answered so far (Queued on the first, Running next, then Completed). */
  polls: number;
  /** Runs once, when the job completes; its return is the Completed `message` (a throw makes it Errored_User). */
  work: () => unknown;
  status: string;
  message: unknown;
  errors: string[];
  total_steps: number;
}

/** A slice as the fake keeps it: the reference ids it holds. */
export interface FakeSlice {
  id: string;
  name: string;
  dataset_id: string;
  type: 'dataset_item' | 'object' | 'scene';
  created_at: string;
  tags: string[];
  description: string;
  reference_ids: string[];
}

/** The fake's in-memory Nucleus: datasets, models, model runs, predictions, slices, jobs and uploads, by id. */
export class NucleusState {
  readonly datasets = new Map<string, FakeDataset>();
  readonly models = new Map<string, Json>();
  readonly modelRuns = new Map<string, Json>();
  /** `${dataset_id}\0${model_id}` -> key -> prediction. */
  readonly predictions = new Map<string, Map<string, Json>>();
  readonly slices = new Map<string, FakeSlice>();
  readonly jobs = new Map<string, FakeJob>();
  /** requestId -> the NDJSON text PUT to its signed URL. */
  readonly uploads = new Map<string, string>();
  /** mask id -> the PNG bytes of a local mask received by multipart. */
  readonly masks = new Map<string, Uint8Array>();
  #counter = 0;

  /** A new id with the service's prefix (`ds_`, `di_`...): readable and unique per fake. */
  id(prefix: string): string {
    this.#counter += 1;
    return `${prefix}_${this.#counter.toString(36).padStart(6, '0')}${Math.floor(Math.random() * 36 ** 4)
      .toString(36)
      .padStart(4, '0')}`;
  }

  /** Forget everything. */
  clear(): void {
    this.datasets.clear();
    this.models.clear();
    this.modelRuns.clear();
    this.predictions.clear();
    this.slices.clear();
    this.jobs.clear();
    this.uploads.clear();
    this.masks.clear();
  }
}
