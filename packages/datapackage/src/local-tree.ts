/**
 * Lists the regular files under a directory as logical keys ('/'-separated, relative to the root). The `.datapkg/`
 * state folder is never part of a package; symlinked folders are not followed (as quilt3); `.quiltignore` rules (quilt3's fnmatch semantics, quiltignore.ts) apply when asked.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { HashWorkerPool } from './hashing/worker-pool.js';
import { QUILTIGNORE, QuiltIgnore } from './quiltignore.js';
import { STATE_DIR } from './state-dir.js';

export { QUILTIGNORE } from './quiltignore.js';
export { STATE_DIR } from './state-dir.js';

export interface LocalFile {
  logicalKey: string;
  path: string;
  /**
   * True for a symbolic link to a file. Every other path is the root joined with the logical key and goes through no
   * link below the root (linked folders are not walked), so it is canonical whenever the root is.
   */
  linked: boolean;
}

export async function listLocalFiles(
  root: string,
  options: { useQuiltignore?: boolean } = {},
): Promise<LocalFile[]> {
  let rules: QuiltIgnore | undefined;
  if (options.useQuiltignore) {
    try {
      rules = QuiltIgnore.parse(await readFile(join(root, QUILTIGNORE), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  // Sibling folders are listed concurrently (each readdir is a round trip to libuv's threads; one after another they
  // were most of the walk), and the results are joined in listing order, so the order is the same as a serial walk.
  const walk = async (directory: string, prefix: string): Promise<LocalFile[]> => {
    const dirents = await readdir(directory, { withFileTypes: true });
    const base = directory.endsWith(sep) ? directory : `${directory}${sep}`;
    const parts: (LocalFile | Promise<LocalFile[]>)[] = [];
    for (const dirent of dirents) {
      const logicalKey = prefix === '' ? dirent.name : `${prefix}/${dirent.name}`;
      if (prefix === '' && dirent.name === STATE_DIR) continue;
      const path = `${base}${dirent.name}`;
      let isDirectory = dirent.isDirectory();
      let isFile = dirent.isFile();
      const linked = dirent.isSymbolicLink();
      if (linked) {
        // Like quilt3 (os.walk without followlinks): a link to a file is a file, a link to a folder is skipped,
        // so a walk never leaves the root through a link and cannot loop.
        const target = await stat(path).catch(() => undefined);
        isDirectory = false;
        isFile = target?.isFile() ?? false;
      }
      if (isDirectory) {
        if (!rules?.ignoresDirectory(logicalKey)) parts.push(walk(path, logicalKey));
      } else if (isFile) {
        if (!rules?.ignoresFile(logicalKey)) parts.push({ logicalKey, path, linked });
      }
    }
    const settled = await Promise.all(parts);
    return settled.flat();
  };
  return walk(root, '');
}

/** Below this many files, stat'ing them here costs less than a round trip to the workers. */
const WORKER_STAT_THRESHOLD = 2000;

/**
 * The size of each file (NaN for one that is gone or no longer a regular file), stat'ed on the hashing workers the
 * CLI prestarted, when there are any and the list is long; else undefined (the caller stats them itself). For a
 * push of 10,000 files those stats were most of the main thread's work before the copying could start.
 */
export async function sizesOnSpareWorkers(files: readonly LocalFile[]): Promise<Float64Array | undefined> {
  if (files.length < WORKER_STAT_THRESHOLD) return undefined;
  const pool = HashWorkerPool.borrowSpares();
  if (!pool) return undefined;
  try {
    const triples = await pool.statPaths(files.map((f) => f.path));
    const sizes = new Float64Array(files.length);
    for (let i = 0; i < files.length; i++) sizes[i] = triples[i * 3] as number;
    return sizes;
  } finally {
    await pool.close();
  }
}
