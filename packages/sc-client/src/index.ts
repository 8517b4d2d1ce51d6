// Node's: the workflows on local folders and files. The browser entry (`browser.ts`) exports the same names.
export { downloadAllProjects, downloadProject, uploadAllProjects, uploadProject } from './lib/backup.js';
export { readCocoDataset } from './lib/coco.js';
export {
  createProjectSingleTaskFromDataset,
  createTaskChainProjectFromDataset,
} from './lib/create-from-dataset.js';
export { verifyBackup, writeBackupManifest } from './lib/manifest.js';
export * from './portable.js';
