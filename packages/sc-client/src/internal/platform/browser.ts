/**
 * `#platform` everywhere but Node (the `default` condition of package.json `imports`): browsers, workers, edge
 * runtimes. There is no local folder to back a project up into or to read a COCO dataset from, and a page cannot
 * switch off the browser's certificate checks, so each of these fails at once with a `ClientError` saying why; the
 * rest of the client (every API call, login, discovery) works as on Node.
 */
import { ClientError } from '@mlclients/package-core';
import type * as OnNode from './node.js';

function nodeOnly(name: string, what: string): (...args: unknown[]) => Promise<never> {
  return async () => {
    throw new ClientError(`${name}() ${what}: it needs Node.js and is not available in a browser`);
  };
}

const FOLDERS = 'reads and writes a local backup folder';
export const downloadProject: typeof OnNode.downloadProject = nodeOnly('downloadProject', FOLDERS);
export const uploadProject: typeof OnNode.uploadProject = nodeOnly('uploadProject', FOLDERS);
export const downloadAllProjects: typeof OnNode.downloadAllProjects = nodeOnly(
  'downloadAllProjects',
  FOLDERS,
);
export const uploadAllProjects: typeof OnNode.uploadAllProjects = nodeOnly('uploadAllProjects', FOLDERS);
export const verifyBackup: typeof OnNode.verifyBackup = nodeOnly('verifyBackup', FOLDERS);
export const writeBackupManifest: typeof OnNode.writeBackupManifest = nodeOnly(
  'writeBackupManifest',
  FOLDERS,
);

const DATASETS = 'reads a COCO dataset and its images from local files';
export const readCocoDataset: typeof OnNode.readCocoDataset = nodeOnly('readCocoDataset', DATASETS);
export const createProjectSingleTaskFromDataset: typeof OnNode.createProjectSingleTaskFromDataset = nodeOnly(
  'createProjectSingleTaskFromDataset',
  DATASETS,
);
export const createTaskChainProjectFromDataset: typeof OnNode.createTaskChainProjectFromDataset = nodeOnly(
  'createTaskChainProjectFromDataset',
  DATASETS,
);

export function insecureTlsDispatcher(): never {
  throw new ClientError(
    'ScClient: `verifyTls: false` is not possible in a browser, which checks server certificates itself',
  );
}
