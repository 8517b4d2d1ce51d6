/**
 * What a CLI push is based on, for the conflict check (PackageBuilder.push): quilt3's CLI starts `push` from the local
 * registry's latest version of the name; datapkg also counts the version installed in the folder and the version last
 * pushed from it, so pushing again from the same folder is not a conflict while nobody else has pushed in between.
 * What was pushed from where is kept in the cache folder (`push-parents.json`, by the folder's real path), not in the
 * pushed folder, which a push leaves untouched.
 */
import { mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '@mlclients/package-core/storage';
import { defaultCacheDir, defaultLocalRegistryPath } from '../default-locations.js';
import { readInstallRecord } from '../install-record.js';
import type { PackageBuilder } from '../package-builder.js';
import { PackageRegistry } from '../registry.js';

const TOP_HASH = /^[0-9a-f]{64}$/;

type PushRecords = Record<string, Record<string, string>>;

function recordsPath(): string {
  return join(defaultCacheDir(), 'push-parents.json');
}

async function folderId(dir: string): Promise<string> {
  return realpath(dir).catch(() => resolve(dir));
}

async function readRecords(): Promise<PushRecords> {
  try {
    const value: unknown = JSON.parse(await readFile(recordsPath(), 'utf8'));
    return value !== null && typeof value === 'object' ? (value as PushRecords) : {};
  } catch {
    return {};
  }
}

/** Adds to `builder` every version of `name` the folder `dir` is based on. */
export async function addFolderParents(builder: PackageBuilder, dir: string, name: string): Promise<void> {
  const hashes = new Set<string>();
  const pushed = (await readRecords())[await folderId(dir)]?.[name];
  if (pushed) hashes.add(pushed);
  const installed = await readInstallRecord(resolve(dir)).catch(() => undefined);
  if (installed?.record.name === name) hashes.add(installed.record.topHash);
  // quilt3's CLI push starts from the local registry's latest copy of the name.
  const local = await PackageRegistry.open(defaultLocalRegistryPath())
    .then((registry) => registry.readPointer(name, 'latest'))
    .catch(() => undefined);
  if (local) hashes.add(local);
  for (const hash of hashes) if (TOP_HASH.test(hash)) builder.addParent(name, hash);
}

/** Remembers that `dir`'s content was pushed as `name@topHash` (best effort: a read-only folder still pushes). */
export async function recordPush(dir: string, name: string, topHash: string): Promise<void> {
  try {
    const records = await readRecords();
    const id = await folderId(dir);
    records[id] = { ...records[id], [name]: topHash };
    await mkdir(dirname(recordsPath()), { recursive: true });
    await writeFileAtomic(recordsPath(), `${JSON.stringify(records, null, 2)}\n`);
  } catch {
    // The push itself succeeded; without the record the next push from this folder needs --force.
  }
}
