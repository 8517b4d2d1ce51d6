/**
 * Projects from a COCO dataset on disk (sc-api.md §7), the Python tool's `create_single_task_project_from_dataset`
 * and `create_task_chain_project_from_dataset`: validate the whole dataset (no request before that) -> refuse an
 * existing project name -> create the project -> auto-training off -> upload the first N images -> annotate the
 * first M -> auto-training as asked. Shapes per task: detection-like -> the bbox as a RECTANGLE, segmentation-like ->
 * the polygons (RLE masks traced, see `rle.ts`), global -> one full-image RECTANGLE with every label of the item; in
 * the server's coordinate convention. In a chain, later tasks add to the first task's scene (a global label joins
 * the rectangle of the same object, polygons are added beside), merged before the one POST per image.
 */

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import pLimit from 'p-limit';
import type { ScClient } from '../client.js';
import { DatasetValidationError } from '../errors.js';
import {
  listMedia,
  listProjects,
  mediaBasePath,
  postAnnotation,
  refOf,
  setAutoTraining,
  uploadMedia,
} from './api.js';
import { type Dataset, type DatasetItem, readCocoDataset } from './coco.js';
import { type FilterCriterion, filterItems } from './filter-items.js';
import { projectTemplate, taskTypesOf } from './project-template.js';
import { toServer } from './shapes.js';
import {
  type Annotation,
  isGlobalTask,
  type MediaItem,
  type Progress,
  type Project,
  trainableTasks,
} from './types.js';

/** The labels of one task of a task-chain project. */
export interface DatasetTaskOptions {
  /** Labels of this task (dataset label names, or names created by `groupLabels`). @default every dataset label */
  labels?: string[];
  /** New label -> the dataset labels it replaces (Datumaro `group_labels`, e.g. `{ animal: ['dog', 'cat'] }`). */
  groupLabels?: Record<string, string[]>;
}

/** Options of `createProjectSingleTaskFromDataset`: the project, the COCO files, and which items to upload and annotate. */
export interface CreateFromDatasetOptions {
  projectName: string;
  /** `detection`, `segmentation`, `classification`, `anomaly_classification`, ... or a chain `a_to_b`. */
  projectType: string;
  /** The folder that holds the images. */
  imagesPath: string;
  /** The COCO instances JSON file. */
  annotationsPath: string;
  /** Labels of a single-task project. @default every dataset label */
  labels?: string[];
  /** Keep only items with any / all / none / exactly one of `labels` (Datumaro `filter_dataset`). XOR also makes a classification single-label. */
  filter?: FilterCriterion;
  /** @default all */
  numberOfImagesToUpload?: number;
  /** @default all uploaded */
  numberOfImagesToAnnotate?: number;
  /** Auto-training at the end. @default true */
  enableAutoTrain?: boolean;
  /** Uploads and annotation POSTs at once. @default 8 */
  concurrency?: number;
  /** Stops the upload (no new request starts). */
  signal?: AbortSignal;
  /** Called after each upload and each annotation. */
  onProgress?: (p: Progress) => void;
}

/** Options of `createTaskChainProjectFromDataset`: as for one task, with the labels per task. */
export interface CreateTaskChainOptions extends Omit<CreateFromDatasetOptions, 'labels'> {
  /** One entry per task of the chain. @default every dataset label for every task */
  tasks?: DatasetTaskOptions[];
}

interface PreparedTask {
  type: string;
  labels: string[];
  /** Dataset label -> project label of this task. */
  rename: Map<string, string>;
}

function prepareTasks(dataset: Dataset, types: string[], per: DatasetTaskOptions[]): PreparedTask[] {
  const problems: string[] = [];
  const tasks = types.map((type, i) => {
    const o = per[i] ?? {};
    const rename = new Map<string, string>();
    for (const [to, from] of Object.entries(o.groupLabels ?? {})) {
      for (const f of from) {
        if (!dataset.labels.includes(f))
          problems.push(`tasks[${i}].groupLabels.${to}: "${f}" is not a dataset label`);
        rename.set(f, to);
      }
    }
    const available = new Set(dataset.labels.map((l) => rename.get(l) ?? l));
    const labels = type === 'anomaly_classification' ? ['Normal', 'Anomalous'] : (o.labels ?? [...available]);
    labels.forEach((l, k) => {
      if (type !== 'anomaly_classification' && !available.has(l))
        problems.push(`tasks[${i}].labels[${k}]: "${l}" is not a dataset label`);
    });
    for (const l of labels) if (!rename.has(l) && available.has(l)) rename.set(l, l);
    return { type, labels, rename };
  });
  // Collisions across tasks: the later segmentation-like task's labels become "<name> shape" (§7).
  const seen = new Set<string>();
  tasks.forEach((t, i) => {
    if (i > 0 && /segmentation/.test(t.type) && t.labels.some((l) => seen.has(l))) {
      t.labels = t.labels.map((l) => `${l} shape`);
      for (const [k, v] of t.rename) t.rename.set(k, `${v} shape`);
    }
    for (const l of t.labels) {
      if (seen.has(l) && i > 0 && !/segmentation/.test(t.type))
        problems.push(
          `tasks[${i}]: label "${l}" is already used by an earlier task; label names must be unique`,
        );
      seen.add(l);
    }
  });
  if (problems.length) throw new DatasetValidationError('labels', problems);
  return tasks;
}

function labelIds(project: Project): Map<string, string>[] {
  return trainableTasks(project).map((t) => new Map((t.labels ?? []).map((l) => [l.name, l.id as string])));
}

/** The annotations of one item for every task, merged (see the module comment), in pixels. */
function annotationsOf(
  item: DatasetItem,
  tasks: PreparedTask[],
  ids: Map<string, string>[],
  media: MediaItem,
): Annotation[] {
  const out: Annotation[] = [];
  const { width, height } = media.media_information;
  const label = (id: string) => ({ probability: 1.0, id });
  tasks.forEach((task, i) => {
    const idOf = ids[i] as Map<string, string>;
    const objects = item.objects
      .map((o) => ({ o, id: idOf.get(task.rename.get(o.label) ?? '') }))
      .filter((x): x is { o: DatasetItem['objects'][number]; id: string } => x.id !== undefined);
    if (isGlobalTask(task.type)) {
      if (i === 0) {
        if (objects.length)
          out.push({
            labels: objects.map((x) => label(x.id)),
            shape: { type: 'RECTANGLE', x: 0, y: 0, width, height },
          });
        return;
      }
      // After a local task: the label goes onto the rectangle of the same object.
      for (const { o, id } of objects) {
        const target = out.find(
          (a) =>
            a.shape.type === 'RECTANGLE' &&
            a.shape.x === o.bbox[0] &&
            a.shape.y === o.bbox[1] &&
            a.shape.width === o.bbox[2] &&
            a.shape.height === o.bbox[3],
        );
        if (target) target.labels.push(label(id));
      }
      return;
    }
    for (const { o, id } of objects) {
      if (/segmentation/.test(task.type)) {
        for (const points of o.polygons)
          out.push({ labels: [label(id)], shape: { type: 'POLYGON', points } });
      } else {
        out.push({
          labels: [label(id)],
          shape: { type: 'RECTANGLE', x: o.bbox[0], y: o.bbox[1], width: o.bbox[2], height: o.bbox[3] },
        });
      }
    }
  });
  return out;
}

async function create(
  sc: ScClient,
  o: CreateFromDatasetOptions,
  per: DatasetTaskOptions[],
): Promise<Project> {
  const types = taskTypesOf(o.projectType);
  // Everything local first: a bad dataset fails before the first request.
  const dataset = await readCocoDataset(o.annotationsPath, o.imagesPath);
  const tasks = prepareTasks(dataset, types, per);
  const signal = o.signal;
  if ((await listProjects(sc, signal)).some((p) => p.name === o.projectName)) {
    throw new Error(`a project named "${o.projectName}" already exists`);
  }
  const body = projectTemplate(
    o.projectName,
    types,
    tasks.map((t) => t.labels),
  );
  const workspace_id = await sc.workspaceId();
  const project = (await sc.call('createProject', { workspace_id, ...body }, { signal })) as Project;
  const ref = await refOf(sc, project);
  const info = await sc.serverInfo();
  // As the tool does (recorded): the algorithms, then the status so the fresh project is loaded (§4.8).
  if (info.geti)
    await sc.call('listProjectSupportedAlgorithms', { workspace_id, project_id: project.id }, { signal });
  else await sc.call('listSupportedAlgorithms', {}, { signal });
  await sc.call('getProjectStatus', { workspace_id, project_id: project.id }, { signal });
  const taskIds = trainableTasks(project).map((t) => t.id as string);
  await setAutoTraining(sc, ref, taskIds, false, signal);
  const existing = new Map((await listMedia(sc, ref, 'images', signal)).map((m) => [m.name, m]));
  // The filter picks the dataset's items (as Datumaro's filter_dataset does): only those are uploaded.
  const items = o.filter
    ? filterItems(dataset.items, per[0]?.labels ?? dataset.labels, o.filter)
    : dataset.items;
  const toUpload =
    o.numberOfImagesToUpload !== undefined && o.numberOfImagesToUpload >= 0
      ? items.slice(0, o.numberOfImagesToUpload)
      : items;
  const limit = pLimit(o.concurrency ?? 8);
  const uploaded = new Map<DatasetItem, MediaItem>();
  let done = 0;
  await Promise.all(
    toUpload.map((item) =>
      limit(async () => {
        const name = basename(item.fileName).replace(/\.[^.]+$/, '');
        const media =
          existing.get(name) ??
          (await uploadMedia(
            sc,
            ref,
            'images',
            new Uint8Array(await readFile(item.path)),
            basename(item.fileName),
            signal,
          ));
        uploaded.set(item, media);
        o.onProgress?.({ phase: 'upload', done: ++done, total: toUpload.length, item: item.fileName });
      }),
    ),
  );
  const toAnnotate =
    o.numberOfImagesToAnnotate !== undefined && o.numberOfImagesToAnnotate >= 0
      ? toUpload.slice(0, o.numberOfImagesToAnnotate)
      : toUpload;
  const ids = labelIds(project);
  done = 0;
  await Promise.all(
    toAnnotate.map((item) =>
      limit(async () => {
        const media = uploaded.get(item) as MediaItem;
        const { width, height } = media.media_information;
        const annotations = annotationsOf(item, tasks, ids, media).map((a) => ({
          ...a,
          shape: toServer(a.shape, width, height, info.coordinates),
        }));
        if (annotations.length) {
          await postAnnotation(
            sc,
            mediaBasePath(media),
            { annotations, media_identifier: { type: 'image', image_id: media.id } },
            signal,
          );
        }
        o.onProgress?.({ phase: 'annotate', done: ++done, total: toAnnotate.length, item: item.fileName });
      }),
    ),
  );
  await setAutoTraining(sc, ref, taskIds, o.enableAutoTrain ?? true, signal);
  return project;
}

/** A single-task project from a COCO dataset (see the module comment). */
export function createProjectSingleTaskFromDataset(
  sc: ScClient,
  options: CreateFromDatasetOptions,
): Promise<Project> {
  if (options.projectType.includes('_to_')) {
    return Promise.reject(
      new Error(`projectType "${options.projectType}" is a chain: use createTaskChainProjectFromDataset`),
    );
  }
  return create(sc, options, [{ ...(options.labels ? { labels: options.labels } : {}) }]);
}

/** A task-chain project (`detection_to_segmentation`, `detection_to_classification`, ...) from a COCO dataset. */
export function createTaskChainProjectFromDataset(
  sc: ScClient,
  options: CreateTaskChainOptions,
): Promise<Project> {
  return create(sc, options, options.tasks ?? []);
}
