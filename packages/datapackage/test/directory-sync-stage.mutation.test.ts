/**
 * How an install stages its objects, as a user sees it: an object from a local registry too large for a hashing
 * worker's one read is still installed; after one object fails its check no further object is fetched; a path the
 * file system refuses to look up fails the install before anything is fetched, not half-way through the commit.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ObjectHashMismatchError } from '../src/errors.js';
import { hashBytes } from '../src/hashing/object-hash.js';
import { Manifest, makeHashValue } from '../src/manifest.js';
import { ObjectSource } from '../src/object-source.js';
import { snapshotTree, writeTree } from './helpers.js';
import { useSyncWorkspace, version } from './sync-helpers.js';

const { fresh, install } = useSyncWorkspace('dp-directory-sync-stage-');

/** Deterministic bytes that are not all alike (so a chunk read twice or out of order hashes differently). */
function bytesOfSize(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + (i >> 13)) % 251;
  return out;
}

describe('install from local objects', () => {
  it('an object larger than a hashing worker reads at once (9 MiB, two chunks) is installed with the small ones', async () => {
    const objects = fresh('objects');
    await mkdir(objects, { recursive: true });
    const files: Record<string, Buffer> = {
      'big/model.bin': bytesOfSize(9 * 1024 * 1024 + 123),
      'big/readme.txt': Buffer.from('a large model'),
      'small.txt': Buffer.from('small'),
    };
    const manifest = new Manifest();
    let i = 0;
    for (const [key, data] of Object.entries(files)) {
      const path = join(objects, `o${i++}`);
      await writeFile(path, data);
      manifest.set({
        logicalKey: key,
        physicalKey: pathToFileURL(path).href,
        size: data.length,
        hash: makeHashValue({ type: 'sha2-256-chunked', value: await hashBytes(data) }),
        meta: new Map(),
      });
    }
    const dir = fresh('dest');
    const result = await install({ manifest, source: new ObjectSource(), store: undefined as never }, dir);
    expect(result.transferred).toEqual(['big/model.bin', 'big/readme.txt', 'small.txt']);
    for (const [key, data] of Object.entries(files)) {
      expect((await readFile(join(dir, ...key.split('/')))).equals(data), key).toBe(true);
    }
  });
});

describe('a failed object', () => {
  it('stops the downloads: with one at a time, none starts after the first fails its check', async () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, k) => [`f${k}.txt`, `file ${k}`]));
    const pkg = await version(files);
    await pkg.store.put('objects/f0.txt', 'tampered bytes'); // the first one fetched
    const reads = vi.spyOn(pkg.source, 'readAll');
    const dir = fresh('dest');
    await writeTree(dir, { 'mine.txt': 'mine' });
    const error = await install(pkg, dir, { concurrency: 1 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect((error as Error).message).toContain('f0.txt');
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await snapshotTree(dir)).toEqual({ 'mine.txt': 'mine' });
  });
});

describe('a path the file system refuses', () => {
  it('a name over the 255-byte limit fails the install with that error before any object is fetched', async () => {
    const long = `${'n'.repeat(300)}.txt`;
    const pkg = await version({ 'a.txt': 'alpha', [long]: 'too long a name' });
    const reads = vi.spyOn(pkg.source, 'readAll');
    const dir = fresh('dest');
    await writeTree(dir, { 'mine.txt': 'mine' });
    const error = await install(pkg, dir).catch((e: NodeJS.ErrnoException) => e);
    expect(error).toMatchObject({ code: 'ENAMETOOLONG' });
    expect(reads).not.toHaveBeenCalled();
    expect(await snapshotTree(dir)).toEqual({ 'mine.txt': 'mine' });
  });
});
