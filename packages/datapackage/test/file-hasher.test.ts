/**
 * Hashing local files as `datapkg hash`, build and verify do: every file gets the value its bytes have (small files in
 * batches, large ones in chunk ranges on several workers, legacy SHA256 and CRC64NVME too), an unchanged file is
 * answered by the stat cache without reading it and a changed one is read again, progress adds up to the work done,
 * and a directory, a missing path or an unknown hash type is refused by name.
 *
 * Quick on purpose (the mutation area `datapackage/file-hasher` runs it for every mutant): few hashers (each starts
 * worker threads), the files written once, on first use, and only two larger than one 8 MiB chunk.
 */
import { truncateSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedHashTypeError } from '../src/errors.js';
import { MIN_CHUNK_SIZE } from '../src/hashing/chunk-size.js';
import { FileHasher, type HashProgress } from '../src/hashing/file-hasher.js';
import { CHUNKED_SHA256, CRC64NVME, hashBytes, LEGACY_SHA256 } from '../src/hashing/object-hash.js';
import { StatCache } from '../src/hashing/stat-cache.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);

/**
 * Bytes that differ from chunk to chunk: a pattern whose length (65,537) does not divide the 8 MiB chunk size, so
 * chunks hashed out of order, twice or not at all give another value. Filled natively (quick for tens of MiB).
 */
function patterned(length: number, seed: number): Buffer {
  const period = Buffer.alloc(65_537);
  for (let i = 0; i < period.length; i++) period[i] = (i * 13 + seed + (i >>> 9)) & 0xff;
  return length === 0 ? Buffer.alloc(0) : Buffer.alloc(length, period);
}

interface Fixture {
  path: string;
  data: Buffer;
}

/** A file written on first use only: each mutant run of the area runs just the tests that reach the mutated code. */
function lazyFile(name: string, make: () => Buffer): () => Promise<Fixture> {
  let made: Promise<Fixture> | undefined;
  return () => {
    made ??= (async () => {
      const path = join(work.path, name);
      const data = make();
      await writeFile(path, data);
      return { path, data };
    })();
    return made;
  };
}

const empty = lazyFile('empty', () => Buffer.alloc(0));
const one = lazyFile('one', () => Buffer.from('a'));
const small = lazyFile('small', () => patterned(5000, 1));
const twoChunks = lazyFile('two-chunks', () => patterned(MIN_CHUNK_SIZE + 1, 2));
const fiveChunks = lazyFile('five-chunks', () => patterned(4 * MIN_CHUNK_SIZE + 3, 3));

/** Two thousand one-line files: the count at which stat moves to the workers. */
let manyMade: Promise<Fixture[]> | undefined;
function many(): Promise<Fixture[]> {
  manyMade ??= (async () => {
    const dir = join(work.path, 'many');
    await mkdir(dir);
    const files = Array.from({ length: 2000 }, (_, i) => ({
      path: join(dir, `f${i}`),
      data: Buffer.from(`${i}\n`),
    }));
    await Promise.all(files.map((f) => writeFile(f.path, f.data)));
    return files;
  })();
  return manyMade;
}

beforeAll(async () => {
  work = await tempDir('dp-file-hasher-');
});
afterAll(async () => {
  await work.cleanup();
});

async function withHasher<T>(
  options: ConstructorParameters<typeof FileHasher>[0],
  run: (h: FileHasher) => Promise<T>,
): Promise<T> {
  const hasher = new FileHasher(options);
  try {
    return await run(hasher);
  } finally {
    await hasher.close();
  }
}

/** A copy of `data` in a fresh file (for tests that change it). */
async function fileWith(data: string | Buffer): Promise<string> {
  const path = fresh('file');
  await writeFile(path, data);
  return path;
}

describe('values', () => {
  it('every file gets the value of its bytes: empty to two chunks on two workers, each hash type, mixed types', async () => {
    const files = await Promise.all([empty(), one(), small(), twoChunks()]);
    await withHasher({ workers: 2 }, async (hasher) => {
      const results = await hasher.hashFiles(files.map((f) => f.path));
      expect(results.size).toBe(files.length);
      for (const f of files) {
        expect(results.get(f.path), `${f.data.length} bytes`).toEqual({
          value: await hashBytes(f.data),
          size: f.data.length,
          cached: false,
        });
      }
      const whole = files.slice(0, 3);
      for (const type of [LEGACY_SHA256, CRC64NVME]) {
        const typed = await hasher.hashFiles(
          whole.map((f) => f.path),
          type,
        );
        for (const f of whole)
          expect(typed.get(f.path)?.value, `${type} of ${f.data.length} bytes`).toBe(
            await hashBytes(f.data, type),
          );
      }
      // Each file with its own type (a manifest can mix them).
      const [a, b] = [await fileWith('mixed one'), await fileWith('mixed two')];
      const mixed = await hasher.hashFilesByType([
        [a, LEGACY_SHA256],
        [b, CHUNKED_SHA256],
      ]);
      expect(mixed.get(a)?.value).toBe(await hashBytes(Buffer.from('mixed one'), LEGACY_SHA256));
      expect(mixed.get(b)?.value).toBe(await hashBytes(Buffer.from('mixed two'), CHUNKED_SHA256));
    });
  });

  it('a file of five chunks on one worker (two chunks per task, a short last range) keeps the chunks in order', async () => {
    const five = await fiveChunks();
    await withHasher({ workers: 1 }, async (hasher) => {
      expect(await hasher.hashFile(five.path)).toEqual({
        value: await hashBytes(five.data),
        size: five.data.length,
        cached: false,
      });
    });
  });

  it('thousands of files (stat on the workers, several batches): each value on its own path, and the bad path named', async () => {
    const files = await many();
    const paths = files.map((f) => f.path);
    const dir = fresh('dir');
    await mkdir(dir);
    await withHasher({ workers: 2 }, async (hasher) => {
      const results = await hasher.hashFiles(paths);
      expect(results.size).toBe(files.length);
      for (const i of [0, 1, 255, 256, 257, 999, 1000, 1999]) {
        const f = files[i] as Fixture;
        expect(results.get(f.path)).toEqual({
          value: await hashBytes(f.data),
          size: f.data.length,
          cached: false,
        });
      }
      // Again, from the cache: the stat answers of every worker line up with their paths.
      const again = await hasher.hashFiles(paths);
      for (const i of [0, 1000, 1001, 1999]) {
        const f = files[i] as Fixture;
        expect(again.get(f.path)).toEqual({
          value: await hashBytes(f.data),
          size: f.data.length,
          cached: true,
        });
      }
      // A directory or a missing path among them is named (the workers only flag it).
      await expect(hasher.hashFiles([...paths, dir])).rejects.toMatchObject({ code: 'EISDIR', path: dir });
      const missing = join(dir, 'gone');
      await expect(hasher.hashFiles([missing, ...paths])).rejects.toMatchObject({
        code: 'ENOENT',
        path: missing,
      });
    });
  });
});

describe('the stat cache', () => {
  it('answers an unchanged file without reading it, reads a changed one again, and survives a restart', async () => {
    const path = await fileWith('version 1');
    const file = join(fresh('state'), 'cache.json');
    const statCache = await StatCache.open(file);
    await withHasher({ workers: 1, statCache }, async (hasher) => {
      expect(hasher.statCache).toBe(statCache);
      const first = await hasher.hashFile(path);
      expect(first).toEqual({ value: await hashBytes(Buffer.from('version 1')), size: 9, cached: false });
      expect(await hasher.hashFile(path)).toEqual({ ...first, cached: true });
      // Same size, new content and mtime: read again.
      await writeFile(path, 'version 2');
      await utimes(path, new Date(), new Date(Date.now() + 5000));
      const second = await hasher.hashFile(path);
      expect(second).toEqual({ value: await hashBytes(Buffer.from('version 2')), size: 9, cached: false });
      expect(await hasher.hashFile(path)).toEqual({ ...second, cached: true });
      // Another hash type of the same file is not in the cache until hashed once.
      expect((await hasher.hashFile(path, LEGACY_SHA256)).cached).toBe(false);
      expect((await hasher.hashFile(path, LEGACY_SHA256)).cached).toBe(true);
    });
    await statCache.save();
    await withHasher({ workers: 1, statCache: await StatCache.open(file) }, async (hasher) => {
      expect(await hasher.hashFile(path)).toEqual({
        value: await hashBytes(Buffer.from('version 2')),
        size: 9,
        cached: true,
      });
    });
  });

  it('a hasher without a stat cache given keeps one in memory', async () => {
    const path = await fileWith('remembered');
    await withHasher({ workers: 1 }, async (hasher) => {
      await hasher.hashFile(path);
      expect((await hasher.hashFile(path)).cached).toBe(true);
    });
  });
});

describe('progress', () => {
  async function reportsOf(hasher: FileHasher, paths: string[], type: string): Promise<HashProgress[]> {
    const reports: HashProgress[] = [];
    await hasher.hashFiles(paths, type, (p) => reports.push(p));
    return reports;
  }

  function expectSteady(reports: HashProgress[], bytesTotal: number, filesTotal: number): void {
    expect(reports.at(-1)).toEqual({ bytesDone: bytesTotal, bytesTotal, filesDone: filesTotal, filesTotal });
    for (const [i, report] of reports.entries()) {
      expect(report).toMatchObject({ bytesTotal, filesTotal });
      const previous = reports[i - 1];
      if (previous) {
        expect(report.bytesDone).toBeGreaterThanOrEqual(previous.bytesDone);
        expect(report.filesDone).toBeGreaterThanOrEqual(previous.filesDone);
      }
    }
  }

  it('counts the bytes and files hashed and ends at the totals, for every type; cached files are not counted', async () => {
    const [a, two, c, d] = await Promise.all([one(), twoChunks(), empty(), small()]);
    const changed = await fileWith('abc');
    await withHasher({ workers: 2 }, async (hasher) => {
      const chunked = await reportsOf(
        hasher,
        [a, two, c].map((f) => f.path),
        CHUNKED_SHA256,
      );
      expectSteady(chunked, 1 + two.data.length, 3);
      // A large file reports its chunks as they are done, not only at the end; reports are snapshots.
      expect(chunked.some((p) => p.bytesDone > 0 && p.bytesDone < 1 + two.data.length)).toBe(true);
      expect(new Set(chunked).size).toBe(chunked.length);
      for (const type of [LEGACY_SHA256, CRC64NVME])
        expectSteady(
          await reportsOf(
            hasher,
            [a, d].map((f) => f.path),
            type,
          ),
          5001,
          2,
        );
      await hasher.hashFiles([changed, d.path]);
      await writeFile(changed, 'abcd');
      expectSteady(await reportsOf(hasher, [changed, d.path], CHUNKED_SHA256), 4, 1);
    });
  });
});

describe('refusals', () => {
  it('an unknown hash type before any file is read; a directory or a missing path with its path and code', async () => {
    const dir = fresh('dir');
    await mkdir(dir);
    const missing = join(dir, 'does-not-exist');
    await withHasher({ workers: 1 }, async (hasher) => {
      await expect(hasher.hashFiles([missing], 'MD5')).rejects.toThrow(UnsupportedHashTypeError);
      await expect(hasher.hashFile(missing, 'md5')).rejects.toThrow(/"md5"/);
      await expect(hasher.hashFiles([(await one()).path, dir])).rejects.toMatchObject({
        code: 'EISDIR',
        path: dir,
        message: `not a regular file: '${dir}'`,
      });
      await expect(hasher.hashFiles([missing])).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });

  it('a large file that shrinks after its size was taken fails the call instead of hashing short data', async () => {
    const path = await fileWith(patterned(MIN_CHUNK_SIZE + 5, 4));
    const first = (await one()).path;
    await withHasher({ workers: 1 }, async (hasher) => {
      // With a progress callback every size is taken in this call (the totals need them), before any read.
      const pending = hasher.hashFiles([first, path], CHUNKED_SHA256, () => undefined);
      truncateSync(path, 10); // before any worker has read a byte
      await expect(pending).rejects.toMatchObject({
        code: 'ESHRANK',
        message: 'file shrank while it was being hashed',
      });
    });
  });

  it('a closed hasher refuses to hash', async () => {
    const hasher = new FileHasher({ workers: 1 });
    await hasher.close();
    await expect(hasher.hashFile((await one()).path)).rejects.toThrow(/closed/);
  });
});
