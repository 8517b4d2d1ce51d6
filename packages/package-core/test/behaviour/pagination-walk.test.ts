/**
 * How `iterate()` spends requests while it walks a list, as a caller sees it: the next page is on its way while the
 * caller holds the current one, a slow consumer with `concurrency: 1` is not run ahead of, a stable list costs one
 * request per page (nothing aborted, nothing asked twice), a list that shrank ends at its empty page, a dropped plan
 * is not refilled, a caller's abort is honoured across a short page, and the caller's signal is left clean.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { iteratePages, Page, type PageLoader, type PageRequest, parsePage } from '../../src/index.js';
import type { PaginationSpec } from '../../src/resource/table.js';

const spec: PaginationSpec = { style: 'offset', items: 'data', total: 'meta.total' };
const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

interface Options {
  /** The list's size at each request (it may change while the list is walked). */
  size: () => number;
  /** Report the total in the body (a list without one is walked to its empty page). */
  withTotal?: boolean;
  /** Offsets answered with only 3 items (a server capping a page). */
  shortAt?: number[];
}

/** An offset list; each request resolves after a macrotask, rejects once its signal aborts, and is recorded. */
function list({ size, withTotal = true, shortAt = [] }: Options) {
  const requests: { offset: number; signal: AbortSignal | undefined }[] = [];
  const loader: PageLoader<unknown, unknown> = async (req: PageRequest, signal) => {
    const offset = Number(req.params.offset ?? 0);
    requests.push({ offset, signal });
    await tick(1);
    signal?.throwIfAborted(); // like fetch: an aborted request rejects with the reason
    const limit = shortAt.includes(offset) ? 3 : Number(req.params.limit ?? 10);
    const total = size();
    const data = range(offset, Math.min(offset + limit, total));
    const body = withTotal ? { data, meta: { total } } : { data, meta: {} };
    const parsed = parsePage(spec, req, body);
    return new Page(parsed.items, body, parsed.meta, parsed.info, req, parsed.next, loader);
  };
  return { loader, requests, offsets: () => requests.map((r) => r.offset) };
}

describe('requests while the caller holds a page', () => {
  it('a list without a total: the next page is already requested while the caller holds the first', async () => {
    const l = list({ size: () => 30, withTotal: false });
    const it = iteratePages(spec, l.loader, { params: { limit: 10 } })
      .pages()
      [Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value?.data).toEqual(range(0, 10));
    expect(l.offsets()).toEqual([0, 10]);
    await it.return?.(undefined);
  });

  it('concurrency 1 and a slow consumer: never more than one page requested ahead', async () => {
    const l = list({ size: () => 100 });
    const it = iteratePages(spec, l.loader, { params: { limit: 10 } }, { concurrency: 1 })
      .pages()
      [Symbol.asyncIterator]();
    await it.next();
    await tick(30); // the consumer is busy with page 1
    expect(l.offsets()).toEqual([0, 10]);
    await it.next();
    await tick(30);
    expect(l.offsets()).toEqual([0, 10, 20]);
    await it.return?.(undefined);
  });

  it('with concurrency 2 the pages after the first are requested together', async () => {
    const l = list({ size: () => 100 });
    const it = iteratePages(spec, l.loader, { params: { limit: 10 } }, { concurrency: 2 })
      .pages()
      [Symbol.asyncIterator]();
    await it.next();
    expect(l.offsets().slice(0, 3)).toEqual([0, 10, 20]);
    await it.return?.(undefined);
  });
});

describe('what a walk costs', () => {
  it('a stable list walked concurrently: one request per page', async () => {
    const l = list({ size: () => 95 });
    const items = await iteratePages(spec, l.loader, { params: { limit: 10 } }, { concurrency: 3 }).toArray();
    expect(items).toEqual(range(0, 95));
    // Each page asked once: no plan dropped and walked again.
    expect(l.offsets()).toEqual(range(0, 10).map((i) => i * 10));
  });

  it('a list that shrank: the empty page is not handed out and nothing is requested after it', async () => {
    let calls = 0;
    // 100 items at first; from the third request on the list has 25.
    const l = list({ size: () => (++calls >= 3 ? 25 : 100) });
    const pages: number[][] = [];
    for await (const page of iteratePages(
      spec,
      l.loader,
      { params: { limit: 10 } },
      { concurrency: 2 },
    ).pages()) {
      pages.push(page.data as number[]);
    }
    expect(pages).toEqual([range(0, 10), range(10, 20), range(20, 25)]);
    const requested = l.offsets().length;
    await tick(30);
    expect(l.offsets()).toHaveLength(requested);
    // The plan never reaches past what was buffered when the list shrank: 2 x concurrency pages ahead of page 1.
    expect(Math.max(...l.offsets())).toBeLessThanOrEqual(50);
  });

  it('after a short page, the old plan is not refilled: later offsets follow the short page', async () => {
    const l = list({ size: () => 100, shortAt: [10] });
    const items: number[] = [];
    // A slow consumer: every planned request has answered before the short page is handed out.
    for await (const page of iteratePages(
      spec,
      l.loader,
      { params: { limit: 10 } },
      { concurrency: 2 },
    ).pages()) {
      items.push(...(page.data as number[]));
      await tick(20);
    }
    expect(items).toEqual(range(0, 100));
    // Planned before the short page came back: 10, 20, 30, 40 (2 x concurrency). After it: 13, 23, 33, ...
    const planned = l.offsets().filter((o) => o % 10 === 0 && o > 0);
    expect(planned).toEqual([10, 20, 30, 40]);
  });
});

describe("the caller's signal", () => {
  it('aborted while the caller holds a short page: the walk rejects with its reason, no live request follows', async () => {
    const l = list({ size: () => 60, shortAt: [10] });
    const ac = new AbortController();
    const reason = new Error('user cancelled');
    const seen: number[][] = [];
    const err = await (async () => {
      for await (const page of iteratePages(
        spec,
        l.loader,
        { params: { limit: 10 } },
        { concurrency: 2, signal: ac.signal },
      ).pages()) {
        seen.push(page.data as number[]);
        if (page.data.length === 3) ac.abort(reason);
      }
    })().catch((e: unknown) => e);
    expect(err).toBe(reason);
    expect(seen).toEqual([range(0, 10), range(10, 13)]);
    const afterShort = l.requests.filter((r) => r.offset === 13);
    for (const r of afterShort) expect(r.signal?.aborted).toBe(true);
  });

  it('breaking out early aborts the requests in flight and leaves no listener on the signal', async () => {
    const l = list({ size: () => 1000 });
    const ac = new AbortController();
    let seen = 0;
    for await (const _ of iteratePages(
      spec,
      l.loader,
      { params: { limit: 10 } },
      { concurrency: 3, signal: ac.signal },
    )) {
      if (++seen === 15) break;
    }
    const unfinished = l.requests.filter((r) => r.offset >= 20);
    expect(unfinished.length).toBeGreaterThan(0);
    for (const r of unfinished) expect(r.signal?.aborted).toBe(true);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('a walk to the end, or one that fails, leaves no listener on the signal', async () => {
    const ac = new AbortController();
    const l = list({ size: () => 45 });
    await iteratePages(spec, l.loader, { params: { limit: 10 } }, { signal: ac.signal }).toArray();
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    const failing: PageLoader<unknown, unknown> = async () => {
      throw new Error('page failed');
    };
    await expect(
      iteratePages(spec, failing, { params: {} }, { signal: ac.signal }).toArray(),
    ).rejects.toThrow('page failed');
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });
});
