/**
 * What the root entry exports on every platform: the client, its session and errors, the generated operations, the
 * API helpers and the types. `index.ts` (Node) adds the workflows on local folders and files; `browser.ts` (the
 * `browser` condition of package.json) adds versions of them that fail at once, so that neither `node:fs`, undici
 * nor `@mlclients/datapackage` reaches a browser bundle.
 */
export { originOf, type ScServerInfo, ScSession, type ScSessionOptions } from './auth/session.js';
export { ScClient, type ScClientOptions, type ScPreparedOptions } from './client.js';
export { BackupError, DatasetValidationError, ScAuthenticationError } from './errors.js';
export * from './generated/index.js';
export { listMedia, listProjects, type ProjectRef, projectByName } from './lib/api.js';
export type { DownloadResult, TransferOptions, UploadOptions, UploadResult } from './lib/backup.js';
export type { Dataset, DatasetItem, DatasetObject } from './lib/coco.js';
export type {
  CreateFromDatasetOptions,
  CreateTaskChainOptions,
  DatasetTaskOptions,
} from './lib/create-from-dataset.js';
export { type FilterCriterion, filterItems } from './lib/filter-items.js';
// The workflows' views of the SC payloads (the fields they read); the generated `Project`, `MediaItem` and
// `AnnotationScene` describe the same payloads in full, so those three are exported here under other names.
export type {
  Annotation,
  AnnotationLabel,
  AnnotationScene as WorkflowAnnotationScene,
  Label,
  MediaItem as WorkflowMediaItem,
  Progress,
  Project as WorkflowProject,
  Shape,
  Task,
} from './lib/types.js';
export { SC_ENV, scErrorPolicy, scService } from './service.js';
