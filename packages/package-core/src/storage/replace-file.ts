/**
 * Replacing a local file atomically and durably: write a temp file in the same folder, fsync it, rename it over the
 * target and fsync the folder, so a reader (or a crash, or a power loss once this returns) sees the old file or the
 * complete new one, never a partial one. The temp file is removed when writing fails.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `<dir>/<prefix><random>.tmp`: a fresh temp path in `path`'s folder (the same file system, so rename is atomic). */
export function tempPathFor(path: string, prefix = `${basename(path)}.`): string {
  return join(dirname(path), `${prefix}${randomBytes(6).toString('hex')}.tmp`);
}

/** fsync of a file's data (or a folder's entries) by path. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

interface DirectorySync {
  /** A sync that has not started yet: whoever asks now is covered by it. */
  queued: Promise<void> | undefined;
  running: Promise<void> | undefined;
}
const directorySyncs = new Map<string, DirectorySync>();

/**
 * fsync of a folder, making the renames and links already done in it durable. Calls for one folder are grouped: a
 * caller joins the sync queued behind the running one (which may have started before its rename), so N concurrent
 * writers into one folder cost about two fsyncs, not N. Windows cannot open a folder for fsync; there it is a no-op.
 */
export function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return Promise.resolve();
  let state = directorySyncs.get(dir);
  if (!state) {
    state = { queued: undefined, running: undefined };
    directorySyncs.set(dir, state);
  }
  const current = state;
  if (current.queued) return current.queued;
  const queued: Promise<void> = (current.running ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      current.queued = undefined; // from now on a caller needs a later sync
      current.running = queued;
      await fsyncPath(dir);
    })
    .finally(() => {
      if (current.running === queued) current.running = undefined;
      if (!current.running && !current.queued && directorySyncs.get(dir) === current)
        directorySyncs.delete(dir);
    });
  current.queued = queued;
  return queued;
}

/** Lets `write` fill a temp file, then fsyncs it, renames it to `path` and fsyncs the folder. */
export async function replaceFile(
  path: string,
  write: (temp: string) => Promise<void>,
  temp = tempPathFor(path),
): Promise<void> {
  try {
    await write(temp);
    await fsyncPath(temp);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** `writeFile`, atomically and durably. */
export function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  return replaceFile(path, (temp) => writeFile(temp, data));
}
