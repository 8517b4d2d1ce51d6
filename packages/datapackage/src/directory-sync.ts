/**
 * Comparing a local folder with a manifest (verify/status) and making it match (install/forceMatch). Files are
 * hashed through the stat cache, so an unchanged folder is checked without reading data. Changes are staged: every
 * object is downloaded and verified into `<dir>/.datapkg/staging-*` first, and only when all of them are good are
 * the staged files renamed into place and extras removed, as one transaction (install-transaction.ts), so a failure
 * leaves the folder as it was.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, type Stats } from 'node:fs';
import { lstat, readdir, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { assertNoSymlinks } from '@mlclients/package-core/storage';
import pLimit from 'p-limit';
import { syncBatch } from './durable-batch.js';
import {
  mismatchedBytes,
  ObjectHashMismatchError,
  PackageKeyConflictError,
  PackageNotBuiltError,
  UnsupportedHashTypeError,
} from './errors.js';
import { type FileHasher, type HashProgress, SMALL_FILE_BATCH_COUNT } from './hashing/file-hasher.js';
import { CHUNKED_SHA256, LEGACY_SHA256, SUPPORTED_HASH_TYPES } from './hashing/object-hash.js';
import { type FileIdentity, identityOf } from './hashing/stat-cache.js';
import type { CopyItem, CopyOutcome } from './hashing/worker-pool.js';
import {
  discardWrittenManifest,
  type InstallRecord,
  LEGACY_RECORD_FILES,
  prepareRecordChange,
  type RecordChange,
} from './install-record.js';
import {
  commitStaged,
  type Journal,
  recoverInterruptedInstalls,
  removeStaging,
  stagedPath,
  stagedTreePath,
  stagingName,
} from './install-transaction.js';
import { listLocalFiles } from './local-tree.js';
import { validateLogicalKey } from './logical-key.js';
import { type Manifest, type ManifestEntry, type ObjectHash, readObjectHash } from './manifest.js';
import { downloadVerified, SMALL_OBJECT_BYTES } from './object-download.js';
import type { ObjectSource } from './object-source.js';
import { ProgressiveFlush } from './progressive-flush.js';
import { defaultStateDir, STATE_DIR } from './state-dir.js';

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

/** The path of a key already validated (compareDirectory checks every entry first; extras come from a walk). */
function pathOfValidKey(dir: string, key: string): string {
  if (sep !== '/') return join(dir, ...key.split('/'));
  return dir.endsWith('/') ? `${dir}${key}` : `${dir}/${key}`;
}

/**
 * The hash an entry's file is checked against, after checking that its key stays inside the folder (validateLogicalKey)
 * and that it has a size and a hash of a supported type; else the error that says which.
 */
function verifiableHash(entry: ManifestEntry): ObjectHash {
  validateLogicalKey(entry.logicalKey);
  const hash = readObjectHash(entry.hash);
  if (!hash || entry.size === null) {
    throw new PackageNotBuiltError(
      `entry ${JSON.stringify(entry.logicalKey)} has no hash: nothing to verify against`,
    );
  }
  if (!SUPPORTED_HASH_TYPES.includes(hash.type))
    throw new UnsupportedHashTypeError(hash.type, entry.logicalKey);
  return hash;
}

export async function compareDirectory(
  manifest: Manifest,
  dir: string,
  hasher: FileHasher,
  options: { extraFilesOk?: boolean; onProgress?: (p: TransferProgress) => void } = {},
): Promise<DirectoryComparison> {
  dir = resolve(dir);
  const entries = manifest.sortedEntries();
  for (const entry of entries) verifiableHash(entry);
  const files = await listLocalFiles(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const local = new Map(files.map((f) => [f.logicalKey, f.path]));
  const missing: string[] = [];
  const changed: string[] = [];
  const sameSize: ManifestEntry[] = [];
  const limit = pLimit(FILE_SYSTEM_CONCURRENCY);
  const present = local.size === 0 ? [] : entries.filter((e) => local.has(e.logicalKey));
  const sizes = await Promise.all(
    present.map((e) => limit(async () => (await stat(local.get(e.logicalKey) as string)).size)),
  );
  const sizeOf = new Map(present.map((e, i) => [e, sizes[i] as number]));
  for (const entry of entries) {
    const size = sizeOf.get(entry);
    if (size === undefined) missing.push(entry.logicalKey);
    else if (size !== entry.size) changed.push(entry.logicalKey);
    else sameSize.push(entry);
  }
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
  /** The install record, committed in the same transaction as the data (kept in the user's state folder). */
  record?: InstallRecord;
  /**
   * The bytes `manifest` was read from (and verified with), recorded as they are instead of encoding the manifest
   * again. Only for a manifest exactly as read.
   */
  recordManifestBytes?: Uint8Array;
  /** The user's state folder, where install records live. @default defaultStateDir() */
  stateDir?: string;
  /** Staged files after which a flush of them starts while staging goes on (progressive-flush.ts). @default 2,000 */
  flushEvery?: number;
}

/**
 * Brings `dir` in line with the manifest, all or nothing (install-transaction.ts). The caller holds the folder's
 * install lock (withInstallLock), which made the folder and removes it again if this fails.
 */
export async function syncDirectory(
  manifest: Manifest,
  dir: string,
  source: ObjectSource,
  hasher: FileHasher,
  options: SyncOptions = {},
): Promise<SyncResult> {
  dir = resolve(dir);
  const stateDir = options.stateDir ?? defaultStateDir();
  // Undo (or finish cleaning) what a killed install left, so the comparison sees one version.
  await assertNoSymlinks(dir, join(dir, STATE_DIR));
  await recoverInterruptedInstalls(dir, stateDir);
  // compareDirectory refuses keys that could escape `dir` (and unhashed entries) before the folder is even created.
  // Stryker disable next-line ObjectLiteral, BooleanLiteral: extraFilesOk only decides `matches`, which the result replaces
  const comparison = await compareDirectory(manifest, dir, hasher, { extraFilesOk: true });
  const fetchKeys = [...comparison.missing, ...comparison.changed];
  const toFetch = fetchKeys.map((k) => manifest.get(k) as ManifestEntry);
  // Each entry's hash, read once (compareDirectory checked that every entry has one of a supported type).
  const hashes = toFetch.map((e) => readObjectHash(e.hash) as ObjectHash);
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
  // A destination with nothing in it but the state folder (a first install) has no folder on the way of any key: no
  // link to refuse, nothing in the way, every folder new. Its checks are answered without a call per folder.
  // Stryker disable next-line ArrowFunction: a folder with only the state folder then takes the full checks, which find nothing either
  const empty = (await readdir(dir)).every((name) => name === STATE_DIR);
  if (empty) await assertNoSymlinks(dir, join(dir, STATE_DIR));
  else await assertNoLinksOnTheWay(dir, [...fetchKeys, ...removals]);
  const treeOf = empty ? topFolders(fetchKeys) : await planPlacement(dir, fetchKeys, new Set(removals));
  const staging = join(dir, STATE_DIR, stagingName(randomBytes(6).toString('hex')));
  let cleaned = false;
  let recordChange: RecordChange | undefined;
  try {
    // Where each download goes: inside its staged folder when that folder is new, else `new/<i>`.
    const put: { key: string; hadOld: boolean }[] = [];
    const changed = new Set(comparison.changed);
    const stagedFolders = new Set([join(staging, 'new')]);
    const treeRoot = stagedTreePath(staging, '');
    const targets = toFetch.map((entry) => {
      const key = entry.logicalKey;
      if (!treeOf.has(key)) {
        put.push({ key, hadOld: changed.has(key) });
        return stagedPath(staging, put.length - 1);
      }
      const target = pathOfValidKey(treeRoot, key);
      // Every folder between it and the staging folder, each added once.
      for (let folder = dirname(target); !stagedFolders.has(folder); folder = dirname(folder)) {
        stagedFolders.add(folder);
        if (folder === treeRoot) break;
      }
      return target;
    });
    const trees = [...new Set(treeOf.values())];
    // Folders of the fresh staging folder: a few system calls each, cheaper made in a row than through the thread pool.
    for (const folder of stagedFolders) mkdirSync(folder, { recursive: true });
    // Each fresh file (verified while staged; a rename keeps size, mtime and inode) is recorded in the stat cache as
    // it is written, while the main thread waits for the copies, so the next status/verify reads nothing. An entry
    // names a file by path, size, mtime and inode: if the install fails, no file there matches it.
    // Staged files are flushed every few thousand as they are written (progressive-flush.ts): the commit's flush then
    // has only the last ones to wait for.
    const flusher = new ProgressiveFlush(
      (files) => syncBatch({ anchor: staging, files, folders: stagedFolders }),
      options.flushEvery,
    );
    const recordWritten = (index: number, identity: FileIdentity) => {
      const hash = hashes[index] as ObjectHash;
      const key = (toFetch[index] as ManifestEntry).logicalKey;
      hasher.statCache.record(pathOfValidKey(dir, key), identity, hash.type, hash.value);
      flusher.wrote(targets[index] as string);
    };
    // The install record (the manifest written to the state folder) is prepared while the objects are staged, so
    // its serialising and fsyncs overlap the copies. Both have settled before anything else happens; when staging
    // fails, its error is the one reported.
    const [staged, recorded] = await Promise.allSettled([
      stageAll(
        toFetch,
        hashes,
        targets,
        source,
        hasher,
        options.concurrency ?? FILE_SYSTEM_CONCURRENCY,
        (bytes, files) => {
          progress.bytesDone += bytes;
          progress.filesDone += files;
          options.onProgress?.({ ...progress });
        },
        recordWritten,
      ),
      options.record && prepareRecord(stateDir, dir, options.record, options.recordManifestBytes ?? manifest),
    ]);
    if (recorded.status === 'fulfilled') recordChange = recorded.value?.record;
    if (staged.status === 'rejected') throw staged.reason;
    if (recorded.status === 'rejected') throw recorded.reason;
    // Everything is downloaded and verified: now change the folder, all or nothing. The stat cache, which has the
    // staged files (recorded as they were written), is saved while the commit waits for the disk. Best effort there:
    // a failed save stays pending and withFileHasher's final save retries it and reports its error.
    const journal: Journal = { put, trees, remove: removals, ...recorded.value };
    await commitStaged(
      dir,
      staging,
      journal,
      { files: flusher.unflushed(), folders: stagedFolders, flushing: flusher.started() },
      { duringFlush: () => hasher.statCache.save().catch(() => undefined) },
    );
    cleaned = true;
    await removeStagingFolder(dir, staging);
    return {
      ...comparison,
      matches: true,
      transferred: fetchKeys,
      removed: removals,
      bytesTransferred: progress.bytesDone,
    };
  } finally {
    if (!cleaned) {
      // Best effort, after a failure: its own error is the one to report. A staging folder left behind is cleaned
      // by the next install's recovery; a manifest left in the record folder only takes space.
      await removeStagingFolder(dir, staging).catch(() => undefined);
      if (recordChange) await discardWrittenManifest(recordChange).catch(() => undefined);
    }
  }
}

/** The staging folder, then the state folder if that leaves it empty. */
async function removeStagingFolder(dir: string, staging: string): Promise<void> {
  await removeStaging(staging);
  await rmdir(join(dir, STATE_DIR)).catch(() => undefined); // only if empty
}

/** The journal's record change, and the record files an earlier version kept in `<dir>/.datapkg/` (moved out). */
async function prepareRecord(
  stateDir: string,
  dir: string,
  record: InstallRecord,
  manifest: Manifest | Uint8Array,
): Promise<Pick<Journal, 'record' | 'legacy'>> {
  const change = await prepareRecordChange(stateDir, dir, record, manifest);
  const legacy: string[] = [];
  for (const name of LEGACY_RECORD_FILES) {
    const present = await lstat(join(dir, STATE_DIR, name)).then(
      () => true,
      // Stryker disable next-line ArrowFunction: undefined is as falsy as false
      () => false,
    );
    if (present) legacy.push(name);
  }
  return { record: change, legacy };
}

/** Hash types the hashing workers verify while copying (a small object is one chunk of sha2-256-chunked). */
const WORKER_COPY_TYPES: readonly string[] = [CHUNKED_SHA256, LEGACY_SHA256];

/**
 * Stages (verified) every entry at its target in the staging folder (see {@link ObjectStager}), telling `onWritten` of
 * each file written; rejects with the first error once every copy has finished.
 */
async function stageAll(
  entries: ManifestEntry[],
  hashes: ObjectHash[],
  targets: string[],
  source: ObjectSource,
  hasher: FileHasher,
  concurrency: number,
  onProgress: (bytes: number, files: number) => void,
  onWritten: (index: number, identity: FileIdentity) => void,
): Promise<void> {
  const stager = new ObjectStager(source, hasher, concurrency, onProgress, onWritten);
  stager.add(entries, hashes, targets);
  return stager.settle();
}

/**
 * Stages verified objects into a staging folder. Small objects in local files (a local registry) are copied on the
 * hashing workers: each read once, hashed, and (only when it matches) created at its target with plain system calls,
 * no per-file promise and no temp file (nobody else writes into the staging folder). Others are downloaded here,
 * `concurrency` at a time. After the first failure nothing new starts (except the copies that find a failed slice's
 * first failure, see `copySlice`): entries added later are ignored and queued downloads return without downloading.
 * `settle` waits for every copy, so nothing writes into the staging folder after it rejects, with the first error by
 * position, copied or downloaded, whatever ends first (a hash mismatch names the key and both hashes).
 */
export class ObjectStager {
  /** Entries added so far: the position of the next one. */
  private added = 0;
  // Stryker disable next-line ArrayDeclaration: a non-promise entry settles at once in Promise.all
  private readonly running: Promise<unknown>[] = [];
  private readonly limit: ReturnType<typeof pLimit>;
  /** Every failure at its entry's position (in the order entries were added); `settle` reports the lowest. */
  private readonly failures: { error: unknown }[] = [];
  /** Set by the first failure: the stage fails, so nothing new starts. */
  private stopped = false;

  constructor(
    private readonly source: ObjectSource,
    private readonly hasher: FileHasher,
    concurrency: number,
    private readonly onProgress: (bytes: number, files: number) => void,
    /** Told of each file written (its index in the order entries were added), as soon as it is. */
    private readonly onWritten?: (index: number, identity: FileIdentity) => void,
  ) {
    this.limit = pLimit(concurrency);
  }

  private wrote(index: number, identity: FileIdentity): void {
    this.onWritten?.(index, identity);
  }

  private fail(index: number, error: unknown): void {
    this.failures[index] ??= { error };
    this.stopped = true;
  }

  /** Starts staging each entry (its hash read from the manifest) at its target in the staging folder. */
  add(entries: readonly ManifestEntry[], hashes: readonly ObjectHash[], targets: readonly string[]): void {
    if (this.stopped) return;
    const offset = this.added;
    this.added += entries.length;
    // The entries copied on the workers (their indexes, and what each worker gets), and the others.
    const copied: number[] = [];
    const items: CopyItem[] = [];
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index] as ManifestEntry;
      const hash = hashes[index] as ObjectHash;
      const size = entry.size;
      const local =
        size !== null && size <= SMALL_OBJECT_BYTES && WORKER_COPY_TYPES.includes(hash.type)
          ? this.source.localPath(entry.physicalKey)
          : undefined;
      if (local === undefined || size === null) {
        this.running.push(this.download(entry, targets[index] as string, offset + index));
        continue;
      }
      copied.push(index);
      items.push({
        source: local,
        target: targets[index] as string,
        size,
        type: hash.type,
        value: hash.value,
      });
    }
    // The copies are asked for in slices, each answered (and its files reported to onWritten) as soon as a worker has
    // done it, while the next slices are copied.
    // Stryker disable next-line EqualityOperator: `<=` adds an empty slice when the count is a multiple of the slice, answered with no outcome
    for (let start = 0; start < items.length; start += SMALL_FILE_BATCH_COUNT) {
      const indexes = copied.slice(start, start + SMALL_FILE_BATCH_COUNT);
      this.running.push(
        this.copySlice(
          items.slice(start, start + SMALL_FILE_BATCH_COUNT),
          indexes.map((index) => entries[index] as ManifestEntry),
          indexes.map((index) => offset + index),
        ),
      );
    }
  }

  /**
   * Copies one slice on the workers, keeping each outcome at its entry's position. A worker's error (a source it
   * cannot read) rejects its whole batch, without the outcomes of the objects before it: then each object not at its
   * target yet is copied again on its own, in order, up to the first that fails, so the failure kept is still the
   * first by position. The batch's error is kept at the slice's last position, so the stage fails even if no object
   * fails now (and the files already there need not be reported to onWritten).
   */
  private async copySlice(items: CopyItem[], entries: ManifestEntry[], positions: number[]): Promise<void> {
    let outcomes: CopyOutcome[];
    try {
      outcomes = await this.hasher.copyFiles(items, this.onProgress);
    } catch (error) {
      this.fail(positions[positions.length - 1] as number, error);
      // Stryker disable next-line EqualityOperator: the last position has the batch's error, so the loop returns there at the latest
      for (let k = 0; k < items.length; k++) {
        const item = items[k] as CopyItem;
        const position = positions[k] as number;
        if (await statIfExists(item.target)) continue; // created before the error
        await this.hasher.copyFiles([item], this.onProgress).then(
          ([outcome]) => this.copied(outcome as CopyOutcome, item, entries[k] as ManifestEntry, position),
          (error: unknown) => this.fail(position, error),
        );
        if (this.failures[position]) return; // the objects after it need not be copied
      }
      return;
    }
    outcomes.forEach((outcome, k) => {
      this.copied(outcome, items[k] as CopyItem, entries[k] as ManifestEntry, positions[k] as number);
    });
  }

  /** Keeps what became of one object copied on the workers: its file written, or its failure. */
  private copied(outcome: CopyOutcome, item: CopyItem, entry: ManifestEntry, position: number): void {
    if (outcome.outcome === 'created') {
      try {
        this.wrote(position, {
          size: item.size,
          mtimeMs: outcome.mtimeMs as number,
          ino: outcome.ino as number,
        });
      } catch (error) {
        // onWritten threw: kept like a failed copy, so the other outcomes are still handled and the slices finish
        this.fail(position, error);
      }
      return;
    }
    this.fail(
      position,
      outcome.outcome === 'mismatch'
        ? new ObjectHashMismatchError(
            entry.logicalKey,
            item.type,
            item.value,
            mismatchedBytes(outcome.actual, outcome.size, item.size),
            entry.physicalKey,
          )
        : new Error(`staging ${JSON.stringify(entry.logicalKey)}: ${item.target} already exists`),
    );
  }

  private download(entry: ManifestEntry, target: string, index: number): Promise<void> {
    return this.limit(async () => {
      if (this.stopped) return;
      try {
        this.wrote(
          index,
          identityOf(
            await downloadVerified(entry, this.source, target, (bytes) => this.onProgress(bytes, 0)),
          ),
        );
        this.onProgress(0, 1);
      } catch (error) {
        this.fail(index, error); // the tasks still queued see `stopped` and return without downloading
      }
    });
  }

  /** Waits for every copy started; rejects with the first error by position. */
  async settle(): Promise<void> {
    // Copies may be added while earlier ones settle (not after `settle` is called): wait until none is left.
    for (let done = 0; done < this.running.length; done = this.running.length)
      // Stryker disable next-line MethodExpression: awaiting copies that already settled again changes nothing
      await Promise.all(this.running.slice(done));
    const first = this.failures.find((failure) => failure !== undefined);
    if (first) throw first.error;
  }
}

/**
 * Refuses (naming the link) a symbolic link in the state folder's place or among the folders above a file to write
 * or remove: a link planted in the destination must not send writes or deletes outside it. Each distinct folder is
 * checked once.
 */
async function assertNoLinksOnTheWay(dir: string, keys: string[]): Promise<void> {
  await assertNoSymlinks(dir, join(dir, STATE_DIR));
  // Every segment above each file: checking each distinct parent folder (all its segments) once covers them all.
  const parents = new Set(keys.map((key) => dirname(pathOfValidKey(dir, key))));
  const limit = pLimit(FILE_SYSTEM_CONCURRENCY);
  await Promise.all([...parents].map((parent) => limit(() => assertNoSymlinks(dir, parent))));
}

/**
 * Checks, before anything changes, that every file can be put in place: its path is not a folder, and no parent is a
 * file that stays (a user's file where the package has a folder). Otherwise the sync would stop half-way. Returns,
 * for each key under a folder that does not exist in `dir`, the topmost such folder: it is staged whole and renamed
 * into place in one step.
 */
async function planPlacement(
  dir: string,
  keys: string[],
  removals: ReadonlySet<string>,
): Promise<Map<string, string>> {
  const limit = pLimit(FILE_SYSTEM_CONCURRENCY);
  // Each distinct folder is stat'ed once, top-down only as far as folders exist.
  const folders = new Map<string, Promise<Stats | undefined>>();
  const statFolder = (folderKey: string) => {
    let info = folders.get(folderKey);
    if (!info) {
      info = limit(() => statIfExists(join(dir, ...folderKey.split('/'))));
      folders.set(folderKey, info);
    }
    return info;
  };
  // The folders above a key are the same for every key of its folder: checked once per folder.
  const byFolder = new Map<string, string[]>();
  for (const key of keys) {
    const folder = key.slice(0, Math.max(0, key.lastIndexOf('/')));
    const group = byFolder.get(folder);
    if (group) group.push(key);
    else byFolder.set(folder, [key]);
  }
  const treeOf = new Map<string, string>();
  await Promise.all(
    [...byFolder].map(async ([folder, group]) => {
      const segments = folder === '' ? [] : folder.split('/');
      for (let i = 1; i <= segments.length; i++) {
        const parentKey = segments.slice(0, i).join('/');
        const parent = await statFolder(parentKey);
        if (!parent) {
          for (const key of group) treeOf.set(key, parentKey);
          return;
        }
        if (!parent.isDirectory()) {
          if (removals.has(parentKey)) return; // removed first; the folder is made in its place
          throw new PackageKeyConflictError(
            `cannot write ${JSON.stringify(group[0])} into ${dir}: ${JSON.stringify(parentKey)} is a file there (use forceMatch to replace it)`,
          );
        }
      }
      await Promise.all(
        group.map(async (key) => {
          const target = await limit(() => statIfExists(pathOfValidKey(dir, key)));
          if (target?.isDirectory()) {
            throw new PackageKeyConflictError(
              `cannot write ${JSON.stringify(key)} into ${dir}: a folder is in the way`,
            );
          }
        }),
      );
    }),
  );
  return treeOf;
}

/** planPlacement's answer for an empty destination: each key in a folder goes with its topmost folder. */
function topFolders(keys: string[]): Map<string, string> {
  const treeOf = new Map<string, string>();
  // Stryker disable next-line BlockStatement: with no key given a folder, each new file is put in place on its own: the same files
  for (const key of keys) {
    // Stryker disable next-line StringLiteral: indexOf('') is 0, so no key is given a folder (as above)
    const slash = key.indexOf('/');
    // Stryker disable next-line MethodExpression: a key as its own staged tree is renamed into place like a put file
    if (slash > 0) treeOf.set(key, key.slice(0, slash));
  }
  return treeOf;
}

/** stat, or undefined when nothing is there. */
function statIfExists(path: string): Promise<Stats | undefined> {
  return stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
}
