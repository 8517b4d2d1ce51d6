/**
 * One install at a time per folder. Two installs into one folder each planned against the folder as they found it
 * and undid each other: one failed with a bare ENOTEMPTY, and its undo removed the other's install record (3 of 6
 * tries of two concurrent `datapkg install` into a new folder). Install, force-match and fetch now hold
 * `<dir>/.datapkg/lock` from their first look at the folder to their last change; a second one waits for it.
 *
 * The lock file names its owner: pid, thread, host, machine (Linux: boot id and pid namespace, since containers may
 * share a host name but not pids), process start time (Linux: a pid in use again is another process) and a random
 * nonce. It is written whole under a temp name and linked into place, so it is never seen half-written, and link(2)
 * fails when a lock exists. A live owner touches its lock every 10 s. A lock is abandoned when:
 * - its owner is on this machine and its process is gone, a zombie, or its pid is another process's now (Linux start
 *   time; a killed install): at once, as the staging folders of killed installs are (install-transaction.ts). A live
 *   owner's lock is never taken where /proc tells (Linux), even a suspended install's;
 * - it names this process and thread with a nonce no call here holds: a predecessor's with the same pid;
 * - any other owner (another host or container, another thread of this process, a live pid where nothing tells a
 *   reused one), or an unreadable lock: once it has not changed for a minute while the waiting install watched it,
 *   on that install's own clock (no clock skew between hosts). A wait shorter than that never takes such a lock.
 * That is why this is not proper-lockfile: it knows a lock is stale only by its age, so every install after a killed
 * one would wait. An abandoned lock is removed only by the holder of `lock.break` (made the same way), after reading it
 * again; a breaker killed in that moment leaves `lock.break`, judged the same way.
 *
 * Known limits: an install paused for over a minute on another host or container (a suspended VM) loses its lock to
 * a waiting one, and is not told; so can a live lock when a breaker on another host stalls for a minute between its
 * checks and its claim, and a third install takes the lock in the moment the claim puts it back.
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
  utimes,
  writeFile,
} from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { assertNoSymlinks } from '@mlclients/package-core/storage';
import pRetry from 'p-retry';
import { InstallFolderBusyError, PackageUsageError } from './errors.js';
import { STATE_DIR } from './state-dir.js';
import { threadSharedSet } from './thread-shared.js';

const LOCK = 'lock';
const BREAK = 'lock.break';
/** `lock.<nonce>` (being written) and `lock.<nonce>.claimed` (an abandoned lock.break being removed). */
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
  /** The worker thread (0: the main thread). */
  thread: number;
  host: string;
  /** Linux: `<boot id>/<pid namespace>`; a pid means something only on the same one. Empty elsewhere. */
  machine: string;
  /** Linux: the process's start time (clock ticks after boot); empty elsewhere. */
  started: string;
  nonce: string;
}

/**
 * The nonces of this thread's lock calls (waiting or holding), shared by every copy of this module the thread loaded:
 * a lock naming this process and thread with another nonce is a dead predecessor's.
 */
const ownNonces: Set<string> = threadSharedSet('install-lock-nonces');

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

/**
 * Removes `dir` and its parents up to `made` (the first folder mkdir created for it), each only while empty: a failed
 * install into a folder that did not exist leaves none behind, and never removes a file someone put there meanwhile.
 */
async function removeFoldersMade(dir: string, made: string): Promise<void> {
  for (let folder = dir; ; folder = dirname(folder)) {
    try {
      await rmdir(folder); // only ever an empty folder
    } catch {
      return; // not empty (a file put there meanwhile): it and the folders above stay
    }
    if (folder === made || dirname(folder) === folder) return; // never above the first folder made, nor the root
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
  const mine: LockOwner = { ...thisProcess(), nonce: randomBytes(8).toString('hex') };
  const text = JSON.stringify(mine);
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const lockWatch = new LockWatch(options.abandonedAfterMs ?? ABANDONED_AFTER_MS);
  const breakWatch = new LockWatch(options.abandonedAfterMs ?? ABANDONED_AFTER_MS);
  let waiting = false;
  // Known before the lock can exist: another call of this thread that reads it then sees a live holder.
  ownNonces.add(mine.nonce);
  await pRetry(
    async () => {
      let held: ReadLock | undefined;
      // A lock that vanished between the create and the read (its holder just released it) is tried again at once.
      for (let attempt = 0; attempt < 3 && held === undefined; attempt++) {
        if (await createLock(folder, LOCK, text, mine.nonce)) return;
        held = await readLock(lock);
      }
      // A link retried by an NFS client can answer EEXIST for the lock it has just made.
      if (held?.owner?.nonce === mine.nonce) return;
      if (held !== undefined) {
        // A lock.break left by a killed breaker is watched from the first try too, so that it is judged by the time
        // the lock is (a minute each), not a minute after.
        const breaker = await readLock(join(folder, BREAK));
        if (breaker !== undefined && breaker.owner?.nonce !== mine.nonce) breakWatch.abandoned(breaker);
      }
      if (held !== undefined && lockWatch.abandoned(held)) {
        if (await removeAbandoned(folder, held, text, mine.nonce, breakWatch)) {
          if (await createLock(folder, LOCK, text, mine.nonce)) return;
        }
      }
      if (!waiting) {
        waiting = true;
        options.onWait?.(held?.owner);
      }
      throw new InstallFolderBusyError(dir, held?.owner, waitMs);
    },
    // Quick at first (an install that is finishing), then every half second, until waitMs is up; randomised, so
    // waiters that started together do not retry in step.
    {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 20,
      maxTimeout: 500,
      factor: 2,
      randomize: true,
      maxRetryTime: waitMs,
      shouldRetry: ({ error }) => error instanceof InstallFolderBusyError, // a failing write is not waited out
    },
  ).catch((error: unknown) => {
    ownNonces.delete(mine.nonce);
    throw error;
  });
  const heartbeat = await Heartbeat.start(lock, mine.nonce, options.heartbeatMs ?? HEARTBEAT_MS);
  await sweepLeftovers(folder, options.abandonedAfterMs ?? ABANDONED_AFTER_MS);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await heartbeat.stop();
    // Only a lock that is still this one's (never another's, whatever happened to this one meanwhile); best effort:
    // a lock left behind is this thread's, which its next install takes over. The nonce stays known until then, so
    // no other call of this thread takes this lock for a dead predecessor's meanwhile.
    const held = await readLock(lock).catch(() => undefined);
    if (held?.owner?.nonce === mine.nonce) await unlink(lock).catch(() => undefined);
    ownNonces.delete(mine.nonce);
  };
}

/**
 * This process as a lock names it (see LockOwner): worked out once, so every lock of the thread names it alike.
 * @internal exported for tests
 */
export function thisProcess(): Omit<LockOwner, 'nonce'> {
  identity ??= {
    pid: process.pid,
    thread: threadId,
    host: hostname(),
    machine: linuxMachine(),
    started: processInfo(process.pid)?.started ?? '',
  };
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
 * Linux: process `pid`'s state and start time (fields 3 and 22 of /proc/<pid>/stat, after the command name), or
 * undefined (another system, no such process, or a /proc that is not this pid namespace's: `unshare -p` without
 * remounting it shows another namespace's processes). @internal exported for tests
 */
export function processInfo(pid: number): { state: string; started: string } | undefined {
  if (process.platform !== 'linux' || !procIsOurs()) return undefined;
  return readProcStat(pid);
}

function readProcStat(pid: number | 'self'): { pid: number; state: string; started: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid: Number.parseInt(stat, 10), state: fields[0] ?? '', started: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

let procOurs: boolean | undefined;
function procIsOurs(): boolean {
  procOurs ??= readProcStat('self')?.pid === process.pid;
  return procOurs;
}

/**
 * Creates `name` in `folder` holding `text`, never half-written: written under a temp name and linked into place
 * (link(2) fails when `name` exists). True when created; false when it exists, or when the folder was just removed by
 * an install that ended (made again, for the next try). Windows, and file systems without hard links, create it
 * exclusively instead (CREATE_NEW, O_EXCL); a lock seen unreadable there is waited for.
 */
async function createLock(folder: string, name: string, text: string, nonce: string): Promise<boolean> {
  const path = join(folder, name);
  try {
    if (process.platform === 'win32') await writeFile(path, text, { flag: 'wx' });
    else await linkIntoPlace(join(folder, `lock.${nonce}`), path, text);
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

async function linkIntoPlace(temp: string, path: string, text: string): Promise<void> {
  await writeFile(temp, text, { flag: 'wx' });
  try {
    await link(temp, path);
  } catch (error) {
    // Any answer but "exists" (EPERM, ENOTSUP, EISDIR...) is a file system without hard links.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    await writeFile(path, text, { flag: 'wx' });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

interface ReadLock {
  text: string;
  owner: LockOwner | undefined;
  mtimeMs: number;
  ino: number;
}

/** A lock file's text, owner (undefined: unreadable), mtime and inode; undefined when there is none. */
async function readLock(path: string): Promise<ReadLock | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, owner: parseOwner(text), mtimeMs: info.mtimeMs, ino: info.ino };
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
    const strings = [value.host, value.machine, value.started, value.nonce];
    return Number.isInteger(value.pid) &&
      Number.isInteger(value.thread) &&
      strings.every((s) => typeof s === 'string')
      ? (value as LockOwner)
      : undefined;
  } catch {
    return undefined;
  }
}

/** One waiting call's judgement of the locks it finds (see the file comment). */
class LockWatch {
  /** The lock last seen (inode, text and mtime) and since when, on this process's clock. */
  #seen: { key: string; since: number } | undefined;

  constructor(private readonly abandonedAfterMs: number) {}

  abandoned(held: ReadLock): boolean {
    const owner = held.owner;
    const here = thisProcess();
    if (owner !== undefined && owner.host === here.host && owner.machine === here.machine) {
      // A start time that differs: the pid was another process's when the lock was written (this one's predecessor).
      const predecessor = owner.started !== '' && here.started !== '' && owner.started !== here.started;
      if (owner.pid === here.pid && !predecessor) {
        // This thread's: a predecessor's unless a call here holds it. Another thread's: alive while it touches it.
        if (owner.thread === here.thread) return !ownNonces.has(owner.nonce);
        return this.#unchangedFor(held, this.abandonedAfterMs);
      }
      if (owner.pid !== here.pid) {
        if (!isAlive(owner.pid)) return true;
        const info = processInfo(owner.pid);
        if (info !== undefined) {
          // A zombie (killed, not reaped) is gone; a start time that differs is another process with that pid now.
          if (info.state === 'Z' || info.state === 'X') return true;
          if (owner.started !== '') return info.started !== owner.started;
        }
        // Nothing tells a reused pid (no /proc): alive while it touches its lock.
        return this.#unchangedFor(held, this.abandonedAfterMs);
      }
      return true; // our pid, written by an earlier process that had it
    }
    return this.#unchangedFor(held, this.abandonedAfterMs);
  }

  /** Whether this very lock (inode, text, mtime) has been seen unchanged for `ms` by this watch. */
  #unchangedFor(held: ReadLock, ms: number): boolean {
    const key = `${held.ino}\n${held.mtimeMs}\n${held.text}`;
    const now = performance.now();
    if (this.#seen?.key !== key) this.#seen = { key, since: now };
    return now - this.#seen.since >= ms;
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
 * Removes the abandoned lock `held` under `lock.break`: true once it is gone (by this call or another); false when
 * another breaker is at work. The lock is removed only if it is still that very file (same inode), claimed by a
 * rename so that nothing else is removed.
 */
async function removeAbandoned(
  folder: string,
  held: ReadLock,
  text: string,
  nonce: string,
  breakWatch: LockWatch,
): Promise<boolean> {
  if (!(await createLock(folder, BREAK, text, nonce))) {
    const breaker = await readLock(join(folder, BREAK));
    // Ours after all (an NFS link retried into EEXIST): held, go on.
    if (breaker?.owner?.nonce !== nonce) {
      if (breaker !== undefined && breakWatch.abandoned(breaker))
        await claimAndRemove(folder, breaker, nonce);
      return false;
    }
  }
  try {
    const now = await readLock(join(folder, LOCK));
    if (now === undefined) return true;
    // Replaced, or touched since it was judged: judged again next time.
    if (now.ino !== held.ino || now.text !== held.text || now.mtimeMs !== held.mtimeMs) return false;
    return await claimAndRemove(folder, { ...now, name: LOCK }, nonce);
  } finally {
    // Only this call's lock.break (one stalled for a minute on another host may have been taken over).
    const breaker = await readLock(join(folder, BREAK)).catch(() => undefined);
    if (breaker?.owner?.nonce === nonce) await unlink(join(folder, BREAK)).catch(() => undefined);
  }
}

/**
 * Renames `name` (default lock.break) to this call's own name and removes it if it is the file judged abandoned (same
 * inode); a file that took its place in between is linked back. True when removed.
 */
async function claimAndRemove(
  folder: string,
  judged: ReadLock & { name?: string },
  nonce: string,
): Promise<boolean> {
  const path = join(folder, judged.name ?? BREAK);
  const claimed = join(folder, `lock.${nonce}.claimed`);
  try {
    await rename(path, claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  // The same file: same inode (which a server may reuse) and same text (which names its owner's nonce).
  const [ino, text] = await Promise.all([
    stat(claimed).then(
      (info) => info.ino,
      () => undefined,
    ),
    readFile(claimed, 'utf8').catch(() => undefined),
  ]);
  const same = ino === judged.ino && text === judged.text;
  if (!same) await link(claimed, path).catch(() => undefined); // not the one judged: put back
  await unlink(claimed).catch(() => undefined);
  return same;
}

/**
 * The holder's touch of its lock every few seconds, through its own handle: never another's lock. Where the lock
 * cannot be opened, by path, while it still names this holder.
 */
class Heartbeat {
  private constructor(
    private readonly handle: FileHandle | undefined,
    private readonly timer: NodeJS.Timeout,
  ) {}

  static async start(lock: string, nonce: string, everyMs: number): Promise<Heartbeat> {
    // Read-write: Windows sets times only through a handle that may write attributes.
    const handle = await open(lock, 'r+').catch(() => undefined);
    const touch = async () => {
      const now = new Date();
      if (handle) return handle.utimes(now, now);
      if ((await readLock(lock))?.owner?.nonce === nonce) await utimes(lock, now, now);
    };
    const timer = setInterval(() => {
      touch().catch(() => undefined);
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
