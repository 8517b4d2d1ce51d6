/**
 * Comparing a local folder with a manifest (verify/status) and making it match (install/forceMatch). Files are
 * hashed through the stat cache, so an unchanged folder is checked without reading data. Changes are staged: every
 * object is downloaded and verified into `<dir>/.datapkg/staging-*` first, and only when all of them are good are
 * the staged files renamed into place and extras removed, as one transaction (install-transaction.ts), so a failure
 * leaves the folder as it was.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, mkdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { assertNoSymlinks } from '@mlclients/package-core/storage';
import pLimit from 'p-limit';
import { PackageKeyConflictError, PackageNotBuiltError, UnsupportedHashTypeError } from './errors.js';
import type { FileHasher, HashProgress } from './hashing/file-hasher.js';
import { SUPPORTED_HASH_TYPES } from './hashing/object-hash.js';
import { identityOf } from './hashing/stat-cache.js';
import {
  commitStaged,
  recoverInterruptedInstalls,
  stagedPath,
  stagedStatePath,
  stagingName,
} from './install-transaction.js';
import { listLocalFiles, STATE_DIR } from './local-tree.js';
import { validateLogicalKey } from './logical-key.js';
import { type Manifest, type ManifestEntry, type ObjectHash, readObjectHash } from './manifest.js';
import { downloadVerified } from './object-download.js';
import type { ObjectSource } from './object-source.js';

/** Parallel file-system operations (stat, rename, small-file downloads): enough to keep libuv's threads busy. */
const FILE_SYSTEM_CONCURRENCY = 16;

/** How a folder differs from a manifest (`Package.verify`). */
export interface DirectoryComparison {
  /** In the manifest, not in the folder. */
  missing: string[];
  /** In the folder, not in the manifest. */
  extra: string[];
  /** In both, with different size or hash. */
  changed: string[];
  /** True when nothing is missing or changed, and no extra file exists (unless extras were allowed). */
  matches: boolean;
}

/** Bytes and files done of a transfer or a hashing pass (the same shape as HashProgress). */
export type TransferProgress = HashProgress;

/** What an install or `forceMatch` did, and how the folder compares afterwards. */
export interface SyncResult extends DirectoryComparison {
  /** Keys whose objects were downloaded. */
  transferred: string[];
  /** Extra files deleted. */
  removed: string[];
  bytesTransferred: number;
}

function pathOfKey(dir: string, key: string): string {
  return join(dir, ...validateLogicalKey(key).split('/'));
}

export async function compareDirectory(
  manifest: Manifest,
  dir: string,
  hasher: FileHasher,
  options: { extraFilesOk?: boolean; onProgress?: (p: TransferProgress) => void } = {},
): Promise<DirectoryComparison> {
  dir = resolve(dir);
  const entries = manifest.sortedEntries();
  for (const entry of entries) {
    validateLogicalKey(entry.logicalKey);
    const hash = readObjectHash(entry.hash);
    if (!hash || entry.size === null) {
      throw new PackageNotBuiltError(
        `entry ${JSON.stringify(entry.logicalKey)} has no hash: nothing to verify against`,
      );
    }
    if (!SUPPORTED_HASH_TYPES.includes(hash.type))
      throw new UnsupportedHashTypeError(hash.type, entry.logicalKey);
  }
  const files = await listLocalFiles(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const local = new Map(files.map((f) => [f.logicalKey, f.path]));
  const missing: string[] = [];
  const changed: string[] = [];
  const sameSize: ManifestEntry[] = [];
  const limit = pLimit(FILE_SYSTEM_CONCURRENCY);
  const sizes = await Promise.all(
    entries.map((e) =>
      limit(async () =>
        local.has(e.logicalKey) ? (await stat(local.get(e.logicalKey) as string)).size : -1,
      ),
    ),
  );
  entries.forEach((entry, i) => {
    const size = sizes[i] as number;
    if (size < 0) missing.push(entry.logicalKey);
    else if (size !== entry.size) changed.push(entry.logicalKey);
    else sameSize.push(entry);
  });
  const results = await hasher.hashFilesByType(
    sameSize.map(
      (e) => [local.get(e.logicalKey) as string, (readObjectHash(e.hash) as ObjectHash).type] as const,
    ),
    // A copy per report: the hasher updates one object in place.
    options.onProgress && ((p) => options.onProgress?.({ ...p })),
  );
  for (const entry of sameSize) {
    if (results.get(local.get(entry.logicalKey) as string)?.value !== readObjectHash(entry.hash)?.value)
      changed.push(entry.logicalKey);
  }
  await hasher.statCache.save();
  const extra = files.map((f) => f.logicalKey).filter((k) => !manifest.has(k));
  const inTreeOrder = (keys: string[]) => {
    const set = new Set(keys);
    return entries.map((e) => e.logicalKey).filter((k) => set.has(k));
  };
  return {
    missing,
    extra: extra.sort(),
    changed: inTreeOrder(changed),
    matches:
      missing.length === 0 && changed.length === 0 && (options.extraFilesOk === true || extra.length === 0),
  };
}

export interface SyncOptions {
  /** Delete files not in the manifest: all of them (`true`, forceMatch) or only these keys (a previous install's). */
  removeExtra?: boolean | ReadonlySet<string>;
  onProgress?: (progress: TransferProgress) => void;
  /** Parallel downloads. @default 16 */
  concurrency?: number;
  /** Files to write into the state folder in the same transaction as the data (the install record). */
  stateFiles?: Record<string, string>;
}

export async function syncDirectory(
  manifest: Manifest,
  dir: string,
  source: ObjectSource,
  hasher: FileHasher,
  options: SyncOptions = {},
): Promise<SyncResult> {
  dir = resolve(dir);
  // Undo (or finish cleaning) what a killed install left, so the comparison sees one version.
  await assertNoSymlinks(dir, join(dir, STATE_DIR));
  await recoverInterruptedInstalls(dir);
  // compareDirectory refuses keys that could escape `dir` (and unhashed entries) before the folder is even created.
  const comparison = await compareDirectory(manifest, dir, hasher, { extraFilesOk: true });
  await mkdir(dir, { recursive: true });
  const fetchKeys = [...comparison.missing, ...comparison.changed];
  const toFetch = fetchKeys.map((k) => manifest.get(k) as ManifestEntry);
  const progress: TransferProgress = {
    bytesDone: 0,
    bytesTotal: toFetch.reduce((sum, e) => sum + (e.size ?? 0), 0),
    filesDone: 0,
    filesTotal: toFetch.length,
  };
  const removeExtra = options.removeExtra ?? false;
  const removals = comparison.extra.filter(
    (key) => removeExtra === true || (removeExtra instanceof Set && removeExtra.has(key)),
  );
  await assertNoLinksOnTheWay(dir, [...fetchKeys, ...removals]);
  await assertPlaceable(dir, fetchKeys, new Set(removals));
  const staging = join(dir, STATE_DIR, stagingName(randomBytes(6).toString('hex')));
  try {
    await mkdir(join(staging, 'new'), { recursive: true });
    await downloadAll(
      toFetch,
      source,
      staging,
      options.concurrency ?? FILE_SYSTEM_CONCURRENCY,
      (bytes, file) => {
        progress.bytesDone += bytes;
        progress.filesDone += file;
        options.onProgress?.({ ...progress });
      },
    );
    // Everything is downloaded and verified: now change the folder, all or nothing.
    const changed = new Set(comparison.changed);
    const state = await stageStateFiles(dir, staging, options.stateFiles ?? {});
    await commitStaged(dir, staging, {
      put: toFetch.map((e) => ({ key: e.logicalKey, hadOld: changed.has(e.logicalKey) })),
      remove: removals,
      state,
    });
    // Record the fresh files (verified while downloading) so the next status/verify reads nothing.
    const limit = pLimit(FILE_SYSTEM_CONCURRENCY);
    await Promise.all(
      toFetch.map((entry) =>
        limit(async () => {
          const path = pathOfKey(dir, entry.logicalKey);
          const hash = readObjectHash(entry.hash) as { type: string; value: string };
          hasher.statCache.record(path, identityOf(await stat(path)), hash.type, hash.value);
        }),
      ),
    );
    await hasher.statCache.save();
    return {
      ...comparison,
      matches: true,
      transferred: fetchKeys,
      removed: removals,
      bytesTransferred: progress.bytesDone,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rmdir(join(dir, STATE_DIR)).catch(() => undefined); // only if empty
  }
}

/** Writes the state files into the staging folder (fsynced) and says which ones replace an existing file. */
async function stageStateFiles(
  dir: string,
  staging: string,
  files: Record<string, string>,
): Promise<{ name: string; hadOld: boolean }[]> {
  const staged: { name: string; hadOld: boolean }[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = stagedStatePath(staging, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, { flush: true });
    const old = await lstat(join(dir, STATE_DIR, name)).catch(() => undefined);
    staged.push({ name, hadOld: old !== undefined });
  }
  return staged;
}

/**
 * Downloads (verified) every entry into the staging folder. After the first failure no new download starts; those
 * already running are awaited, so nothing writes into the staging folder after this rejects, with that first error.
 */
async function downloadAll(
  entries: ManifestEntry[],
  source: ObjectSource,
  staging: string,
  concurrency: number,
  onProgress: (bytes: number, files: number) => void,
): Promise<void> {
  const limit = pLimit(concurrency);
  let failure: { error: unknown } | undefined;
  await Promise.all(
    entries.map((entry, i) =>
      limit(async () => {
        if (failure) return;
        try {
          await downloadVerified(entry, source, stagedPath(staging, i), (bytes) => onProgress(bytes, 0));
          onProgress(0, 1);
        } catch (error) {
          failure ??= { error }; // the tasks still queued see it and return without downloading
        }
      }),
    ),
  );
  if (failure) throw failure.error;
}

/**
 * Refuses (naming the link) a symbolic link in the state folder's place or among the folders above a file to write
 * or remove: a link planted in the destination must not send writes or deletes outside it.
 */
async function assertNoLinksOnTheWay(dir: string, keys: string[]): Promise<void> {
  await assertNoSymlinks(dir, join(dir, STATE_DIR));
  // Every segment above each file: checking each distinct parent folder (all its segments) once covers them all.
  const parents = new Set(keys.map((key) => dirname(pathOfKey(dir, key))));
  const limit = pLimit(FILE_SYSTEM_CONCURRENCY);
  await Promise.all([...parents].map((parent) => limit(() => assertNoSymlinks(dir, parent))));
}

/**
 * Checks, before anything changes, that every file can be put in place: its path is not a folder, and no parent is a
 * file that stays (a user's file where the package has a folder). Otherwise the sync would stop half-way.
 */
async function assertPlaceable(dir: string, keys: string[], removals: ReadonlySet<string>): Promise<void> {
  // Each distinct folder is stat'ed once; a file whose folder does not exist yet cannot have a folder in its way.
  const folders = new Map<string, Promise<Stats | undefined>>();
  const statOnce = (path: string) => {
    let info = folders.get(path);
    if (!info) {
      info = statIfExists(path);
      folders.set(path, info);
    }
    return info;
  };
  const limit = pLimit(FILE_SYSTEM_CONCURRENCY);
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        const segments = key.split('/');
        let parentsExist = true;
        for (let i = 1; i < segments.length; i++) {
          const parentKey = segments.slice(0, i).join('/');
          const parent = await statOnce(join(dir, ...segments.slice(0, i)));
          if (!parent) {
            parentsExist = false;
            break;
          }
          if (!parent.isDirectory() && !removals.has(parentKey)) {
            throw new PackageKeyConflictError(
              `cannot write ${JSON.stringify(key)} into ${dir}: ${JSON.stringify(parentKey)} is a file there (use forceMatch to replace it)`,
            );
          }
        }
        const target = parentsExist ? await statIfExists(pathOfKey(dir, key)) : undefined;
        if (target?.isDirectory()) {
          throw new PackageKeyConflictError(
            `cannot write ${JSON.stringify(key)} into ${dir}: a folder is in the way`,
          );
        }
      }),
    ),
  );
}

/** stat, or undefined when nothing is there. */
function statIfExists(path: string): Promise<Stats | undefined> {
  return stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
}
