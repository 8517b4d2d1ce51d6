/**
 * What the stat cache knows about a path, as the file hasher asks it (`has`: is this file new to the cache?), for any
 * path a folder can hold (names such as `constructor` or `__proto__` too), and what a hand-edited or damaged cache
 * file with entries of the wrong shape leaves: unknown files, which are hashed and recorded again.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileIdentity, StatCache } from '../src/hashing/stat-cache.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`, 'stat-cache.json');
beforeAll(async () => {
  work = await tempDir('dp-stat-cache-entries-');
});
afterAll(async () => {
  await work.cleanup();
});

const file: FileIdentity = { size: 10, mtimeMs: 1_700_000_000_123.456, ino: 42 };
const OBJECT_NAMES = ['/d/constructor', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

describe('has: whether the cache knows anything about a path', () => {
  it('knows the paths recorded, whatever their identity now, and no other', async () => {
    const path = fresh('has');
    const cache = await StatCache.open(path);
    expect(cache.has('/d/a')).toBe(false);
    cache.record('/d/a', file, 'SHA256', 'hex');
    expect(cache.has('/d/a')).toBe(true);
    expect(cache.has('/d/b')).toBe(false);
    await cache.save();
    const reopened = await StatCache.open(path);
    expect(reopened.has('/d/a')).toBe(true);
    expect(reopened.has('/d/b')).toBe(false);
  });

  it('a path named like a property of every object is unknown until recorded, then kept like any other', async () => {
    const path = fresh('names');
    const cache = await StatCache.open(path);
    for (const name of OBJECT_NAMES) {
      expect(cache.has(name)).toBe(false);
      expect(cache.lookup(name, file, 'SHA256')).toBeUndefined();
    }
    cache.record('/d/other', file, 'SHA256', 'other');
    await cache.save();
    const opened = await StatCache.open(path);
    for (const name of OBJECT_NAMES) {
      expect(opened.has(name)).toBe(false);
      expect(opened.lookup(name, file, 'SHA256')).toBeUndefined();
    }
    OBJECT_NAMES.forEach((name, i) => {
      opened.record(name, { ...file, ino: i }, 'SHA256', `hex${i}`);
    });
    await opened.save();
    const again = await StatCache.open(path);
    OBJECT_NAMES.forEach((name, i) => {
      expect(again.has(name)).toBe(true);
      expect(again.lookup(name, { ...file, ino: i }, 'SHA256')).toBe(`hex${i}`);
    });
    expect(again.lookup('/d/other', file, 'SHA256')).toBe('other');
  });
});

describe('a cache file of the wrong shape', () => {
  it('entries that are no object start an empty cache, which records and saves as usual', async () => {
    for (const entries of ['/d/a', 42, true, null]) {
      const path = fresh('entries');
      const cache = await StatCache.open(path);
      cache.record('/d/a', file, 'SHA256', 'hex');
      await cache.save();
      const saved = JSON.parse(await readFile(path, 'utf8'));
      await writeFile(path, JSON.stringify({ ...saved, entries }));
      const opened = await StatCache.open(path);
      expect(opened.has('/d/a')).toBe(false);
      expect(opened.lookup('/d/a', file, 'SHA256')).toBeUndefined();
      opened.record('/d/a', file, 'SHA256', 'again');
      await opened.save();
      expect((await StatCache.open(path)).lookup('/d/a', file, 'SHA256')).toBe('again');
    }
  });

  it('an entry whose hashes are not an object is an unknown file, and recording it replaces the entry', async () => {
    const path = fresh('hashes');
    const cache = await StatCache.open(path);
    cache.record('/d/a', file, 'SHA256', 'hex');
    await cache.save();
    const saved = JSON.parse(await readFile(path, 'utf8'));
    const broken = ['SHA256', 7, true];
    broken.forEach((hashes, i) => {
      saved.entries[`/d/bad${i}`] = [file.size, file.mtimeMs, file.ino, hashes];
    });
    await writeFile(path, JSON.stringify(saved));
    const opened = await StatCache.open(path);
    broken.forEach((_, i) => {
      const key = `/d/bad${i}`;
      expect(opened.lookup(key, file, 'SHA256')).toBeUndefined();
      opened.record(key, file, 'SHA256', `fixed${i}`);
      expect(opened.lookup(key, file, 'SHA256')).toBe(`fixed${i}`);
    });
    await opened.save();
    const again = await StatCache.open(path);
    broken.forEach((_, i) => {
      expect(again.lookup(`/d/bad${i}`, file, 'SHA256')).toBe(`fixed${i}`);
    });
  });
});
