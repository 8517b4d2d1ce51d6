export { originOf, type ScServerInfo, ScSession, type ScSessionOptions } from './auth/session.js';
export { ScClient, type ScClientOptions, type ScPreparedOptions } from './client.js';
export { BackupError, DatasetValidationError, ScAuthenticationError } from './errors.js';
export * from './generated/index.js';
export { listMedia, listProjects, type ProjectRef, projectByName } from './lib/api.js';
export * from './lib/backup.js';
export {
  type Dataset,
  type DatasetItem,
  type DatasetObject,
  type FilterCriterion,
  filterItems,
  readCocoDataset,
} from './lib/coco.js';
export * from './lib/create-from-dataset.js';
export { verifyBackup, writeBackupManifest } from './lib/manifest.js';
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
