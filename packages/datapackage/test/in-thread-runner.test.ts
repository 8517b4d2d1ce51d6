/**
 * helpOnMainThread (what the `datapkg` CLI turns on): per-file tasks that find every per-file worker full run on the
 * main thread with the workers' own code, and must give exactly what a worker gives: results, errors and progress.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { InThreadRunner } from '../src/hashing/in-thread-runner.js';
import { HashWorkerPool, helpOnMainThread } from '../src/hashing/worker-pool.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
const paths: string[] = [];
beforeAll(async () => {
  work = await tempDir('dp-in-thread-');
  await mkdir(join(work.path, 'files'));
  for (let i = 0; i < 40; i++) {
    const path = join(work.path, 'files', `f${i}.txt`);
    await writeFile(path, `file ${i}\n`.repeat(i));
    paths.push(path);
  }
});
afterAll(async () => {
  await work.cleanup();
});

/** Every task of `batches` on `pool` at once; the answers in order. */
async function hashAll(pool: HashWorkerPool, batches: string[][]): Promise<unknown[]> {
  return Promise.all(batches.map((batch) => pool.run({ kind: 'small-files', paths: batch })));
}

/**
 * Runs `body` with the main thread's help turned on, a pool of one per-file worker and a spy on the main thread's
 * runs; the spy and the pool are undone whatever happens.
 */
async function withHelpedPool(
  body: (pool: HashWorkerPool, inThread: MockInstance<InThreadRunner['run']>) => Promise<void>,
): Promise<void> {
  helpOnMainThread();
  const pool = new HashWorkerPool(1, 1);
  const inThread = vi.spyOn(InThreadRunner.prototype, 'run');
  try {
    await body(pool, inThread);
  } finally {
    inThread.mockRestore();
    await pool.close();
  }
}

describe('per-file tasks on the main thread (helpOnMainThread)', () => {
  /** The 40 files in ten tasks of four (made once beforeAll has written them). */
  const batches = () => Array.from({ length: 10 }, (_, k) => paths.slice(k * 4, k * 4 + 4));

  it('gives the workers’ answers, the main thread taking the tasks the worker has no room for', async () => {
    const byWorkers = new HashWorkerPool(1, 1);
    const expected = await hashAll(byWorkers, batches()).finally(() => byWorkers.close());
    expect((expected as string[][]).flat()).toHaveLength(paths.length);
    await withHelpedPool(async (helped, inThread) => {
      expect(await hashAll(helped, batches())).toEqual(expected);
      expect(inThread).toHaveBeenCalled(); // ten tasks, room for two on the worker
    });
  });

  it('reports a task’s failure and progress as a worker does', async () => {
    await withHelpedPool(async (pool, inThread) => {
      const progress: number[] = [];
      const tasks = [
        ...batches().map((batch) =>
          pool.run({ kind: 'small-files', paths: batch }, (p) => {
            progress.push(p.files);
          }),
        ),
        pool.run({ kind: 'small-files', paths: [join(work.path, 'missing.txt')] }),
      ];
      const settled = await Promise.allSettled(tasks);
      expect(inThread).toHaveBeenCalled();
      const failure = settled.at(-1) as PromiseRejectedResult;
      expect(failure.status).toBe('rejected');
      expect((failure.reason as NodeJS.ErrnoException).code).toBe('ENOENT');
      expect(settled.slice(0, -1).every((s) => s.status === 'fulfilled')).toBe(true);
      expect(progress.reduce((a, b) => a + b, 0)).toBe(paths.length); // every file reported once
    });
  });

  it('runs nothing on the main thread while the workers have room', async () => {
    await withHelpedPool(async (pool, inThread) => {
      for (const batch of batches()) await pool.run({ kind: 'small-files', paths: batch }); // one at a time
      expect(inThread).not.toHaveBeenCalled();
    });
  });

  it('takes tasks waiting for the busy worker on the main thread, and every task gets its answer', async () => {
    await withHelpedPool(async (pool, inThread) => {
      // The worker starts cold (tens of ms): the main thread takes most of the eight tasks it has no room for.
      const all = batches();
      const answers = (await hashAll(pool, all)) as string[][];
      expect(inThread.mock.calls.length).toBeGreaterThanOrEqual(2);
      expect(answers.map((values) => values.length)).toEqual(all.map((batch) => batch.length));
      expect(answers.flat().every((value) => /^[A-Za-z0-9+/]{43}=$/.test(value))).toBe(true);
    });
  });

  it('a progress callback that throws fails its task, on a worker or on the main thread, and nothing escapes', async () => {
    await withHelpedPool(async (pool) => {
      const settled = await Promise.allSettled(
        batches().map((batch) =>
          pool.run({ kind: 'small-files', paths: batch }, () => {
            throw new Error('progress bar broke');
          }),
        ),
      );
      expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : s.status))).toEqual(
        Array(10).fill('progress bar broke'),
      );
    });
  });

  it('closing the pool rejects every task still waiting', async () => {
    helpOnMainThread();
    const pool = new HashWorkerPool(1, 1);
    const settled = Promise.allSettled(
      batches().map((batch) => pool.run({ kind: 'small-files', paths: batch })),
    );
    await pool.close();
    expect((await settled).every((s) => s.status === 'rejected')).toBe(true);
  });
});
