/**
 * What `install` leaves in `<dest>/.datapkg/`: the installed manifest (byte-exact, so `status` and `hash` work
 * offline) and where it came from. Both are written with temp + rename.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertNoSymlinks, writeFileAtomic } from '@mlclients/package-core/storage';
import { STATE_DIR } from './local-tree.js';
import type { Manifest } from './manifest.js';
import { readManifest, writeManifest } from './manifest-format.js';

export interface InstallRecord {
  registry: string;
  name: string;
  topHash: string;
  installedAt: string;
}

const MANIFEST_FILE = 'installed.jsonl';
const RECORD_FILE = 'installed.json';

/** The files of an install record, by name in the state folder (an install commits them with the data). */
export function installRecordFiles(record: InstallRecord, manifest: Manifest): Record<string, string> {
  return {
    [MANIFEST_FILE]: writeManifest(manifest),
    [RECORD_FILE]: `${JSON.stringify(record, null, 2)}\n`,
  };
}

export async function writeInstallRecord(
  dir: string,
  record: InstallRecord,
  manifest: Manifest,
): Promise<void> {
  const stateDir = join(dir, STATE_DIR);
  await assertNoSymlinks(dir, stateDir);
  await mkdir(stateDir, { recursive: true });
  for (const [name, text] of Object.entries(installRecordFiles(record, manifest)))
    await writeFileAtomic(join(stateDir, name), text);
}

export async function readInstallRecord(
  dir: string,
): Promise<{ record: InstallRecord; manifest: Manifest } | undefined> {
  try {
    const record = JSON.parse(await readFile(join(dir, STATE_DIR, RECORD_FILE), 'utf8')) as InstallRecord;
    const manifest = readManifest(await readFile(join(dir, STATE_DIR, MANIFEST_FILE)));
    return { record, manifest };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
