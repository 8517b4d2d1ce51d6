/**
 * Hashing many files at once, as `datapkg hash`, build and verify do on real folders: files of one hash type grouped
 * whatever their order, hundreds of small files (more than one worker batch) with progress that adds up, a large
 * file among them, more paths than the main thread stats itself, and the first unreadable path named when several
 * are. Also: warming the hasher up starts its threads. (Written for the datapackage/file-hasher mutation area.)
 */
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_CHUNK_SIZE } from '../src/hashing/chunk-size.js';
import { FileHasher, type HashProgress } from '../src/hashing/file-hasher.js';
import { CHUNKED_SHA256, hashBytes, LEGACY_SHA256 } from '../src/hashing/object-hash.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir('dp-file-hasher-passes-');
});
afterAll(async () => {
  await work.cleanup();
});

/** `count` small files `<name>/f<i>` holding `<i>\n`. */
async function smallFiles(name: string, count: number): Promise<{ path: string; data: Buffer }[]> {
  const dir = join(work.path, name);
  await mkdir(dir);
  const files = Array.from({ length: count }, (_, i) => ({
    path: join(dir, `f${i}`),
    data: Buffer.from(`${i}\n`),
  }));
  await Promise.all(files.map((f) => writeFile(f.path, f.data)));
  return files;
}

async function withHasher<T>(run: (h: FileHasher) => Promise<T>): Promise<T> {
  const hasher = new FileHasher({ workers: 2 });
  try {
    return await run(hasher);
  } finally {
    await hasher.close();
  }
}

describe('many files at once', () => {
  it('files of one hash type are hashed together, whatever the order they come in', async () => {
    const files = await smallFiles('typed', 4);
    const typed = files.map((f, i) => [f.path, i % 2 === 0 ? CHUNKED_SHA256 : LEGACY_SHA256] as const);
    await withHasher(async (hasher) => {
      const results = await hasher.hashFilesByType(typed);
      expect(results.size).toBe(4);
      for (const [path, type] of typed) {
        const data = (files.find((f) => f.path === path) as { data: Buffer }).data;
        expect(results.get(path)?.value).toBe(await hashBytes(data, type));
      }
    });
  });

  it('hundreds of small files and a large one, with progress: every value, and progress ends at the totals', async () => {
    const files = await smallFiles('hundreds', 600);
    const large = { path: join(work.path, 'large'), data: Buffer.alloc(MIN_CHUNK_SIZE + 5, 7) };
    await writeFile(large.path, large.data);
    const all = [...files, large];
    const reports: HashProgress[] = [];
    await withHasher(async (hasher) => {
      const results = await hasher.hashFiles(
        all.map((f) => f.path),
        CHUNKED_SHA256,
        (p) => reports.push({ ...p }),
      );
      expect(results.size).toBe(all.length);
      for (const f of all) expect(results.get(f.path)?.value).toBe(await hashBytes(f.data));
    });
    const bytes = all.reduce((sum, f) => sum + f.data.length, 0);
    expect(reports.at(-1)).toEqual({
      bytesDone: bytes,
      bytesTotal: bytes,
      filesDone: all.length,
      filesTotal: all.length,
    });
  });

  it('more paths than the main thread stats itself, one of them missing: the error names it', async () => {
    const files = await smallFiles('over-threshold', 2100);
    const missing = join(work.path, 'over-threshold', 'gone');
    const paths = files.map((f) => f.path);
    paths.splice(1500, 0, missing);
    await withHasher(async (hasher) => {
      const error = await hasher
        .hashFiles(paths, CHUNKED_SHA256, () => {})
        .catch((e: NodeJS.ErrnoException) => e);
      expect(error).toMatchObject({ code: 'ENOENT' });
      expect(String((error as Error).message)).toContain(missing);
    });
  });

  it('files never seen before, two of them unreadable: the error names the first', async () => {
    const files = await smallFiles('unreadable', 3);
    const gone = join(work.path, 'unreadable', 'gone');
    const folder = join(work.path, 'unreadable', 'sub');
    await mkdir(folder);
    await withHasher(async (hasher) => {
      const first = await hasher.hashFiles([files[0]?.path as string, gone, folder]).catch((e: Error) => e);
      expect(first).toMatchObject({ code: 'ENOENT' });
      expect((first as Error).message).toContain(gone);
      const other = await hasher.hashFiles([folder, gone, files[1]?.path as string]).catch((e: Error) => e);
      expect(other).toMatchObject({ code: 'EISDIR' });
      expect((other as Error).message).toContain(folder);
    });
  });
});

describe.skipIf(process.platform !== 'linux')('warming up', () => {
  it('starts the hasher’s worker threads before any work', async () => {
    const threads = () => readdirSync('/proc/self/task').length;
    const hasher = new FileHasher({ workers: 2 });
    try {
      const before = threads();
      hasher.warmUp();
      expect(threads() - before).toBe(2); // a worker count given is taken as it is
    } finally {
      await hasher.close();
    }
  });
});
