/**
 * `ScClient`: Sonoma Creek / Intel Geti on `@mlclients/package-core`.
 *
 * Every operation of `openapi/sc.yaml` is a method of the generated base class (`sc.projects.list(ws)`); the way in,
 * discovery and re-login live in `auth/session.ts` (a fetch the core sends through); `lib/` adds the seed tool's
 * workflows (backup/restore, projects from COCO).
 */
import type { ClientOptions } from '@mlclients/package-core';
import { readEnv } from '@mlclients/package-core';
import {
  API_PLACEHOLDER,
  ROOT_PLACEHOLDER,
  type ScServerInfo,
  ScSession,
  type ScSessionOptions,
} from './auth/session.js';
import { GeneratedScClient } from './generated/index.js';
import {
  type DownloadResult,
  downloadAllProjects,
  downloadProject,
  type TransferOptions,
  type UploadOptions,
  type UploadResult,
  uploadAllProjects,
  uploadProject,
} from './lib/backup.js';
import {
  type CreateFromDatasetOptions,
  type CreateTaskChainOptions,
  createProjectSingleTaskFromDataset,
  createTaskChainProjectFromDataset,
} from './lib/create-from-dataset.js';
import type { Project } from './lib/types.js';
import { SC_ENV, scService } from './service.js';

/** Options of {@link ScClient}: the way in plus the core's options (retries, timeout, logger...). */
export interface ScClientOptions
  extends Omit<
      ClientOptions,
      'baseUrl' | 'auth' | 'errorPolicy' | 'operationSchemas' | 'envelope' | 'servers'
    >,
    Omit<ScSessionOptions, 'fetch'> {
  /** `https://sc.example.com` (no scheme: https is added). @default process.env.SC_HOST */
  host: string;
}

const sessions = new WeakMap<object, ScSession>();

function prepare(options: ScClientOptions): ClientOptions {
  // `withOptions()` passes the prepared options back in: keep that client's session (no second login).
  const existing = options.fetch ? sessions.get(options.fetch) : undefined;
  if (existing && !(options as Partial<ScClientOptions>).host) {
    sessions.set(options, existing);
    return options as unknown as ClientOptions;
  }
  const given: Record<string, unknown> = { ...options };
  for (const [option, variable] of Object.entries(SC_ENV)) {
    if (given[option] === undefined) {
      const value = readEnv(variable);
      if (value !== undefined) given[option] = value;
    }
  }
  const o = given as unknown as ScClientOptions;
  const session = new ScSession({ ...o, fetch: options.fetch });
  const {
    host: _h,
    username: _u,
    password: _p,
    token: _t,
    workspace: _w,
    verifyTls: _v,
    retry503Delay: _r,
    ...core
  } = o;
  const prepared: ClientOptions = {
    ...core,
    baseUrl: `${session.origin}${API_PLACEHOLDER}`,
    servers: { apiRoot: `${session.origin}${ROOT_PLACEHOLDER}` },
    fetch: session.fetch as typeof fetch,
    auth: { kind: 'custom', apply() {}, secrets: () => session.secrets() },
  };
  sessions.set(prepared, session);
  sessions.set(session.fetch, session);
  return prepared;
}

/**
 * The SC / Geti client.
 *
 * @example
 * ```ts
 * const sc = new ScClient({ host: 'sc.example.com', username: 'me', password: process.env.SC_PASSWORD });
 * const ws = await sc.workspaceId();
 * const { items } = await sc.projects.list(ws);
 * await downloadProject(sc, 'my project', './backup/my project');
 * ```
 */
export class ScClient extends GeneratedScClient<ClientOptions> {
  static override service = scService;
  /** Login, discovery and the auth of every request. */
  readonly session: ScSession;

  constructor(options: ScClientOptions) {
    const prepared = prepare(options);
    super(prepared);
    this.session = sessions.get(prepared) as ScSession;
  }

  /** Version, API path, organization, workspace and the auth in use (discovered on first use). */
  serverInfo(): Promise<ScServerInfo> {
    return this.session.info();
  }

  /** The workspace every workspace-scoped call uses. */
  async workspaceId(): Promise<string> {
    return (await this.session.info()).workspaceId;
  }

  /** Back up one project into `folder` (resumable, concurrent, with a quilt3-compatible manifest). */
  downloadProject(projectName: string, folder: string, options?: TransferOptions): Promise<DownloadResult> {
    return downloadProject(this, projectName, folder, options);
  }

  /** Restore a project from a backup folder (verified against its manifest first). */
  uploadProject(folder: string, options?: UploadOptions): Promise<UploadResult> {
    return uploadProject(this, folder, options);
  }

  /** Every project into `<folder>/<project name>`. */
  downloadAllProjects(folder: string, options?: TransferOptions): Promise<DownloadResult[]> {
    return downloadAllProjects(this, folder, options);
  }

  /** Every backup in the direct subfolders of `folder` (auto-training off). */
  uploadAllProjects(folder: string, options?: Omit<UploadOptions, 'projectName'>): Promise<UploadResult[]> {
    return uploadAllProjects(this, folder, options);
  }

  /** A single-task project from a COCO dataset (validated as a whole first). */
  createProjectSingleTaskFromDataset(options: CreateFromDatasetOptions): Promise<Project> {
    return createProjectSingleTaskFromDataset(this, options);
  }

  /** A task-chain project (`detection_to_segmentation`, ...) from a COCO dataset. */
  createTaskChainProjectFromDataset(options: CreateTaskChainOptions): Promise<Project> {
    return createTaskChainProjectFromDataset(this, options);
  }

  /** Sign out of a password session (a no-op with a token). */
  logout(): Promise<void> {
    return this.session.logout();
  }
}
