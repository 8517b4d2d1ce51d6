/**
 * What a caller of `iterate()` relies on when a server misbehaves or the caller steers the walk: the iteration ends
 * (a repeated or empty page token, a next link to the same page), starts where it was asked to, reads the numbers
 * servers send as strings, honours a signal that fired before it started, and cancels requests it no longer needs.
 */
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  iteratePages,
  Page,
  type PageLoader,
  type PageRequest,
  parsePage,
} from '../../src/index.js';
import type { PaginationSpec } from '../../src/resource/table.js';

const tokenSpec: PaginationSpec = { style: 'token', items: 'items', nextToken: 'next', tokenParam: 'token' };
const linkSpec: PaginationSpec = { style: 'next-link', items: 'results', next: 'next_page' };
const offsetSpec: PaginationSpec = { style: 'offset', items: 'data', total: 'meta.total' };

/** A loader answering every request with `answer(request)` as the body, recording requests and their signals. */
function bodyLoader(spec: PaginationSpec, answer: (req: PageRequest, n: number) => unknown) {
  const requests: PageRequest[] = [];
  const signals: AbortSignal[] = [];
  const loader: PageLoader<unknown, unknown> = async (req, signal) => {
    requests.push(req);
    if (signal) signals.push(signal);
    const body = answer(req, requests.length);
    const parsed = parsePage(spec, req, body);
    return new Page(parsed.items, body, parsed.meta, parsed.info, req, parsed.next, loader);
  };
  return { loader, requests, signals };
}

/** Collect with a safety net: a loop that does not end fails the test instead of hanging it. */
async function collect(iterable: AsyncIterable<unknown>, limit = 50): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of iterable) {
    out.push(x);
    if (out.length > limit) throw new Error('the iteration did not stop');
  }
  return out;
}

describe('a token paginator stops on a token that cannot make progress', () => {
  it('the same nextPageToken again ends the list after that page', async () => {
    const { loader, requests } = bodyLoader(tokenSpec, (req) => ({
      items: [String(req.params.token ?? 'start')],
      next: 'T1',
    }));
    const items = await collect(iteratePages(tokenSpec, loader, { params: {} }));
    expect(items).toEqual(['start', 'T1']);
    expect(requests.map((r) => r.params.token)).toEqual([undefined, 'T1']);
  });

  it('an empty token means the last page', async () => {
    const { loader, requests } = bodyLoader(tokenSpec, () => ({ items: [1, 2], next: '' }));
    expect(await collect(iteratePages(tokenSpec, loader, { params: {} }))).toEqual([1, 2]);
    expect(requests).toHaveLength(1);
  });

  it('a non-string token (a number, null) means the last page', async () => {
    for (const next of [7, null, { t: 'x' }]) {
      const { loader, requests } = bodyLoader(tokenSpec, () => ({ items: ['a'], next }));
      expect(await collect(iteratePages(tokenSpec, loader, { params: {} }))).toEqual(['a']);
      expect(requests).toHaveLength(1);
    }
  });

  it('the page reports the token it will send next, and none on the last page', () => {
    const mid = parsePage(tokenSpec, { params: { token: 'A' } }, { items: [1], next: 'B' });
    expect(mid.info).toEqual({ style: 'token', nextPageToken: 'B' });
    expect(mid.next).toEqual({ params: { token: 'B' } });
    const same = parsePage(tokenSpec, { params: { token: 'B' } }, { items: [1], next: 'B' });
    expect(same.info.nextPageToken).toBeUndefined();
    expect(same.next).toBeUndefined();
  });
});

describe('a next-link paginator stops on a link that cannot make progress', () => {
  it('a next link pointing at the current page ends the list', async () => {
    const { loader, requests } = bodyLoader(linkSpec, (req) => ({
      results: [req.url ?? 'first'],
      next_page: 'https://api.test/items?cursor=2',
    }));
    const items = await collect(iteratePages(linkSpec, loader, { params: { page_size: 5 } }));
    expect(items).toEqual(['first', 'https://api.test/items?cursor=2']);
    expect(requests).toHaveLength(2);
    // the caller's params travel with the link
    expect(requests[1]).toEqual({ params: { page_size: 5 }, url: 'https://api.test/items?cursor=2' });
  });

  it('an empty or missing link ends the list', async () => {
    for (const body of [
      { results: [1], next_page: '' },
      { results: [1], next_page: null },
      { results: [1] },
    ]) {
      const { loader, requests } = bodyLoader(linkSpec, () => body);
      expect(await collect(iteratePages(linkSpec, loader, { params: {} }))).toEqual([1]);
      expect(requests).toHaveLength(1);
      expect(parsePage(linkSpec, { params: {} }, body).info).toEqual({
        style: 'next-link',
        nextPageUrl: undefined,
      });
    }
  });
});

/** An offset list of `total` numbered items; `totalAs` shapes how the body reports the total. */
function offsetList(total: number, totalAs: (t: number) => unknown = (t) => t) {
  return bodyLoader(offsetSpec, (req) => {
    const offset = Number(req.params.offset ?? 0);
    const limit = Number(req.params.limit ?? 10);
    const data: number[] = [];
    for (let i = offset; i < Math.min(offset + limit, total); i++) data.push(i);
    return { data, meta: { total: totalAs(total) } };
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('offset paging', () => {
  it('concurrent paging from a caller-supplied offset starts there and skips nothing', async () => {
    const { loader, requests } = offsetList(100);
    const items = await iteratePages(offsetSpec, loader, { params: { offset: 20, limit: 10 } }).toArray();
    expect(items).toEqual(range(20, 100));
    expect(requests.map((r) => Number(r.params.offset)).sort((a, b) => a - b)).toEqual(
      range(2, 10).map((i) => i * 10),
    );
  });

  it('a caller-supplied offset given as a query string ("20") is read as a number', async () => {
    const { loader } = offsetList(50);
    const items = await iteratePages(offsetSpec, loader, { params: { offset: '20', limit: 10 } }).toArray();
    expect(items).toEqual(range(20, 50));
    const page = parsePage(offsetSpec, { params: { offset: '20' } }, { data: [20], meta: { total: 50 } });
    expect(page.info).toEqual({ style: 'offset', offset: 20, total: 50 });
    expect(page.next).toEqual({ params: { offset: 21 } });
  });

  it('a total sent as a numeric string is honoured (no request past the end)', async () => {
    const { loader, requests } = offsetList(30, String);
    const items = await iteratePages(
      offsetSpec,
      loader,
      { params: { limit: 10 } },
      { concurrency: 1 },
    ).toArray();
    expect(items).toEqual(range(0, 30));
    expect(requests).toHaveLength(3);
    expect(parsePage(offsetSpec, { params: {} }, { data: [1], meta: { total: ' 30 ' } }).info.total).toBe(30);
  });

  it('a total of null, blank or garbage is unknown: the walk goes on to the empty page', async () => {
    for (const bad of [null, '', '  ', 'many', Number.NaN, Number.POSITIVE_INFINITY, true]) {
      const { loader, requests } = offsetList(25, () => bad);
      const items = await iteratePages(offsetSpec, loader, { params: { limit: 10 } }).toArray();
      expect(items).toEqual(range(0, 25));
      expect(requests).toHaveLength(4); // 10, 10, 5, then the empty page proves the end
      expect(parsePage(offsetSpec, { params: {} }, { data: [1], meta: { total: bad } }).info.total).toBe(
        undefined,
      );
    }
  });

  it('an offset of null or garbage in the request counts as 0', () => {
    for (const offset of [null, 'abc', '']) {
      const page = parsePage(offsetSpec, { params: { offset } }, { data: [1, 2], meta: { total: 10 } });
      expect(page.info.offset).toBe(0);
      expect(page.next?.params.offset).toBe(2);
    }
  });

  it('the offset parameter can be renamed, and the next request keeps the other params', () => {
    const spec: PaginationSpec = { style: 'offset', items: 'rows', offsetParam: 'skip', total: 'count' };
    const page = parsePage(spec, { params: { skip: 4, q: 'x' } }, { rows: [1, 2], count: 9 });
    expect(page.next).toEqual({ params: { skip: 6, q: 'x' } });
    expect(page.meta).toEqual({ count: 9 });
    expect(parsePage(spec, { params: { skip: 8 } }, { rows: [1], count: 9 }).next).toBeUndefined();
  });

  it('a body that is not an object (text, a number, a list) is an empty last page without meta', () => {
    for (const body of ['<html>oops</html>', 42, [1, 2]]) {
      const page = parsePage(offsetSpec, { params: {} }, body);
      expect(page.items).toEqual([]);
      expect(page.meta).toBeUndefined();
      expect(page.next).toBeUndefined();
    }
  });

  it("a body's own `meta` object is the page's meta, as sent", () => {
    const body = { data: [1], meta: { total: 9, took_ms: 3 }, links: {} };
    expect(parsePage(offsetSpec, { params: {} }, body).meta).toEqual({ total: 9, took_ms: 3 });
  });

  it('a body whose items are not an array is an empty last page', () => {
    const page = parsePage(offsetSpec, { params: {} }, { data: 'oops', meta: { total: 9 } });
    expect(page.items).toEqual([]);
    expect(page.next).toBeUndefined();
  });
});

describe('toArray and signals', () => {
  it('toArray({ max: 0 }) returns nothing and fetches nothing', async () => {
    const { loader, requests } = offsetList(30);
    expect(await iteratePages(offsetSpec, loader, { params: { limit: 10 } }).toArray({ max: 0 })).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it('toArray({ max }) returns exactly max items and stops fetching', async () => {
    const { loader, requests } = offsetList(1000);
    const items = await iteratePages(
      offsetSpec,
      loader,
      { params: { limit: 10 } },
      { concurrency: 1 },
    ).toArray({
      max: 15,
    });
    expect(items).toEqual(range(0, 15));
    expect(requests.length).toBeLessThanOrEqual(3);
  });

  it('an already-aborted signal stops the iteration before any request', async () => {
    const { loader, requests } = offsetList(30);
    const reason = new AbortError('cancelled before start');
    const err = await iteratePages(
      offsetSpec,
      loader,
      { params: { limit: 10 } },
      { signal: AbortSignal.abort(reason) },
    )
      .toArray()
      .catch((e: unknown) => e);
    expect(err).toBe(reason);
    expect(requests).toHaveLength(0);
  });

  it('after a short page, the requests planned past it are aborted', async () => {
    // offset 10 answers only 3 items: the concurrent plan (20, 30, ...) no longer lines up and is dropped.
    const requests: PageRequest[] = [];
    const signals = new Map<number, AbortSignal>();
    const loader: PageLoader<unknown, unknown> = (req, signal) => {
      const offset = Number(req.params.offset ?? 0);
      requests.push(req);
      if (signal) signals.set(offset, signal);
      const count = offset === 10 ? 3 : 10;
      const data = range(offset, Math.min(offset + count, 100));
      const body = { data, meta: { total: 100 } };
      const parsed = parsePage(offsetSpec, req, body);
      const page = new Page(parsed.items, body, parsed.meta, parsed.info, req, parsed.next, loader);
      // Pages past offset 10 stay pending until aborted, like slow requests.
      if (offset >= 20 && offset % 10 === 0 && requests.length <= 9) {
        return new Promise((resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
          setTimeout(() => resolve(page), 5_000).unref?.();
        });
      }
      return Promise.resolve(page);
    };
    const pages = iteratePages(offsetSpec, loader, { params: { limit: 10 } }, { concurrency: 2 }).pages();
    const seen: number[][] = [];
    for await (const page of pages) {
      seen.push(page.data as number[]);
      if (seen.length === 3) break;
    }
    expect(seen[0]).toEqual(range(0, 10));
    expect(seen[1]).toEqual(range(10, 13));
    expect(seen[2]).toEqual(range(13, 23)); // walked on sequentially from the short page
    expect(signals.get(20)?.aborted).toBe(true);
    expect(signals.get(30)?.aborted).toBe(true);
  });
});
