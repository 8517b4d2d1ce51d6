/**
 * A hashing worker that dies (an uncaught exception in the thread: a bug in the worker's code, out of memory) while
 * it holds tasks: those tasks reject with the worker's error instead of waiting forever, the tasks still queued run
 * on a new worker, and the pool goes on working. A prestarted spare that dies is not handed to a pool later. The
 * crash is real: the workers here run the hashing code behind a hook that throws, outside any task's try/catch,
 * when a task names CRASH.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Worker as WorkerType } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HashWorkerPool, prestartHashWorkers } from '../src/hashing/worker-pool.js';
import { tempDir } from './helpers.js';

const { CRASH, started } = vi.hoisted(() => ({
  CRASH: '/this-task-crashes-its-worker',
  started: [] as WorkerType[],
}));

vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:worker_threads')>();
  // Registered before the hashing code's own listener, and stopping it: the thread dies without answering.
  const hook = `{
    const { parentPort } = require('node:worker_threads');
    parentPort.addEventListener('message', (event) => {
      if (!event.data || event.data.path !== ${JSON.stringify(CRASH)}) return;
      event.stopImmediatePropagation();
      throw new Error('hash worker crashed');
    });
  }\n`;
  class CrashableWorker extends actual.Worker {
    constructor(source: string, options?: import('node:worker_threads').WorkerOptions) {
      super(options?.eval ? hook + source : source, options);
      started.push(this);
    }
  }
  return { ...actual, Worker: CrashableWorker };
});

let work: Awaited<ReturnType<typeof tempDir>>;
let file: string;
const SHA256_OF_A = 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb';
beforeAll(async () => {
  work = await tempDir('dp-worker-crash-');
  file = join(work.path, 'a');
  await writeFile(file, 'a');
});
afterAll(async () => {
  await work.cleanup();
});

describe('a hashing worker that crashes', () => {
  it('rejects the tasks it held with its error; queued tasks run on a new worker; the pool goes on', async () => {
    const pool = new HashWorkerPool(1);
    try {
      const crashing = pool.run({ kind: 'sha256', path: CRASH });
      const postedBehind = pool.run({ kind: 'sha256', path: file }); // sent to the same worker, not started
      const queued = pool.run<string>({ kind: 'sha256', path: file }); // waits in the pool for a free worker
      await expect(crashing).rejects.toThrow('hash worker crashed');
      await expect(postedBehind).rejects.toThrow('hash worker crashed');
      expect(await queued).toBe(SHA256_OF_A);
      expect(await pool.run({ kind: 'sha256', path: file })).toBe(SHA256_OF_A);
    } finally {
      await pool.close();
    }
  });

  it('a prestarted spare that dies is not handed to the next pool', async () => {
    const before = started.length;
    prestartHashWorkers(1);
    const spare = started[before] as WorkerType;
    expect(spare).toBeDefined();
    const exited = new Promise((resolve) => spare.once('exit', resolve)); // after its 'error'
    spare.postMessage({ id: 0, kind: 'sha256', path: CRASH });
    await exited;
    const pool = new HashWorkerPool(1);
    try {
      expect(await pool.run({ kind: 'sha256', path: file })).toBe(SHA256_OF_A);
      expect(started.length).toBe(before + 2); // the pool started a worker of its own
    } finally {
      await pool.close();
    }
  });

  it('a crash of a pool worker taken from the spares leaves the other spares to the next pool', async () => {
    prestartHashWorkers(2);
    const startedBefore = started.length;
    const first = new HashWorkerPool(1);
    try {
      await expect(first.run({ kind: 'sha256', path: CRASH })).rejects.toThrow('hash worker crashed');
    } finally {
      await first.close();
    }
    const next = new HashWorkerPool(1);
    try {
      expect(await next.run({ kind: 'sha256', path: file })).toBe(SHA256_OF_A);
      expect(started.length).toBe(startedBefore); // it took the spare left, started none
    } finally {
      await next.close();
    }
  });
});
