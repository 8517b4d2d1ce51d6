/**
 * Refusing symbolic links under a root (a registry folder, an install destination, a cache): a link planted in such a
 * folder must not redirect reads or writes outside it. Parents are checked with `lstat` one segment at a time; the
 * last segment of a read is opened with `O_NOFOLLOW` (see `openNoFollow`), so a link there fails too.
 */
import { constants, lstatSync } from 'node:fs';
import { type FileHandle, lstat, open } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { relativeInside } from './path-inside.js';

/** A symbolic link where a real file or folder must be. Names the path. */
export class SymlinkRefusedError extends Error {
  override readonly name = 'SymlinkRefusedError';
  readonly code = 'ELOOP';
  /**
   * Creates a `SymlinkRefusedError`.
   *
   * @param path The symbolic link found.
   */
  constructor(readonly path: string) {
    super(`refusing to follow the symbolic link ${path}`);
  }
}

/**
 * Throws `SymlinkRefusedError` when a segment of `path` below `root` (the last one too unless `parentsOnly`) is a
 * symbolic link. Segments that do not exist yet end the check: nothing below them can be a link.
 */
export async function assertNoSymlinks(
  root: string,
  path: string,
  options: { parentsOnly?: boolean } = {},
): Promise<void> {
  const rest = relativeInside(root, path);
  if (!rest) return; // the root itself, or outside it: no segment of ours to check
  const segments = rest.split(sep);
  const count = options.parentsOnly ? segments.length - 1 : segments.length;
  let current = root;
  for (let i = 0; i < count; i++) {
    current = join(current, segments[i] as string);
    let info: Awaited<ReturnType<typeof lstat>>;
    try {
      info = await lstat(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw error;
    }
    if (info.isSymbolicLink()) throw new SymlinkRefusedError(current);
  }
}

/**
 * {@link assertNoSymlinks} with synchronous `lstat` calls: for a few folders checked while the caller's thread has
 * nothing to wait for (a push preparing its registry folders between handing batches to its workers), where one
 * round trip through libuv's busy thread pool per segment cost more than the checks.
 */
export function assertNoSymlinksSync(root: string, path: string): void {
  const rest = relativeInside(root, path);
  if (!rest) return; // the root itself, or outside it: no segment of ours to check
  let current = root;
  for (const segment of rest.split(sep)) {
    current = join(current, segment);
    let info: ReturnType<typeof lstatSync>;
    try {
      // A missing segment is the usual case (a folder about to be made): no error is built for it.
      info = lstatSync(current, { throwIfNoEntry: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw error;
    }
    if (info === undefined) return;
    if (info.isSymbolicLink()) throw new SymlinkRefusedError(current);
  }
}

/** Opens `path` for reading without following a symbolic link in its last segment (`SymlinkRefusedError` then). */
export async function openNoFollow(path: string): Promise<FileHandle> {
  try {
    return await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new SymlinkRefusedError(path);
    throw error;
  }
}
