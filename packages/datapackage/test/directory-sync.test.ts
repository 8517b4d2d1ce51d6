/**
 * Making a folder match a package (`install`, `forceMatch`), as a user sees it: only what is missing or changed is
 * transferred, the files the previous install put there and the new version no longer has are dropped, the user's own
 * files are kept, progress adds up; a user's file where the package needs a folder (or a folder where it needs a file)
 * or a corrupt object is refused before anything changes. (Comparing: directory-verify.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TransferProgress } from '../src/directory-sync.js';
import { ObjectHashMismatchError, PackageKeyConflictError } from '../src/errors.js';
import { hashBytes } from '../src/hashing/object-hash.js';
import { Manifest, makeHashValue } from '../src/manifest.js';
import { ObjectSource } from '../src/object-source.js';
import { snapshotTree, writeTree } from './helpers.js';
import { bytesOf, useSyncWorkspace, v1, version } from './sync-helpers.js';

const { fresh, install, verify } = useSyncWorkspace('dp-directory-sync-');

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

  it('an existing empty folder, or one holding only an empty state folder, is installed into like a new one', async () => {
    const pkg = await version({ 'top.txt': 't', 'a/b/c.txt': 'c', 'a/d.txt': 'd', 'e/f.txt': 'f' });
    for (const prepare of [
      (dir: string) => mkdir(dir),
      (dir: string) => mkdir(join(dir, '.datapkg'), { recursive: true }),
    ]) {
      const dir = fresh('dest');
      await prepare(dir);
      const result = await install(pkg, dir);
      expect(result.transferred).toHaveLength(4);
      expect(await snapshotTree(dir)).toEqual({
        'top.txt': 't',
        'a/b/c.txt': 'c',
        'a/d.txt': 'd',
        'e/f.txt': 'f',
      });
    }
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

  // Objects in a local folder (as in a file:// registry) are copied on the hash workers, read without a stat.
  it.each([
    ['a pipe', (path: string) => spawnSync('mkfifo', [path]).status === 0],
    ['a folder', async (path: string) => (await mkdir(path)) === undefined],
    ['a shorter file', async (path: string) => (await writeFile(path, 'gam')) === undefined],
    ['a longer file', async (path: string) => (await writeFile(path, 'gamma and more')) === undefined],
  ])('a local object replaced by %s fails the install with the hash mismatch (no hang) and changes nothing', async (_what, plant) => {
    const objects = fresh('objects');
    await mkdir(objects);
    const files: Record<string, string> = { 'a.txt': 'alpha', 'new/b.txt': 'beta', 'c.txt': 'gamma' };
    const manifest = new Manifest();
    for (const [key, text] of Object.entries(files)) {
      const path = join(objects, key.replaceAll('/', '-'));
      await writeFile(path, text);
      manifest.set({
        logicalKey: key,
        physicalKey: pathToFileURL(path).href,
        size: text.length,
        hash: makeHashValue({ type: 'sha2-256-chunked', value: await hashBytes(Buffer.from(text)) }),
        meta: new Map(),
      });
    }
    await rm(join(objects, 'c.txt'));
    if (!(await plant(join(objects, 'c.txt')))) return; // no mkfifo here
    const dir = fresh('dest');
    await writeTree(dir, { 'a.txt': 'old alpha', 'mine.txt': 'm' });
    const before = await snapshotTree(dir);
    const error = await install(
      { manifest, source: new ObjectSource(), store: undefined as never },
      dir,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect(String(error)).toContain('c.txt');
    expect(await snapshotTree(dir)).toEqual(before);
  });
});
