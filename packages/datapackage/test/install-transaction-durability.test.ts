/**
 * What an install makes durable, and when (the promise that a power cut leaves the folder one version or the other):
 * before anything in the destination changes, every file and folder of the staging folder (the downloads, the
 * journal, where replaced files will be kept) and the folder holding it; before the `committed` marker, every folder
 * whose entries the commit changed (a file put, a folder made or emptied and removed, a whole new folder renamed in)
 * and the folder keeping the replaced files. On Linux one syncfs flushes all of it; elsewhere each listed path is
 * fsynced, so the lists are the guarantee. The batches are recorded here and flushed path by path, as on a system
 * without syncfs.
 */
import { lstat, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  commitStaged,
  type Journal,
  stagedPath,
  stagedTreePath,
  stagingName,
} from '../src/install-transaction.js';
import { STATE_DIR } from '../src/state-dir.js';
import { snapshotTree, tempDir, writeTree } from './helpers.js';

interface Flush {
  files: string[];
  folders: string[];
  /** The destination's files (no staging) when the flush was asked for. */
  destination: Record<string, string>;
  /** Whether the `committed` marker existed then. */
  committed: boolean;
  /** What the staging folder held then. */
  inStaging: { files: string[]; folders: string[] };
}

const watch = vi.hoisted(() => ({
  flushes: [] as Flush[],
  dir: '',
  staging: '',
  failure: undefined as Error | undefined,
  /** Which flush fails (1-based), when not every one. */
  failOn: undefined as number | undefined,
}));

vi.mock('../src/durable-batch.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/durable-batch.js')>();
  return {
    ...actual,
    syncBatch: async (batch: import('../src/durable-batch.js').DurableBatch) => {
      const files = [...batch.files];
      const folders = [...batch.folders];
      watch.flushes.push({
        files,
        folders,
        destination: await filesOf(watch.dir),
        committed: (await readdir(watch.staging)).includes('committed'),
        inStaging: await everything(watch.staging),
      });
      // The disk reports a write error.
      if (watch.failure && (watch.failOn === undefined || watch.flushes.length === watch.failOn))
        throw watch.failure;
      await actual.syncBatch({ anchor: batch.anchor, files, folders }, { fileSystemSync: false });
    },
  };
});

/** The committed marker is written, then its folder's flush fails (the marker exists, maybe not on disk). */
const marker = vi.hoisted(() => ({ failsAfterWrite: false }));
vi.mock('@mlclients/package-core/storage', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@mlclients/package-core/storage')>();
  return {
    ...actual,
    writeFileAtomic: async (path: string, data: string | Uint8Array) => {
      await actual.writeFileAtomic(path, data);
      if (marker.failsAfterWrite && path.endsWith('committed'))
        throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    },
  };
});

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
beforeAll(async () => {
  work = await tempDir('dp-install-durability-');
});
beforeEach(() => {
  watch.flushes = [];
  watch.failure = undefined;
  watch.failOn = undefined;
  marker.failsAfterWrite = false;
});
afterAll(async () => {
  await work.cleanup();
});

/** The destination's files, without the staging folder inside its `.datapkg/`. */
async function filesOf(dir: string): Promise<Record<string, string>> {
  const all = await snapshotTree(dir);
  return Object.fromEntries(Object.entries(all).filter(([key]) => !key.startsWith(`${STATE_DIR}/`)));
}

/**
 * Every folder under `root` (itself included), by path, with its entries (name and inode: a file renamed over
 * another changes its folder too); `skip` folders are left out.
 */
async function listings(root: string, skip: (path: string) => boolean = () => false) {
  const out = new Map<string, string>();
  const walk = async (folder: string) => {
    if (skip(folder)) return;
    const entries = await readdir(folder, { withFileTypes: true });
    const named = await Promise.all(
      entries.map(async (e) => `${e.name}:${(await lstat(join(folder, e.name))).ino}`),
    );
    out.set(folder, named.sort().join('/'));
    for (const e of entries) if (e.isDirectory()) await walk(join(folder, e.name));
  };
  await walk(root);
  return out;
}

/** Every file and folder under `root` (itself included). */
async function everything(root: string): Promise<{ files: string[]; folders: string[] }> {
  const files: string[] = [];
  const folders: string[] = [root];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    (e.isDirectory() ? folders : files).push(join(e.parentPath, e.name));
  }
  return { files, folders };
}

/**
 * A destination and a staged install that replaces `a/old.txt`, adds `p/q/new.txt` (folders `p` and `p/q` are made
 * for it), drops `x/y/gone.txt` (so `x/y` is removed and `x` loses an entry) and renames the new folder `c/fresh` in
 * whole (into `c`, which exists).
 */
async function install() {
  const dir = join(work.path, `dest-${n++}`);
  await writeTree(dir, {
    'keep.txt': 'k',
    'a/old.txt': 'old',
    'x/keep.txt': 'x',
    'x/y/gone.txt': 'gone',
    'c/k.txt': 'c',
  });
  const staging = join(dir, STATE_DIR, stagingName(`dur${n++}`));
  await writeTree(staging, { 'new/0': 'new', 'new/1': 'added' });
  await writeTree(stagedTreePath(staging, 'c/fresh'), { 'inner/f.txt': 'fresh' });
  const journal: Journal = {
    put: [
      { key: 'a/old.txt', hadOld: true },
      { key: 'p/q/new.txt', hadOld: false },
    ],
    trees: ['c/fresh'],
    remove: ['x/y/gone.txt'],
  };
  const treeFolders = [
    stagedTreePath(staging, ''),
    stagedTreePath(staging, 'c'),
    stagedTreePath(staging, 'c/fresh'),
    stagedTreePath(staging, 'c/fresh/inner'),
  ];
  const staged = {
    files: [stagedPath(staging, 0), stagedPath(staging, 1), stagedTreePath(staging, 'c/fresh/inner/f.txt')],
    folders: [join(staging, 'new'), ...treeFolders],
  };
  watch.dir = dir;
  watch.staging = staging;
  return { dir, staging, journal, staged };
}

describe('what a commit makes durable', () => {
  it('the whole staging folder is flushed before the destination changes', async () => {
    const { dir, staging, journal, staged } = await install();
    const untouched = await filesOf(dir);
    await commitStaged(dir, staging, journal, staged);

    const first = watch.flushes[0] as Flush;
    expect(first.destination).toEqual(untouched);
    // What recovery reads after a crash: the journal, the downloads, the folder for the replaced files.
    expect(first.inStaging.files).toContain(join(staging, 'journal.json'));
    expect(first.inStaging.folders).toContain(join(staging, 'old'));
    expect(first.files).toEqual(expect.arrayContaining(first.inStaging.files));
    expect(first.folders).toEqual(expect.arrayContaining([...first.inStaging.folders, dirname(staging)]));
  });

  it('every folder the commit changed is flushed before the committed marker', async () => {
    const { dir, staging, journal, staged } = await install();
    const outsideStaging = (path: string) => path.startsWith(join(dir, STATE_DIR));
    const beforeCommit = await listings(dir, outsideStaging);
    await commitStaged(dir, staging, journal, staged);
    const afterCommit = await listings(dir, outsideStaging);

    // A folder renamed in whole (`c/fresh`) was flushed with its entries before the commit (the test above).
    const renamedWhole = (folder: string) => folder.startsWith(join(dir, 'c', 'fresh'));
    const changed = [...afterCommit]
      .filter(([folder, entries]) => beforeCommit.get(folder) !== entries && !renamedWhole(folder))
      .map(([folder]) => folder);
    // `x/y`, emptied and removed, changed `x`.
    expect(changed.map((f) => relative(dir, f)).sort()).toEqual(['', 'a', 'c', 'p', 'p/q', 'x']);

    const last = watch.flushes.at(-1) as Flush;
    expect(watch.flushes).toHaveLength(2);
    expect(last.committed).toBe(false);
    expect(last.destination).toEqual(await filesOf(dir)); // every rename done
    expect(last.folders).toEqual(expect.arrayContaining([...changed, join(staging, 'old')]));
  });

  it('a flush that fails fails the commit before anything in the destination moves', async () => {
    const { dir, staging, journal, staged } = await install();
    const untouched = await filesOf(dir);
    watch.failure = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    await expect(commitStaged(dir, staging, journal, staged)).rejects.toMatchObject({ code: 'EIO' });
    expect(await filesOf(dir)).toEqual(untouched);
    expect(watch.flushes).toHaveLength(1);
  });

  it("a flush that fails after the renames puts the old version back (no marker, the error is the flush's)", async () => {
    const { dir, staging, journal, staged } = await install();
    const untouched = await filesOf(dir);
    watch.failure = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    watch.failOn = 2;
    await expect(commitStaged(dir, staging, journal, staged)).rejects.toMatchObject({ code: 'EIO' });
    expect(watch.flushes).toHaveLength(2);
    expect((watch.flushes[1] as Flush).destination).not.toEqual(untouched); // it failed with the renames done
    expect(await filesOf(dir)).toEqual(untouched);
    expect(await readdir(staging)).not.toContain('committed');
  });

  it('a marker whose flush fails is removed before the old version is put back (recovery would take it for done)', async () => {
    const { dir, staging, journal, staged } = await install();
    const untouched = await filesOf(dir);
    marker.failsAfterWrite = true;
    await expect(commitStaged(dir, staging, journal, staged)).rejects.toMatchObject({ code: 'EIO' });
    expect(await filesOf(dir)).toEqual(untouched);
    expect(await readdir(staging)).not.toContain('committed');
  });

  it('flushes of staged files started while they were written are waited for, and one that failed fails the commit first', async () => {
    const { dir, staging, journal, staged } = await install();
    const untouched = await filesOf(dir);
    let finishEarlier: () => void = () => undefined;
    const earlier = new Promise<void>((resolve) => {
      finishEarlier = resolve;
    });
    const commit = commitStaged(dir, staging, journal, { ...staged, flushing: earlier });
    while (watch.flushes.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    await new Promise((resolve) => setTimeout(resolve, 20)); // its own flush done: only the earlier one is pending
    expect(await filesOf(dir)).toEqual(untouched);
    finishEarlier();
    await commit;
    expect(await filesOf(dir)).not.toEqual(untouched);

    const second = await install();
    const before = await filesOf(second.dir);
    const failed = Promise.reject(Object.assign(new Error('EIO: write-back failed'), { code: 'EIO' }));
    failed.catch(() => undefined);
    await expect(
      commitStaged(second.dir, second.staging, second.journal, { ...second.staged, flushing: failed }),
    ).rejects.toThrow('write-back failed');
    expect(await filesOf(second.dir)).toEqual(before);
  });
});
