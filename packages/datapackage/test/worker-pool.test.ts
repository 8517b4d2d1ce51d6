/**
 * The hashing worker pool under FileHasher: at least one whole worker (one per core, at most four, by default), never
 * more threads than that however many tasks wait; a task's error comes back with its code and the pool keeps working;
 * progress goes to the task it belongs to; close() stops the threads and leaves nothing waiting: running and queued
 * tasks are refused, and so is every later one.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkerCount, HashWorkerPool, prestartHashWorkers } from '../src/hashing/worker-pool.js';
import { tempDir } from './helpers.js';

/** Threads of this process (Linux): each worker is one. */
const threads = () => readdirSync('/proc/self/task').length;
const linux = process.platform === 'linux';

let work: Awaited<ReturnType<typeof tempDir>>;
let small: string;
let one: string;
let large: string;
beforeAll(async () => {
  work = await tempDir('dp-worker-pool-');
  small = join(work.path, 'small');
  one = join(work.path, 'one');
  large = join(work.path, 'large');
  await writeFile(small, Buffer.alloc(5000, 'pool'));
  await writeFile(one, 'a');
  await writeFile(large, Buffer.alloc(16 * 1024 * 1024, 'large'));
});
afterAll(async () => {
  await work.cleanup();
});

describe('HashWorkerPool', () => {
  it('has at least one worker, at most four by default, and whole workers only', () => {
    expect(defaultWorkerCount()).toBe(Math.max(1, Math.min(availableParallelism(), 4)));
    expect(new HashWorkerPool(0).size).toBe(1);
    expect(new HashWorkerPool(-3).size).toBe(1);
    expect(new HashWorkerPool(2.9).size).toBe(2);
    expect(new HashWorkerPool().size).toBe(defaultWorkerCount());
  });

  it("a task's error comes back with its code; progress goes to its own task; the pool keeps working", async () => {
    const pool = new HashWorkerPool(1);
    try {
      await expect(pool.run({ kind: 'sha256', path: join(work.path, 'no-such-file') })).rejects.toMatchObject(
        {
          code: 'ENOENT',
        },
      );
      const seen: { bytes: number; files: number }[] = [];
      const other: unknown[] = [];
      const [values, value] = await Promise.all([
        pool.run<string[]>({ kind: 'small-files', paths: [small, one] }, (p) => seen.push(p)),
        pool.run<string>({ kind: 'sha256', path: one }, (p) => other.push(p)),
        pool.run({ kind: 'sha256', path: one }), // no callback: its progress goes nowhere
      ]);
      const sum = (key: 'bytes' | 'files') => seen.reduce((total, p) => total + p[key], 0);
      expect({ bytes: sum('bytes'), files: sum('files') }).toEqual({ bytes: 5001, files: 2 });
      expect(other).toEqual([{ bytes: 1, files: 1 }]);
      expect(value).toBe(createHash('sha256').update('a').digest('hex'));
      expect(values).toHaveLength(2);
    } finally {
      await pool.close();
    }
  });

  it('more tasks than workers all finish, each with its own answer', async () => {
    const pool = new HashWorkerPool(2);
    try {
      const paths = [one, small, one, small, one];
      const values = await Promise.all(paths.map((path) => pool.run<string>({ kind: 'sha256', path })));
      const expected = { [one]: 'a', [small]: Buffer.alloc(5000, 'pool') };
      values.forEach((value, i) => {
        expect(value).toBe(
          createHash('sha256')
            .update(expected[paths[i] as string] as string | Buffer)
            .digest('hex'),
        );
      });
    } finally {
      await pool.close();
    }
  });

  it.skipIf(!linux)(
    'never starts more threads than its size, however many tasks wait, and reuses them',
    async () => {
      const pool = new HashWorkerPool(2);
      try {
        const before = threads();
        await pool.run({ kind: 'sha256', path: one });
        expect(threads() - before).toBe(1); // one task: one worker, started on demand
        await pool.run({ kind: 'sha256', path: one });
        expect(threads() - before).toBe(1); // the idle worker is reused
        await Promise.all(Array.from({ length: 8 }, () => pool.run({ kind: 'sha256', path: small })));
        expect(threads() - before).toBe(2);
      } finally {
        await pool.close();
      }
    },
  );

  it('close() refuses the running and queued tasks (nothing waits forever) and every later one', async () => {
    const before = linux ? threads() : 0;
    const pool = new HashWorkerPool(1);
    // Settled into values at once, so neither rejection is ever unhandled.
    const running = pool.run({ kind: 'sha256', path: large }).catch((error: Error) => error);
    const queued = pool.run({ kind: 'sha256', path: large }).catch((error: Error) => error);
    await pool.close();
    expect(await queued).toEqual(new Error('hash worker pool closed'));
    expect(await running).toEqual(new Error('hash worker pool closed'));
    if (linux) expect(threads()).toBe(before); // the worker thread is gone, not left running its task
    await expect(pool.run({ kind: 'sha256', path: one })).rejects.toThrow('hash worker pool is closed');
  });
});

describe('borrowing the prestarted workers (the CLI stats a folder on them before its pool exists)', () => {
  it.skipIf(!linux)(
    'stats paths on the spares (NaN size for a folder or a missing path) and hands them back to the next pool',
    async () => {
      expect(HashWorkerPool.borrowSpares()).toBeUndefined(); // nothing prestarted: the caller stats on its own
      const before = threads();
      prestartHashWorkers(2);
      const borrowed = HashWorkerPool.borrowSpares() as HashWorkerPool;
      const paths = [small, work.path, join(work.path, 'missing'), one];
      let triples: Float64Array;
      try {
        triples = await borrowed.statPaths(paths);
      } finally {
        await borrowed.close();
      }
      const [smallInfo, oneInfo] = [statSync(small), statSync(one)];
      expect([...triples.subarray(0, 3)]).toEqual([5000, smallInfo.mtimeMs, smallInfo.ino]);
      expect(Number.isNaN(triples[3])).toBe(true);
      expect(Number.isNaN(triples[6])).toBe(true);
      expect([...triples.subarray(9, 12)]).toEqual([1, oneInfo.mtimeMs, oneInfo.ino]);
      expect(threads() - before).toBe(2); // handed back, still running
      const pool = new HashWorkerPool(2);
      try {
        await Promise.all([
          pool.run({ kind: 'sha256', path: one }),
          pool.run({ kind: 'sha256', path: small }),
        ]);
        expect(threads() - before).toBe(2); // the same two threads: no new start-up
      } finally {
        await pool.close();
      }
      expect(threads()).toBe(before);
    },
  );
});
