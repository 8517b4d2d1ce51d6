/**
 * Warming the hashing pool up (FileHasher.warmUp, before an install has work for it): the threads start at once, as
 * many as asked but never more than the pool's size, the first tasks run on them, and a closed pool starts none.
 * Workers started before any pool exists (prestartHashWorkers, the CLI's push) are taken by the next pool.
 * (Written for the datapackage/worker-pool mutation area: worker-pool.test.ts predates warmUp.)
 */
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InThreadRunner } from '../src/hashing/in-thread-runner.js';
import {
  defaultWorkerCount,
  HashWorkerPool,
  perFileWorkerCount,
  prestartHashWorkers,
} from '../src/hashing/worker-pool.js';
import { tempDir } from './helpers.js';

/** Threads of this process (Linux): each worker is one. */
const threads = () => readdirSync('/proc/self/task').length;

let work: Awaited<ReturnType<typeof tempDir>>;
let one: string;
beforeAll(async () => {
  work = await tempDir('dp-worker-pool-warm-');
  one = join(work.path, 'one');
  await writeFile(one, 'a');
  // File-system work starts libuv's own threads: once, before any count is taken.
  const pool = new HashWorkerPool(1);
  await pool.run({ kind: 'sha256', path: one });
  await pool.close();
});
afterAll(async () => {
  await work.cleanup();
});

describe.skipIf(process.platform !== 'linux')('HashWorkerPool.warmUp', () => {
  it('starts the pool’s threads at once; the tasks that follow run on them', async () => {
    const pool = new HashWorkerPool(3, 3);
    try {
      const before = threads();
      pool.warmUp();
      expect(threads() - before).toBe(3);
      pool.warmUp(); // already warm: nothing more
      await Promise.all(Array.from({ length: 6 }, () => pool.run({ kind: 'sha256', path: one })));
      expect(threads() - before).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it('warms up the workers per-file tasks use; a large file’s chunks get every worker, per-file tasks only theirs', async () => {
    const pool = new HashWorkerPool(3, 1);
    try {
      const before = threads();
      pool.warmUp();
      expect(threads() - before).toBe(1);
      await Promise.all(Array.from({ length: 6 }, () => pool.run({ kind: 'small-files', paths: [one] })));
      expect(threads() - before).toBe(1);
      await Promise.all(Array.from({ length: 6 }, () => pool.run({ kind: 'sha256', path: one })));
      expect(threads() - before).toBe(3);
      await Promise.all(Array.from({ length: 6 }, () => pool.run({ kind: 'stat', paths: [one] })));
      expect(threads() - before).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it('leaves a core to the main thread for per-file work: one worker fewer than the cores, at least one', () => {
    expect(perFileWorkerCount(4, 2)).toBe(1);
    expect(perFileWorkerCount(4, 8)).toBe(4);
    expect(perFileWorkerCount(4, 4)).toBe(3);
    expect(perFileWorkerCount(1, 1)).toBe(1);
    expect(new HashWorkerPool(2, 5).perFileSize).toBe(2);
    expect(new HashWorkerPool(3, 0).perFileSize).toBe(1);
    // The default pool leaves the core; a size the caller chose is taken as it is.
    expect(new HashWorkerPool().perFileSize).toBe(
      Math.max(1, Math.min(defaultWorkerCount(), availableParallelism() - 1)),
    );
    expect(new HashWorkerPool(4).perFileSize).toBe(4);
  });

  it('a large file’s chunk queued behind per-file tasks that must wait starts at once on another worker', async () => {
    const pool = new HashWorkerPool(2, 1);
    try {
      const before = threads();
      const stats = Array.from({ length: 3 }, () => pool.run({ kind: 'stat', paths: [one] }));
      expect(threads() - before).toBe(1); // two tasks sent to the per-file worker, the third waits
      const chunk = pool.run({ kind: 'sha256', path: one });
      expect(threads() - before).toBe(2); // not held back by the waiting stat
      await Promise.all([...stats, chunk]);
    } finally {
      await pool.close();
    }
  });

  it('keeps per-file tasks off the main thread unless the process asked for its help', async () => {
    const inThread = vi.spyOn(InThreadRunner.prototype, 'run');
    const pool = new HashWorkerPool(1, 1);
    try {
      await Promise.all(Array.from({ length: 8 }, () => pool.run({ kind: 'stat', paths: [one] })));
      expect(inThread).not.toHaveBeenCalled();
    } finally {
      inThread.mockRestore();
      await pool.close();
    }
  });

  it('as many threads as asked, never more than the size', async () => {
    const pool = new HashWorkerPool(2);
    try {
      const before = threads();
      pool.warmUp(1);
      expect(threads() - before).toBe(1);
      pool.warmUp(5);
      expect(threads() - before).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('workers started before any pool are taken by the next pool instead of new ones', async () => {
    const before = threads();
    prestartHashWorkers(2);
    expect(threads() - before).toBe(2);
    prestartHashWorkers(2); // already there
    prestartHashWorkers(1);
    expect(threads() - before).toBe(2);
    const pool = new HashWorkerPool(2);
    try {
      await Promise.all(Array.from({ length: 4 }, () => pool.run({ kind: 'sha256', path: one })));
      expect(threads() - before).toBe(2);
    } finally {
      await pool.close();
    }
    expect(threads()).toBe(before); // the pool's close() ended the prestarted workers too
  });

  it('a closed pool starts nothing', async () => {
    const pool = new HashWorkerPool(2);
    await pool.close();
    const before = threads();
    pool.warmUp();
    expect(threads()).toBe(before);
  });
});

describe('HashWorkerPool: an empty batch, a close with tasks waiting', () => {
  it('stats of no paths: an empty answer, no task', async () => {
    const pool = new HashWorkerPool(2);
    try {
      expect(await pool.statPaths([])).toEqual(new Float64Array(0));
    } finally {
      await pool.close();
    }
  });

  it('close() refuses the tasks still queued in the pool as well as the ones sent to a worker', async () => {
    const pool = new HashWorkerPool(1);
    // One worker takes two tasks at a time: the third waits in the pool.
    const tasks = Array.from({ length: 3 }, () =>
      pool.run({ kind: 'sha256', path: one }).catch((e: Error) => e),
    );
    await pool.close();
    for (const outcome of await Promise.all(tasks)) {
      expect(outcome).toBeInstanceOf(Error);
      expect((outcome as Error).message).toBe('hash worker pool closed');
    }
  });
});
