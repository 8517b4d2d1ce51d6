/**
 * The calls the workflows make, on top of the generated operations: workspace-scoped params filled in, the media
 * base path taken from the server's `display_url` (§3: never built by the client), multipart uploads (the core
 * sends JSON only, so the one-part `file` form goes through the session's fetch with the same auth, re-login and
 * error mapping).
 */
import { errorFromResponse } from '@mlclients/package-core';
import type { ScClient } from '../client.js';
import { scErrorPolicy } from '../service.js';
import type { AnnotationScene, MediaItem, Project } from './types.js';

/** A project with the ids its media and annotation routes need. */
export interface ProjectRef {
  workspaceId: string;
  project: Project;
  datasetId: string;
}

/** Projects per page asked of Geti (it pages the list; SC ignores the parameters and sends all). */
const GETI_PROJECT_PAGE = 100;

/** Every project of the client's workspace (Geti's pages followed). */
export async function listProjects(sc: ScClient, signal?: AbortSignal): Promise<Project[]> {
  const workspace_id = await sc.workspaceId();
  const { geti } = await sc.serverInfo();
  const projects: Project[] = [];
  for (;;) {
    const params = geti
      ? { workspace_id, limit: GETI_PROJECT_PAGE, skip: projects.length }
      : { workspace_id };
    const body = (await sc.call('listProjects', params, { signal })) as {
      items?: Project[];
      projects?: Project[];
      project_counts?: number;
    };
    const page = body.items ?? body.projects ?? [];
    projects.push(...page);
    // Geti: walk `skip` until the total (§3.1); an empty page ends it too, whatever the total says.
    if (!geti || page.length === 0 || projects.length >= (body.project_counts ?? 0)) return projects;
  }
}

/** The project with this exact name, if any. */
export async function projectByName(
  sc: ScClient,
  name: string,
  signal?: AbortSignal,
): Promise<Project | undefined> {
  return (await listProjects(sc, signal)).find((p) => p.name === name);
}

export async function refOf(sc: ScClient, project: Project): Promise<ProjectRef> {
  const dataset = project.datasets[0];
  if (!dataset) throw new Error(`project "${project.name}" has no dataset`);
  return { workspaceId: await sc.workspaceId(), project, datasetId: dataset.id };
}

/** Every image or video of the project's dataset (follows `next_page`, including the extra empty page). */
export async function listMedia(
  sc: ScClient,
  ref: ProjectRef,
  kind: 'images' | 'videos',
  signal?: AbortSignal,
): Promise<MediaItem[]> {
  const items: MediaItem[] = [];
  const ids = { workspace_id: ref.workspaceId, project_id: ref.project.id, dataset_id: ref.datasetId };
  // Geti lists media by a query POSTed again for every page (§3.1); SC by `top` and `skiptoken`.
  const [op, params] = (await sc.serverInfo()).geti
    ? [
        'queryMedia',
        {
          ...ids,
          limit: 100,
          condition: 'and',
          rules: [{ field: 'MEDIA_TYPE', operator: 'EQUAL', value: kind === 'images' ? 'image' : 'video' }],
        },
      ]
    : [kind === 'images' ? 'listImages' : 'listVideos', { ...ids, top: 100000 }];
  for await (const item of sc.iterate<MediaItem>(sc.operation(op), params, { signal, concurrency: 1 }))
    items.push(item);
  return items;
}

/** `display_url` stripped of its `/api/...` prefix (and SC 1.1's trailing space) and of `/display/full|stream`. */
export function mediaBasePath(item: MediaItem): string {
  const url = item.media_information.display_url.trim();
  return url
    .replace(/^\/api\/v1(\.0)?(\/organizations\/[^/]+)?/, '')
    .replace(/\/display\/(full|stream)$/, '');
}

/** Binary GET of a path under the API base (placeholders resolved by the session). */
export async function getBytes(sc: ScClient, path: string, signal?: AbortSignal): Promise<Uint8Array> {
  const res = await sc.session.fetch(`${sc.options.baseUrl}${path}`, { method: 'GET', signal });
  if (!res.ok) throw await apiError(res, `GET ${path}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function apiError(res: Response, operation: string) {
  const text = await res.text();
  let body: unknown = text || undefined;
  let json = false;
  try {
    body = JSON.parse(text);
    json = true;
  } catch {
    // not JSON
  }
  return errorFromResponse(
    { status: res.status, headers: res.headers, body, json },
    { operation, policy: scErrorPolicy },
  );
}

/** Upload one image or video (multipart, one part `file`, §1.3). */
export async function uploadMedia(
  sc: ScClient,
  ref: ProjectRef,
  kind: 'images' | 'videos',
  bytes: Uint8Array,
  fileName: string,
  signal?: AbortSignal,
): Promise<MediaItem> {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), fileName);
  const path = `/workspaces/${encodeURIComponent(ref.workspaceId)}/projects/${encodeURIComponent(ref.project.id)}/datasets/${encodeURIComponent(ref.datasetId)}/media/${kind}`;
  const res = await sc.session.fetch(`${sc.options.baseUrl}${path}`, { method: 'POST', body: form, signal });
  if (!res.ok) throw await apiError(res, kind === 'images' ? 'createImage' : 'createVideo');
  return (await res.json()) as MediaItem;
}

/** The latest annotation of a media item or frame; undefined when there is none (204 / 404, §5.2). */
export async function getAnnotation(
  sc: ScClient,
  basePath: string,
  signal?: AbortSignal,
): Promise<AnnotationScene | undefined> {
  const res = await sc.session.fetch(`${sc.options.baseUrl}${basePath}/annotations/latest`, {
    method: 'GET',
    signal,
  });
  if (res.status === 204 || res.status === 404) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.ok) throw await apiError(res, 'getImageAnnotation');
  return (await res.json()) as AnnotationScene;
}

export async function postAnnotation(
  sc: ScClient,
  basePath: string,
  scene: unknown,
  signal?: AbortSignal,
): Promise<AnnotationScene> {
  return (await sc.post(`${basePath}/annotations`, { body: scene, signal })) as AnnotationScene;
}

/** Turn auto-training on or off for every trainable task (§4.7: GET the task config, POST the TASK_NODE part). */
export async function setAutoTraining(
  sc: ScClient,
  ref: ProjectRef,
  taskIds: string[],
  enabled: boolean,
  signal?: AbortSignal,
): Promise<void> {
  for (const task_id of taskIds) {
    const params = { workspace_id: ref.workspaceId, project_id: ref.project.id, task_id };
    const config = (await sc.call('getTaskConfiguration', params, { signal })) as {
      components?: { entity_identifier?: { type?: string; component?: string } & Record<string, unknown> }[];
    };
    const node = config.components?.find((c) => c.entity_identifier?.component === 'TASK_NODE');
    const entity_identifier = node?.entity_identifier ?? {
      type: 'COMPONENT_PARAMETERS',
      workspace_id: ref.workspaceId,
      component: 'TASK_NODE',
      project_id: ref.project.id,
      task_id,
    };
    await sc.call(
      'setTaskConfiguration',
      {
        ...params,
        components: [{ entity_identifier, parameters: [{ name: 'auto_training', value: enabled }] }],
      },
      { signal },
    );
  }
}
