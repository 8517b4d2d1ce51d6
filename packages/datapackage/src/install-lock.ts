/**
 * One install at a time per folder. Two installs into one folder each planned against the folder as they found it
 * and undid each other: one failed with a bare ENOTEMPTY, and its undo removed the other's install record (3 of 6
 * tries of two concurrent `datapkg install` into a new folder). Install, force-match and fetch now hold
 * `<dir>/.datapkg/lock` from their first look at the folder to their last change; a second one waits for it.
 *
 * The lock file names its owner: pid, host, machine (Linux: boot id and pid namespace, since containers may share a
 * host name but not pids) and a random nonce. It is written whole under a temp name and linked into place, so it is
 * never seen half-written, and link(2) fails when a lock exists. Its owner touches it every few seconds.
 * - A lock of this machine whose process is gone (a killed install) is taken over at once, as the staging folders of
 *   killed installs are (install-transaction.ts). A lock with this process's pid but a nonce it does not hold is a
 *   previous process's with the same pid (a restarted container's pid 1).
 * - Any other lock (another host or container, or unreadable) is stale once untouched for a minute.
 * That is why this is not proper-lockfile: it knows a lock is stale only by its age, so every install after a killed
 * one would wait. Only the holder of `lock.break` removes a stale lock, after reading it again under that.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { link, mkdir, readdir, readFile, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { assertNoSymlinks } from '@mlclients/package-core/storage';
import pRetry from 'p-retry';
import { removeFoldersMade } from './directory-sync.js';
import { InstallFolderBusyError, PackageUsageError } from './errors.js';
import { STATE_DIR } from './state-dir.js';

const LOCK = 'lock';
const BREAK = 'lock.break';
/** `lock.<nonce>`: a lock (or lock.break) being written, before it is linked into place. */
const TEMP = /^lock\.[0-9a-f]{16}$/;

/** How long an install waits for another one into the same folder. */
export const DEFAULT_LOCK_WAIT_MS = 120_000;

/** How often a holder touches its lock. */
const HEARTBEAT_MS = 10_000;

/** A lock (or temp file) untouched this long is stale whoever owns it: six missed heartbeats. */
const UNTOUCHED_STALE_MS = 60_000;

/** A dead breaker's `lock.break` is removed only once this old: a live breaker holds it for milliseconds. */
const BREAKER_STALE_MS = 5_000;

export interface FolderLockOptions {
  /** How long to wait for another install into the folder to finish. @default 120,000 */
  waitMs?: number;
  /** Called once when the lock is held by someone else and this call starts waiting. */
  onWait?: (owner: LockOwner | undefined) => void;
}

/** Who holds a lock, as written in it. */
export interface LockOwner {
  pid: number;
  host: string;
  /** Linux: `<boot id>/<pid namespace>`; a pid means something only on the same one. Empty elsewhere. */
  machine: string;
  nonce: string;
}

/** The nonces of the locks this process holds: a lock with our pid and another nonce is a dead predecessor's. */
const heldHere = new Set<string>();

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
  validateWait(options.waitMs);
  const stateFolder = join(dir, STATE_DIR);
  await assertNoSymlinks(dir, stateFolder); // the lock is never written through a link
  const made = firstFolderMade(await mkdir(stateFolder, { recursive: true }));
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

/** mkdir's first folder made, as a plain path (Windows answers `\\?\C:\...`). */
export function firstFolderMade(made: string | undefined): string | undefined {
  return made?.replace(/^\\\\\?\\(?!UNC\\)/, '');
}

function validateWait(waitMs: number | undefined): void {
  if (waitMs !== undefined && !(Number.isFinite(waitMs) && waitMs >= 0))
    throw new PackageUsageError(`lockWaitMs: expected a number of milliseconds >= 0, got ${String(waitMs)}`);
}

/**
 * Takes `<dir>/.datapkg/lock` (the folder is made if missing), waiting while another install holds it (see the file
 * comment for when a lock counts as abandoned); returns its release.
 */
export async function lockFolder(dir: string, options: FolderLockOptions = {}): Promise<() => Promise<void>> {
  validateWait(options.waitMs);
  const folder = join(dir, STATE_DIR);
  const lock = join(folder, LOCK);
  const mine: LockOwner = { ...thisMachine(), nonce: randomBytes(8).toString('hex') };
  const text = JSON.stringify(mine);
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  let waiting = false;
  // Known before the lock can exist: another call of this process that reads it then sees a live holder.
  heldHere.add(mine.nonce);
  await pRetry(
    async () => {
      if (await createLock(folder, LOCK, text, mine.nonce)) return;
      const held = await readLock(lock);
      if (held !== undefined && isStale(held) && (await breakStale(folder, held, text, mine.nonce))) {
        if (await createLock(folder, LOCK, text, mine.nonce)) return;
      }
      if (!waiting) {
        waiting = true;
        options.onWait?.(held?.owner);
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
  ).catch((error: unknown) => {
    heldHere.delete(mine.nonce);
    throw error;
  });
  const now = () => new Date();
  const heartbeat = setInterval(() => {
    utimes(lock, now(), now()).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  await sweepTempFiles(folder);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    heldHere.delete(mine.nonce);
    // Only a lock that is still this one's (never another's, whatever happened to this one meanwhile); best effort:
    // a lock left behind is this process's, which the next install takes over.
    const held = await readLock(lock).catch(() => undefined);
    if (held?.owner?.nonce === mine.nonce) await unlink(lock).catch(() => undefined);
  };
}

/**
 * This process as a lock names it (see LockOwner): worked out once, so every lock of the process names it alike.
 * @internal exported for tests
 */
export function thisMachine(): Omit<LockOwner, 'nonce'> {
  identity ??= { pid: process.pid, host: hostname(), machine: linuxMachine() };
  return identity;
}
let identity: Omit<LockOwner, 'nonce'> | undefined;

/** `<boot id>/pid:[<namespace inode>]` on Linux, where both can be read; else empty. */
function linuxMachine(): string {
  if (process.platform !== 'linux') return '';
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${boot}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return '';
  }
}

/**
 * Creates `name` in `folder` holding `text`, never half-written: written under a temp name and linked into place
 * (link(2) fails when `name` exists). True when created; false when `name` exists, or when the folder was just removed
 * by an install that ended (made again, for the next try). Windows, and file systems without hard links, create it
 * exclusively instead (CreateFile's CREATE_NEW, O_EXCL); a lock seen unreadable there is waited for.
 */
async function createLock(folder: string, name: string, text: string, nonce: string): Promise<boolean> {
  try {
    if (process.platform === 'win32') await writeFile(join(folder, name), text, { flag: 'wx' });
    else await linkIntoPlace(folder, name, text, nonce);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Windows answers a name being deleted (another install's release) with EPERM or EBUSY: taken, for now.
    if (code === 'EEXIST' || (process.platform === 'win32' && (code === 'EPERM' || code === 'EBUSY')))
      return false;
    if (code === 'ENOENT') {
      await mkdir(folder, { recursive: true });
      return false;
    }
    throw error;
  }
}

/** link(2) errors of a file system that has no hard links (FAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

async function linkIntoPlace(folder: string, name: string, text: string, nonce: string): Promise<void> {
  const temp = join(folder, `lock.${nonce}`);
  await writeFile(temp, text, { flag: 'wx' });
  try {
    await link(temp, join(folder, name));
  } catch (error) {
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await writeFile(join(folder, name), text, { flag: 'wx' });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

interface ReadLock {
  text: string;
  owner: LockOwner | undefined;
  /** Last touched by its owner (ms). */
  touched: number;
}

/** A lock file's text, owner (undefined: unreadable) and age; undefined when there is none. */
async function readLock(path: string): Promise<ReadLock | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, owner: parseOwner(text), touched: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    return Number.isInteger(value.pid) &&
      typeof value.host === 'string' &&
      typeof value.machine === 'string' &&
      typeof value.nonce === 'string'
      ? (value as LockOwner)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a lock's owner is gone: see the file comment. */
function isStale(held: ReadLock): boolean {
  const owner = held.owner;
  const here = thisMachine();
  if (owner !== undefined && owner.host === here.host && owner.machine === here.machine) {
    if (owner.pid === process.pid) return !heldHere.has(owner.nonce);
    if (!isAlive(owner.pid)) return true;
  }
  return Date.now() - held.touched > UNTOUCHED_STALE_MS;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/**
 * Removes the stale lock `held` under `lock.break`; false when another install is breaking it now. A breaker that was
 * killed leaves `lock.break` behind: it is removed once its owner is gone and it is old, read again just before.
 */
async function breakStale(folder: string, held: ReadLock, text: string, nonce: string): Promise<boolean> {
  const breaker = join(folder, BREAK);
  if (!(await createLock(folder, BREAK, text, nonce))) {
    const other = await readLock(breaker);
    if (other !== undefined && isStale(other) && Date.now() - other.touched > BREAKER_STALE_MS) {
      if ((await readLock(breaker))?.text === other.text) await unlink(breaker).catch(() => undefined);
    }
    return false;
  }
  try {
    // Still the stale owner's lock (nobody else removes a lock while this one holds lock.break)?
    const lock = join(folder, LOCK);
    if ((await readLock(lock))?.text === held.text) await unlink(lock).catch(() => undefined);
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

/** Removes temp files of lock writers killed between writing and linking (they would keep `.datapkg/` forever). */
async function sweepTempFiles(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names.filter((n) => TEMP.test(n))) {
    const path = join(folder, name);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > UNTOUCHED_STALE_MS) await unlink(path).catch(() => undefined);
  }
}
