import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { FileHasher } from '../src/hashing/file-hasher.js';
import type { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';

/** A temp folder per test file, removed by the returned cleanup. */
export async function tempDir(prefix = 'dp-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/**
 * The temp folder a test file works in: made before its tests (the object and stat caches in it, through
 * `MLC_DATAPKG_CACHE_DIR`) and removed after them. `fresh(name)` is a new path in it at each call. With
 * `hasherWorkers`, `hasher` is a FileHasher with that many threads for the file's tests, closed after them. Call at the
 * top level of a test file.
 */
export function useTempWorkspace(
  prefix: string,
  options: { hasherWorkers?: number } = {},
): { readonly path: string; readonly hasher: FileHasher; fresh: (name: string) => string } {
  let work: Awaited<ReturnType<typeof tempDir>> | undefined;
  let hasher: FileHasher | undefined;
  let n = 0;
  beforeAll(async () => {
    work = await tempDir(prefix);
    process.env.MLC_DATAPKG_CACHE_DIR = join(work.path, 'cache');
    if (options.hasherWorkers !== undefined) hasher = new FileHasher({ workers: options.hasherWorkers });
  });
  afterAll(async () => {
    await hasher?.close();
    await work?.cleanup();
  });
  const outside = (what: string) =>
    new Error(
      `useTempWorkspace('${prefix}'): no ${what} (only while the tests run${what === 'hasher' ? ', and with hasherWorkers' : ''})`,
    );
  const root = (): string => {
    if (!work) throw outside('folder');
    return work.path;
  };
  return {
    get path() {
      return root();
    },
    get hasher() {
      if (!hasher) throw outside('hasher');
      return hasher;
    },
    fresh: (name) => join(root(), `${name}-${n++}`),
  };
}

/** Writes `{ 'a/b.txt': 'content' }` under `root`. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [key, content] of Object.entries(files)) {
    const path = join(root, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

/**
 * Pushes a package of `files` (written into the new folder `source`, which is its setDir) to `registry` as `name`,
 * replacing whatever version is latest there (`force`).
 */
export async function publishFolder(
  source: string,
  registry: string,
  name: string,
  files: Record<string, string | Buffer>,
): Promise<Package> {
  await writeTree(source, files);
  const builder = new PackageBuilder();
  await builder.setDir('', source);
  return builder.push(registry, name, { force: true });
}

/**
 * Every file under `dir` (state folders included) with its text, keyed by relative path; a symlink is recorded as
 * `<symlink>`, never followed. What a test compares to prove a failed operation left a folder as it was.
 */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string, prefix: string) => {
    for (const dirent of await readdir(d, { withFileTypes: true })) {
      const key = prefix ? `${prefix}/${dirent.name}` : dirent.name;
      if (dirent.isDirectory()) await walk(join(d, dirent.name), key);
      else if (dirent.isSymbolicLink()) out[key] = '<symlink>';
      else out[key] = await readFile(join(d, dirent.name), 'utf8');
    }
  };
  await walk(dir, '');
  return out;
}
