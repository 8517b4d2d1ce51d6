/**
 * The wait between attempts as a caller lives it: a wait lasts what the strategy chose (not less), a zero or negative
 * wait is no wait at all, the caller's abort ends a wait at once with its reason and leaves no timer behind, and a
 * strategy that says "stop" means exactly one attempt. Fake timers: nothing here depends on the machine's speed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { retryLoop, sleep } from '../../src/internal/retry/loop.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Whether `p` has settled, after letting pending microtasks run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

describe('the wait between attempts', () => {
  it('lasts the chosen time: not over 1 ms early, over on time', async () => {
    const wait = sleep(1_000, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(wait)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(wait)).toBe(true);
  });

  it('a wait of 0 or less is none: it is over without any timer', async () => {
    for (const ms of [0, -1, -5_000]) {
      const wait = sleep(ms, undefined);
      expect(vi.getTimerCount()).toBe(0);
      expect(await settled(wait)).toBe(true);
    }
  });

  it("the caller's abort ends a wait at once, with its reason, and clears the timer", async () => {
    const ac = new AbortController();
    const reason = new Error('user gave up');
    const wait = sleep(60_000, ac.signal);
    wait.catch(() => {});
    await vi.advanceTimersByTimeAsync(10);
    ac.abort(reason);
    expect(await settled(wait)).toBe(true);
    await expect(wait).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('a strategy that says stop', () => {
  it('means one attempt: the failure is thrown as it is, and no retry is announced', async () => {
    vi.useRealTimers();
    const failure = new Error('400 bad request');
    let attempts = 0;
    const announced: number[] = [];
    const err = await retryLoop(
      async () => {
        attempts++;
        throw failure;
      },
      { retries: 5, nextDelay: () => undefined, onRetry: (_e, n) => announced.push(n) },
    ).catch((e: unknown) => e);
    expect(err).toBe(failure);
    expect(attempts).toBe(1);
    expect(announced).toEqual([]);
  });
});
