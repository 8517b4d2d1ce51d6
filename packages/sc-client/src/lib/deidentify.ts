/**
 * What a backup holds (sc-api.md §6): the project and the annotation scenes without server ids, labels by name, so
 * they can be restored on any server; and the configuration without its entity ids (matched by task title and
 * component on upload).
 */
import { type Convention, toPixels } from './shapes.js';
import type { AnnotationScene, Label, Project, Shape } from './types.js';

function clean<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clean) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    if (v !== null && v !== '' && v !== undefined) out[k] = clean(v);
  return out as T;
}

/** `Project.deidentify` + `to_dict` of the Python tool. */
export function deidentifyProject(project: Project): Record<string, unknown> {
  const titleOf = new Map(project.pipeline.tasks.map((t) => [t.id, t.title]));
  const labelName = new Map(
    project.pipeline.tasks.flatMap((t) => (t.labels ?? []).map((l) => [l.id, l.name] as const)),
  );
  const { id: _i, thumbnail: _t, creation_time: _c, creator_id: _cr, datasets, pipeline, ...rest } = project;
  return clean({
    ...rest,
    datasets: datasets.map((d) => ({ name: d.name })),
    pipeline: {
      connections: pipeline.connections.map((c) => ({
        from: titleOf.get(c.from) ?? c.from,
        to: titleOf.get(c.to) ?? c.to,
      })),
      tasks: pipeline.tasks.map(({ id: _id, label_schema_id: _s, labels, ...t }) => ({
        ...t,
        ...(labels
          ? {
              labels: labels.map(({ id: _lid, hotkey: _h, parent_id, ...l }: Label) => ({
                ...l,
                parent_id: parent_id ? (labelName.get(parent_id) ?? parent_id) : null,
              })),
            }
          : {}),
      })),
    },
  });
}

/** An annotation scene as a file: labels by name and color, shapes in whole pixels, no ids. */
export function deidentifyScene(
  scene: AnnotationScene,
  width: number,
  height: number,
  convention: Convention,
): Record<string, unknown> {
  return {
    annotations: scene.annotations.map((a) => ({
      labels: a.labels.map((l) => ({ probability: l.probability, name: l.name, color: l.color })),
      shape: toPixels(a.shape as Shape, width, height, convention),
      labels_to_revisit: [],
    })),
    kind: 'annotation',
    labels_to_revisit_full_scene: [],
  };
}

interface Component {
  entity_identifier?: Record<string, unknown>;
  parameters?: { name: string; value: unknown }[];
  [k: string]: unknown;
}

/** The task configurations by task title; each component keyed by its kind, parameters as `{name, value}`. */
export function deidentifyConfiguration(config: {
  task_chain?: { task_title?: string; components?: Component[] }[];
}): Record<string, unknown> {
  return {
    task_chain: (config.task_chain ?? []).map((t) => ({
      task_title: t.task_title,
      components: (t.components ?? []).map((c) => ({
        entity_identifier: componentKey(c),
        parameters: (c.parameters ?? []).map((p) => ({ name: p.name, value: p.value })),
      })),
    })),
  };
}

/** What identifies a component across servers: its type and component / group name. */
export function componentKey(c: Component): Record<string, unknown> {
  const e = c.entity_identifier ?? {};
  return clean({ type: e.type, component: e.component, group_name: e.group_name });
}
