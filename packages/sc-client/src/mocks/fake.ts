/**
 * A stateful fake of an SC 1.x server, assembled on package-core's fake engine. The engine routes the JSON API by
 * the generated operation table, keeps the redacted journal, runs the fault switchboard and checks every JSON answer
 * against openapi/sc.yaml. Around it, this file adds what the engine does not speak: the oauth2-proxy/dex login dance
 * (`login.ts`), the session check of every API call (an unknown cookie gets the login page, as oauth2-proxy does),
 * the `/api/v1.0` prefix, multipart uploads and binary media downloads.
 *
 * Said plainly: the fake serves an uploaded image back byte for byte. A real SC re-encodes every upload as JPEG
 * (quality 100), so there a second download differs from the file uploaded; compare against what the server serves.
 */

import {
  createFakeEngine,
  type ExpectedAnswer,
  type FakeAnswer,
  type FakeCall,
  type FakeEngine,
  FaultSwitchboard,
  type JournalEntry,
  type RoutableOperation,
  readRequestBytes,
  type SafeParser,
} from '@mlclients/package-core/testing';
import { imageSize } from 'image-size';
import { operations } from '../generated/index.js';
import { operationSchemas, schemas } from '../generated/zod.js';
import type { Annotation, AnnotationScene, MediaItem, Project, Task } from '../lib/types.js';
import { error, type FakeEra, isAnswer } from './answers.js';
import { datasetHandlers } from './datasets.js';
import { cookieValue, LOGIN_FORM, type LoginState, loginRoute } from './login.js';
import { jobRunning, ScFakeState, type StoredMedia, type StoredProject } from './state.js';
import { ALGORITHMS, trainingHandlers } from './training.js';

/** Options of {@link createScFake}. */
export interface ScFakeOptions {
  /**
   * `product-version`. 1.0/1.1 speak `/api/v1.0` and normalized coordinates, 1.2 `/api/v1` and pixels; 2.x is Geti
   * (see `geti`). @default '1.1.0-fake'
   */
  version?: string;
  /**
   * Play Geti (sc-api.md §3.1): `build-version` in `product_info`, every workspace route under
   * `/organizations/<id>` (looked up at `profile` / `personal_access_tokens/organization`), `x-api-key` tokens,
   * writes refused without `x-geti-csrf-protection: 1`, and only the Geti-era routes (`:train`, `media:query`,
   * `pipelines/active:predict`...); the SC-era ones answer 404. @default version >= 2
   */
  geti?: boolean;
  /** Polls (`GET jobs/{id}`) a job takes to finish. @default 3 */
  pollsPerJob?: number;
  /** username -> password. @default { admin: 'admin-password' } */
  users?: Record<string, string>;
  /** Personal access tokens: exchanged at `service_accounts/access_token` (SC, §2.2), sent as `x-api-key` (Geti). @default [] */
  tokens?: string[];
  /** Media per page of `media/images` (the real page size is unknown). @default 100 */
  pageSize?: number;
  /** Delay before every answer, ms (benchmarks). @default 0 */
  latency?: number;
  /** Check every answer against the spec (`error`: fail the test). @default on under a test runner */
  conformance?: 'error' | 'warn' | 'off';
}

/** What {@link createScFake} returns: the request handler and the state, faults and journal behind it. */
export interface ScFake {
  /** Answer one WHATWG Request (MSW handlers and `tools/mock-server` call it). */
  handle(request: Request): Promise<Response>;
  /** The fake's projects, media, models and jobs. */
  state: ScFakeState;
  /** Inject failures into chosen operations. */
  faults: FaultSwitchboard;
  /** Every answered request, in order, secrets redacted. */
  journal: JournalEntry[];
  /** The operation router and answer pipeline. */
  engine: FakeEngine;
  /** Forget every session (the next API call gets the login page, as after a cookie expired). */
  expireSessions(): void;
  /** Requests per route kind, for tests that count transfers. */
  counts: { uploads: number; downloads: number; api: number };
  /** Start over: a new state, no session, an empty journal, no fault, counts at 0. */
  reset(): void;
}

const JSON_TYPE = 'application/json';
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function expectation(answer: {
  operationId: string;
  status: number;
  contentType: string;
}): ExpectedAnswer | string {
  if (answer.status === 204) return { any: true };
  if (answer.status >= 400)
    return { schema: (schemas as unknown as Record<string, SafeParser>).Error as SafeParser };
  const schema = (operationSchemas as unknown as Record<string, { response?: SafeParser }>)[
    answer.operationId
  ]?.response;
  return schema ? { schema } : { any: true };
}

/** A stateful fake of an SC 1.x or Geti server (login, projects, media, annotations, training, jobs). */
export function createScFake(options: ScFakeOptions = {}): ScFake {
  const version = options.version ?? '1.1.0-fake';
  const legacy = /^1\.[01]\b/.test(version);
  const apiPath = legacy ? '/api/v1.0' : '/api/v1';
  const geti = options.geti ?? Number.parseInt(version, 10) >= 2;
  const pageSize = options.pageSize ?? 100;
  let state = new ScFakeState();
  const organizationPrefix = () => (geti ? `/organizations/${state.organizationId}` : '');
  const era: FakeEra = {
    legacy,
    geti,
    apiPath,
    get base() {
      return `${apiPath}${organizationPrefix()}`;
    },
  };
  /** Bodies as sent, for handlers that need more than the engine's object view (the SC 1.1 train list). */
  const rawBodies = new WeakMap<Request, unknown>();
  const login: LoginState = {
    users: options.users ?? { admin: 'admin-password' },
    sessions: new Set(),
    approved: new Map(),
    codes: new Map(),
  };
  const bearers = new Set<string>();
  const counts = { uploads: 0, downloads: 0, api: 0 };
  const faults = new FaultSwitchboard();

  const project = (call: FakeCall): StoredProject | FakeAnswer => {
    const p = state.projects.get(call.params.project_id ?? '');
    if (!p || call.params.workspace_id !== state.workspaceId)
      return error(404, 'project_not_found', `Project ${call.params.project_id} not found`);
    return p;
  };
  const media = (
    p: StoredProject,
    id: string | undefined,
    type: 'image' | 'video',
  ): StoredMedia | FakeAnswer => {
    const m = p.media.get(id ?? '');
    if (!m || m.item.type !== type) return error(404, 'media_not_found', `${type} ${id} not found`);
    return m;
  };
  // SC answers "no annotation" with 404 (or 204; the engine writes a body, which a 204 cannot have).
  const noAnnotation = () => error(404, 'annotation_scene_not_found', 'The media has no annotation');
  const list = (key: string, items: unknown[]) => (legacy ? { items } : { [key]: items });
  const locked = (p: StoredProject) =>
    state.isLocked(p)
      ? error(
          409,
          'project_locked',
          `Project ${p.project.name} is locked for deletion/modification. Please wait until all jobs related to this project are finished or cancel them to allow deletion/modification.`,
        )
      : undefined;

  const mediaPage = (call: FakeCall, type: 'image' | 'video'): FakeAnswer => {
    const p = project(call);
    if (isAnswer(p)) return p;
    const all = [...p.media.values()]
      .filter((m) => m.item.type === type && m.datasetId === call.params.dataset_id)
      .map((m) => m.item);
    const top = Math.min(Number(call.query.top ?? pageSize) || pageSize, pageSize);
    const after = call.query.skiptoken;
    const start = after ? all.findIndex((m) => m.id === after) + 1 : 0;
    const page = all.slice(start, start + top);
    const kind = type === 'image' ? 'images' : 'videos';
    const body: Record<string, unknown> = { media: page, media_count: { [kind]: all.length } };
    // As recorded: a non-empty page always links on, so the client's loop ends with one extra empty page.
    const last = page[page.length - 1];
    if (last)
      body.next_page = `${era.base}/workspaces/${state.workspaceId}/projects/${p.project.id}/datasets/${call.params.dataset_id}/media/${kind}?top=${call.query.top ?? pageSize}&skiptoken=${last.id}`;
    return { status: 200, json: body };
  };

  const labelIndex = (proj: Project) => {
    const m = new Map<string, { name: string; color: string }>();
    for (const t of proj.pipeline.tasks)
      for (const l of t.labels ?? []) m.set(l.id as string, { name: l.name, color: l.color as string });
    return m;
  };

  const postScene = (
    call: FakeCall,
    key: string,
    identifier: Record<string, unknown>,
    dims: { width: number; height: number },
  ): FakeAnswer => {
    const p = project(call) as StoredProject;
    const labels = labelIndex(p.project);
    const body = call.body as { annotations?: Annotation[] };
    if (!Array.isArray(body.annotations)) return error(400, 'bad_request', '`annotations` is required');
    const problems: string[] = [];
    const annotations = body.annotations.map((a, i) => {
      const seen = new Set<string>();
      const ls = (a.labels ?? []).filter((l) => {
        if (!labels.has(l.id as string)) problems.push(`annotations[${i}]: unknown label ${l.id}`);
        if (seen.has(l.id as string)) return false; // the server de-duplicates labels (CASS classification)
        seen.add(l.id as string);
        return true;
      });
      const s = a.shape;
      const limitX = legacy ? 1 : dims.width;
      const limitY = legacy ? 1 : dims.height;
      const pts =
        s.type === 'POLYGON'
          ? s.points
          : [
              { x: s.x, y: s.y },
              { x: s.x + s.width, y: s.y + s.height },
            ];
      if (
        s.type !== 'ROTATED_RECTANGLE' &&
        pts.some((q) => q.x < -1e-9 || q.y < -1e-9 || q.x > limitX + 1e-9 || q.y > limitY + 1e-9)
      ) {
        problems.push(
          `annotations[${i}]: shape outside the ${legacy ? 'normalized [0, 1]' : 'pixel'} range of the media`,
        );
      }
      return {
        id: state.id(),
        labels: ls.map((l) => ({
          ...(labels.get(l.id as string) as object),
          id: l.id,
          probability: l.probability ?? 1,
          source: { id: 'N/A', type: 'N/A' },
        })),
        labels_to_revisit: [],
        modified: state.now(),
        shape: s,
      };
    });
    if (problems.length) return error(400, 'bad_request', problems.join('; '));
    const tasks = p.project.pipeline.tasks.filter((t) => t.labels);
    const scene: AnnotationScene = {
      annotation_state_per_task: tasks.map((t) => ({ state: 'annotated', task_id: t.id })),
      annotations,
      id: state.id(),
      kind: 'annotation',
      labels_to_revisit_full_scene: [],
      media_identifier: identifier,
      modified: state.now(),
    };
    p.annotations.set(key, scene);
    return { status: 200, json: scene };
  };

  const configuration = (p: StoredProject, task: Task) => {
    const values = p.config.get(task.id as string) ?? {};
    const param = (name: string, data_type: string, value: unknown, extra: Record<string, unknown> = {}) => ({
      data_type,
      default_value: value,
      description: name,
      editable: true,
      header: name,
      name,
      template_type: 'input',
      ui_rules: {},
      value: values[name] ?? value,
      warning: null,
      ...extra,
    });
    return {
      components: [
        {
          description: 'Learning Parameters',
          entity_identifier: {
            group_name: 'learning_parameters',
            model_storage_id: task.label_schema_id,
            type: 'HYPER_PARAMETER_GROUP',
            workspace_id: state.workspaceId,
          },
          header: 'Learning Parameters',
          id: `${task.label_schema_id}-0`,
          parameters: [
            param('batch_size', 'integer', 8),
            param('learning_rate', 'float', 0.01),
            param('num_iters', 'integer', 1000),
          ],
          type: 'PARAMETER_GROUP',
        },
        {
          description: 'General task settings',
          entity_identifier: {
            component: 'TASK_NODE',
            project_id: p.project.id,
            task_id: task.id,
            type: 'COMPONENT_PARAMETERS',
            workspace_id: state.workspaceId,
          },
          header: 'General',
          id: `${task.id}-node`,
          parameters: [param('auto_training', 'boolean', true)],
          type: 'CONFIGURABLE_PARAMETERS',
        },
      ],
      task_id: task.id,
      task_title: task.title,
    };
  };

  const applyComponents = (
    p: StoredProject,
    components: unknown,
    pathTask?: string,
  ): FakeAnswer | undefined => {
    if (!Array.isArray(components)) return error(400, 'bad_request', '`components` is required');
    for (const c of components as {
      entity_identifier?: { task_id?: string };
      parameters?: { name: string; value: unknown }[];
    }[]) {
      // Hyper-parameter groups name no task: the one in the path (or the task_chain entry) is meant.
      const taskId = c.entity_identifier?.task_id ?? pathTask;
      const values = taskId ? p.config.get(taskId) : undefined;
      if (!values) return error(400, 'bad_request', `unknown task ${taskId}`);
      for (const { name, value } of c.parameters ?? []) values[name] = value;
    }
    return undefined;
  };

  /** The project-wide components of §4.7 (`task_id: ""`), their values kept per project. */
  const globalStore = new WeakMap<StoredProject, Map<string, Record<string, unknown>>>();
  const globalValues = (p: StoredProject) => {
    let values = globalStore.get(p);
    if (!values) {
      values = new Map([
        ['ACTIVE_MANAGER', { max_unseen_media: 250 }],
        ['PIPELINE_DATASET_MANAGER', { use_ndr: false }],
      ]);
      globalStore.set(p, values);
    }
    return values;
  };
  const globalComponents = (p: StoredProject) =>
    [...globalValues(p)].map(([component, values]) => ({
      description: component,
      entity_identifier: {
        component,
        project_id: p.project.id,
        task_id: '',
        type: 'COMPONENT_PARAMETERS',
        workspace_id: state.workspaceId,
      },
      header: component,
      id: `${p.project.id}-${component.toLowerCase()}`,
      parameters: Object.entries(values).map(([name, value]) => ({
        data_type: typeof value === 'boolean' ? 'boolean' : 'integer',
        default_value: value,
        description: name,
        editable: true,
        header: name,
        name,
        template_type: 'input',
        ui_rules: {},
        value,
        warning: null,
      })),
      type: 'CONFIGURABLE_PARAMETERS',
    }));

  const withProject = (fn: (p: StoredProject, call: FakeCall) => FakeAnswer) => (call: FakeCall) => {
    const p = project(call);
    return isAnswer(p) ? p : fn(p, call);
  };
  const taskOf = (p: StoredProject, id: string | undefined) =>
    p.project.pipeline.tasks.find((t) => t.id === id && t.labels);

  const organizations = () => ({
    organizations: [{ organizationId: state.organizationId, organizationCreatedAt: '2024-01-01T00:00:00Z' }],
  });
  const training = trainingHandlers({
    state: () => state,
    era,
    project,
    pollsPerJob: options.pollsPerJob ?? 3,
    rawBody: (call) => rawBodies.get(call.request) ?? call.body,
  });

  const handlers: Record<string, (call: FakeCall) => FakeAnswer> = {
    getProductInfo: () => ({
      status: 200,
      json: geti
        ? { 'product-version': version, 'build-version': `${version}-fake` }
        : { 'product-version': version },
    }),
    // Geti >= 2.5 lists the organizations of the user or token (§2.6).
    getProfile: () => ({ status: 200, json: organizations() }),
    getTokenOrganization: () => ({ status: 200, json: organizations() }),
    listWorkspaces: () => {
      const ws = [
        {
          creation_date: '2022-04-05T08:39:39.920000+00:00',
          creator_name: 'sc',
          description: '',
          id: state.workspaceId,
          name: 'Default Workspace',
        },
      ];
      return { status: 200, json: legacy ? ws : { workspaces: ws } };
    },
    listProjects: (call) => {
      const all = [...state.projects.values()].map((p) => p.project);
      if (!geti) return { status: 200, json: list('projects', all) };
      // Geti pages the list and gives the total (§3.1).
      const skip = Number(call.query.skip ?? 0) || 0;
      const limit = Number(call.query.limit ?? 10) || 10;
      return { status: 200, json: { projects: all.slice(skip, skip + limit), project_counts: all.length } };
    },
    listProjectsTrailingSlash: () => ({
      status: 200,
      json: list(
        'projects',
        [...state.projects.values()].map((p) => p.project),
      ),
    }),
    createProject: (call) => {
      const body = call.body as {
        name?: string;
        pipeline?: { tasks?: Task[]; connections?: { from: string; to: string }[] };
      };
      if (!body.name || !Array.isArray(body.pipeline?.tasks))
        return error(400, 'bad_request', '`name` and `pipeline.tasks` are required');
      if ([...state.projects.values()].some((p) => p.project.name === body.name))
        return error(409, 'project_name_conflict', `A project named ${body.name} already exists`);
      return {
        status: 201,
        json: state.createProject(
          {
            name: body.name,
            pipeline: { tasks: body.pipeline.tasks, connections: body.pipeline.connections ?? [] },
          },
          era.base,
        ),
      };
    },
    getProject: withProject((p) => ({ status: 200, json: p.project })),
    updateProject: withProject((p, call) => {
      const refused = locked(p);
      if (refused) return refused;
      const tasks = (call.body as { pipeline?: { tasks?: Task[] } }).pipeline?.tasks ?? [];
      for (const t of tasks) {
        const mine = taskOf(p, t.id);
        for (const l of t.labels ?? [])
          if (mine && !l.id)
            mine.labels?.push({
              color: l.color ?? '#808080ff',
              group: l.group ?? `default - ${mine.title}`,
              hotkey: '',
              id: state.id(),
              is_empty: false,
              name: l.name,
              parent_id: null,
            });
      }
      return { status: 200, json: p.project };
    }),
    deleteProject: withProject((p) => {
      const refused = locked(p);
      if (refused) return refused;
      state.projects.delete(p.project.id);
      for (const [id, j] of state.jobs) if (j.job.project_id === p.project.id) state.jobs.delete(id);
      return { status: 200, json: { result: 'success' } };
    }),
    getProjectStatus: withProject((p) => {
      const running = [...state.jobs.values()].filter((j) => jobRunning(j));
      const mine = running.filter((j) => j.job.project_id === p.project.id);
      const training = (taskId?: string) =>
        mine.some(
          (j) =>
            j.job.type === 'train' &&
            (taskId === undefined ||
              (j.job.metadata as { task?: { task_id?: string } }).task?.task_id === taskId),
        );
      const idle = { message: 'Waiting for user annotations', progress: -1, time_remaining: 0 };
      const busy = { message: 'Training', progress: -1, time_remaining: 0 };
      return {
        status: 200,
        json: {
          is_training: training(),
          n_required_annotations: 0,
          n_running_jobs: running.length + (p.locked ? 1 : 0),
          n_running_jobs_project: mine.length + (p.locked ? 1 : 0),
          project_score: 0.0,
          status: training() ? busy : idle,
          tasks: p.project.pipeline.tasks
            .filter((t) => t.labels)
            .map((t) => ({
              id: t.id,
              is_training: training(t.id),
              required_annotations: { details: [], value: 0 },
              status: training(t.id) ? busy : idle,
              title: t.title,
            })),
        },
      };
    }),
    getMediaCounts: withProject((p) => {
      const all = [...p.media.values()];
      return {
        status: 200,
        json: {
          media_count: {
            images: all.filter((m) => m.item.type === 'image').length,
            videos: all.filter((m) => m.item.type === 'video').length,
          },
        },
      };
    }),
    listImages: (call) => mediaPage(call, 'image'),
    listVideos: (call) => mediaPage(call, 'video'),
    deleteImage: withProject((p, call) => {
      const refused = locked(p);
      if (refused) return refused;
      if (!p.media.delete(call.params.image_id ?? ''))
        return error(404, 'media_not_found', 'image not found');
      p.annotations.delete(call.params.image_id ?? '');
      return { status: 200, json: { result: 'success' } };
    }),
    deleteVideo: withProject((p, call) => {
      if (!p.media.delete(call.params.video_id ?? ''))
        return error(404, 'media_not_found', 'video not found');
      return { status: 200, json: { result: 'success' } };
    }),
    getImageAnnotation: withProject((p, call) => {
      const scene = p.annotations.get(call.params.image_id ?? '');
      return scene ? { status: 200, json: scene } : noAnnotation();
    }),
    createImageAnnotation: withProject((p, call) => {
      const m = media(p, call.params.image_id, 'image');
      if (isAnswer(m)) return m;
      return postScene(call, m.item.id, { type: 'image', image_id: m.item.id }, m.item.media_information);
    }),
    getVideoFrameAnnotation: withProject((p, call) => {
      const scene = p.annotations.get(`${call.params.video_id}:${call.params.frame_index}`);
      return scene ? { status: 200, json: scene } : noAnnotation();
    }),
    createVideoFrameAnnotation: withProject((p, call) => {
      const m = media(p, call.params.video_id, 'video');
      if (isAnswer(m)) return m;
      const frame = Number(call.params.frame_index);
      return postScene(
        call,
        `${m.item.id}:${frame}`,
        { type: 'video_frame', video_id: m.item.id, frame_index: frame },
        m.item.media_information,
      );
    }),
    getGlobalConfiguration: withProject((p) => {
      const components = globalComponents(p);
      // `{components}` before SC 1.2, `{items}` after (§3 #27).
      return { status: 200, json: legacy ? { components } : { items: components } };
    }),
    setGlobalConfiguration: withProject((p, call) => {
      const given = (call.body as { components?: unknown }).components;
      if (!Array.isArray(given)) return error(400, 'bad_request', '`components` is required');
      for (const [i, c] of (
        given as {
          entity_identifier?: { component?: string };
          parameters?: { name: string; value: unknown }[];
        }[]
      ).entries()) {
        const values = globalValues(p).get(c.entity_identifier?.component ?? '');
        if (!values)
          return error(
            400,
            'bad_request',
            `components[${i}].entity_identifier.component: not a global component`,
          );
        for (const { name, value } of c.parameters ?? []) values[name] = value;
      }
      return { status: 200, json: { result: 'success' } };
    }),
    getConfiguration: withProject((p) => ({
      status: 200,
      json: {
        global: globalComponents(p),
        task_chain: p.project.pipeline.tasks.filter((t) => t.labels).map((t) => configuration(p, t)),
      },
    })),
    setConfiguration: withProject((p, call) => {
      const body = call.body as {
        task_chain?: { components?: unknown }[];
        global?: {
          entity_identifier?: { component?: string };
          parameters?: { name: string; value: unknown }[];
        }[];
      };
      for (const t of body.task_chain ?? []) {
        const bad = applyComponents(p, t.components);
        if (bad) return bad;
      }
      for (const c of body.global ?? []) {
        const values = globalValues(p).get(c.entity_identifier?.component ?? '');
        for (const { name, value } of values ? (c.parameters ?? []) : []) if (values) values[name] = value;
      }
      return { status: 200, json: { result: 'success' } };
    }),
    getTaskConfiguration: withProject((p, call) => {
      const t = taskOf(p, call.params.task_id);
      return t
        ? { status: 200, json: configuration(p, t) }
        : error(404, 'task_not_found', `task ${call.params.task_id} not found`);
    }),
    setTaskConfiguration: withProject(
      (p, call) =>
        applyComponents(p, (call.body as { components?: unknown }).components, call.params.task_id) ?? {
          status: 200,
          json: { result: 'success' },
        },
    ),
    listSupportedAlgorithms: (call) => {
      const type = call.query.task_type ?? call.query.domain;
      return { status: 200, json: { items: ALGORITHMS.filter((a) => !type || a.task_type === type) } };
    },
    listProjectSupportedAlgorithms: withProject((p) => {
      const types = new Set(p.project.pipeline.tasks.map((t) => t.task_type));
      return {
        status: 200,
        json: { supported_algorithms: ALGORITHMS.filter((a) => types.has(a.task_type)) },
      };
    }),
    listDatasets: withProject((p) => ({ status: 200, json: { datasets: p.project.datasets } })),
    // Geti's media list: the same query POSTed again for every page (§3.1).
    queryMedia: withProject((p, call) => {
      const rules = (call.body as { rules?: { field?: string; value?: string }[] }).rules ?? [];
      const type = rules.find((r) => r.field === 'MEDIA_TYPE')?.value;
      const all = [...p.media.values()]
        .filter((m) => m.datasetId === call.params.dataset_id)
        .map((m) => m.item)
        .filter((m) => !type || m.type === type);
      const limit = Math.min(Number(call.query.limit ?? pageSize) || pageSize, pageSize);
      const after = call.query.skiptoken;
      const start = after ? all.findIndex((m) => m.id === after) + 1 : 0;
      const page = all.slice(start, start + limit);
      const last = page[page.length - 1];
      const body: Record<string, unknown> = {
        media: page,
        total_matched_images: all.filter((m) => m.type === 'image').length,
        total_matched_videos: all.filter((m) => m.type === 'video').length,
      };
      if (last && start + limit < all.length)
        body.next_page = `${era.base}/workspaces/${state.workspaceId}/projects/${p.project.id}/datasets/${call.params.dataset_id}/media:query?limit=${limit}&skiptoken=${last.id}`;
      return { status: 200, json: body };
    }),
    getVideoAnnotations: withProject((p, call) => {
      const prefix = `${call.params.video_id}:`;
      const scenes = [...p.annotations.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
      if (!media(p, call.params.video_id, 'video') || isAnswer(media(p, call.params.video_id, 'video')))
        return error(404, 'media_not_found', `video ${call.params.video_id} not found`);
      if (scenes.length === 0) return { status: 204 };
      return { status: 200, json: legacy ? scenes : { video_annotations: scenes } };
    }),
    ...training.handlers,
    ...datasetHandlers({
      state: () => state,
      era,
      project,
      rawBytes: (call) => rawBodies.get(call.request) as Uint8Array | undefined,
    }),
    createAccessToken: (call) => {
      const token = (call.body as { service_id?: string }).service_id;
      if (!token || !(options.tokens ?? []).includes(token))
        return error(401, 'unauthorized', 'invalid personal access token');
      const access = `fake-bearer-${state.id()}`;
      bearers.add(access);
      return { status: 200, json: { access_token: access } };
    },
  };

  const engine = createFakeEngine({
    name: 'sc',
    operations: Object.values(operations) as RoutableOperation[],
    handlers,
    faults,
    secretKeys: ['password', 'service_id', 'access_token'],
    expectations: expectation,
    ...(options.conformance ? { conformance: options.conformance } : {}),
    noRoute: (method, path) => error(404, 'not_found', `no route ${method} ${path}`),
    faultBody: (status) => error(status, 'injected', `injected ${status}`),
  });

  const record = (operationId: string, request: Request, path: string, status: number, contentType: string) =>
    engine.journal.record({
      operationId,
      method: request.method,
      path,
      body: undefined,
      status,
      response: undefined,
      contentType,
      injected: false,
    });

  const authorized = (request: Request, path: string): boolean => {
    if (path === '/service_accounts/access_token') return !geti;
    const session = cookieValue(request, '_oauth2_proxy');
    if (session && login.sessions.has(session)) return true;
    // Geti >= 1.14 takes the personal access token itself (§2.3).
    const apiKey = request.headers.get('x-api-key');
    if (geti && apiKey) return (options.tokens ?? []).includes(apiKey);
    const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    return bearer !== undefined && bearers.has(bearer);
  };

  /** Multipart uploads and binary downloads (the engine answers JSON only). */
  const mediaRoute = async (
    operationId: string,
    params: Record<string, string>,
    request: Request,
    path: string,
  ): Promise<Response | undefined> => {
    const p = state.projects.get(params.project_id ?? '');
    const notFound = () =>
      Response.json(
        { error_code: 'not_found', http_status: 404, message: `${path} not found` },
        { status: 404 },
      );
    if (operationId === 'createImage' || operationId === 'createVideo') {
      if (!p?.project.datasets.some((d) => d.id === params.dataset_id)) return notFound();
      counts.uploads++;
      // The mock server attaches bodies instead of streaming them: read them the engine's way.
      const raw = await readRequestBytes(request);
      const form = await new Response(raw as Uint8Array<ArrayBuffer>, {
        headers: { 'content-type': request.headers.get('content-type') ?? '' },
      })
        .formData()
        .catch(() => undefined);
      const file = form?.get('file');
      if (!(file instanceof File)) {
        record(operationId, request, path, 400, JSON_TYPE);
        return Response.json(
          { error_code: 'bad_request', http_status: 400, message: 'a multipart part `file` is required' },
          { status: 400 },
        );
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const type = operationId === 'createImage' ? 'image' : 'video';
      // The fake does not decode videos: a video's frame size is 640x480 unless its bytes are an image.
      let width = type === 'video' ? 640 : 0;
      let height = type === 'video' ? 480 : 0;
      try {
        ({ width, height } = imageSize(bytes));
      } catch {
        if (type === 'image') {
          record(operationId, request, path, 400, JSON_TYPE);
          return Response.json(
            { error_code: 'bad_request', http_status: 400, message: `${file.name} is not an image` },
            { status: 400 },
          );
        }
      }
      const id = state.id();
      const base = `${era.base}/workspaces/${state.workspaceId}/projects/${p.project.id}/datasets/${params.dataset_id}/media/${type}s/${id}`;
      const item: MediaItem = {
        annotation_state_per_task: p.project.pipeline.tasks
          .filter((t) => t.labels)
          .map((t) => ({ state: 'NONE', task_id: t.id })),
        id,
        // SC 1.1 ends display_url with a space (recorded); the client strips it.
        media_information:
          type === 'image'
            ? { display_url: `${base}/display/full${legacy ? ' ' : ''}`, height, width }
            : {
                display_url: `${base}/display/stream`,
                height,
                width,
                duration: 0,
                frame_count: 1,
                frame_stride: 1,
              },
        name: file.name.replace(/\.[^.]+$/, ''),
        thumbnail: `${base}/display/thumb`,
        type,
        upload_time: state.now(),
      };
      p.media.set(id, {
        item,
        datasetId: params.dataset_id as string,
        bytes,
        contentType: file.type || (type === 'image' ? 'image/jpeg' : 'video/mp4'),
      });
      record(operationId, request, path, 200, JSON_TYPE);
      return Response.json(item);
    }
    const binary: Record<string, string> = {
      downloadImage: 'image_id',
      downloadImageThumbnail: 'image_id',
      downloadVideo: 'video_id',
      downloadVideoFrame: 'video_id',
    };
    const exported = training.exportBytes(operationId, params);
    if (exported instanceof Uint8Array) {
      record(operationId, request, path, 200, 'application/zip');
      return new Response(exported as Uint8Array<ArrayBuffer>, {
        headers: { 'content-type': 'application/zip' },
      });
    }
    if (exported) {
      record(operationId, request, path, exported.status, JSON_TYPE);
      return Response.json(exported.json, { status: exported.status });
    }
    if (operationId === 'getProjectThumbnail') {
      // The project's first image stands for its thumbnail (the server's own rendering is not recorded).
      const first = p && [...p.media.values()].find((m) => m.item.type === 'image');
      if (!first) return notFound();
      record(operationId, request, path, 200, first.contentType);
      return new Response(first.bytes as Uint8Array<ArrayBuffer>, {
        headers: { 'content-type': first.contentType },
      });
    }
    const key = binary[operationId];
    if (!key) return undefined;
    const m = p?.media.get(params[key] ?? '');
    if (!m) return notFound();
    counts.downloads++;
    record(operationId, request, path, 200, m.contentType);
    return new Response(m.bytes as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: { 'content-type': m.contentType },
    });
  };

  const handle = async (request: Request): Promise<Response> => {
    if (options.latency) await new Promise((r) => setTimeout(r, options.latency));
    const url = new URL(request.url);
    const loginAnswer = await loginRoute(request, url, login);
    if (loginAnswer) {
      record(
        '(login)',
        request,
        url.pathname,
        loginAnswer.status,
        loginAnswer.headers.get('content-type') ?? '',
      );
      return loginAnswer;
    }
    if (!url.pathname.startsWith(`${apiPath}/`)) {
      return Response.json(
        { error_code: 'not_found', http_status: 404, message: `${url.pathname} not found` },
        { status: 404 },
      );
    }
    let path = url.pathname.slice(apiPath.length);
    if (geti) {
      // Everything but product_info, profile and the token's organization lives under the organization (§1.1).
      const org = /^\/organizations\/([^/]+)(\/.*)$/.exec(path);
      if (org && org[1] !== state.organizationId) {
        return Response.json(
          {
            error_code: 'organization_not_found',
            http_status: 404,
            message: `organization ${org[1]} not found`,
          },
          { status: 404 },
        );
      }
      if (org) path = org[2] as string;
      else if (path.startsWith('/workspaces')) {
        return Response.json(
          {
            error_code: 'not_found',
            http_status: 404,
            message: `${url.pathname} not found (Geti routes are under /organizations/<id>)`,
          },
          { status: 404 },
        );
      }
    }
    counts.api++;
    if (!authorized(request, path)) {
      // oauth2-proxy without a valid session: the login page.
      record('(login page)', request, path, 200, 'text/html');
      return new Response(LOGIN_FORM, {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    }
    if (geti && WRITES.has(request.method) && request.headers.get('x-geti-csrf-protection') !== '1') {
      record('(csrf)', request, path, 403, JSON_TYPE);
      return Response.json(
        {
          error_code: 'forbidden',
          http_status: 403,
          message: 'the header x-geti-csrf-protection: 1 is required on writes',
        },
        { status: 403 },
      );
    }
    const match = engine.router.match(request.method, path);
    // Each era answers only its own routes (x-era in the spec): a client calling the other era's route gets a 404.
    const opEra = match
      ? (operations as Record<string, { extensions?: { era?: string } }>)[match.operationId]?.extensions?.era
      : undefined;
    if (match && opEra && (opEra === 'geti') !== geti) {
      record(match.operationId, request, path, 404, JSON_TYPE);
      return Response.json(
        {
          error_code: 'not_found',
          http_status: 404,
          message: `${request.method} ${url.pathname} is not a route of this server (${geti ? 'Geti' : 'SC'})`,
        },
        { status: 404 },
      );
    }
    if (match) {
      const answered = await mediaRoute(match.operationId, match.params, request, path);
      if (answered) return answered;
    }
    const bytes =
      request.method === 'GET' || request.method === 'HEAD' ? undefined : await readRequestBytes(request);
    // TUS chunks are bytes, not JSON: the engine gets no body, their handlers read the bytes as sent.
    const chunk = /^append(Project|Dataset)Upload$/.test(match?.operationId ?? '');
    const inner = new Request(`${url.origin}${path}${url.search}`, {
      method: request.method,
      headers: request.headers,
      body: chunk ? undefined : (bytes as Uint8Array<ArrayBuffer> | undefined),
    });
    if (chunk && bytes) rawBodies.set(inner, bytes);
    if (bytes?.length && match?.operationId === 'trainProject') {
      try {
        rawBodies.set(inner, JSON.parse(new TextDecoder().decode(bytes)));
      } catch {
        // not JSON: the engine answers that
      }
    }
    return engine.handle(inner);
  };

  return {
    handle,
    get state() {
      return state;
    },
    faults,
    journal: engine.journal.entries,
    engine,
    counts,
    expireSessions: () => login.sessions.clear(),
    reset() {
      state = new ScFakeState();
      login.sessions.clear();
      bearers.clear();
      engine.journal.clear();
      faults.clear?.();
      counts.uploads = counts.downloads = counts.api = 0;
    },
  };
}
