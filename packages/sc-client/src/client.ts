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
  createProjectSingleTaskFromDataset,
  createTaskChainProjectFromDataset,
  downloadAllProjects,
  downloadProject,
  uploadAllProjects,
  uploadProject,
} from '#platform';
import {
  API_PLACEHOLDER,
  ROOT_PLACEHOLDER,
  type ScServerInfo,
  ScSession,
  type ScSessionOptions,
} from './auth/session.js';
import { GeneratedScClient } from './generated/index.js';
import type { DownloadResult, TransferOptions, UploadOptions, UploadResult } from './lib/backup.js';
import type { CreateFromDatasetOptions, CreateTaskChainOptions } from './lib/create-from-dataset.js';
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

/**
 * What the constructor hands the core: the core's options, built on the session they send through, plus that
 * session, so `withOptions()` (which passes these options back in, merged) keeps it and logs in no second time.
 */
export interface ScPreparedOptions extends ClientOptions {
  /** The session every request is sent through (login, discovery, auth). */
  readonly session: ScSession;
}

/** The user's options with the `SC_*` environment variables filled in where an option is left undefined. */
function withEnv(options: ScClientOptions): ScClientOptions {
  const filled: ScClientOptions = { ...options };
  for (const key of Object.keys(SC_ENV) as (keyof typeof SC_ENV)[]) {
    if (filled[key] !== undefined) continue;
    const value = readEnv(SC_ENV[key]);
    if (value !== undefined) filled[key] = value;
  }
  return filled;
}

function prepare(options: ScClientOptions): ScPreparedOptions {
  const given = withEnv(options);
  const session = new ScSession(given);
  const {
    host: _h,
    username: _u,
    password: _p,
    token: _t,
    workspace: _w,
    verifyTls: _v,
    retry503Delay: _r,
    ...core
  } = given;
  return {
    ...core,
    baseUrl: `${session.origin}${API_PLACEHOLDER}`,
    servers: { apiRoot: `${session.origin}${ROOT_PLACEHOLDER}` },
    fetch: session.fetch,
    auth: { kind: 'custom', apply() {}, secrets: () => session.secrets() },
    session,
  };
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
export class ScClient extends GeneratedScClient<ScPreparedOptions> {
  static override service = scService;
  /** Login, discovery and the auth of every request. */
  readonly session: ScSession;

  /**
   * Creates a `ScClient`.
   *
   * @param options Host, credentials, workspace and the core's options; unset ones come from `SC_*` variables.
   */
  constructor(options: ScClientOptions | ScPreparedOptions) {
    const prepared = 'session' in options ? options : prepare(options);
    super(prepared);
    this.session = prepared.session;
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
