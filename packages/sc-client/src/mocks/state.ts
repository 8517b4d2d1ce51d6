/**
 * The SC fake's state: projects (with their one dataset), media with their bytes, annotation scenes, task
 * configurations; ids are 24-hex ObjectIds like the server's. Objects are built the way SC 1.1 answers them
 * (sc-api.md §4, the CASS recordings): label ids and colors filled in, the empty label added by the server, connections
 * rewritten from task titles to task ids, `display_url` with SC 1.1's trailing space.
 */
import type { AnnotationScene, Label, MediaItem, Project, Task } from '../lib/types.js';

/** A media item as the fake keeps it: what the API shows, and its bytes. */
export interface StoredMedia {
  item: MediaItem;
  /** The dataset it was uploaded into (SC: always the project's one; Geti: any of them). */
  datasetId: string;
  bytes: Uint8Array;
  contentType: string;
}

/** One trained model of a model group (§4.10): what the list shows, the detail, and the bytes of its exports. */
export interface StoredModel {
  summary: Record<string, unknown> & { id: string; name: string };
  detail: Record<string, unknown> & { id: string; optimized_models: Record<string, unknown>[] };
  /** The base model zip (`export`), and one per optimized model id. */
  exports: Map<string, Uint8Array>;
}

/** A model group (§4.10) of a task: its algorithm (model template) and its trained models. */
export interface StoredModelGroup {
  id: string;
  name: string;
  model_template_id: string;
  task_id: string;
  models: StoredModel[];
}

/** A project as the fake keeps it: the project, its media, annotations, predictions, configuration and models. */
export interface StoredProject {
  project: Project;
  media: Map<string, StoredMedia>;
  annotations: Map<string, AnnotationScene>;
  /** media key (`<image id>` or `<video id>:<frame>`) -> the last prediction served (mode `latest` reads it) */
  predictions: Map<string, AnnotationScene>;
  /** task id -> parameter name -> value */
  config: Map<string, Record<string, unknown>>;
  /** Set by a test: the project is locked as if jobs ran (running jobs lock it too). */
  locked: boolean;
  modelGroups: StoredModelGroup[];
  /** Training revisions (Geti): revision id -> the dataset's media as a finished training saw them. */
  revisions: Map<string, { datasetId: string; media: MediaItem[] }>;
}

/** A job (§4.9): advances one step per poll (no clocks), and runs `finish` when it ends well. */
export interface StoredJob {
  job: Record<string, unknown> & {
    id: string;
    project_id: string;
    status: { state: string; message: string; progress: number; time_remaining: number };
  };
  /** Polls (GETs of the job) until it finishes. */
  remaining: number;
  /** Runs once, when the job finishes (its effect: a trained model, an import...). */
  finish: () => void;
}

const ENDED = new Set(['finished', 'cancelled', 'failed', 'error']);

/** Whether a job still runs. */
export function jobRunning(j: StoredJob): boolean {
  return !ENDED.has(j.job.status.state);
}

const COLORS = [
  '#1ff047ff',
  '#e96115ff',
  '#5b69ffff',
  '#ff5662ff',
  '#c9e649ff',
  '#26518eff',
  '#f7dab3ff',
  '#9b5de5ff',
];

/** The SC fake's data: projects with their media, annotations and models, and jobs; ids are 24-hex ObjectIds. */
export class ScFakeState {
  readonly workspaceId: string;
  /** Geti's organization (§2.6). */
  readonly organizationId: string;
  readonly projects = new Map<string, StoredProject>();
  readonly jobs = new Map<string, StoredJob>();
  #counter = 0;
  #prefix: string;

  /**
   * Creates a `ScFakeState`.
   *
   * @param seed The first 8 hex digits of every id (one fake's ids never look like another's).
   */
  constructor(seed = 0x6255dd08) {
    this.#prefix = seed.toString(16).padStart(8, '0');
    this.organizationId = this.id();
    this.workspaceId = this.id();
  }

  /** A fresh ObjectId: 8 hex of "time", then a counter. */
  id(): string {
    this.#counter++;
    return `${this.#prefix}${this.#counter.toString(16).padStart(16, '0')}`;
  }

  /** The current time as SC writes it (ISO 8601 with `+00:00`). */
  now(): string {
    return new Date().toISOString().replace('Z', '+00:00');
  }

  /** Create a project as the server does: label ids and colors filled, connections rewritten to task ids. */
  createProject(
    body: { name: string; pipeline: { tasks: Task[]; connections: { from: string; to: string }[] } },
    apiPath: string,
  ): Project {
    const datasetId = this.id();
    const projectId = this.id();
    const byTitle = new Map<string, string>();
    let color = 0;
    const tasks: Task[] = body.pipeline.tasks.map((t) => {
      const id = this.id();
      byTitle.set(t.title, id);
      if (t.task_type === 'dataset' || t.task_type === 'crop')
        return { id, task_type: t.task_type, title: t.title };
      const given = t.labels ?? [];
      const nameToId = new Map<string, string>();
      const labels: Label[] = given.map((l) => {
        const lid = this.id();
        nameToId.set(l.name, lid);
        return {
          color: l.color ?? (COLORS[color++ % COLORS.length] as string),
          group: l.group ?? `default - ${t.title}`,
          hotkey: l.hotkey ?? '',
          id: lid,
          is_empty: l.is_empty ?? false,
          name: l.name,
          parent_id: l.parent_id ? (nameToId.get(l.parent_id) ?? l.parent_id) : null,
        };
      });
      const empty =
        t.task_type === 'detection' ? 'No Object' : t.task_type === 'segmentation' ? 'Empty' : undefined;
      if (empty && !labels.some((l) => l.is_empty)) {
        labels.push({
          color: '#000000ff',
          group: empty,
          hotkey: '',
          id: this.id(),
          is_empty: true,
          name: empty,
          parent_id: null,
        });
      }
      if (t.task_type === 'anomaly_classification' && labels.length === 0) {
        for (const name of ['Normal', 'Anomalous']) {
          labels.push({
            color: COLORS[color++ % COLORS.length] as string,
            group: 'default - anomaly',
            hotkey: '',
            id: this.id(),
            is_empty: false,
            name,
            parent_id: null,
          });
        }
      }
      return { id, label_schema_id: this.id(), labels, task_type: t.task_type, title: t.title };
    });
    const project: Project = {
      creation_time: this.now(),
      datasets: [{ id: datasetId, name: body.name }],
      id: projectId,
      name: body.name,
      pipeline: {
        connections: body.pipeline.connections.map((c) => ({
          from: byTitle.get(c.from) ?? c.from,
          to: byTitle.get(c.to) ?? c.to,
        })),
        tasks,
      },
      score: 0.0,
      thumbnail: `${apiPath}/workspaces/${this.workspaceId}/projects/${projectId}/thumbnail`,
    };
    const config = new Map<string, Record<string, unknown>>();
    for (const t of tasks)
      if (t.labels)
        config.set(t.id as string, {
          auto_training: true,
          num_iters: 1000,
          batch_size: 8,
          learning_rate: 0.01,
        });
    this.projects.set(projectId, {
      project,
      media: new Map(),
      annotations: new Map(),
      predictions: new Map(),
      config,
      locked: false,
      modelGroups: [],
      revisions: new Map(),
    });
    return project;
  }

  /** Locked for deletion/modification: a test said so, or a job of the project runs (§4.11). */
  isLocked(p: StoredProject): boolean {
    return (
      p.locked || [...this.jobs.values()].some((j) => j.job.project_id === p.project.id && jobRunning(j))
    );
  }
}
