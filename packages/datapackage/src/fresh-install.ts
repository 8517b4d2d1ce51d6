/**
 * A first install (into a folder that holds nothing yet) started while the manifest is still being read. Every key of
 * such a folder is new and nothing is in the way, so an entry's place in the staging folder is known as soon as its
 * line is read: its object is staged (verified, on the hashing workers) while the rest of the manifest is parsed and
 * its top hash computed, instead of after. Nothing reaches the folder itself before everything is read and checked:
 * the top hash must match, every key be valid and every object be staged and verified; then the same transaction as
 * any install puts it in place (install-transaction.ts). A failure at any step, including a top hash that does not
 * match, waits for the copies already running and removes the staging folder; the error reported is the one the
 * sequential install reports (the manifest's own error first, then an invalid entry, then the first object's).
 * Any other folder (with files in it) is installed by syncDirectory, after the whole manifest is read and verified.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, readdir, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertNoSymlinks } from '@mlclients/package-core/storage';
import {
  FILE_SYSTEM_CONCURRENCY,
  ObjectStager,
  pathOfValidKey,
  prepareRecord,
  removeStagingFolder,
  type SyncResult,
  type TransferProgress,
  verifiableHash,
} from './directory-sync.js';
import { TopHashMismatchError } from './errors.js';
import type { FileHasher } from './hashing/file-hasher.js';
import type { FileIdentity } from './hashing/stat-cache.js';
import { discardWrittenManifest, type InstallRecord, type RecordChange } from './install-record.js';
import {
  commitStaged,
  type Journal,
  recoverInterruptedInstalls,
  stagedPath,
  stagedTreePath,
  stagingName,
} from './install-transaction.js';
import type { Manifest, ManifestEntry, ObjectHash } from './manifest.js';
import { readManifestInSlices } from './manifest-format.js';
import type { ObjectSource } from './object-source.js';
import { STATE_DIR } from './state-dir.js';
import { computeTopHashYielding } from './top-hash.js';

export interface FreshInstallOptions {
  /** The manifest file's bytes, as fetched (not parsed yet). */
  manifestBytes: Uint8Array;
  /** The top hash asked for: the manifest must hash to it. */
  topHash: string;
  /** Where the manifest was read from, for the error when it does not hash to `topHash`. */
  manifestLocation: string;
  source: ObjectSource;
  hasher: FileHasher;
  /** The install record, committed with the files (in `stateDir`). */
  record: InstallRecord;
  stateDir: string;
  onProgress?: (progress: TransferProgress) => void;
  /** Parallel downloads (objects not copied on the workers). @default 16 */
  concurrency?: number;
}

/**
 * Installs the manifest in `manifestBytes` into `dir` if `dir` holds nothing but the state folder (or does not exist),
 * staging objects while the manifest is read (see the file comment); returns the verified manifest and what was done.
 * Undefined, having changed nothing but recovering what a killed install left, when `dir` has files: the caller then
 * reads and verifies the manifest and installs it with syncDirectory.
 */
export async function installIntoFreshFolder(
  dir: string,
  options: FreshInstallOptions,
): Promise<{ manifest: Manifest; result: SyncResult } | undefined> {
  const { hasher, stateDir } = options;
  // As syncDirectory: undo what a killed install left, so the folder is seen as one version.
  await assertNoSymlinks(dir, join(dir, STATE_DIR));
  await recoverInterruptedInstalls(dir, stateDir);
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (!names.every((name) => name === STATE_DIR)) return undefined;
  // The first folder this made, if `dir` did not exist: a failed install removes what it made.
  const made = await mkdir(dir, { recursive: true });

  const staging = join(dir, STATE_DIR, stagingName(randomBytes(6).toString('hex')));
  const treeRoot = stagedTreePath(staging, '');
  const stagedFolders = new Set([join(staging, 'new')]);
  for (const folder of stagedFolders) mkdirSync(folder, { recursive: true });
  // Keys at the top go to `new/<i>` (put), the others with their top folder, staged whole (trees), as syncDirectory.
  const put: Journal['put'] = [];
  const trees = new Set<string>();
  const staged: { entry: ManifestEntry; hash: ObjectHash; target: string }[] = [];
  const progress: TransferProgress = { bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 };
  const stager = new ObjectStager(
    options.source,
    hasher,
    options.concurrency ?? FILE_SYSTEM_CONCURRENCY,
    (bytes, files) => {
      progress.bytesDone += bytes;
      progress.filesDone += files;
      options.onProgress?.({ ...progress });
    },
  );
  // An entry that cannot be installed (a key leaving the folder, no hash): reported after the manifest's own errors.
  let invalid: { error: unknown } | undefined;
  const stage = (entries: ManifestEntry[]) => {
    if (invalid || stager.stopped) return;
    const hashes: ObjectHash[] = [];
    const targets: string[] = [];
    try {
      for (const entry of entries) {
        const hash = verifiableHash(entry);
        const key = entry.logicalKey;
        const slash = key.indexOf('/');
        let target: string;
        if (slash < 0) {
          put.push({ key, hadOld: false });
          target = stagedPath(staging, put.length - 1);
        } else {
          trees.add(key.slice(0, slash));
          target = pathOfValidKey(treeRoot, key);
          // Its folders in the staging folder, each made once, before a worker creates the file.
          const made: string[] = [];
          for (let folder = dirname(target); !stagedFolders.has(folder); folder = dirname(folder)) {
            stagedFolders.add(folder);
            made.push(folder);
            if (folder === treeRoot) break;
          }
          if (made.length > 0) mkdirSync(made[0] as string, { recursive: true });
        }
        hashes.push(hash);
        targets.push(target);
        staged.push({ entry, hash, target });
        progress.filesTotal++;
        progress.bytesTotal += entry.size ?? 0;
      }
    } catch (error) {
      invalid = { error };
      stager.stop(error);
    }
    if (!invalid) stager.add(entries, hashes, targets);
  };

  let cleaned = false;
  let recordChange: RecordChange | undefined;
  try {
    let manifest: Manifest;
    try {
      manifest = await readManifestInSlices(options.manifestBytes, stage);
      const actual = await computeTopHashYielding(manifest);
      if (actual !== options.topHash)
        throw new TopHashMismatchError(options.topHash, actual, options.manifestLocation);
    } catch (error) {
      stager.stop(error);
      await stager.settle().catch(() => undefined); // nothing writes into the staging folder once it is removed
      throw error;
    }
    if (invalid) {
      await stager.settle().catch(() => undefined);
      throw invalid.error;
    }
    // The manifest is the one asked for: its record is written while the last objects are staged.
    const [copied, recorded] = await Promise.allSettled([
      stager.settle(),
      prepareRecord(stateDir, dir, options.record, options.manifestBytes),
    ]);
    if (recorded.status === 'fulfilled') recordChange = recorded.value.record;
    if (copied.status === 'rejected') throw copied.reason;
    if (recorded.status === 'rejected') throw recorded.reason;
    const written = copied.value;
    // As syncDirectory: the fresh files go in the stat cache (a rename keeps size, mtime and inode).
    staged.forEach(({ entry, hash }, i) => {
      hasher.statCache.record(
        pathOfValidKey(dir, entry.logicalKey),
        written[i] as FileIdentity,
        hash.type,
        hash.value,
      );
    });
    const journal: Journal = { put, trees: [...trees], remove: [], ...recorded.value };
    await commitStaged(
      dir,
      staging,
      journal,
      { files: staged.map((s) => s.target), folders: stagedFolders },
      { duringFlush: () => hasher.statCache.save().catch(() => undefined) },
    );
    cleaned = true;
    await removeStagingFolder(dir, staging);
    const keys = manifest.sortedEntries().map((e) => e.logicalKey);
    return {
      manifest,
      result: {
        missing: keys,
        extra: [],
        changed: [],
        matches: true,
        transferred: keys,
        removed: [],
        bytesTransferred: progress.bytesDone,
      },
    };
  } finally {
    if (!cleaned) {
      // Best effort, after a failure: its own error is the one to report (as syncDirectory).
      await removeStagingFolder(dir, staging).catch(() => undefined);
      if (recordChange) await discardWrittenManifest(recordChange).catch(() => undefined);
      if (made !== undefined) await removeEmptyFolders(dir, made);
    }
  }
}

/** `dir` and its parents up to `top`, while they are empty (best effort: a folder someone wrote into stays). */
async function removeEmptyFolders(dir: string, top: string): Promise<void> {
  for (let folder = dir; ; folder = dirname(folder)) {
    if (
      !(await rmdir(folder).then(
        () => true,
        () => false,
      ))
    )
      return;
    if (folder === top || dirname(folder) === folder) return;
  }
}
