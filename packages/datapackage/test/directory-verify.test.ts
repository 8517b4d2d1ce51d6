/**
 * Comparing a folder with a package (`verify`, and the first step of every install), as a user sees it: what is
 * missing, extra or changed (in tree order), each file checked with its entry's hash type, nothing read twice; a
 * manifest that was never built, or names a hash type or key that cannot be trusted, is refused before the folder is
 * even created. (Installing: directory-sync.test.ts.)
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TransferProgress } from '../src/directory-sync.js';
import { InvalidLogicalKeyError, PackageNotBuiltError, UnsupportedHashTypeError } from '../src/errors.js';
import { LEGACY_SHA256 } from '../src/hashing/object-hash.js';
import { type Manifest, makeHashValue } from '../src/manifest.js';
import { writeTree } from './helpers.js';
import { bytesOf, useSyncWorkspace, type Version, v1, version } from './sync-helpers.js';

const { fresh, install, verify } = useSyncWorkspace('dp-directory-verify-');

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

  it('an empty file is present, not missing; a destination that is a file is an error, not an empty folder', async () => {
    const pkg = await version({ 'empty.txt': '', 'a.txt': 'a' });
    const dir = fresh('dir');
    await writeTree(dir, { 'empty.txt': '', 'a.txt': 'a' });
    expect(await verify(pkg, dir)).toEqual({ missing: [], extra: [], changed: [], matches: true });
    await expect(verify(pkg, join(dir, 'a.txt'))).rejects.toMatchObject({ code: 'ENOTDIR' });
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
