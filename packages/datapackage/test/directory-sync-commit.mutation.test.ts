/**
 * What an install leaves on disk by the time it returns, as a later process sees it: the stat cache already names the
 * files it wrote (a status run next, even after the installing process was killed before any final save, reads none
 * of them); and the flush before the destination changes covers every folder of the staging folder (a power cut
 * cannot lose a staged file's folder entry) and nothing of the destination or above it (each listed folder costs an
 * fsync where there is no syncfs). The flushes are recorded here, then done path by path as without syncfs.
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { compareDirectory, type TransferProgress } from '../src/directory-sync.js';
import { FileHasher } from '../src/hashing/file-hasher.js';
import { StatCache } from '../src/hashing/stat-cache.js';
import { STATE_DIR } from '../src/state-dir.js';
import { tempDir, writeTree } from './helpers.js';
import { installLocked, v1, version } from './sync-helpers.js';

/** The flushes asked for (their folders), with the folders the staging folder held at that moment. */
const watch = vi.hoisted(() => ({
  flushes: [] as { anchor: string; files: string[]; folders: string[]; present: string[] }[],
}));

vi.mock('../src/durable-batch.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/durable-batch.js')>();
  return {
    ...actual,
    syncBatch: async (batch: import('../src/durable-batch.js').DurableBatch) => {
      const folders = [...batch.folders];
      const files = [...batch.files];
      const present = [batch.anchor];
      for (const e of await readdir(batch.anchor, { withFileTypes: true, recursive: true })) {
        if (e.isDirectory()) present.push(join(e.parentPath, e.name));
      }
      watch.flushes.push({ anchor: batch.anchor, files, folders, present });
      await actual.syncBatch({ anchor: batch.anchor, files, folders }, { fileSystemSync: false });
    },
  };
});

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);
beforeAll(async () => {
  work = await tempDir('dp-directory-sync-commit-');
  process.env.MLC_DATAPKG_STATE_DIR = join(work.path, 'state');
});
beforeEach(() => {
  watch.flushes = [];
});
afterAll(async () => {
  await work.cleanup();
});

describe('the stat cache', () => {
  it('is on disk, naming every installed file, when the install returns (before any final save)', async () => {
    const cacheFile = join(work.path, `stat-cache-${n++}.json`);
    const installing = new FileHasher({ workers: 1, statCache: await StatCache.open(cacheFile) });
    const unknown = new FileHasher({ workers: 1 });
    try {
      const pkg = await version(v1);
      const dir = fresh('dest');
      await installLocked(pkg, dir, installing);
      // A later process (the installing one killed before it saved again) opens the cache file...
      const status = new FileHasher({ workers: 1, statCache: await StatCache.open(cacheFile) });
      try {
        const reports: TransferProgress[] = [];
        const comparison = await compareDirectory(pkg.manifest, dir, status, {
          onProgress: (p) => reports.push(p),
        });
        expect(comparison.matches).toBe(true);
        // ...and reads none of the files: none counts as hashed.
        expect(reports.some((p) => p.filesDone > 0)).toBe(false);
      } finally {
        await status.close();
      }
      // The same check without the cache reads them all (so the one above would have seen reads).
      const reports: TransferProgress[] = [];
      await compareDirectory(pkg.manifest, dir, unknown, { onProgress: (p) => reports.push(p) });
      expect(reports.at(-1)?.filesDone).toBe(Object.keys(v1).length);
    } finally {
      await Promise.all([installing.close(), unknown.close()]);
    }
  });
});

describe('the flush before the destination changes', () => {
  const hasher = new FileHasher({ workers: 1 });
  afterAll(() => hasher.close());

  /** The first flush of the install into `dir`: the one anchored in its staging folder. */
  async function firstFlush(dir: string, files: Record<string, string>) {
    const pkg = await version(files);
    await installLocked(pkg, dir, hasher);
    const flush = watch.flushes[0];
    expect(flush?.anchor.startsWith(join(dir, STATE_DIR, 'staging-'))).toBe(true);
    return flush as (typeof watch.flushes)[number];
  }

  const inside = (folder: string, root: string) => !relative(root, folder).startsWith('..');

  it('into a new folder: every folder staged (nested new folders too), nothing above the staging folder but the state folder', async () => {
    const dir = fresh('dest');
    const flush = await firstFlush(dir, { ...v1, 'data/deep/er/d.txt': 'd', 'other/e.txt': 'e' });
    for (const folder of flush.present) expect(flush.folders, relative(dir, folder)).toContain(folder);
    const outside = flush.folders.filter((f) => !inside(f, flush.anchor) && f !== join(dir, STATE_DIR));
    expect(outside).toEqual([]);
  });

  it('a large install flushes its staged files in batches as they are written: each staged file is in one', async () => {
    const dir = fresh('dest');
    const files = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`d/f${i}.txt`, `file ${i}`]));
    const pkg = await version(files);
    await installLocked(pkg, dir, hasher, { flushEvery: 2 });
    const staging = watch.flushes.filter((f) => f.anchor.startsWith(join(dir, STATE_DIR, 'staging-')));
    // At least one flush while staging (the commit's own is the one with the journal).
    expect(
      staging.filter((f) => !f.files.some((path) => path.endsWith('journal.json'))).length,
    ).toBeGreaterThan(0);
    const flushed = staging
      .flatMap((f) => f.files)
      .map((path) => relative(staging[0]?.anchor as string, path));
    for (let i = 0; i < 7; i++) expect(flushed).toContain(join('tree', 'd', `f${i}.txt`));
    // The staging folder's folders are in each flush (an early one's files need their folder entries too).
    for (const flush of staging) expect(flush.folders).toContain(join(flush.anchor, 'tree', 'd'));
  });

  it('into a folder with files of its own: the same', async () => {
    const dir = fresh('dest');
    await writeTree(dir, { 'mine.txt': 'mine', 'data/mine.csv': 'm' });
    const flush = await firstFlush(dir, v1);
    for (const folder of flush.present) expect(flush.folders, relative(dir, folder)).toContain(folder);
    const outside = flush.folders.filter((f) => !inside(f, flush.anchor) && f !== join(dir, STATE_DIR));
    expect(outside).toEqual([]);
  });
});
