/**
 * The parts of the SC payloads the workflows read (sc-api.md §4), other fields passed through; the generated types
 * describe them fully. Exported as `WorkflowProject`, `WorkflowMediaItem` and `WorkflowAnnotationScene` where the
 * generated types have the same names.
 */

/** A label of a task (the workflows read its name, color, group and parent). */
export interface Label {
  id?: string;
  name: string;
  color?: string;
  group?: string;
  hotkey?: string;
  is_empty?: boolean;
  parent_id?: string | null;
  [key: string]: unknown;
}

/** A task of a project's pipeline, with its labels. */
export interface Task {
  id?: string;
  title: string;
  task_type: string;
  label_schema_id?: string;
  labels?: Label[];
  [key: string]: unknown;
}

/** A project: its datasets and its pipeline of tasks. */
export interface Project {
  id: string;
  name: string;
  datasets: { id: string; name: string }[];
  pipeline: { tasks: Task[]; connections: { from: string; to: string }[] };
  [key: string]: unknown;
}

/** An image or video of a dataset, with its size (and a video's frames). */
export interface MediaItem {
  id: string;
  name: string;
  type: 'image' | 'video';
  media_information: {
    display_url: string;
    width: number;
    height: number;
    frame_count?: number;
    frame_stride?: number;
    duration?: number;
  };
  [key: string]: unknown;
}

/** The shape of an annotation, in pixels. */
export type Shape =
  | { type: 'RECTANGLE' | 'ELLIPSE'; x: number; y: number; width: number; height: number }
  | { type: 'ROTATED_RECTANGLE'; x: number; y: number; width: number; height: number; angle: number }
  | { type: 'POLYGON'; points: { x: number; y: number }[] };

/** A label given to an annotation, with its probability (1 for a user's annotation). */
export interface AnnotationLabel {
  id?: string;
  name?: string;
  color?: string;
  probability: number;
  [key: string]: unknown;
}

/** One annotation: a shape and its labels. */
export interface Annotation {
  labels: AnnotationLabel[];
  shape: Shape;
  [key: string]: unknown;
}

/** The annotations of one image or video frame. */
export interface AnnotationScene {
  annotations: Annotation[];
  [key: string]: unknown;
}

/** Progress of a long workflow: `done` of `total` files (or items) of `phase`. */
export interface Progress {
  phase: string;
  done: number;
  total: number;
  /** The file or item just finished. */
  item?: string;
}

/** Trainable tasks: every task but `dataset` and `crop`. */
export function trainableTasks(project: Pick<Project, 'pipeline'>): Task[] {
  return project.pipeline.tasks.filter((t) => t.task_type !== 'dataset' && t.task_type !== 'crop');
}

/** Global tasks annotate the full image (§4.1). */
export function isGlobalTask(taskType: string): boolean {
  return taskType === 'classification' || taskType === 'anomaly_classification';
}
