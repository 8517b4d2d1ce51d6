/**
 * One install at a time per folder. Two installs into one folder each planned against the folder as they found it
 * and undid each other: one failed with a bare ENOTEMPTY, and its undo removed the other's install record (3 of 6
 * tries of two concurrent `datapkg install` into a new folder). Install, force-match and fetch now hold
 * `<dir>/.datapkg/lock` from their first look at the folder to their last change; a second one waits for it.
 *
 * The lock file names its owner: pid, host, machine (Linux: boot id and pid namespace, since containers may share a
 * host name but not pids) and a random nonce. It is written whole under a temp name and linked into place, so it is
 * never seen half-written, and link(2) fails when a lock exists. When a lock is abandoned:
 * - Its owner is on this machine: when that process is gone (a killed install), at once, as the staging folders of
 *   killed installs are (install-transaction.ts). A live owner's lock is never taken, however old (a suspended
 *   install). A lock with this process's pid and a nonce it does not hold is a predecessor's (a restarted
 *   container's pid 1).
 * - Any other owner (another host or container), or an unreadable lock: once it has not changed for a minute while
 *   this install watched it, on this install's own clock. A live owner touches its lock every 10 s.
 * That is why this is not proper-lockfile: it knows a lock is stale only by its age, so every install after a killed
 * one would wait, and it compares the file's mtime with this machine's clock.
 *
 * An abandoned lock is claimed by renaming it to a name of this install's (one rename wins), then checked to be the
 * one judged abandoned: one that replaced it in between is put back.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import {
  type FileHandle,
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rmdir,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { assertNoSymlinks } from '@mlclients/package-core/storage';
import pRetry from 'p-retry';
import { removeFoldersMade } from './directory-sync.js';
import { InstallFolderBusyError, PackageUsageError } from './errors.js';
import { STATE_DIR } from './state-dir.js';

const LOCK = 'lock';
/** `lock.<nonce>` (being written) and `lock.<nonce>.claimed` (an abandoned lock being removed): this code's own. */
const LEFTOVER = /^lock\.[0-9a-f]{16}(?:\.claimed)?$/;

/** How long an install waits for another one into the same folder. */
export const DEFAULT_LOCK_WAIT_MS = 120_000;

/** How often a holder touches its lock. */
const HEARTBEAT_MS = 10_000;

/** A lock of another machine, or unreadable, unchanged this long while watched is abandoned: six missed touches. */
const ABANDONED_AFTER_MS = 60_000;

export interface FolderLockOptions {
  /** How long to wait for another install into the folder to finish. @default 120,000 */
  waitMs?: number;
  /** Called once when the lock is held by someone else and this call starts waiting. */
  onWait?: (owner: LockOwner | undefined) => void;
  /** @internal tests: how long an unchanged lock of another machine is watched before it counts as abandoned */
  abandonedAfterMs?: number;
  /** @internal tests: how often the holder touches its lock */
  heartbeatMs?: number;
}

/** Who holds a lock, as written in it. */
export interface LockOwner {
  pid: number;
  host: string;
  /** Linux: `<boot id>/<pid namespace>`; a pid means something only on the same one. Empty elsewhere. */
  machine: string;
  nonce: string;
}

/** The nonces of this process's lock calls (waiting or holding): a lock with our pid and another nonce is a dead predecessor's. */
const ownNonces = new Set<string>();

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

/** mkdir's first folder made, as a plain path: Windows answers `\\?\C:\...` and `\\?\UNC\server\share\...`. */
export function firstFolderMade(made: string | undefined): string | undefined {
  return made?.replace(/^\\\\\?\\UNC\\/, '\\\\').replace(/^\\\\\?\\/, '');
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
  const watch = new LockWatch(options.abandonedAfterMs ?? ABANDONED_AFTER_MS);
  let waiting = false;
  // Known before the lock can exist: another call of this process that reads it then sees a live holder.
  ownNonces.add(mine.nonce);
  await pRetry(
    async () => {
      if (await createLock(folder, text, mine.nonce)) return;
      const held = await readLock(lock);
      if (held !== undefined && watch.abandoned(held) && (await claimAbandoned(folder, held, mine.nonce))) {
        if (await createLock(folder, text, mine.nonce)) return;
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
    ownNonces.delete(mine.nonce);
    throw error;
  });
  const heartbeat = await Heartbeat.start(lock, options.heartbeatMs ?? HEARTBEAT_MS);
  await sweepLeftovers(folder, options.abandonedAfterMs ?? ABANDONED_AFTER_MS);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await heartbeat.stop();
    // Only a lock that is still this one's (never another's, whatever happened to this one meanwhile); best effort:
    // a lock left behind is this process's, which the next install takes over. The nonce stays known until then, so
    // no other call of this process takes this lock for a dead predecessor's meanwhile.
    const held = await readLock(lock).catch(() => undefined);
    if (held?.owner?.nonce === mine.nonce) await unlink(lock).catch(() => undefined);
    ownNonces.delete(mine.nonce);
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
 * Creates the lock holding `text`, never half-written: written under a temp name and linked into place (link(2) fails
 * when a lock exists). True when created; false when a lock exists, or when the folder was just removed by an install
 * that ended (made again, for the next try). Windows, and file systems without hard links, create it exclusively
 * instead (CREATE_NEW, O_EXCL); a lock seen unreadable there is waited for.
 */
async function createLock(folder: string, text: string, nonce: string): Promise<boolean> {
  const lock = join(folder, LOCK);
  try {
    if (process.platform === 'win32') await writeFile(lock, text, { flag: 'wx' });
    else await linkIntoPlace(join(folder, `lock.${nonce}`), lock, text);
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

async function linkIntoPlace(temp: string, lock: string, text: string): Promise<void> {
  await writeFile(temp, text, { flag: 'wx' });
  try {
    await link(temp, lock);
  } catch (error) {
    // Any answer but "exists" (EPERM, ENOTSUP, EISDIR...) is a file system without hard links.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    await writeFile(lock, text, { flag: 'wx' });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

interface ReadLock {
  text: string;
  owner: LockOwner | undefined;
  mtimeMs: number;
}

/** A lock file's text, owner (undefined: unreadable) and mtime; undefined when there is none. */
async function readLock(path: string): Promise<ReadLock | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, owner: parseOwner(text), mtimeMs: info.mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Gone, or (Windows) being deleted: no lock to judge; the next try sees.
    if (code === 'ENOENT' || (process.platform === 'win32' && (code === 'EPERM' || code === 'EBUSY')))
      return undefined;
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

/** One waiting call's judgement of the locks it finds (see the file comment). */
class LockWatch {
  /** The lock last seen (text and mtime) and since when, on this process's clock. */
  #seen: { text: string; mtimeMs: number; since: number } | undefined;

  constructor(private readonly abandonedAfterMs: number) {}

  abandoned(held: ReadLock): boolean {
    const owner = held.owner;
    const here = thisMachine();
    if (owner !== undefined && owner.host === here.host && owner.machine === here.machine) {
      if (owner.pid === process.pid) return !ownNonces.has(owner.nonce);
      return !isAlive(owner.pid);
    }
    const now = performance.now();
    if (this.#seen?.text !== held.text || this.#seen.mtimeMs !== held.mtimeMs)
      this.#seen = { text: held.text, mtimeMs: held.mtimeMs, since: now };
    return now - this.#seen.since >= this.abandonedAfterMs;
  }
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
 * Removes the abandoned lock `held`: renamed to a name of this call's (of two callers, one rename wins; the other
 * finds nothing), then checked to be the lock judged abandoned. One that replaced it in between (a new holder's) is
 * linked back. False when there was nothing to claim.
 */
async function claimAbandoned(folder: string, held: ReadLock, nonce: string): Promise<boolean> {
  const lock = join(folder, LOCK);
  const claimed = join(folder, `lock.${nonce}.claimed`);
  try {
    await rename(lock, claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const text = await readFile(claimed, 'utf8').catch(() => undefined);
  if (text !== held.text) {
    // Not the one judged abandoned: its holder is alive. Back where it was, unless yet another lock is there now.
    await link(claimed, lock).catch(() => undefined);
  }
  await unlink(claimed).catch(() => undefined);
  return text === held.text;
}

/** The holder's touch of its lock every few seconds, through its own handle: never another's lock, whatever happens. */
class Heartbeat {
  private constructor(
    private readonly handle: FileHandle | undefined,
    private readonly timer: NodeJS.Timeout,
  ) {}

  static async start(lock: string, everyMs: number): Promise<Heartbeat> {
    // Read-write: Windows sets times only through a handle that may write attributes.
    const handle = await open(lock, 'r+').catch(() => undefined);
    const timer = setInterval(() => {
      const now = new Date();
      handle?.utimes(now, now).catch(() => undefined);
    }, everyMs);
    timer.unref(); // never keeps the process alive
    return new Heartbeat(handle, timer);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.handle?.close().catch(() => undefined);
  }
}

/** Removes temp and claimed files of lock callers killed half-way, once old (they would keep `.datapkg/` forever). */
async function sweepLeftovers(folder: string, olderThanMs: number): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names.filter((n) => LEFTOVER.test(n))) {
    const path = join(folder, name);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > olderThanMs) await unlink(path).catch(() => undefined);
  }
}
