/**
 * Replacing a local file atomically: write a temp file in the same folder, then rename it over the target, so a
 * reader (or a crash) sees the old file or the complete new one, never a partial one. The temp file is removed
 * when writing fails.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `<dir>/<prefix><random>.tmp`: a fresh temp path in `path`'s folder (the same file system, so rename is atomic). */
export function tempPathFor(path: string, prefix = `${basename(path)}.`): string {
  return join(dirname(path), `${prefix}${randomBytes(6).toString('hex')}.tmp`);
}

/** Lets `write` fill a temp file, then renames it to `path`. */
export async function replaceFile(
  path: string,
  write: (temp: string) => Promise<void>,
  temp = tempPathFor(path),
): Promise<void> {
  try {
    await write(temp);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** `writeFile`, atomically. */
export function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  return replaceFile(path, (temp) => writeFile(temp, data));
}
