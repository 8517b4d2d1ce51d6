/**
 * ProgressiveFlush, which push and install use to flush files while more are written: every file ends up in exactly
 * one flush, the early flushes run one at a time (the last may start while one runs), each started early holds at
 * least `every` files, and a failure of any flush (an early one included) fails `finish`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProgressiveFlush } from '../src/progressive-flush.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ProgressiveFlush', () => {
  it('flushes every file exactly once, early flushes one at a time and of at least `every` files', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 10 }),
        async (count, every, waits) => {
          const batches: string[][] = [];
          let running = 0;
          const startedWhileRunning: number[] = [];
          const flusher = new ProgressiveFlush(async (paths) => {
            batches.push(paths);
            if (running > 0) startedWhileRunning.push(batches.length - 1);
            running++;
            for (let i = 0; i < (waits[batches.length % waits.length] as number); i++) await tick();
            running--;
          }, every);
          const files = Array.from({ length: count }, (_, i) => `/staging/f${i}`);
          for (const [i, file] of files.entries()) {
            flusher.wrote(file);
            if (i % 5 === 0) await tick(); // writing goes on while flushes run
          }
          await flusher.finish();
          for (const index of startedWhileRunning) expect(index).toBe(batches.length - 1);
          expect(batches.flat()).toEqual(files);
          for (const batch of batches.slice(0, -1)) expect(batch.length).toBeGreaterThanOrEqual(every);
          expect(flusher.unflushed()).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('once a flush is done, the next one starts as soon as enough files are written again', async () => {
    const batches: string[][] = [];
    const flusher = new ProgressiveFlush(async (paths) => {
      batches.push(paths);
    }, 2);
    for (let i = 0; i < 7; i++) {
      flusher.wrote(`/f${i}`);
      await tick(); // each flush is done before the next file
    }
    expect(batches).toEqual([
      ['/f0', '/f1'],
      ['/f2', '/f3'],
      ['/f4', '/f5'],
    ]);
    await flusher.finish();
    expect(batches.at(-1)).toEqual(['/f6']);
  });

  it('a failed early flush fails finish (and started) even though the last flush succeeds', async () => {
    let calls = 0;
    const flusher = new ProgressiveFlush(async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('EIO: write-back failed'), { code: 'EIO' });
    }, 2);
    flusher.wrote('/a');
    flusher.wrote('/b'); // starts the first flush, which fails
    await tick();
    flusher.wrote('/c');
    await expect(flusher.started()).rejects.toThrow('write-back failed');
    await expect(flusher.finish()).rejects.toThrow('write-back failed');
    expect(calls).toBe(2); // the rest was still flushed
  });

  it('a failure seen by started() before anyone awaits it is not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const flusher = new ProgressiveFlush(async () => {
        throw Object.assign(new Error('EIO: write-back failed'), { code: 'EIO' });
      }, 1);
      flusher.wrote('/a');
      const started = flusher.started(); // handed to a commit that awaits other things first
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      expect(unhandled).toEqual([]);
      await expect(started).rejects.toThrow('write-back failed');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('nothing written: finish flushes nothing', async () => {
    let calls = 0;
    const flusher = new ProgressiveFlush(async () => {
      calls++;
    });
    await flusher.finish();
    expect(calls).toBe(0);
  });
});
