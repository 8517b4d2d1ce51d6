/**
 * Putting staged files into an install folder all or nothing. Before the first change a journal is written into the
 * staging folder; each file the new version replaces or drops is first moved into the staging folder too. A failure
 * undoes every step done (old files back, new files and the folders made for them gone); a `committed` marker ends
 * the transaction. A staging folder left by a killed install is rolled back (when not committed) and removed by the
 * next install, so the folder is always one version or the other. Staged files are fsynced when downloaded, the
 * journal and the renames before the marker.
 */
import { lstat, mkdir, open, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@mlclients/package-core/storage';
import pLimit from 'p-limit';
import { validateLogicalKey } from './logical-key.js';
import { STATE_DIR } from './state-dir.js';

const JOURNAL = 'journal.json';
const COMMITTED = 'committed';

interface Journal {
  /** Keys to put in place (staged as `new/<i>`), and whether a file was there before (kept as `old/f<i>`). */
  put: { key: string; hadOld: boolean }[];
  /** Keys to remove (kept as `old/r<i>`). */
  remove: string[];
  /** Files of the state folder (the install record) staged as `state/<name>`, replaced with the data. */
  state?: { name: string; hadOld: boolean }[];
}

/** `<dir>/.datapkg/staging-<pid>-<random>`: the pid tells a running install's staging from a killed one's. */
export function stagingName(random: string): string {
  return `staging-${process.pid}-${random}`;
}

/** Where the state file `name` is staged. */
export function stagedStatePath(staging: string, name: string): string {
  return join(staging, 'state', name);
}

/** Where the download of `put[i]` goes. */
export function stagedPath(staging: string, index: number): string {
  return join(staging, 'new', String(index));
}

const pathOfKey = (dir: string, key: string) => join(dir, ...validateLogicalKey(key).split('/'));
const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

/** Applies the journal's changes to `dir`; on failure undoes them and rethrows. */
export async function commitStaged(dir: string, staging: string, journal: Journal): Promise<void> {
  await mkdir(join(staging, 'old'), { recursive: true });
  await writeFileAtomic(join(staging, JOURNAL), JSON.stringify(journal));
  await fsyncDirectory(staging);
  try {
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
    await allOrFirstError(
      journal.put.map(({ key, hadOld }, i) => async () => {
        const target = pathOfKey(dir, key);
        if (hadOld) await rename(target, join(staging, 'old', `f${i}`));
        else await makeFolder(dirname(target));
        await rename(stagedPath(staging, i), target);
      }),
    );
    for (const { name, hadOld } of journal.state ?? []) {
      const target = join(dir, STATE_DIR, name);
      if (hadOld) await rename(target, join(staging, 'old', `s-${name}`));
      await rename(stagedStatePath(staging, name), target);
    }
  } catch (error) {
    await rollBack(dir, staging, journal);
    throw error;
  }
  // The renames must be on disk before the marker says there is nothing to undo.
  const touched = new Set(
    [...journal.put, ...journal.remove.map((key) => ({ key }))].map(({ key }) =>
      dirname(pathOfKey(dir, key)),
    ),
  );
  await allOrFirstError([...touched].map((folder) => () => fsyncDirectory(folder)));
  await writeFileAtomic(join(staging, COMMITTED), '');
}

/** Parallel renames and folder syncs. */
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

/** Undoes whatever part of the journal was applied (each step is checked on disk, so a killed run is handled too). */
async function rollBack(dir: string, staging: string, journal: Journal): Promise<void> {
  for (const { name, hadOld } of journal.state ?? []) {
    const target = join(dir, STATE_DIR, name);
    const kept = join(staging, 'old', `s-${name}`);
    if (hadOld) {
      if (await exists(kept)) await rename(kept, target);
    } else if (!(await exists(stagedStatePath(staging, name)))) await rm(target, { force: true });
  }
  for (const [i, { key, hadOld }] of [...journal.put.entries()].reverse()) {
    const target = pathOfKey(dir, key);
    const kept = join(staging, 'old', `f${i}`);
    const placed = !(await exists(stagedPath(staging, i)));
    if (hadOld) {
      if (await exists(kept)) await rename(kept, target);
    } else {
      if (placed) await rm(target, { force: true });
      await removeEmptyParents(dir, key); // folders made for it
    }
  }
  for (const [i, key] of journal.remove.entries()) {
    const kept = join(staging, 'old', `r${i}`);
    if (!(await exists(kept))) continue;
    const target = pathOfKey(dir, key);
    await mkdir(dirname(target), { recursive: true });
    await rename(kept, target);
  }
}

/**
 * Removes the staging folders of installs that are not running any more (a dead pid, or a name without one), rolling
 * back those that stopped before their `committed` marker.
 */
export async function recoverInterruptedInstalls(dir: string): Promise<void> {
  const stateDir = join(dir, STATE_DIR);
  const names = await readdir(stateDir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith('staging-') || isRunning(name)) continue;
    const staging = join(stateDir, name);
    if (!(await exists(join(staging, COMMITTED)))) {
      const journal = await readFile(join(staging, JOURNAL), 'utf8').then(
        (text) => JSON.parse(text) as Journal,
        () => undefined, // no journal: it stopped while downloading, before any change
      );
      if (journal) await rollBack(dir, staging, journal);
    }
    await rm(staging, { recursive: true, force: true });
  }
}

/** True when the staging folder belongs to this process or to another live one. */
function isRunning(name: string): boolean {
  const pid = Number(/^staging-(\d+)-/.exec(name)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** fsync of a folder: makes the renames into or out of it durable. A folder already gone has nothing to sync. */
async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
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
