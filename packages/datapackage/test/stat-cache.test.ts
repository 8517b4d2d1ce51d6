/**
 * The stat cache a user's re-hash relies on: a file whose size, mtime and inode did not change is answered from the
 * cache, any change (or another hash type) is not; the cache file survives a restart, and a missing, corrupt or
 * other-version file just starts empty.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FileIdentity, identityOf, StatCache } from '../src/hashing/stat-cache.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);
beforeAll(async () => {
  work = await tempDir('dp-stat-cache-');
});
afterAll(async () => {
  await work.cleanup();
});

const file: FileIdentity = { size: 10, mtimeMs: 1_700_000_000_123.456, ino: 42 };

describe('lookup', () => {
  it('answers a recorded file while its size, mtime and inode are unchanged, per hash type', () => {
    const cache = StatCache.inMemory();
    expect(cache.lookup('/d/a', file, 'SHA256')).toBeUndefined();
    cache.record('/d/a', file, 'SHA256', 'hex');
    cache.record('/d/a', { ...file }, 'sha2-256-chunked', 'b64');
    expect(cache.lookup('/d/a', { ...file }, 'SHA256')).toBe('hex');
    expect(cache.lookup('/d/a', file, 'sha2-256-chunked')).toBe('b64');
    expect(cache.lookupBy('/d/a', file.size, file.mtimeMs, file.ino, 'SHA256')).toBe('hex');
    expect(cache.lookup('/d/a', file, 'CRC64NVME')).toBeUndefined();
    expect(cache.lookup('/d/b', file, 'SHA256')).toBeUndefined();
  });

  it('misses as soon as the size, the mtime or the inode differ', () => {
    const cache = StatCache.inMemory();
    cache.record('/d/a', file, 'SHA256', 'hex');
    expect(cache.lookup('/d/a', { ...file, size: 11 }, 'SHA256')).toBeUndefined();
    expect(cache.lookup('/d/a', { ...file, mtimeMs: file.mtimeMs + 0.001 }, 'SHA256')).toBeUndefined();
    expect(cache.lookup('/d/a', { ...file, ino: 43 }, 'SHA256')).toBeUndefined();
  });

  it('a file recorded with a new identity forgets the hashes of its old version', () => {
    const cache = StatCache.inMemory();
    cache.record('/d/a', file, 'SHA256', 'old-hex');
    cache.record('/d/a', file, 'CRC64NVME', 'old-crc');
    // Any one of size, mtime and inode makes it another version.
    for (const changed of [
      { ...file, mtimeMs: file.mtimeMs + 1 },
      { ...file, size: file.size + 1 },
      { ...file, ino: file.ino + 1 },
    ]) {
      cache.record('/d/a', file, 'SHA256', 'old-hex');
      cache.record('/d/a', file, 'CRC64NVME', 'old-crc');
      cache.record('/d/a', changed, 'SHA256', 'new-hex');
      expect(cache.lookup('/d/a', changed, 'SHA256')).toBe('new-hex');
      expect(cache.lookup('/d/a', changed, 'CRC64NVME')).toBeUndefined();
      expect(cache.lookup('/d/a', file, 'SHA256')).toBeUndefined();
    }
  });

  it('identityOf takes size, mtime and inode from a stat', async () => {
    const path = fresh('file');
    await writeFile(path, 'twelve bytes');
    const info = await stat(path);
    expect(identityOf(info)).toEqual({ size: 12, mtimeMs: info.mtimeMs, ino: info.ino });
  });
});

describe('the cache file', () => {
  it('survives a restart: what was saved is answered by a cache opened from the same file', async () => {
    const path = join(fresh('state'), 'nested', 'stat-cache.json');
    const cache = await StatCache.open(path); // no file yet: empty, and the folder is made on save
    expect(cache.file).toBe(path);
    cache.record('/d/a', file, 'SHA256', 'hex');
    cache.record('/d/b', { ...file, ino: 7 }, 'sha2-256-chunked', 'b64');
    await cache.save();
    const reopened = await StatCache.open(path);
    expect(reopened.lookup('/d/a', file, 'SHA256')).toBe('hex');
    expect(reopened.lookup('/d/b', { ...file, ino: 7 }, 'sha2-256-chunked')).toBe('b64');
    expect(reopened.lookup('/d/b', file, 'sha2-256-chunked')).toBeUndefined();
  });

  it('is written only when something changed since it was read or last saved', async () => {
    const path = join(fresh('state'), 'stat-cache.json');
    const empty = await StatCache.open(path);
    await empty.save();
    expect(existsSync(path)).toBe(false);
    empty.record('/d/a', file, 'SHA256', 'hex');
    await empty.save();
    const written = await readFile(path, 'utf8');
    await rm(path);
    empty.record('/d/a', file, 'SHA256', 'hex'); // the same value again: nothing new
    await empty.save();
    expect(existsSync(path)).toBe(false);
    empty.record('/d/a', file, 'SHA256', 'other');
    await empty.save();
    expect(await readFile(path, 'utf8')).not.toBe(written);
  });

  it('a save asked for while one is writing the same changes joins it; one asked for after a change writes again', async () => {
    const path = join(fresh('state'), 'stat-cache.json');
    const cache = await StatCache.open(path);
    cache.record('/d/a', file, 'SHA256', 'hex');
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const first = cache.save();
      const joined = cache.save(); // nothing changed since the first began: the same write
      cache.record('/d/b', { ...file, ino: 7 }, 'SHA256', 'hex-b'); // a change while it is written
      const later = cache.save();
      await Promise.all([first, joined, later]);
      expect(stringify.mock.calls.filter(([value]) => value?.entries !== undefined)).toHaveLength(2);
    } finally {
      stringify.mockRestore();
    }
    const reopened = await StatCache.open(path);
    expect(reopened.lookup('/d/a', file, 'SHA256')).toBe('hex');
    expect(reopened.lookup('/d/b', { ...file, ino: 7 }, 'SHA256')).toBe('hex-b');
  });

  it('a change recorded while a save is under way keeps the cache unsaved: the next save writes again', async () => {
    const path = join(fresh('state'), 'stat-cache.json');
    const cache = await StatCache.open(path);
    cache.record('/d/a', file, 'SHA256', 'hex');
    const saving = cache.save();
    cache.record('/d/b', { ...file, ino: 7 }, 'SHA256', 'hex-b'); // before the first save's write
    await saving;
    await rm(path); // whatever the first save wrote
    await cache.save(); // still has something to write: the change made during the first save
    expect((await StatCache.open(path)).lookup('/d/b', { ...file, ino: 7 }, 'SHA256')).toBe('hex-b');
  });

  it('a cache file that cannot be written fails save() with the error and leaves no temp file behind', async () => {
    const dir = fresh('state');
    const path = join(dir, 'stat-cache.json');
    await mkdir(join(path, 'in-the-way'), { recursive: true }); // a folder where the file should go
    const cache = await StatCache.open(path);
    cache.record('/d/a', file, 'SHA256', 'hex');
    await expect(cache.save()).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(await readdir(dir)).toEqual(['stat-cache.json']);
    // Still unsaved: once the way is clear, the next save writes it.
    await rm(path, { recursive: true });
    await cache.save();
    expect((await StatCache.open(path)).lookup('/d/a', file, 'SHA256')).toBe('hex');
  });

  it('malformed entries of a hand-edited file are unknown files, and recording replaces them', async () => {
    const path = join(fresh('state'), 'stat-cache.json');
    const cache = await StatCache.open(path);
    cache.record('/d/good', file, 'SHA256', 'hex');
    await cache.save();
    const saved = JSON.parse(await readFile(path, 'utf8'));
    const broken = [
      'not an entry',
      null,
      { size: file.size, mtimeMs: file.mtimeMs, ino: file.ino, hashes: { SHA256: 'x' } },
      [file.size, file.mtimeMs, file.ino],
      [file.size, file.mtimeMs, file.ino, null],
      [file.size, file.mtimeMs, file.ino, { SHA256: 42 }],
    ];
    broken.forEach((entry, i) => {
      saved.entries[`/d/bad${i}`] = entry;
    });
    await writeFile(path, JSON.stringify(saved));
    const reopened = await StatCache.open(path);
    expect(reopened.lookup('/d/good', file, 'SHA256')).toBe('hex');
    broken.forEach((_, i) => {
      expect(reopened.lookup(`/d/bad${i}`, file, 'SHA256')).toBeUndefined();
      reopened.record(`/d/bad${i}`, file, 'SHA256', `fixed${i}`);
      expect(reopened.lookup(`/d/bad${i}`, file, 'SHA256')).toBe(`fixed${i}`);
    });
  });

  it('a file whose entries are a list instead of an object starts empty and is written whole again', async () => {
    const path = join(fresh('state'), 'stat-cache.json');
    const cache = await StatCache.open(path);
    cache.record('/d/a', file, 'SHA256', 'hex');
    await cache.save();
    const saved = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...saved, entries: [] }));
    const reopened = await StatCache.open(path);
    expect(reopened.lookup('/d/a', file, 'SHA256')).toBeUndefined();
    reopened.record('/d/a', file, 'SHA256', 'hex');
    await reopened.save();
    expect((await StatCache.open(path)).lookup('/d/a', file, 'SHA256')).toBe('hex');
  });

  it('an in-memory cache writes nothing', async () => {
    const cache = StatCache.inMemory();
    expect(cache.file).toBeUndefined();
    cache.record('/d/a', file, 'SHA256', 'hex');
    await expect(cache.save()).resolves.toBeUndefined();
  });

  it('a corrupt file, or one of another format version, starts an empty cache', async () => {
    const dir = fresh('state');
    const corrupt = join(dir, 'corrupt.json');
    const old = join(dir, 'old.json');
    const cache = await StatCache.open(join(dir, 'good.json'));
    cache.record('/d/a', file, 'SHA256', 'hex');
    await cache.save();
    const good = JSON.parse(await readFile(join(dir, 'good.json'), 'utf8'));
    await writeFile(corrupt, '{"version": 2, "entries": ');
    await writeFile(old, JSON.stringify({ ...good, version: good.version - 1 }));
    expect((await StatCache.open(corrupt)).lookup('/d/a', file, 'SHA256')).toBeUndefined();
    expect((await StatCache.open(old)).lookup('/d/a', file, 'SHA256')).toBeUndefined();
    // A file of the current version with the same entries is read.
    await writeFile(old, JSON.stringify(good));
    expect((await StatCache.open(old)).lookup('/d/a', file, 'SHA256')).toBe('hex');
  });
});
