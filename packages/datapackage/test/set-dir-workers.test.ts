/**
 * setDir on a long folder listing after the CLI prestarted its hashing workers: the files are stat'ed on them, and
 * during the walk, and the package is exactly what stat'ing here gives (same keys, sizes, physical keys, top hash
 * once built); listLocalFiles with statOn sizes every listed file (a path a worker cannot size, NaN, is stat'ed again
 * by setDir: see worker-pool.test.ts for the NaN answers).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashWorkerPool, prestartHashWorkers } from '../src/hashing/worker-pool.js';
import { type LocalFile, listLocalFiles } from '../src/local-tree.js';
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
    // The borrowed workers were used and handed back: they are spares again, for the push that follows.
    expect(HashWorkerPool.borrowSpares()?.size).toBe(2);
    expect(snapshot(onWorkers)).toEqual(snapshot(plain));
    expect(snapshot(onWorkers)).toHaveLength(FILES);
    expect(snapshot(onWorkers).find(([key]) => key === 'd6/f96')?.[2]).toBe(96 % 97);
    expect(await onWorkers.build()).toBe(await plain.build());
  });

  it('listLocalFiles with statOn gives every listed file its size', async () => {
    const tree = join(work.path, 'tree');
    prestartHashWorkers(2);
    const pool = HashWorkerPool.borrowSpares() as HashWorkerPool;
    let files: LocalFile[];
    try {
      files = await listLocalFiles(tree, { statOn: pool });
    } finally {
      await pool.close();
    }
    expect(files).toHaveLength(FILES);
    expect(files.find((f) => f.logicalKey === 'd6/f96')?.size).toBe(96);
    expect(files.every((f) => Number.isFinite(f.size))).toBe(true);
  });
});
