/**
 * One install at a time per folder. Two installs into one folder each planned against the folder as they found it
 * and undid each other: one failed with a bare ENOTEMPTY, and its undo removed the other's install record (3 of 6
 * tries of two concurrent `datapkg install` into a new folder). Install, force-match and fetch now hold
 * `<dir>/.datapkg/lock` from their first look at the folder to their last change; a second one waits for it.
 *
 * The lock is a file created exclusively (O_EXCL) that names its owner: pid, host and a random nonce. A lock whose
 * owner is dead (this host, no such pid: a killed install) is taken over at once, as the staging folders of killed
 * installs are (install-transaction.ts). That is why this is not proper-lockfile: it knows a lock is stale only by
 * its age, so every install after a killed one would wait seconds, and a held lock's mtime is rewritten every second.
 * Only the holder of `lock.break` removes a stale lock, and only after reading it again under that: two installs that
 * find the same dead owner never remove a lock taken in between.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { assertNoSymlinks } from '@mlclients/package-core/storage';
import pRetry from 'p-retry';
import { removeFoldersMade } from './directory-sync.js';
import { InstallFolderBusyError } from './errors.js';
import { STATE_DIR } from './state-dir.js';

const LOCK = 'lock';
const BREAK = 'lock.break';

/** How long an install waits for another one into the same folder. */
export const DEFAULT_LOCK_WAIT_MS = 120_000;

/**
 * A lock file found empty or unreadable this long after it was created belongs to an owner killed between creating
 * and writing it (both happen in one call, so a live owner is never seen so for long).
 */
const UNWRITTEN_LOCK_STALE_MS = 10_000;

export interface FolderLockOptions {
  /** How long to wait for another install into the folder to finish. @default 120,000 */
  waitMs?: number;
}

/** Who holds a lock, as written in it. */
export interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
}

/**
 * Runs `work` holding the folder's install lock: creates `<dir>/.datapkg/` (and `dir`) if needed, waits for the lock
 * (InstallFolderBusyError after `waitMs`), and afterwards releases it and removes `.datapkg/` if that leaves it empty.
 * When `work` fails (or the lock is never had), the folders this call created are removed again while empty: a
 * failed first install leaves no folder behind.
 */
export async function withInstallLock<T>(
  dir: string,
  work: () => Promise<T>,
  options: FolderLockOptions = {},
): Promise<T> {
  const stateFolder = join(dir, STATE_DIR);
  await assertNoSymlinks(dir, stateFolder); // the lock is never written through a link
  const made = await mkdir(stateFolder, { recursive: true });
  let release: (() => Promise<void>) | undefined;
  let succeeded = false;
  try {
    release = await lockFolder(dir, options);
    const result = await work();
    succeeded = true;
    return result;
  } finally {
    await release?.();
    await rmdir(stateFolder).catch(() => undefined); // only if empty (a draft, another install's lock: kept)
    if (!succeeded && made !== undefined && made !== stateFolder) await removeFoldersMade(dir, made);
  }
}

/**
 * Takes `<dir>/.datapkg/lock` (the folder must exist), waiting while another live install holds it; returns its
 * release. A dead owner's lock is broken at once; a lock of another host is waited for (its owner cannot be checked).
 */
export async function lockFolder(dir: string, options: FolderLockOptions = {}): Promise<() => Promise<void>> {
  const stateFolder = join(dir, STATE_DIR);
  const lock = join(stateFolder, LOCK);
  const mine: LockOwner = { pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex') };
  const text = JSON.stringify(mine);
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  await pRetry(
    async () => {
      if (await createExclusive(lock, text, stateFolder)) return;
      const held = await readOwner(lock);
      if (held !== undefined && (await isStale(held, lock)) && (await breakStale(stateFolder, held, text))) {
        if (await createExclusive(lock, text, stateFolder)) return;
      }
      throw new InstallFolderBusyError(dir, held?.owner, waitMs);
    },
    // Quick at first (an install that is finishing), then every half second, until waitMs is up.
    {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 20,
      maxTimeout: 500,
      factor: 2,
      maxRetryTime: waitMs,
      shouldRetry: ({ error }) => error instanceof InstallFolderBusyError, // a failing write is not waited out
    },
  );
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    // Only a lock that is still this one's (never another's, whatever happened to this one meanwhile).
    const held = await readOwner(lock);
    if (held?.owner?.nonce === mine.nonce) await unlink(lock).catch(() => undefined);
  };
}

/** Creates `path` with `text` unless it exists (false); re-creates the state folder if another install removed it. */
async function createExclusive(path: string, text: string, folder: string): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, text, { flag: 'wx' });
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      // The last install out removes the empty state folder; once is all it can do before this one's lock exists.
      if (code !== 'ENOENT' || attempt > 0) throw error;
      await mkdir(folder, { recursive: true });
    }
  }
}

/** A lock file's text and owner (undefined owner: empty or unreadable); undefined when there is no lock. */
async function readOwner(path: string): Promise<{ text: string; owner: LockOwner | undefined } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return { text, owner: parseOwner(text) };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    return Number.isInteger(value.pid) && typeof value.host === 'string' && typeof value.nonce === 'string'
      ? (value as LockOwner)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a lock's owner is gone: a dead process of this host, or never written and old. */
async function isStale(held: { owner: LockOwner | undefined }, path: string): Promise<boolean> {
  if (held.owner === undefined) {
    const created = await stat(path).then(
      (info) => info.mtimeMs,
      () => undefined,
    );
    return created !== undefined && Date.now() - created > UNWRITTEN_LOCK_STALE_MS;
  }
  return held.owner.host === hostname() && !isAlive(held.owner.pid);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true; // another install of this process (a different nonce)
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/**
 * Removes the stale lock `held` under `lock.break`; false when another install is breaking it now. A breaker that was
 * killed leaves `lock.break` behind: it is removed the same way once its owner is gone.
 */
async function breakStale(folder: string, held: { text: string }, text: string): Promise<boolean> {
  const breaker = join(folder, BREAK);
  if (!(await createExclusive(breaker, text, folder))) {
    const other = await readOwner(breaker);
    if (other !== undefined && (await isStale(other, breaker))) await unlink(breaker).catch(() => undefined);
    return false;
  }
  try {
    const lock = join(folder, LOCK);
    // Still the dead owner's lock (nobody else removes a lock while this one holds lock.break)?
    if ((await readOwner(lock))?.text === held.text) await unlink(lock).catch(() => undefined);
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}
