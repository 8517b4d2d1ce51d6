/**
 * `#platform` on Node (the `node` condition of package.json `imports`): the parts of the SC client that need Node.
 * The workflows read and write local folders (backups with their data-package manifest, COCO datasets on disk), and
 * `verifyTls: false` needs undici's agent. Browser bundles resolve `#platform` to ./browser.ts instead, so neither
 * `node:` modules, undici nor `@mlclients/datapackage` reach them.
 */
import { Agent, type Dispatcher } from 'undici';

export {
  downloadAllProjects,
  downloadProject,
  uploadAllProjects,
  uploadProject,
} from '../../lib/backup.js';
export { readCocoDataset } from '../../lib/coco.js';
export {
  createProjectSingleTaskFromDataset,
  createTaskChainProjectFromDataset,
} from '../../lib/create-from-dataset.js';
export { verifyBackup, writeBackupManifest } from '../../lib/manifest.js';

/** The `dispatcher` a fetch skips certificate checks with (`verifyTls: false`, e.g. a self-signed on-prem server). */
export function insecureTlsDispatcher(): Dispatcher {
  return new Agent({ connect: { rejectUnauthorized: false } });
}
