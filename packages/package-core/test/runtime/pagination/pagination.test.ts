import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { type FaultPlan, readJsonBody } from '../../../src/testing/index.js';
import { offsetListHandler, tokenListHandler } from '../../../src/testing/pagination.js';
import { BASE, makeClient } from '../helpers.js';
import { useFake } from '../setup.js';

const fake = useFake({ widgets: 25, gadgets: 30, gizmos: 12, notes: 23 });

/** Count requests reaching a route without changing its answer. */
function counting(method: 'get' | 'post', path: string) {
  const seen: { url: string; body: Record<string, unknown> | undefined }[] = [];
  fake.server.server.events.on('request:start', async ({ request }) => {
    const u = new URL(request.url);
    if (request.method === method.toUpperCase() && `${u.origin}${u.pathname}` === `${BASE}${path}`) {
      seen.push({
        url: request.url,
        body: method === 'post' ? await readJsonBody(request.clone()) : undefined,
      });
    }
  });
  return seen;
}

describe('Page', () => {
  it('offset: data, meta, hasNextPage, nextPage', async () => {
    const client = makeClient();
    const p1 = await client.widgets.list({ limit: 10 });
    expect(p1.data.map((w) => w.id)).toEqual(Array.from({ length: 10 }, (_, i) => `w${i + 1}`));
    expect(p1.meta).toEqual({ total: 25, count: 10 });
    expect(p1.pagination).toEqual({ style: 'offset', offset: 0, total: 25 });
    expect(p1.hasNextPage()).toBe(true);
    const p3 = await (await p1.nextPage()).nextPage();
    expect(p3.data).toHaveLength(5);
    expect(p3.hasNextPage()).toBe(false);
    await expect(p3.nextPage()).rejects.toThrow(/last page/);
  });

  it('token: the next token goes back in the POST body', async () => {
    const seen = counting('post', '/gadgets/search');
    const client = makeClient();
    const p1 = await client.gadgets.list({ pageSize: 7, label: 'x' });
    expect(p1.data).toHaveLength(7);
    expect(p1.pagination.nextPageToken).toBeTruthy();
    const p2 = await p1.nextPage();
    expect(p2.data[0]?.id).toBe(8);
    expect(seen[1]?.body).toEqual({ pageSize: 7, label: 'x', pageToken: p1.pagination.nextPageToken });
  });

  it('next-link: follows next_page', async () => {
    const client = makeClient();
    const p1 = await client.gizmos.list({ page_size: 5 });
    expect(p1.pagination.nextPageUrl).toContain('cursor=5');
    const p2 = await p1.nextPage();
    expect(p2.data.map((g) => g.id)).toEqual(['g5', 'g6', 'g7', 'g8', 'g9']);
  });
});

describe('next links', () => {
  it('a relative next link is resolved against the base URL', async () => {
    fake.server.use(
      http.get(`${BASE}/gizmos`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return cursor
          ? HttpResponse.json({ items: [{ id: 'b' }], next_page: null })
          : HttpResponse.json({ items: [{ id: 'a' }], next_page: 'gizmos?cursor=1' });
      }),
    );
    const ids = (await makeClient().gizmos.iterate().toArray()).map((g) => g.id);
    expect(ids).toEqual(['a', 'b']);
  });
});

describe('iterate()', () => {
  it('walks every style to the end, in order, without the empty last page', async () => {
    const client = makeClient();
    const widgetRequests = counting('get', '/widgets');
    const widgets = await client.widgets.iterate({ limit: 4 }).toArray();
    expect(widgets.map((w) => w.id)).toEqual(Array.from({ length: 25 }, (_, i) => `w${i + 1}`));
    expect(widgetRequests).toHaveLength(7); // ceil(25 / 4), no empty page
    const gadgets = await client.gadgets.iterate({ pageSize: 7 }).toArray();
    expect(gadgets.map((g) => g.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const gizmos = await client.gizmos.iterate({ page_size: 5 }).toArray();
    expect(gizmos).toHaveLength(12);
    const pages: number[] = [];
    for await (const page of client.gizmos.iterate({ page_size: 5 }).pages()) pages.push(page.data.length);
    expect(pages).toEqual([5, 5, 2]);
  });

  it('toArray({ max }) stops fetching once it has enough', async () => {
    const seen = counting('post', '/gadgets/search');
    const got = await makeClient().gadgets.iterate({ pageSize: 7 }).toArray({ max: 10 });
    expect(got.map((g) => g.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seen.length).toBeLessThanOrEqual(3); // page 1, page 2, at most one prefetched page
  });

  it('1,000 items in pages of 7 with a fault on page 5 yields exactly 1,000 distinct items in order', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: `w${i}`, name: `n${i}`, score: i }));
    for (const style of ['offset', 'token'] as const) {
      let page = 0;
      const plan: FaultPlan = {
        match: () => ++page === 5,
        sequence: [{ kind: 'status' as const, status: 503, body: { message: 'blip' } }],
      };
      fake.server.use(
        style === 'offset'
          ? offsetListHandler('get', `${BASE}/widgets`, { items: () => items, faults: plan })
          : tokenListHandler('post', `${BASE}/gadgets/search`, { items: () => items, faults: plan }),
      );
      const client = makeClient({ validate: 'off' });
      const got: { id: unknown }[] =
        style === 'offset'
          ? await client.widgets.iterate({ limit: 7 }).toArray()
          : await client.gadgets.iterate({ pageSize: 7 }).toArray();
      expect(plan.stats?.injected).toBe(1);
      expect(got).toHaveLength(1000);
      expect(new Set(got.map((x) => x.id)).size).toBe(1000);
      expect(got.map((x) => x.id)).toEqual(items.map((x) => x.id));
      expect(page).toBeGreaterThan(5);
      fake.server.server.resetHandlers();
    }
  });

  it('a page that keeps failing ends the iteration with the error', async () => {
    fake.server.use(
      http.get(`${BASE}/widgets`, ({ request }) =>
        new URL(request.url).searchParams.get('offset') === '8'
          ? HttpResponse.json({ message: 'gone' }, { status: 404 })
          : undefined,
      ),
    );
    const seen: string[] = [];
    const err = await (async () => {
      for await (const w of makeClient().widgets.iterate({ limit: 4 })) seen.push(w.id);
    })().catch((e) => e);
    expect(err.status).toBe(404);
    expect(seen).toEqual(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8']);
  });
});

describe('listeners', () => {
  it("a long iteration does not pile listeners on the caller's signal", async () => {
    const { EventEmitter } = await import('node:events');
    const getEventListeners = (t: EventTarget, type: string) => EventEmitter.getEventListeners(t, type);
    const items = Array.from({ length: 300 }, (_, i) => ({ id: `w${i}`, name: 'n', score: i }));
    fake.server.use(offsetListHandler('get', `${BASE}/widgets`, { items: () => items }));
    const ac = new AbortController();
    let max = 0;
    for await (const _ of makeClient().widgets.iterate({ limit: 5 }, { signal: ac.signal })) {
      max = Math.max(max, getEventListeners(ac.signal, 'abort').length);
    }
    expect(max).toBeLessThanOrEqual(1);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    for (let i = 0; i < 20; i++) await makeClient().widgets.get('w1', {}, { signal: ac.signal });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });
});

describe('cancellation over HTTP', () => {
  it('breaking out of for-await aborts the page requests in flight', async () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ id: `w${i}`, name: 'n', score: i }));
    const aborted: string[] = [];
    let started = 0;
    fake.server.use(
      http.get(`${BASE}/widgets`, async ({ request }) => {
        started++;
        const offset = Number(new URL(request.url).searchParams.get('offset') ?? 0);
        if (offset > 0) {
          // Later pages are slow: the caller leaves before they answer.
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 5_000);
            request.signal.addEventListener('abort', () => {
              clearTimeout(t);
              aborted.push(String(offset));
              resolve();
            });
          });
        }
        const limit = Number(new URL(request.url).searchParams.get('limit'));
        return HttpResponse.json({
          data: items.slice(offset, offset + limit),
          meta: { total: items.length },
        });
      }),
    );
    let n = 0;
    for await (const _ of makeClient().widgets.iterate({ limit: 10 })) {
      if (++n === 5) break;
    }
    // The aborts reach the handlers asynchronously: wait for them, do not sleep a guessed time.
    await vi.waitFor(() => expect(aborted.length).toBe(started - 1));
    expect(started).toBeGreaterThan(1);
  });
});

describe('the first page of an offset list', () => {
  it('asks for it explicitly: the default limit and offset 0 (query style)', async () => {
    const seen: string[] = [];
    fake.server.server.events.on('request:start', ({ request }) => {
      if (new URL(request.url).pathname.endsWith('/widgets')) seen.push(request.url);
    });
    await makeClient().widgets.list();
    expect(new URL(seen[0] as string).searchParams.get('offset')).toBe('0');
    expect(new URL(seen[0] as string).searchParams.get('limit')).toBe('50');
  });

  it('asks for it explicitly in a GET body too; a caller offset wins', async () => {
    const bodies: unknown[] = [];
    fake.server.use(
      http.get(`${BASE}/notes`, async ({ request }) => {
        // The GET body as the Node transport sent it (read from the intercepted request, not request.text()).
        bodies.push(await readJsonBody(request));
        return HttpResponse.json({ data: [], meta: { pagination: { total: 0, count: 0 } } });
      }),
    );
    const client = makeClient();
    await client.notes.list();
    await client.notes.list({ offset: 20 });
    expect(bodies).toEqual([
      { limit: 10, offset: 0 },
      { limit: 10, offset: 20 },
    ]);
  });
});

describe('pageConcurrency', () => {
  it('the client option caps pages in flight; a per-call concurrency wins', async () => {
    let inFlight = 0;
    let peak = 0;
    const total = 60;
    fake.server.use(
      http.get(`${BASE}/widgets`, async ({ request }) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        const url = new URL(request.url);
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const limit = Number(url.searchParams.get('limit') ?? 50);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        const data = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({
          id: `w${offset + i}`,
          name: 'w',
          score: 1,
        }));
        return HttpResponse.json({ data, meta: { total, count: data.length } });
      }),
    );
    const items = await makeClient({ pageConcurrency: 2 }).widgets.iterate({ limit: 5 }).toArray();
    expect(items).toHaveLength(total);
    expect(peak).toBe(2);
    peak = 0;
    await makeClient({ pageConcurrency: 2 }).widgets.iterate({ limit: 5 }, { concurrency: 4 }).toArray();
    expect(peak).toBe(4);
  });
});
