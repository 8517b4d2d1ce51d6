/**
 * setDir on a long folder listing after the CLI prestarted its hashing workers: the files are stat'ed on them, and
 * the package is exactly what stat'ing here gives (same keys, sizes, physical keys, top hash once built); a path that
 * is gone or no longer a regular file comes back unsized, for setDir to stat and report precisely.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashWorkerPool, prestartHashWorkers } from '../src/hashing/worker-pool.js';
import { sizesOnSpareWorkers } from '../src/local-tree.js';
import { PackageBuilder } from '../src/package-builder.js';
import { tempDir } from './helpers.js';

const FILES = 2100; // above the threshold for stat'ing on the workers
let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir('dp-set-dir-workers-');
  for (let d = 0; d < 10; d++) await mkdir(join(work.path, 'tree', `d${d}`), { recursive: true });
  for (let i = 0; i < FILES; i++)
    await writeFile(join(work.path, 'tree', `d${i % 10}`, `f${i}`), 'x'.repeat(i % 97));
});
afterAll(async () => {
  // The spares handed back are ended by the next pool's close().
  const pool = new HashWorkerPool(2);
  pool.warmUp();
  await pool.close();
  await work.cleanup();
});

const snapshot = (builder: PackageBuilder) =>
  builder
    .manifest()
    .sortedEntries()
    .map((e) => [e.logicalKey, e.physicalKey, e.size]);

describe('setDir with prestarted workers', () => {
  it('gives the same entries as stat-ing each file on the main thread', async () => {
    const plain = await new PackageBuilder({ cacheDir: join(work.path, 'cache') }).setDir(
      '',
      join(work.path, 'tree'),
    );
    prestartHashWorkers(2);
    const onWorkers = await new PackageBuilder({ cacheDir: join(work.path, 'cache') }).setDir(
      '',
      join(work.path, 'tree'),
    );
    expect(snapshot(onWorkers)).toEqual(snapshot(plain));
    expect(snapshot(onWorkers)).toHaveLength(FILES);
    expect(snapshot(onWorkers).find(([key]) => key === 'd6/f96')?.[2]).toBe(96 % 97);
    expect(await onWorkers.build()).toBe(await plain.build());
  });

  it('a path gone or no longer a file since the listing gets a NaN size (setDir then stats it for the precise error)', async () => {
    const tree = join(work.path, 'tree');
    const files = [
      ...Array.from({ length: FILES }, (_, i) => ({
        logicalKey: `k${i}`,
        path: join(tree, `d${i % 10}`, `f${i}`),
        linked: false,
      })),
      { logicalKey: 'gone', path: join(tree, 'gone'), linked: false },
      { logicalKey: 'folder', path: join(tree, 'd0'), linked: false },
    ];
    expect(await sizesOnSpareWorkers(files.slice(0, 10))).toBeUndefined(); // a short list: stat'ed by the caller
    prestartHashWorkers(2);
    const sizes = (await sizesOnSpareWorkers(files)) as Float64Array;
    expect(sizes[96]).toBe(96);
    expect(Number.isNaN(sizes[FILES])).toBe(true);
    expect(Number.isNaN(sizes[FILES + 1])).toBe(true);
  });
});
