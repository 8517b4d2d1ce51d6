import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { retryLoop, sleep } from '../../../../src/internal/retry/loop.js';

class Flaky extends Error {}

describe('retryLoop', () => {
  it('runs every attempt once, the first included, and asks after each failure', async () => {
    const attempts: number[] = [];
    const asked: number[] = [];
    const retried: [number, number][] = [];
    const result = await retryLoop(
      async (n) => {
        attempts.push(n);
        if (n < 3) throw new Flaky(`attempt ${n}`);
        return 'done';
      },
      {
        retries: 5,
        nextDelay: (_err, n) => {
          asked.push(n);
          return 0;
        },
        onRetry: (_err, n, ms) => retried.push([n, ms]),
      },
    );
    expect(result).toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
    expect(asked).toEqual([1, 2]);
    expect(retried).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('stops with the failure itself when told to, or when the hard limit is reached', async () => {
    const first = new Flaky('first');
    await expect(
      retryLoop(() => Promise.reject(first), { retries: 5, nextDelay: () => undefined }),
    ).rejects.toBe(first);
    let calls = 0;
    const err = await retryLoop(
      () => {
        calls++;
        return Promise.reject(new Flaky(`attempt ${calls}`));
      },
      { retries: 2, nextDelay: () => 0 },
    ).catch((e) => e);
    expect(calls).toBe(3);
    expect(err.message).toBe('attempt 3');
  });

  it('an abort during the wait ends the loop with the abort reason, and no further attempt', async () => {
    const ac = new AbortController();
    let calls = 0;
    const p = retryLoop(
      () => {
        calls++;
        queueMicrotask(() => ac.abort(new Error('stop')));
        return Promise.reject(new Flaky('x'));
      },
      { retries: 3, signal: ac.signal, nextDelay: () => 60_000 },
    );
    await expect(p).rejects.toThrow('stop');
    expect(calls).toBe(1);
  });

  it('an already-aborted signal runs no attempt', async () => {
    let calls = 0;
    const p = retryLoop(
      async () => {
        calls++;
        return 1;
      },
      { retries: 1, signal: AbortSignal.abort(new Error('gone')), nextDelay: () => 0 },
    );
    await expect(p).rejects.toThrow('gone');
    expect(calls).toBe(0);
  });
});

describe('sleep', () => {
  it("leaves no listener on the caller's signal once the wait is over (a long-lived signal does not collect them)", async () => {
    const ac = new AbortController();
    await sleep(1, ac.signal);
    await sleep(1, ac.signal);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('rejects at once on an aborted signal, resolves at once for 0', async () => {
    await expect(sleep(10, AbortSignal.abort(new Error('no')))).rejects.toThrow('no');
    await expect(sleep(0, undefined)).resolves.toBeUndefined();
  });
});
