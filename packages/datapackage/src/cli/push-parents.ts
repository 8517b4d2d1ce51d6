/**
 * What a CLI push is based on, for the conflict check (PackageBuilder.push): quilt3's CLI starts `push` from the local
 * registry's latest version of the name; datapkg also counts the version installed in the folder and the version last
 * pushed from it, so pushing again from the same folder is not a conflict while nobody else has pushed in between.
 * What was pushed from where is kept in the cache folder, not in the pushed folder, which a push leaves untouched: one
 * file per folder (`push-parents/<sha256 of the folder's real path>.json`), so pushes from different folders at the same
 * time never rewrite each other's record (one shared file lost one of two concurrent records).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '@mlclients/package-core/storage';
import { defaultCacheDir, defaultLocalRegistryPath } from '../default-locations.js';
import { readInstallRecord } from '../install-record.js';
import type { PackageBuilder } from '../package-builder.js';
import { PackageRegistry } from '../registry.js';

const TOP_HASH = /^[0-9a-f]{64}$/;

/** One folder's record: the top hash last pushed from it, by package name. */
interface FolderPushes {
  folder: string;
  pushes: Record<string, string>;
}

async function folderId(dir: string): Promise<string> {
  return realpath(dir).catch(() => resolve(dir));
}

function recordPath(folder: string): string {
  const id = createHash('sha256').update(folder).digest('hex');
  return join(defaultCacheDir(), 'push-parents', `${id}.json`);
}

async function readPushes(folder: string): Promise<Record<string, string>> {
  try {
    const value = JSON.parse(await readFile(recordPath(folder), 'utf8')) as Partial<FolderPushes> | null;
    // A hash collision or a hand-edited file: only a record of this very folder counts.
    return value?.folder === folder && value.pushes && typeof value.pushes === 'object' ? value.pushes : {};
  } catch {
    return readLegacyPushes(folder);
  }
}

/**
 * The folder's entry in the one shared `push-parents.json` that earlier versions wrote (read only, so a folder pushed
 * before an upgrade keeps its parent; the next push writes the folder's own file).
 */
async function readLegacyPushes(folder: string): Promise<Record<string, string>> {
  try {
    const all = JSON.parse(await readFile(join(defaultCacheDir(), 'push-parents.json'), 'utf8')) as unknown;
    const pushes =
      all !== null && typeof all === 'object' ? (all as Record<string, unknown>)[folder] : undefined;
    return pushes !== null && typeof pushes === 'object' ? (pushes as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Adds to `builder` every version of `name` the folder `dir` is based on. */
export async function addFolderParents(builder: PackageBuilder, dir: string, name: string): Promise<void> {
  // Three independent reads, at once.
  const [pushed, installed, local] = await Promise.all([
    folderId(dir).then((folder) => readPushes(folder)),
    readInstallRecord(resolve(dir)).catch(() => undefined),
    // quilt3's CLI push starts from the local registry's latest copy of the name.
    PackageRegistry.open(defaultLocalRegistryPath())
      .then((registry) => registry.readPointer(name, 'latest'))
      .catch(() => undefined),
  ]);
  const hashes = new Set<string>();
  if (pushed[name]) hashes.add(pushed[name]);
  if (installed?.record.name === name) hashes.add(installed.record.topHash);
  if (local) hashes.add(local);
  for (const hash of hashes) if (TOP_HASH.test(hash)) builder.addParent(name, hash);
}

/** Remembers that `dir`'s content was pushed as `name@topHash` (best effort: a read-only folder still pushes). */
export async function recordPush(dir: string, name: string, topHash: string): Promise<void> {
  try {
    const folder = await folderId(dir);
    const record: FolderPushes = { folder, pushes: { ...(await readPushes(folder)), [name]: topHash } };
    const path = recordPath(folder);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
  } catch {
    // The push itself succeeded; without the record the next push from this folder needs --force.
  }
}
