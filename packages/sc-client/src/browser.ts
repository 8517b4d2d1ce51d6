/**
 * The root entry in a browser (the `browser` condition of package.json `exports`): the same names as `index.ts`. A
 * page has no local folder to back a project up into or read a COCO dataset from, so those workflows fail at once
 * with a ClientError saying why; everything else is the same code as on Node.
 */

export {
  createProjectSingleTaskFromDataset,
  createTaskChainProjectFromDataset,
  downloadAllProjects,
  downloadProject,
  readCocoDataset,
  uploadAllProjects,
  uploadProject,
  verifyBackup,
  writeBackupManifest,
} from './internal/platform/browser.js';
export * from './portable.js';
