/**
 * Putting staged files into an install folder all or nothing. Before the first change a journal is written into the
 * staging folder and everything staged is made durable in one batch (durable-batch.ts); each file the new version
 * replaces or drops is first moved into the staging folder too. A folder the new version adds that does not exist
 * yet is staged whole and renamed in one step. A failure undoes every step done (old files back, new files and the
 * folders made for them gone, the install record as it was); a `committed` marker, written once the renames are
 * durable, ends the transaction. A staging folder left by a killed install is rolled back (when not committed) and
 * removed by the next install, so the folder is always one version or the other. If a step of an undo itself fails
 * (a disk error), InstallRollBackError says so and the staging folder, holding what was not put back, is kept for the
 * next install to retry.
 */
import {
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '@mlclients/package-core/storage';
import pLimit from 'p-limit';
import { syncBatch } from './durable-batch.js';
import { InstallRollBackError, PackageKeyConflictError } from './errors.js';
import {
  applyRecordText,
  LEGACY_RECORD_FILES,
  pruneRecordManifests,
  type RecordChange,
} from './install-record.js';
import { validateLogicalKey } from './logical-key.js';
import { settleAll } from './settle-all.js';
import { defaultStateDir, STATE_DIR } from './state-dir.js';
import { threadSharedSet } from './thread-shared.js';

const JOURNAL = 'journal.json';
const COMMITTED = 'committed';

export interface Journal {
  /**
   * Keys to put in place (staged as `new/<i>`), and whether a file was there before (kept as `old/f<i>`). A new
   * file's `file` (identityOf) tells a roll back that what stands at its key is the one this install placed.
   */
  put: { key: string; hadOld: boolean; file?: string }[];
  /** Whether new files are linked into place (the inode then tells them too); else renamed (no hard links). */
  hardLinks?: boolean;
  /** Folders absent from the destination, staged whole as `tree/<key>` and renamed into place in one step. */
  trees?: string[];
  /** Keys to remove (kept as `old/r<i>`). */
  remove: string[];
  /** The install record's change (in the user's state folder). */
  record?: RecordChange;
  /** Record files an earlier version kept in `<dest>/.datapkg/`, moved out (kept as `old/legacy-<name>`). */
  legacy?: string[];
}

/** What was written into the staging folder, for the durability batch before the first change. */
export interface StagedWrites {
  files: Iterable<string>;
  folders: Iterable<string>;
  /** Flushes of other staged files, started while they were written (progressive-flush.ts): waited for too. */
  flushing?: Promise<void>;
}

/**
 * The staging folder name of a new install of this process, `staging-<pid>-<random>`: known as running (left alone by
 * recovery) until removeStaging. The pid only tells a person whose folder it was; recovery goes by runningHere.
 */
export function stagingName(random: string): string {
  const name = `staging-${process.pid}-${random}`;
  runningHere.add(name);
  return name;
}

/**
 * Staging folders of this thread's running installs, shared by every copy of this module it loaded. Recovery runs
 * under the folder's install lock (install-lock.ts), so any other staging folder belongs to an install that is gone,
 * even when a process with its pid is alive (a restarted container's pid 1).
 */
const runningHere: Set<string> = threadSharedSet('running-installs');

/** Where the download of `put[i]` goes. */
export function stagedPath(staging: string, index: number): string {
  return join(staging, 'new', String(index));
}

/** Where a file (or folder) inside a whole staged folder goes: `tree/<key>`. */
export function stagedTreePath(staging: string, key: string): string {
  return join(staging, 'tree', ...key.split('/'));
}

const pathOfKey = (dir: string, key: string) => join(dir, ...validateLogicalKey(key).split('/'));
const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

export interface CommitOptions {
  /**
   * Work of the caller's that may run while the staged files are flushed to disk (the longest wait of the commit),
   * e.g. writing a cache. It must not touch the destination; a rejection is the commit's failure.
   */
  duringFlush?: () => Promise<unknown>;
}

/**
 * Applies the journal's changes to `dir`; on failure undoes them and rethrows, or throws InstallRollBackError (the
 * staging folder kept) when a step of the undo fails.
 */
export async function commitStaged(
  dir: string,
  staging: string,
  journal: Journal,
  staged: StagedWrites,
  options: CommitOptions = {},
): Promise<void> {
  await mkdir(join(staging, 'old'), { recursive: true });
  const firstNew = journal.put.findIndex((put) => !put.hadOld);
  if (firstNew !== -1) journal.hardLinks = await linksWork(stagedPath(staging, firstNew), staging);
  const limit = pLimit(CONCURRENCY);
  await Promise.all(
    journal.put.map((put, i) =>
      put.hadOld
        ? undefined
        : limit(async () => {
            // Known before anything changes: a roll back without it could not tell this file from another.
            put.file = await identityOf(stagedPath(staging, i));
          }),
    ),
  );
  await writeFile(join(staging, JOURNAL), JSON.stringify(journal));
  // Downloads and journal on disk before anything they replace moves. The flush is requested (a `sync` spawned, or a
  // line written to the prestarted shell) before the caller's work takes the thread.
  const flushed = syncBatch({
    anchor: staging,
    files: [...staged.files, join(staging, JOURNAL)],
    folders: [...staged.folders, staging, join(staging, 'old'), join(dir, STATE_DIR)],
  });
  await settleAll([flushed, staged.flushing, options.duringFlush?.()]);
  try {
    for (const name of journal.legacy ?? [])
      await rename(join(dir, STATE_DIR, name), join(staging, 'old', `legacy-${name}`));
    // Removals first (a dropped file may stand where the new version has a folder); they are kept, so undoable.
    for (const [i, key] of journal.remove.entries()) {
      await rename(pathOfKey(dir, key), join(staging, 'old', `r${i}`));
      await removeEmptyParents(dir, key);
    }
    // Puts are independent of each other (rollBack checks each on disk), so they run side by side; each folder is
    // made once. After a failure no new one starts and the running ones finish before the roll back.
    const folders = new Map<string, Promise<unknown>>();
    const makeFolder = (folder: string) => {
      let made = folders.get(folder);
      if (!made) {
        made = mkdir(folder, { recursive: true });
        folders.set(folder, made);
      }
      return made;
    };
    // The record (in the state folder, independent of the files) is written while the files are put in place;
    // both have settled before a failure is rolled back.
    await settleAll([
      allOrFirstError([
        ...journal.put.map(({ key, hadOld }, i) => async () => {
          const target = pathOfKey(dir, key);
          if (hadOld) {
            await rename(target, join(staging, 'old', `f${i}`));
            await rename(stagedPath(staging, i), target);
          } else {
            await makeFolder(dirname(target));
            await placeNew(stagedPath(staging, i), target, dir, key, journal.hardLinks !== false);
          }
        }),
        ...(journal.trees ?? []).map((key) => async () => {
          const target = pathOfKey(dir, key);
          await makeFolder(dirname(target));
          await rename(stagedTreePath(staging, key), target);
        }),
      ]),
      journal.record ? applyRecordText(journal.record.folder, journal.record.after) : undefined,
    ]);
    // The renames must be on disk before the marker says there is nothing to undo. A flush (or marker) that fails
    // is the commit's failure too: the old files are still in the staging folder, so the folder goes back to them
    // rather than keeping a version the install reports as failed.
    await syncBatch({ anchor: dir, files: [], folders: foldersChanged(dir, staging, journal) });
    await writeFileAtomic(join(staging, COMMITTED), '');
  } catch (error) {
    // A marker made before the failure (the flush of its folder failed) goes first: recovery would take it for done.
    const failures: unknown[] = [];
    await unmark(staging).catch((removal: unknown) => failures.push(removal));
    failures.push(...(await rollBack(dir, staging, journal)));
    if (failures.length === 0) throw error;
    unfinishedRollBacks.add(staging);
    throw new InstallRollBackError(staging, failures, error);
  }
  if (journal.record) await pruneRecordManifests(journal.record).catch(() => undefined);
}

/** Every folder whose entries a commit of `journal` changed, and the one keeping the replaced files. */
function foldersChanged(dir: string, staging: string, journal: Journal): Set<string> {
  const touched = new Set([dir, join(dir, STATE_DIR), join(staging, 'old')]);
  for (const key of [...journal.put.map((p) => p.key), ...journal.remove, ...(journal.trees ?? [])]) {
    for (let folder = dirname(pathOfKey(dir, key)); folder.length > dir.length; folder = dirname(folder))
      touched.add(folder); // removeEmptyParents or mkdir may have changed every folder above
  }
  return touched;
}

/**
 * Puts a staged file where the install found nothing: link(2), which fails rather than replace a file that appeared
 * there since (someone else's, which a roll back would then have deleted as the install's own), then the staged name
 * goes. Where hard links are not supported (FAT, some network shares: any other link error), a rename once the name
 * is checked to be free.
 */
async function placeNew(
  staged: string,
  target: string,
  dir: string,
  key: string,
  hardLinks: boolean,
): Promise<void> {
  try {
    if (!hardLinks) throw Object.assign(new Error('no hard links here'), { code: 'ENOTSUP' });
    await link(staged, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw appearedDuringInstall(dir, key, error);
    if (await exists(target)) throw appearedDuringInstall(dir, key);
    await rename(staged, target);
    return;
  }
  // A staged name left (a file held open on Windows) is harmless: the roll back tells the file by its identity.
  await unlink(staged).catch(() => undefined);
}

function appearedDuringInstall(dir: string, key: string, cause?: unknown): PackageKeyConflictError {
  return new PackageKeyConflictError(
    `cannot write ${JSON.stringify(key)} into ${dir}: a file appeared there while the install ran (it is kept, and the install undone)`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * What tells the file a commit placed from another at its key: `<inode>:<size>:<mtime in ns>` (bigints: NTFS file ids
 * need them). Not the device, which some file systems renumber after a reboot (a recovery after a power cut).
 */
async function identityOf(path: string): Promise<string> {
  const info = await lstat(path, { bigint: true });
  return `${info.ino}:${info.size}:${info.mtimeNs}`;
}

/**
 * Whether the file standing at a key (its identityOf, if any) is the one the journal names. Linked into place, its
 * inode tells; renamed where there are no hard links (FAT, whose inode changes with the name), size and mtime, which
 * a rename keeps.
 */
function isPlacedFile(standing: string | undefined, file: string | undefined, hardLinks: boolean): boolean {
  if (standing === undefined || file === undefined) return false;
  if (hardLinks) return standing === file;
  const withoutInode = (identity: string) => identity.slice(identity.indexOf(':') + 1);
  return withoutInode(standing) === withoutInode(file);
}

/** Whether `staged` can be hard-linked in its folder (a probe, removed again): decides how new files are placed. */
async function linksWork(staged: string, staging: string): Promise<boolean> {
  const probe = join(staging, 'link-probe');
  try {
    await link(staged, probe);
  } catch {
    return false;
  }
  await unlink(probe).catch(() => undefined); // removed with the staging folder anyway
  return true;
}

/** Removes the committed marker (a failure made after it), durably: recovery must never take the commit for done. */
async function unmark(staging: string): Promise<void> {
  const marker = join(staging, COMMITTED);
  if (!(await exists(marker))) return;
  await rm(marker, { force: true });
  await syncBatch({ anchor: staging, files: [], folders: [staging] });
}

/** Parallel renames. */
const CONCURRENCY = 16;

/**
 * Runs the tasks, CONCURRENCY at a time. After the first failure no new task starts; it rejects with that failure
 * once the running ones have finished, so nothing changes the folder after it returns.
 */
async function allOrFirstError(tasks: (() => Promise<unknown>)[]): Promise<void> {
  const limit = pLimit(CONCURRENCY);
  let failure: { error: unknown } | undefined;
  await Promise.all(
    tasks.map((task) =>
      limit(async () => {
        if (failure) return;
        try {
          await task();
        } catch (error) {
          failure ??= { error };
        }
      }),
    ),
  );
  if (failure) throw failure.error;
}

/**
 * Undoes whatever part of the journal was applied (each step is checked on disk, so a killed run is handled too).
 * Every step runs even when another fails: one file that cannot be put back must not keep the others, or the install
 * record, where the failed install left them. Returns the failures (none: the folder is as it was).
 */
async function rollBack(dir: string, staging: string, journal: Journal): Promise<unknown[]> {
  const failures: unknown[] = [];
  const step = (undo: () => Promise<unknown>) =>
    undo().catch((error: unknown) => {
      failures.push(error);
    });
  for (const key of [...(journal.trees ?? [])].reverse()) {
    await step(async () => {
      const staged = stagedTreePath(staging, key);
      if (await exists(staged)) return; // never placed, or put back already (a roll back run again)
      // Back into the staging folder, not removed: a roll back run again then finds it there and does nothing (it
      // would otherwise remove a folder of the same name made since).
      const target = pathOfKey(dir, key);
      if (!(await exists(target))) return;
      await mkdir(dirname(staged), { recursive: true });
      await rename(target, staged);
      await removeEmptyParents(dir, key);
    });
  }
  for (const [i, { key, hadOld, file }] of [...journal.put.entries()].reverse()) {
    await step(async () => {
      const target = pathOfKey(dir, key);
      if (hadOld) {
        const kept = join(staging, 'old', `f${i}`);
        if (await exists(kept)) await rename(kept, target);
        return;
      }
      // Placed: the file standing at the key is the one the journal names (linked, or renamed where there are no
      // hard links; its staged name may still be there: a kill in between). A file that is not (someone else's) is
      // kept; so is any file when the journal names none (not one this code wrote).
      const standing = await identityOf(target).catch(() => undefined);
      if (isPlacedFile(standing, file, journal.hardLinks !== false)) await rm(target, { force: true });
      await removeEmptyParents(dir, key); // folders made for it
    });
  }
  for (const [i, key] of journal.remove.entries()) {
    await step(async () => {
      const kept = join(staging, 'old', `r${i}`);
      if (!(await exists(kept))) return;
      const target = pathOfKey(dir, key);
      await mkdir(dirname(target), { recursive: true });
      await rename(kept, target);
    });
  }
  for (const name of journal.legacy ?? []) {
    await step(async () => {
      const kept = join(staging, 'old', `legacy-${name}`);
      if (await exists(kept)) await rename(kept, join(dir, STATE_DIR, name));
    });
  }
  // Last: when the record folder is what failed, putting the record back can fail too, and the files must be back.
  const { record } = journal;
  if (record) await step(() => applyRecordText(record.folder, record.before));
  return failures;
}

/**
 * Staging folders of this process whose roll back failed: they hold what could not be put back (the only copy of the
 * replaced files), so removeStaging keeps them for the recovery of the next install from another process.
 */
const unfinishedRollBacks = new Set<string>();

/**
 * Removes a staging folder: the journal first, so a removal cut short leaves a folder the next run just deletes
 * (a journal without its staged files would look like a transaction to undo). Not one whose roll back failed.
 */
export async function removeStaging(staging: string): Promise<void> {
  runningHere.delete(basename(staging)); // from now on, whatever is left of it is for recovery
  if (unfinishedRollBacks.has(staging)) return;
  await rm(join(staging, JOURNAL), { force: true });
  await rm(staging, { recursive: true, force: true });
}

/**
 * Removes the staging folders of installs that are not running any more (all but this process's running ones: it runs
 * under the folder's install lock, so no other process installs into it), rolling
 * back those that stopped before their `committed` marker. `stateDir` is where install records live: a journal's
 * record change is undone only in the record folder of this destination there.
 */
export async function recoverInterruptedInstalls(
  dir: string,
  stateDir: string = defaultStateDir(),
): Promise<void> {
  const stateFolder = join(dir, STATE_DIR);
  const names = await readdir(stateFolder).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith('staging-') || runningHere.has(name)) continue;
    const staging = join(stateFolder, name);
    if (!(await exists(join(staging, COMMITTED)))) {
      const journal = await readFile(join(staging, JOURNAL), 'utf8').then(
        (text) => parseJournal(text, staging),
        () => undefined, // no journal: it stopped while downloading, before any change
      );
      const failures = journal ? await rollBack(dir, staging, trusted(journal, stateDir)) : [];
      // Kept (not removed below): it holds what could not be put back; the next install tries again.
      if (failures.length > 0) throw new InstallRollBackError(staging, failures);
      unfinishedRollBacks.delete(staging); // undone now: nothing of it to keep, nor to run again
    }
    await removeStaging(staging);
  }
}

/**
 * A journal as written, or undefined for one cut short: it is written whole before the flush that precedes the first
 * change, so a kill while writing it (an empty or truncated file) means nothing was changed yet, and `old/` (where a
 * commit moves the files it replaces) is still empty. An unreadable journal beside moved files is damage, not a kill:
 * the staging folder is kept (it holds the only copy of those files) and the install stops, naming it.
 */
async function parseJournal(text: string, staging: string): Promise<Journal | undefined> {
  try {
    return JSON.parse(text) as Journal;
  } catch (error) {
    const moved = await readdir(join(staging, 'old')).catch(() => [] as string[]);
    if (moved.length === 0) return undefined;
    throw new InstallRollBackError(staging, [
      new Error(
        `the install journal is unreadable (${(error as Error).message}) while ${moved.length} file(s) were moved aside`,
      ),
    ]);
  }
}

/** A journal read back from disk, limited to what an install of this library writes. */
function trusted(journal: Journal, stateDir: string): Journal {
  const { record, legacy, ...rest } = journal;
  const safe: Journal = { ...rest, legacy: (legacy ?? []).filter((n) => LEGACY_RECORD_FILES.includes(n)) };
  if (record && dirname(record.folder) === join(stateDir, 'installs')) safe.record = record;
  return safe;
}

export async function removeEmptyParents(dir: string, key: string): Promise<void> {
  const segments = key.split('/');
  for (let i = segments.length - 1; i > 0; i--) {
    try {
      await rmdir(join(dir, ...segments.slice(0, i)));
    } catch {
      return; // not empty (or already gone): stop climbing
    }
  }
}
