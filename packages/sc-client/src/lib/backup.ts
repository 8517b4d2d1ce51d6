/**
 * Backup and restore of projects, the seed tool's `download_project` / `upload_project` / `download_all_projects` /
 * `upload_all_projects` with the on-disk layout of sc-api.md §6, written directly into `folder`:
 *
 *     project.json  configuration.json  images/<name>.jpg  videos/<name>.mp4
 *     annotations/<image name>.json  annotations/<video name>_frame_<f>.json  .datapkg/ (the manifest)
 *
 * Both directions are resumable: files are written atomically, so a file that exists is complete, and a re-run
 * downloads only missing media; an upload skips media the project already has (by name). Transfers run at most
 * `concurrency` at once (default 8), stop at `signal`, and report through `onProgress`. A download ends with a
 * quilt3-compatible manifest (`manifest.ts`); an upload verifies the folder against it before creating anything.
 */
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { writeFileAtomic } from '@mlclients/package-core/storage';
import pLimit from 'p-limit';
import type { ScClient } from '../client.js';
import { BackupError } from '../errors.js';
import {
  getAnnotation,
  getBytes,
  listMedia,
  listProjects,
  mediaBasePath,
  type ProjectRef,
  postAnnotation,
  refOf,
  setAutoTraining,
  uploadMedia,
} from './api.js';
import { componentKey, deidentifyConfiguration, deidentifyProject, deidentifyScene } from './deidentify.js';
import { verifyBackup, writeBackupManifest } from './manifest.js';
import { toServer } from './shapes.js';
import {
  type AnnotationScene,
  type MediaItem,
  type Progress,
  type Project,
  type Shape,
  trainableTasks,
} from './types.js';

/** Options of a backup download or upload. */
export interface TransferOptions {
  /** Transfers at once. @default 8 */
  concurrency?: number;
  /** Stops the transfer (no new file starts). */
  signal?: AbortSignal;
  /** Called after each file. */
  onProgress?: (p: Progress) => void;
}

/** What `downloadProject` did: files fetched and skipped, annotations written, the manifest's top hash. */
export interface DownloadResult {
  folder: string;
  /** Media files fetched in this run (the rest were already there). */
  downloaded: number;
  skipped: number;
  annotations: number;
  topHash: string;
}

/** What `uploadProject` did: the project it created (or reused), media uploaded and skipped, annotations posted. */
export interface UploadResult {
  project: Project;
  uploaded: number;
  skipped: number;
  annotations: number;
}

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.bmp', '.png', '.tif', '.tiff']);
const VIDEO_EXT = new Set(['.mp4', '.avi', '.mkv', '.mov']);

const exists = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** A bounded pool that stops starting work once `signal` aborts. */
function pool(options: TransferOptions) {
  const limit = pLimit(options.concurrency ?? 8);
  return <T>(fn: () => Promise<T>) =>
    limit(async () => {
      throwIfAborted(options.signal);
      return fn();
    });
}

/** File names of the media: `<name>` unless the name occurs twice, then `<name>_<id>` (§6). */
function fileNames(items: MediaItem[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const m of items) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  return new Map(items.map((m) => [m.id, (counts.get(m.name) ?? 0) > 1 ? `${m.name}_${m.id}` : m.name]));
}

async function findProject(sc: ScClient, name: string, signal?: AbortSignal): Promise<Project> {
  const all = await listProjects(sc, signal);
  const project = all.find((p) => p.name === name);
  if (!project)
    throw new BackupError(
      `no project named "${name}" (the server has: ${all.map((p) => `"${p.name}"`).join(', ') || 'none'})`,
    );
  return project;
}

/** Download one project into `folder` (see the module comment). */
export async function downloadProject(
  sc: ScClient,
  projectName: string,
  folder: string,
  options: TransferOptions = {},
): Promise<DownloadResult> {
  const { signal, onProgress } = options;
  const project = await findProject(sc, projectName, signal);
  const ref = await refOf(sc, project);
  const info = await sc.serverInfo();
  for (const dir of ['images', 'videos', 'annotations']) await mkdir(join(folder, dir), { recursive: true });
  await writeFileAtomic(join(folder, 'project.json'), json(deidentifyProject(project)));
  const config = await sc.call(
    'getConfiguration',
    { workspace_id: ref.workspaceId, project_id: project.id },
    { signal },
  );
  await writeFileAtomic(join(folder, 'configuration.json'), json(deidentifyConfiguration(config as never)));

  const images = await listMedia(sc, ref, 'images', signal);
  const videos = await listMedia(sc, ref, 'videos', signal);
  const names = fileNames([...images, ...videos]);
  const run = pool(options);
  const total = images.length + videos.length;
  let done = 0;
  let downloaded = 0;
  let annotations = 0;
  const one = async (m: MediaItem) => {
    const name = names.get(m.id) as string;
    const file =
      m.type === 'image' ? join(folder, 'images', `${name}.jpg`) : join(folder, 'videos', `${name}.mp4`);
    const base = mediaBasePath(m);
    if (!(await exists(file))) {
      const bytes = await getBytes(
        sc,
        m.type === 'image' ? `${base}/display/full` : `${base}/display/stream`,
        signal,
      );
      await writeFileAtomic(file, bytes);
      downloaded++;
    }
    const { width, height } = m.media_information;
    if (m.type === 'image') {
      const scene = await getAnnotation(sc, base, signal);
      if (scene?.annotations.length) {
        await writeFileAtomic(
          join(folder, 'annotations', `${name}.json`),
          json(deidentifyScene(scene, width, height, info.coordinates)),
        );
        annotations++;
      }
    } else {
      const res = await sc.session.fetch(`${sc.options.baseUrl}${base}/annotations/latest`, {
        method: 'GET',
        signal,
      });
      // 204/404: no frame of the video is annotated.
      let scenes: AnnotationScene[] = [];
      if (res.ok && res.status !== 204) {
        const body = (await res.json()) as AnnotationScene[] | { video_annotations?: AnnotationScene[] };
        scenes = Array.isArray(body) ? body : (body.video_annotations ?? []);
      } else await res.body?.cancel();
      for (const scene of scenes) {
        const frame = (scene.media_identifier as { frame_index?: number } | undefined)?.frame_index;
        if (frame === undefined || !scene.annotations.length) continue;
        await writeFileAtomic(
          join(folder, 'annotations', `${name}_frame_${frame}.json`),
          json(deidentifyScene(scene, width, height, info.coordinates)),
        );
        annotations++;
      }
    }
    onProgress?.({ phase: 'download', done: ++done, total, item: name });
  };
  await Promise.all([...images, ...videos].map((m) => run(() => one(m))));
  const topHash = await writeBackupManifest(folder, projectName);
  return { folder, downloaded, skipped: total - downloaded, annotations, topHash };
}

async function listFiles(dir: string, exts: Set<string>): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && exts.has(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

interface ProjectFile {
  name: string;
  pipeline: {
    connections: { from: string; to: string }[];
    tasks: {
      title: string;
      task_type: string;
      labels?: {
        name: string;
        color?: string;
        group?: string;
        is_empty?: boolean;
        parent_id?: string | null;
      }[];
    }[];
  };
}

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    throw new BackupError(`${path}: ${(err as Error).message}`);
  }
}

/** Options of `uploadProject`. */
export interface UploadOptions extends TransferOptions {
  /** Name of the new project. @default the name in project.json */
  projectName?: string;
  /** Auto-training at the end. @default true */
  enableAutoTrain?: boolean;
  /** Skip the manifest check (a folder made by hand). @default false */
  skipVerify?: boolean;
}

/** Restore a project from `folder` (see the module comment); an existing project of that name is reused. */
export async function uploadProject(
  sc: ScClient,
  folder: string,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const { signal, onProgress } = options;
  if (!options.skipVerify) await verifyBackup(folder);
  const file = await readJson<ProjectFile>(join(folder, 'project.json'));
  const name = options.projectName ?? file.name;
  const workspace_id = await sc.workspaceId();
  const info = await sc.serverInfo();
  let project = (await listProjects(sc, signal)).find((p) => p.name === name);
  if (!project) {
    const tasks = file.pipeline.tasks.map((t) => ({
      title: t.title,
      task_type: t.task_type,
      ...(t.labels
        ? {
            labels: t.labels
              .filter((l) => !l.is_empty) // the server adds its empty label itself
              .map((l) => ({
                name: l.name,
                ...(l.color ? { color: l.color } : {}),
                ...(l.group ? { group: l.group } : {}),
                ...(l.parent_id ? { parent_id: l.parent_id } : {}),
              })),
          }
        : {}),
    }));
    project = (await sc.call(
      'createProject',
      { workspace_id, name, pipeline: { connections: file.pipeline.connections, tasks } },
      { signal },
    )) as Project;
  }
  const ref: ProjectRef = await refOf(sc, project);
  const taskIds = trainableTasks(project).map((t) => t.id as string);
  await setAutoTraining(sc, ref, taskIds, false, signal);
  const labelIds = new Map(
    trainableTasks(project).flatMap((t) => (t.labels ?? []).map((l) => [l.name, l.id as string] as const)),
  );

  const present = new Map(
    [...(await listMedia(sc, ref, 'images', signal)), ...(await listMedia(sc, ref, 'videos', signal))].map(
      (m) => [m.name, m],
    ),
  );
  const files = [
    ...(await listFiles(join(folder, 'images'), IMAGE_EXT)),
    ...(await listFiles(join(folder, 'videos'), VIDEO_EXT)),
  ];
  const run = pool(options);
  let done = 0;
  let uploaded = 0;
  let annotations = 0;
  const post = async (
    media: MediaItem,
    annotationFile: string,
    identifier: Record<string, unknown>,
    basePath: string,
  ) => {
    if (!(await exists(annotationFile))) return;
    const scene = await readJson<{
      annotations: { labels: { name: string; probability?: number }[]; shape: Shape }[];
    }>(annotationFile);
    const { width, height } = media.media_information;
    const body = {
      annotations: scene.annotations.map((a, i) => ({
        labels: a.labels.map((l) => {
          const id = labelIds.get(l.name);
          if (!id)
            throw new BackupError(
              `${annotationFile}: annotations[${i}]: label "${l.name}" is not in project "${name}"`,
            );
          return { probability: l.probability ?? 1.0, id };
        }),
        shape: toServer(a.shape, width, height, info.coordinates),
      })),
      media_identifier: identifier,
    };
    await postAnnotation(sc, basePath, body, signal);
    annotations++;
  };
  const one = async (path: string) => {
    const isImage = IMAGE_EXT.has(extname(path).toLowerCase());
    const mediaName = path.slice(path.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
    let media = present.get(mediaName);
    if (!media) {
      media = await uploadMedia(
        sc,
        ref,
        isImage ? 'images' : 'videos',
        new Uint8Array(await readFile(path)),
        path.slice(path.lastIndexOf('/') + 1),
        signal,
      );
      uploaded++;
    }
    const base = mediaBasePath(media);
    if (isImage) {
      await post(
        media,
        join(folder, 'annotations', `${media.name}.json`),
        { type: 'image', image_id: media.id },
        base,
      );
    } else {
      const prefix = `${mediaName}_frame_`;
      for (const f of (await readdir(join(folder, 'annotations')).catch(() => [] as string[])).filter((n) =>
        n.startsWith(prefix),
      )) {
        const frame = Number(f.slice(f.lastIndexOf('_') + 1).replace(/\.json$/, ''));
        await post(
          media,
          join(folder, 'annotations', f),
          { type: 'video_frame', video_id: media.id, frame_index: frame },
          `${base}/frames/${frame}`,
        );
      }
    }
    onProgress?.({ phase: 'upload', done: ++done, total: files.length, item: mediaName });
  };
  await Promise.all(files.map((f) => run(() => one(f))));
  await applyConfiguration(sc, ref, join(folder, 'configuration.json'), signal);
  await setAutoTraining(sc, ref, taskIds, options.enableAutoTrain ?? true, signal);
  return { project, uploaded, skipped: files.length - uploaded, annotations };
}

/** configuration.json onto the new project: components matched by task title and kind, parameter values set. */
async function applyConfiguration(
  sc: ScClient,
  ref: ProjectRef,
  path: string,
  signal?: AbortSignal,
): Promise<void> {
  if (!(await exists(path))) return;
  const saved = await readJson<{
    task_chain?: {
      task_title?: string;
      components?: {
        entity_identifier: Record<string, unknown>;
        parameters: { name: string; value: unknown }[];
      }[];
    }[];
  }>(path);
  const current = (await sc.call(
    'getConfiguration',
    { workspace_id: ref.workspaceId, project_id: ref.project.id },
    { signal },
  )) as {
    task_chain?: {
      task_id?: string;
      task_title?: string;
      components?: { entity_identifier?: Record<string, unknown> }[];
    }[];
  };
  for (const task of saved.task_chain ?? []) {
    const target = current.task_chain?.find((t) => t.task_title === task.task_title);
    if (!target?.task_id) continue;
    const components = (task.components ?? []).flatMap((c) => {
      const match = target.components?.find(
        (x) => JSON.stringify(componentKey(x)) === JSON.stringify(c.entity_identifier),
      );
      return match ? [{ entity_identifier: match.entity_identifier, parameters: c.parameters }] : [];
    });
    if (components.length) {
      await sc.call(
        'setTaskConfiguration',
        { workspace_id: ref.workspaceId, project_id: ref.project.id, task_id: target.task_id, components },
        { signal },
      );
    }
  }
}

/** Every project into `<folder>/<project name>`. */
export async function downloadAllProjects(
  sc: ScClient,
  folder: string,
  options: TransferOptions = {},
): Promise<DownloadResult[]> {
  const results: DownloadResult[] = [];
  for (const p of await listProjects(sc, options.signal)) {
    results.push(await downloadProject(sc, p.name, join(folder, p.name.replace(/[/\\]/g, '_')), options));
  }
  return results;
}

/** Every direct subfolder of `folder` that holds a project.json, with auto-training off (as the Python tool does). */
export async function uploadAllProjects(
  sc: ScClient,
  folder: string,
  options: Omit<UploadOptions, 'projectName'> = {},
): Promise<UploadResult[]> {
  const results: UploadResult[] = [];
  for (const entry of (await readdir(folder, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    if (!(await exists(join(folder, entry.name, 'project.json')))) continue;
    results.push(await uploadProject(sc, join(folder, entry.name), { enableAutoTrain: false, ...options }));
  }
  return results;
}
