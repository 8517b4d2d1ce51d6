/**
 * SC (Sonoma Creek / Intel Geti): log in with a user name and password (the oauth2-proxy + dex form login, done for
 * you), create a detection project from the COCO dataset in `data/coco-blocks` (16 images of blocks, boxes of
 * `cube` and `cylinder`), then back the project up to a folder: project.json, configuration.json, the images, one
 * annotation file per image, and a quilt3-compatible manifest of it all in `.datapkg/`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScClient } from '@mlclients/sc-client';
import { runAsProgram } from './support/run.js';
import { SC_USER, type Services } from './support/services.js';

/** The COCO dataset shipped with the examples (source and licence: data/README.md). */
export const COCO_BLOCKS = fileURLToPath(new URL('./data/coco-blocks/', import.meta.url));

/** Create the project from COCO and back it up into `folder`; returns what a report needs. */
export async function backupCocoProject(
  { sc: server }: Services,
  folder: string,
  projectName = 'blocks',
): Promise<{ line: string; folder: string; topHash: string }> {
  // Against a real server: new ScClient() reads SC_HOST and SC_USERNAME/SC_PASSWORD (or SC_TOKEN).
  const sc = new ScClient({ host: server.url, ...SC_USER });
  const project = await sc.createProjectSingleTaskFromDataset({
    projectName,
    projectType: 'detection',
    imagesPath: path.join(COCO_BLOCKS, 'images/NONE'),
    annotationsPath: path.join(COCO_BLOCKS, 'annotations/instances_NONE.json'),
    enableAutoTrain: false,
  });
  const backup = await sc.downloadProject(project.name, folder);
  return {
    folder,
    topHash: backup.topHash,
    line: `sc: project "${project.name}" from COCO (${backup.downloaded} images, ${backup.annotations} annotations) backed up to ${path.basename(folder)}/, manifest top hash ${backup.topHash.slice(0, 12)}...`,
  };
}

export async function scCocoBackup(services: Services): Promise<string> {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  const work = await mkdtemp(path.join(os.tmpdir(), 'sc-backup-'));
  try {
    return (await backupCocoProject(services, path.join(work, 'blocks'))).line;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await runAsProgram(import.meta.url, scCocoBackup);
