/**
 * Concurrent offset paging as a caller sees it: items in order, never more than `concurrency` requests at once or
 * `2 × concurrency` pages buffered, nothing skipped or repeated when a page comes back short or the list grows, and
 * `Page.nextPage()` walking by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  ClientError,
  iteratePages,
  Page,
  type PageLoader,
  type PageRequest,
  parsePage,
} from '../../src/index.js';
import type { PaginationSpec } from '../../src/resource/table.js';

const spec: PaginationSpec = { style: 'offset', items: 'data', total: 'meta.total' };
const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/** An offset list whose size can change between requests; each request resolves after a macrotask and honours its signal. */
function list(size: () => number, opts: { shortAt?: number } = {}) {
  const requests: PageRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const loader: PageLoader<unknown, unknown> = async (req, signal) => {
    requests.push(req);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    signal?.throwIfAborted(); // like fetch: an aborted request rejects with the reason
    const offset = Number(req.params.offset ?? 0);
    const limit = offset === opts.shortAt ? 3 : Number(req.params.limit ?? 10);
    const total = size();
    const body = { data: range(offset, Math.min(offset + limit, total)), meta: { total } };
    const parsed = parsePage(spec, req, body);
    return new Page(parsed.items, body, parsed.meta, parsed.info, req, parsed.next, loader);
  };
  return { loader, requests, maxInFlight: () => maxInFlight };
}

describe('concurrent offset paging', () => {
  it('keeps items in order with at most `concurrency` requests in flight', async () => {
    for (const concurrency of [2, 3, 4]) {
      const l = list(() => 95);
      const items = await iteratePages(spec, l.loader, { params: { limit: 10 } }, { concurrency }).toArray();
      expect(items).toEqual(range(0, 95));
      expect(l.maxInFlight()).toBe(concurrency);
      expect(l.requests).toHaveLength(10);
      expect(new Set(l.requests.map((r) => r.params.offset)).size).toBe(10);
    }
  });

  it('a concurrency below 1 means one page at a time', async () => {
    const l = list(() => 30);
    expect(
      await iteratePages(spec, l.loader, { params: { limit: 10 } }, { concurrency: 0 }).toArray(),
    ).toEqual(range(0, 30));
    expect(l.maxInFlight()).toBe(1);
  });

  it('buffers at most 2 × concurrency pages ahead of a slow consumer', async () => {
    const l = list(() => 1000);
    const pages = iteratePages(spec, l.loader, { params: { limit: 10 } }, { concurrency: 2 }).pages();
    const it = pages[Symbol.asyncIterator]();
    await it.next();
    await new Promise((r) => setTimeout(r, 50));
    expect(l.requests.length).toBe(1 + 4);
    await it.next();
    await new Promise((r) => setTimeout(r, 50));
    expect(l.requests.length).toBe(1 + 5);
    await it.return?.(undefined);
  });

  it('requests pages at the right offsets with the first page size as limit', async () => {
    const l = list(() => 35);
    await iteratePages(spec, l.loader, { params: { limit: 10, q: 'x' } }).toArray();
    const planned = l.requests.slice(1).map((r) => r.params);
    expect(planned).toEqual([
      { limit: 10, q: 'x', offset: 10 },
      { limit: 10, q: 'x', offset: 20 },
      { limit: 10, q: 'x', offset: 30 },
    ]);
  });

  it('a short page in the middle: the walk goes on sequentially from it, nothing skipped or repeated', async () => {
    const l = list(() => 60, { shortAt: 20 });
    const items = await iteratePages(spec, l.loader, { params: { limit: 10 } }, { concurrency: 2 }).toArray();
    expect(items).toEqual(range(0, 60));
  });

  it('a list that grew while it was walked is followed to its new end', async () => {
    let size = 30;
    const l = list(() => size);
    const items: unknown[] = [];
    for await (const x of iteratePages(spec, l.loader, { params: { limit: 10 } }, { concurrency: 2 })) {
      items.push(x);
      if (items.length === 1) size = 45;
    }
    expect(items).toEqual(range(0, 45));
  });

  it('a list that shrank ends at the first empty page', async () => {
    let size = 50;
    const l = list(() => size);
    const items: unknown[] = [];
    for await (const x of iteratePages(spec, l.loader, { params: { limit: 10 } }, { concurrency: 4 })) {
      items.push(x);
      if (items.length === 1) size = 15;
    }
    expect(items).toEqual(range(0, 15));
  });

  it('a first page that is also the last is all there is', async () => {
    const l = list(() => 5);
    expect(await iteratePages(spec, l.loader, { params: { limit: 10 } }).toArray()).toEqual(range(0, 5));
    expect(l.requests).toHaveLength(1);
    const empty = list(() => 0);
    expect(await iteratePages(spec, empty.loader, { params: { limit: 10 } }).toArray()).toEqual([]);
    expect(empty.requests).toHaveLength(1);
  });

  it('iterating items gives the same as collecting pages', async () => {
    const out: unknown[] = [];
    for await (const x of iteratePages(spec, list(() => 23).loader, { params: { limit: 10 } })) out.push(x);
    expect(out).toEqual(range(0, 23));
  });
});

describe('walking by hand', () => {
  it('nextPage() follows the list and refuses past the last page', async () => {
    const l = list(() => 15);
    const first = await l.loader({ params: { limit: 10 } });
    expect(first.hasNextPage()).toBe(true);
    const second = await first.nextPage();
    expect(second.data).toEqual(range(10, 15));
    expect(second.hasNextPage()).toBe(false);
    const err = await second.nextPage().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect((err as Error).message).toBe('nextPage(): this is the last page');
  });

  it('meta is the body without its items when the body has no `meta`', () => {
    const s: PaginationSpec = { style: 'offset', items: 'page.rows', total: 'page.count' };
    const p = parsePage(s, { params: {} }, { page: { rows: [1], count: 1 }, extra: true });
    expect(p.meta).toEqual({ extra: true });
    expect(p.items).toEqual([1]);
    expect(parsePage(s, { params: {} }, [1, 2]).meta).toBeUndefined();
    expect(parsePage(s, { params: {} }, null).items).toEqual([]);
  });
});

describe('cancelling', () => {
  it("the caller's signal firing mid-walk rejects with its reason and stops requesting", async () => {
    const l = list(() => 1000);
    const ac = new AbortController();
    const reason = new Error('user cancelled');
    let seen = 0;
    const err = await (async () => {
      for await (const _ of iteratePages(spec, l.loader, { params: { limit: 10 } }, { signal: ac.signal })) {
        if (++seen === 25) ac.abort(reason);
      }
    })().catch((e: unknown) => e);
    expect(err).toBe(reason);
    const requested = l.requests.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(l.requests.length).toBe(requested);
    expect(requested).toBeLessThan(15);
  });

  it('the plan dropped after a short page is aborted before the walk goes on', async () => {
    const signals = new Map<number, AbortSignal>();
    let plannedAbortedWhenWalkResumed: boolean | undefined;
    const loader: PageLoader<unknown, unknown> = async (req, signal) => {
      const offset = Number(req.params.offset ?? 0);
      if (signal && !signals.has(offset)) signals.set(offset, signal);
      if (offset === 13) plannedAbortedWhenWalkResumed = signals.get(20)?.aborted;
      await new Promise((r) => setTimeout(r, offset >= 20 && offset % 10 === 0 ? 20 : 1));
      const data = range(offset, Math.min(offset + (offset === 10 ? 3 : 10), 60));
      const body = { data, meta: { total: 60 } };
      const parsed = parsePage(spec, req, body);
      return new Page(parsed.items, body, parsed.meta, parsed.info, req, parsed.next, loader);
    };
    const items = await iteratePages(spec, loader, { params: { limit: 10 } }, { concurrency: 2 }).toArray();
    expect(items).toEqual(range(0, 60));
    expect(plannedAbortedWhenWalkResumed).toBe(true);
  });
});
