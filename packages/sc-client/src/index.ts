export { originOf, type ScServerInfo, ScSession, type ScSessionOptions } from './auth/session.js';
export { ScClient, type ScClientOptions } from './client.js';
export { BackupError, DatasetValidationError, ScAuthenticationError } from './errors.js';
export * from './generated/index.js';
export { listMedia, listProjects, projectByName } from './lib/api.js';
export * from './lib/backup.js';
export {
  type Dataset,
  type DatasetItem,
  type FilterCriterion,
  filterItems,
  readCocoDataset,
} from './lib/coco.js';
export * from './lib/create-from-dataset.js';
export { verifyBackup, writeBackupManifest } from './lib/manifest.js';
export type { Progress } from './lib/types.js';
export { SC_ENV, scErrorPolicy, scService } from './service.js';
