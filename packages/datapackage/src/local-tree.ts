/**
 * Lists the regular files under a directory as logical keys ('/'-separated, relative to the root). The `.datapkg/`
 * state folder is never part of a package; symlinked folders are not followed (as quilt3); `.quiltignore` rules (quilt3's fnmatch semantics, quiltignore.ts) apply when asked.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { HashWorkerPool } from './hashing/worker-pool.js';
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
  /**
   * With `statOn`: the size of a file that is not a link, from a stat taken during the walk; NaN for one that was gone
   * or no longer a regular file by then (the caller stats it again for the precise error).
   */
  size?: number;
}

export async function listLocalFiles(
  root: string,
  options: {
    useQuiltignore?: boolean;
    /**
     * Worker threads to stat the files on while the walk goes on (each folder's files as soon as it is read): the
     * CLI's push borrows its prestarted hashing workers, so 10,000 stats cost the main thread nothing.
     */
    statOn?: HashWorkerPool;
    /** Each file as the walk finds it (folder by folder, not in listing order): to start work on it at once. */
    onFile?: (file: LocalFile) => void;
  } = {},
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
  const sizer = options.statOn ? new Sizer(options.statOn) : undefined;
  const walk = async (directory: string, prefix: string): Promise<LocalFile[]> => {
    const dirents = await readdir(directory, { withFileTypes: true });
    const base = directory.endsWith(sep) ? directory : `${directory}${sep}`;
    // Files, and the index of each subfolder's listing (in `listings`), in listing order.
    const parts: (LocalFile | number)[] = [];
    const listings: Promise<LocalFile[]>[] = [];
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
        if (!rules?.ignoresDirectory(logicalKey)) {
          parts.push(listings.length); // where this subfolder's files go, once listed
          listings.push(walk(path, logicalKey));
        }
      } else if (isFile) {
        if (rules?.ignoresFile(logicalKey)) continue;
        const file: LocalFile = { logicalKey, path, linked };
        if (!linked) sizer?.add(file);
        options.onFile?.(file);
        parts.push(file);
      }
    }
    // Only the subfolders' listings are awaited (not a promise per file), all at once: the walk fails at the first
    // failure, while sibling listings may still be running (a push's stager refuses what they find after that).
    const listed = listings.length > 0 ? await Promise.all(listings) : [];
    const files: LocalFile[] = [];
    for (const part of parts) {
      if (typeof part === 'number') for (const file of listed[part] as LocalFile[]) files.push(file);
      else files.push(part);
    }
    return files;
  };
  const files = await walk(root, '');
  await sizer?.done();
  return files;
}

/** Files to stat per worker task: one message round trip per few hundred files, not per file. */
const STAT_BATCH = 500;

/** Sends files to the workers for their sizes in batches as the walk finds them, and sets each file's `size`. */
class Sizer {
  #batch: LocalFile[] = [];
  readonly #answers: Promise<void>[] = [];
  constructor(readonly pool: HashWorkerPool) {}

  add(file: LocalFile): void {
    this.#batch.push(file);
    if (this.#batch.length >= STAT_BATCH) this.#flush();
  }

  async done(): Promise<void> {
    this.#flush();
    await Promise.all(this.#answers);
  }

  #flush(): void {
    const files = this.#batch;
    if (files.length === 0) return;
    this.#batch = [];
    const answer = this.pool.statPaths(files.map((f) => f.path)).then((triples) => {
      files.forEach((file, i) => {
        file.size = triples[i * 3] as number;
      });
    });
    answer.catch(() => undefined); // awaited by done(); a walk that failed first must not leave it unhandled
    this.#answers.push(answer);
  }
}
