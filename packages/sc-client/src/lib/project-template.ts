/**
 * The project-creation body of the Python tool (sc-api.md §4.1): a `Dataset` task, the trainable tasks with their
 * default titles, a `Crop task` between two tasks when the first is not global, connections by title, and labels in
 * the group `"<task title lowercased> label group"` (anomaly tasks get none: the server adds them).
 */
import { isGlobalTask } from './types.js';

const TITLES: Record<string, string> = {
  detection: 'Detection task',
  segmentation: 'Segmentation task',
  classification: 'Classification task',
  anomaly_classification: 'Anomaly classification task',
  anomaly_detection: 'Anomaly detection task',
  anomaly_segmentation: 'Anomaly segmentation task',
  instance_segmentation: 'Instance segmentation task',
  rotated_detection: 'Rotated detection task',
};

export const TASK_TYPES = Object.keys(TITLES);

export interface ProjectTemplate {
  name: string;
  pipeline: {
    connections: { from: string; to: string }[];
    tasks: { title: string; task_type: string; labels?: { name: string; group: string }[] }[];
  };
}

/** `detection_to_segmentation` -> `['detection', 'segmentation']`; throws naming an unknown task type. */
export function taskTypesOf(projectType: string): string[] {
  const types = projectType.split('_to_');
  for (const t of types) {
    if (!TITLES[t])
      throw new Error(`projectType: unknown task type "${t}" (known: ${TASK_TYPES.join(', ')})`);
  }
  return types;
}

export function projectTemplate(
  name: string,
  taskTypes: string[],
  labelsPerTask: string[][],
): ProjectTemplate {
  const tasks: ProjectTemplate['pipeline']['tasks'] = [{ title: 'Dataset', task_type: 'dataset' }];
  const used = new Map<string, number>();
  const title = (base: string) => {
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base} ${n}`;
  };
  taskTypes.forEach((type, i) => {
    if (i > 0 && !isGlobalTask(taskTypes[i - 1] as string))
      tasks.push({ title: title('Crop task'), task_type: 'crop' });
    const t = title(TITLES[type] as string);
    const labels = type.startsWith('anomaly')
      ? undefined
      : (labelsPerTask[i] ?? []).map((l) => ({ name: l, group: `${t.toLowerCase()} label group` }));
    tasks.push({ title: t, task_type: type, ...(labels ? { labels } : {}) });
  });
  const connections = tasks
    .slice(1)
    .map((t, i) => ({ from: (tasks[i] as { title: string }).title, to: t.title }));
  return { name, pipeline: { connections, tasks } };
}
