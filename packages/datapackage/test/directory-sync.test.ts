/**
 * Comparing a folder with a package and making it match (`verify`, `install`, `forceMatch`), as a user sees it: what
 * is missing, extra or changed (in tree order); an install transfers only what is missing or changed, drops what the
 * previous install put there and the new version no longer has, keeps the user's own files, and reports progress
 * that adds up; a user's file where the package needs a folder (or a folder where it needs a file) is refused before
 * anything changes; a manifest that was never built, or names a hash type or key that cannot be trusted, is refused
 * before the folder is even created.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryBlobStore } from '@mlclients/package-core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareDirectory,
  type SyncOptions,
  type SyncResult,
  syncDirectory,
  type TransferProgress,
} from '../src/directory-sync.js';
import {
  InvalidLogicalKeyError,
  ObjectHashMismatchError,
  PackageKeyConflictError,
  PackageNotBuiltError,
  UnsupportedHashTypeError,
} from '../src/errors.js';
import { FileHasher } from '../src/hashing/file-hasher.js';
import { hashBytes, LEGACY_SHA256 } from '../src/hashing/object-hash.js';
import { Manifest, makeHashValue } from '../src/manifest.js';
import { ObjectSource } from '../src/object-source.js';
import { snapshotTree, tempDir, writeTree } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let hasher: FileHasher;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);
beforeAll(async () => {
  work = await tempDir('dp-directory-sync-');
  process.env.MLC_DATAPKG_STATE_DIR = join(work.path, 'state');
  hasher = new FileHasher({ workers: 1 });
});
afterAll(async () => {
  await hasher.close();
  await work.cleanup();
});

/** A package version: its manifest, and a source holding its objects in a memory store. */
interface Version {
  manifest: Manifest;
  source: ObjectSource;
  store: MemoryBlobStore;
}

/** The manifest of `files` with every object in one memory store (optionally a hash type per key). */
async function version(files: Record<string, string>, types: Record<string, string> = {}): Promise<Version> {
  const url = `memory://sync-${n++}`;
  const store = new MemoryBlobStore(url);
  const source = new ObjectSource();
  source.register(url, store);
  const manifest = new Manifest();
  for (const [key, text] of Object.entries(files)) {
    await store.put(`objects/${key}`, text);
    const type = types[key] ?? 'sha2-256-chunked';
    manifest.set({
      logicalKey: key,
      physicalKey: `${url}/objects/${key}`,
      size: Buffer.byteLength(text),
      hash: makeHashValue({ type, value: await hashBytes(Buffer.from(text), type) }),
      meta: new Map(),
    });
  }
  return { manifest, source, store };
}

const install = (v: Version, dir: string, options: SyncOptions = {}): Promise<SyncResult> =>
  syncDirectory(v.manifest, dir, v.source, hasher, options);
const verify = (v: Version, dir: string, options: Parameters<typeof compareDirectory>[3] = {}) =>
  compareDirectory(v.manifest, dir, hasher, options);

const v1: Record<string, string> = {
  'a.txt': 'alpha',
  'data/b.csv': 'b,1\n',
  'data/deep/c.bin': 'c'.repeat(100),
  'z.txt': 'zed',
};
const bytesOf = (files: Record<string, string>) =>
  Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0);

describe('verify', () => {
  it('a folder holding exactly the package matches', async () => {
    const pkg = await version(v1);
    const dir = fresh('dir');
    await writeTree(dir, v1);
    expect(await verify(pkg, dir)).toEqual({ missing: [], extra: [], changed: [], matches: true });
  });

  it('lists missing, extra and changed files (changed: other content of the same size, or another size)', async () => {
    const pkg = await version(v1);
    const dir = fresh('dir');
    await writeTree(dir, {
      'a.txt': 'ALPHA', // same size, other bytes
      'data/deep/c.bin': 'c'.repeat(99), // other size
      'z.txt': 'zed',
      'mine/y.txt': 'y',
      'extra.txt': 'x',
    });
    expect(await verify(pkg, dir)).toEqual({
      missing: ['data/b.csv'],
      extra: ['extra.txt', 'mine/y.txt'],
      changed: ['a.txt', 'data/deep/c.bin'],
      matches: false,
    });
  });

  it('lists in tree order (a/b before a-c), whatever the order of the folder', async () => {
    const pkg = await version({ 'a-c': '1', 'a/b': '2', 'b/x': '3', B: '4', 'b/y': '5' });
    const dir = fresh('dir');
    await writeTree(dir, { 'b/y': '0', 'a-c': '9', 'a/b': '8', 'b/x': '77', B: '6', 'a/b2': 'x', A: 'x' });
    expect(await verify(pkg, dir)).toEqual({
      missing: [],
      extra: ['A', 'a/b2'],
      changed: ['B', 'a/b', 'a-c', 'b/x', 'b/y'],
      matches: false,
    });
    expect((await verify(pkg, fresh('none'))).missing).toEqual(['B', 'a/b', 'a-c', 'b/x', 'b/y']);
  });

  it('extra files are allowed only when asked; missing or changed ones never are', async () => {
    const pkg = await version(v1);
    const dir = fresh('dir');
    await writeTree(dir, { ...v1, 'extra.txt': 'x' });
    expect((await verify(pkg, dir)).matches).toBe(false);
    expect((await verify(pkg, dir, { extraFilesOk: true })).matches).toBe(true);
    await writeFile(join(dir, 'a.txt'), 'ALPHA');
    expect((await verify(pkg, dir, { extraFilesOk: true })).matches).toBe(false);
    await writeTree(dir, { 'a.txt': 'alpha' });
    await rm(join(dir, 'z.txt'));
    expect(await verify(pkg, dir, { extraFilesOk: true })).toMatchObject({
      missing: ['z.txt'],
      matches: false,
    });
  });

  it('a folder that does not exist has every file missing, and is not created', async () => {
    const pkg = await version(v1);
    const dir = fresh('absent');
    expect(await verify(pkg, dir)).toEqual({
      missing: ['a.txt', 'data/b.csv', 'data/deep/c.bin', 'z.txt'],
      extra: [],
      changed: [],
      matches: false,
    });
    expect(existsSync(dir)).toBe(false);
  });

  it('each file is checked with the hash type of its entry (legacy SHA256 too)', async () => {
    const pkg = await version({ 'old.txt': 'old', 'new.txt': 'new' }, { 'old.txt': LEGACY_SHA256 });
    const dir = fresh('dir');
    await writeTree(dir, { 'old.txt': 'old', 'new.txt': 'new' });
    expect((await verify(pkg, dir)).matches).toBe(true);
    await writeTree(dir, { 'old.txt': 'OLD' });
    expect((await verify(pkg, dir)).changed).toEqual(['old.txt']);
  });

  it('reports hashing progress as snapshots; a second verify of an unchanged folder reads no file', async () => {
    const pkg = await version(v1);
    const dir = fresh('dir');
    await writeTree(dir, v1);
    const first: TransferProgress[] = [];
    await verify(pkg, dir, { onProgress: (p) => first.push(p) });
    expect(first.at(-1)).toEqual({
      bytesDone: bytesOf(v1),
      bytesTotal: bytesOf(v1),
      filesDone: 4,
      filesTotal: 4,
    });
    expect(new Set(first).size).toBe(first.length);
    const second: TransferProgress[] = [];
    expect((await verify(pkg, dir, { onProgress: (p) => second.push(p) })).matches).toBe(true);
    expect(second.every((p) => p.filesDone === 0)).toBe(true);
  });
});

describe('install', () => {
  it('into a new folder: every file, byte for byte, and the counts', async () => {
    const pkg = await version(v1);
    const dir = fresh('dest');
    const reports: TransferProgress[] = [];
    const result = await install(pkg, dir, { onProgress: (p) => reports.push(p) });
    expect(await snapshotTree(dir)).toEqual(v1);
    expect(result).toEqual({
      missing: ['a.txt', 'data/b.csv', 'data/deep/c.bin', 'z.txt'],
      changed: [],
      extra: [],
      matches: true,
      transferred: ['a.txt', 'data/b.csv', 'data/deep/c.bin', 'z.txt'],
      removed: [],
      bytesTransferred: bytesOf(v1),
    });
    expect(reports.at(-1)).toEqual({
      bytesDone: bytesOf(v1),
      bytesTotal: bytesOf(v1),
      filesDone: 4,
      filesTotal: 4,
    });
    expect(new Set(reports).size).toBe(reports.length);
  });

  it('again: transfers nothing; after a local edit: only that file', async () => {
    const pkg = await version(v1);
    const dir = fresh('dest');
    await install(pkg, dir);
    expect(await install(pkg, dir)).toMatchObject({ transferred: [], removed: [], bytesTransferred: 0 });
    await writeFile(join(dir, 'data', 'b.csv'), 'b,2\n');
    expect(await install(pkg, dir)).toMatchObject({
      changed: ['data/b.csv'],
      transferred: ['data/b.csv'],
      bytesTransferred: 4,
    });
    expect(await snapshotTree(dir)).toEqual(v1);
    // The files it wrote are known to the stat cache: checking the folder reads nothing.
    const reports: TransferProgress[] = [];
    expect((await verify(pkg, dir, { onProgress: (p) => reports.push(p) })).matches).toBe(true);
    expect(reports.every((p) => p.filesDone === 0)).toBe(true);
  });

  it("a new version drops the files the old one installed and keeps the user's own", async () => {
    const first = await version(v1);
    const second = await version({ 'a.txt': 'alpha 2', 'new/n.txt': 'n' });
    const dir = fresh('dest');
    await install(first, dir);
    await writeTree(dir, { 'mine.txt': 'my notes', 'data/mine.csv': 'mine' });
    const result = await install(second, dir, { removeExtra: new Set(first.manifest.keysUnder('')) });
    expect(result.removed).toEqual(['data/b.csv', 'data/deep/c.bin', 'z.txt']);
    expect(result.transferred).toEqual(['new/n.txt', 'a.txt']);
    expect(result.extra).toEqual(['data/b.csv', 'data/deep/c.bin', 'data/mine.csv', 'mine.txt', 'z.txt']);
    expect(await snapshotTree(dir)).toEqual({
      'a.txt': 'alpha 2',
      'new/n.txt': 'n',
      'mine.txt': 'my notes',
      'data/mine.csv': 'mine',
    });
  });

  it('removeExtra: true (forceMatch) removes every file the package does not have, and empty folders with them', async () => {
    const pkg = await version({ 'a.txt': 'alpha' });
    const dir = fresh('dest');
    await writeTree(dir, { 'a.txt': 'ALPHA', 'mine.txt': 'x', 'deep/er/y.txt': 'y' });
    const result = await install(pkg, dir, { removeExtra: true });
    expect(result.removed).toEqual(['deep/er/y.txt', 'mine.txt']);
    expect(result.transferred).toEqual(['a.txt']);
    expect(await snapshotTree(dir)).toEqual({ 'a.txt': 'alpha' });
    expect(existsSync(join(dir, 'deep'))).toBe(false);
  });

  it("a user's file where the package has a folder is refused, naming both, and nothing changes", async () => {
    const pkg = await version({ 'data/x.csv': 'x', 'top.txt': 'top' });
    const dir = fresh('dest');
    await writeTree(dir, { data: 'a file called data', 'mine.txt': 'm' });
    const before = await snapshotTree(dir);
    const error = await install(pkg, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageKeyConflictError);
    expect((error as Error).message).toBe(
      `cannot write "data/x.csv" into ${dir}: "data" is a file there (use forceMatch to replace it)`,
    );
    expect(await snapshotTree(dir)).toEqual(before);
    // A deeper one too; and forceMatch replaces it.
    const deeper = await version({ 'mine.txt/x/y': 'y' });
    await expect(install(deeper, dir)).rejects.toThrow('"mine.txt" is a file there');
    await install(pkg, dir, { removeExtra: true });
    expect(await snapshotTree(dir)).toEqual({ 'data/x.csv': 'x', 'top.txt': 'top' });
  });

  it('a folder where the package has a file is refused, naming it, and nothing changes', async () => {
    const pkg = await version({ report: 'the report', 'top.txt': 'top' });
    const dir = fresh('dest');
    await writeTree(dir, { 'report/draft.txt': 'draft' });
    const before = await snapshotTree(dir);
    await expect(install(pkg, dir)).rejects.toThrow(
      new PackageKeyConflictError(`cannot write "report" into ${dir}: a folder is in the way`),
    );
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('new folders, nested deep, land whole next to existing ones', async () => {
    const pkg = await version({
      'old/keep.txt': 'k',
      'old/new/deeper/x.txt': 'x',
      'old/new/deeper/y.txt': 'y',
      'fresh/a/b/c.txt': 'c',
      'fresh/d.txt': 'd',
    });
    const dir = fresh('dest');
    await writeTree(dir, { 'old/keep.txt': 'k' });
    const result = await install(pkg, dir);
    expect(result.transferred).toEqual([
      'fresh/a/b/c.txt',
      'fresh/d.txt',
      'old/new/deeper/x.txt',
      'old/new/deeper/y.txt',
    ]);
    expect(await snapshotTree(dir)).toEqual({
      'old/keep.txt': 'k',
      'old/new/deeper/x.txt': 'x',
      'old/new/deeper/y.txt': 'y',
      'fresh/a/b/c.txt': 'c',
      'fresh/d.txt': 'd',
    });
  });

  it('a corrupt object fails the install with the hash mismatch and changes nothing', async () => {
    const pkg = await version({ 'a.txt': 'alpha', 'new/b.txt': 'beta', 'c.txt': 'gamma' });
    await pkg.store.put('objects/c.txt', 'GAMMA');
    const dir = fresh('dest');
    await writeTree(dir, { 'a.txt': 'old alpha', 'mine.txt': 'm' });
    const before = await snapshotTree(dir);
    await expect(install(pkg, dir, { removeExtra: true })).rejects.toThrow(ObjectHashMismatchError);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('a missing parent folder of the destination is created', async () => {
    const pkg = await version({ 'only.txt': 'o' });
    const nested = join(fresh('parent'), 'child', 'dest');
    await install(pkg, nested);
    expect(await snapshotTree(nested)).toEqual({ 'only.txt': 'o' });
  });

  it('many files at once, fewer downloads in parallel than files: every one lands', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`d${i % 3}/f${i}.txt`] = `file ${i}`;
    const pkg = await version(files);
    const dir = fresh('dest');
    const result = await install(pkg, dir, { concurrency: 3 });
    expect(result.transferred.length).toBe(40);
    expect(await snapshotTree(dir)).toEqual(files);
  });
});

describe('refused before the folder is even created', () => {
  async function broken(change: (manifest: Manifest) => void): Promise<{ pkg: Version; dir: string }> {
    const pkg = await version({ 'ok.txt': 'ok', 'b.txt': 'b' });
    change(pkg.manifest);
    return { pkg, dir: fresh('dest') };
  }

  it('an entry without a hash (never built), naming it', async () => {
    const { pkg, dir } = await broken((manifest) => {
      const entry = manifest.get('b.txt');
      if (entry) manifest.set({ ...entry, hash: null });
    });
    await expect(install(pkg, dir)).rejects.toThrow(PackageNotBuiltError);
    await expect(verify(pkg, dir)).rejects.toThrow('entry "b.txt" has no hash: nothing to verify against');
    expect(existsSync(dir)).toBe(false);
  });

  it('an entry without a size, naming it', async () => {
    const { pkg, dir } = await broken((manifest) => {
      const entry = manifest.get('b.txt');
      if (entry) manifest.set({ ...entry, size: null });
    });
    await expect(verify(pkg, dir)).rejects.toThrow('entry "b.txt" has no hash: nothing to verify against');
    expect(existsSync(dir)).toBe(false);
  });

  it('an unsupported hash type, naming the entry', async () => {
    const { pkg, dir } = await broken((manifest) => {
      const entry = manifest.get('b.txt');
      if (entry) manifest.set({ ...entry, hash: makeHashValue({ type: 'MD5', value: 'AAAA' }) });
    });
    await expect(install(pkg, dir)).rejects.toThrow(UnsupportedHashTypeError);
    await expect(verify(pkg, dir)).rejects.toThrow('unsupported hash type "MD5" for "b.txt"');
    expect(existsSync(dir)).toBe(false);
  });

  it('a key that would leave the folder on some OS', async () => {
    for (const key of ['..\\evil.txt', 'C:evil.txt']) {
      const { pkg, dir } = await broken((manifest) => {
        const entry = manifest.get('b.txt');
        if (entry) manifest.set({ ...entry, logicalKey: key }); // a hand-written manifest: no validation on set
      });
      await expect(install(pkg, dir)).rejects.toThrow(InvalidLogicalKeyError);
      expect(existsSync(dir)).toBe(false);
    }
  });
});
