/**
 * iteratePages with in-process loaders: concurrency, prefetch, cancellation and memory, without HTTP in the way.
 */
import { describe, expect, it, vi } from 'vitest';
import { iteratePages, Page, type PageLoader, type PageRequest, parsePage } from '../../../src/index.js';
import type { PaginationSpec } from '../../../src/resource/table.js';

const offsetSpec: PaginationSpec = { style: 'offset', items: 'data', total: 'meta.total' };
const tokenSpec: PaginationSpec = { style: 'token', items: 'items', nextToken: 'next', tokenParam: 'token' };

interface Probe {
  inFlight: number;
  maxInFlight: number;
  requests: PageRequest[];
  signals: AbortSignal[];
  log: string[];
}

/** An offset (or token) list of `total` numbered items served after `latencyMs`. */
function syntheticLoader(
  spec: PaginationSpec,
  total: number,
  latencyMs: number,
  probe: Probe = { inFlight: 0, maxInFlight: 0, requests: [], signals: [], log: [] },
  makeItem: (i: number) => unknown = (i) => i,
): { loader: PageLoader<unknown, unknown>; probe: Probe } {
  const loader: PageLoader<unknown, unknown> = async (req, signal) => {
    probe.requests.push(req);
    if (signal) probe.signals.push(signal);
    probe.inFlight++;
    probe.maxInFlight = Math.max(probe.maxInFlight, probe.inFlight);
    const offset = spec.style === 'offset' ? Number(req.params.offset ?? 0) : Number(req.params.token ?? 0);
    const limit = Number(req.params.limit ?? 10);
    probe.log.push(`start ${offset}`);
    try {
      if (latencyMs > 0) {
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, latencyMs);
          signal?.addEventListener('abort', () => {
            clearTimeout(t);
            reject(signal.reason);
          });
        });
      }
      const data: unknown[] = [];
      for (let i = offset; i < Math.min(offset + limit, total); i++) data.push(makeItem(i));
      const body =
        spec.style === 'offset'
          ? { data, meta: { total } }
          : { items: data, next: offset + limit < total ? String(offset + limit) : null };
      const parsed = parsePage(spec, req, body);
      return new Page(parsed.items, body, parsed.meta, parsed.info, req, parsed.next, loader);
    } finally {
      probe.inFlight--;
    }
  };
  return { loader, probe };
}

describe('iteratePages', () => {
  it('offset with a total: up to N pages at once (default 4), items still in order', async () => {
    const { loader, probe } = syntheticLoader(offsetSpec, 1000, 5);
    const items = await iteratePages(offsetSpec, loader, { params: { limit: 10 } }).toArray();
    expect(items).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(probe.maxInFlight).toBe(4);
    expect(probe.requests).toHaveLength(100);
  });

  it('concurrency is configurable; 1 means one page at a time plus one prefetched', async () => {
    const { loader, probe } = syntheticLoader(offsetSpec, 100, 2);
    await iteratePages(offsetSpec, loader, { params: { limit: 10 } }, { concurrency: 1 }).toArray();
    expect(probe.maxInFlight).toBe(1);
    const two = syntheticLoader(offsetSpec, 100, 2);
    await iteratePages(offsetSpec, two.loader, { params: { limit: 10 } }, { concurrency: 2 }).toArray();
    expect(two.probe.maxInFlight).toBe(2);
  });

  it('prefetches the next page while the caller consumes the current one', async () => {
    const { loader, probe } = syntheticLoader(tokenSpec, 30, 1);
    const seenWhileConsumingFirst: number[] = [];
    let first = true;
    for await (const page of iteratePages(tokenSpec, loader, { params: { limit: 10 } }).pages()) {
      if (first) {
        seenWhileConsumingFirst.push(probe.requests.length);
        first = false;
      }
      expect(page.data.length).toBe(10);
    }
    expect(seenWhileConsumingFirst).toEqual([2]);
    expect(probe.requests).toHaveLength(3);
  });

  it('breaking out of for-await aborts what is in flight', async () => {
    const { loader, probe } = syntheticLoader(offsetSpec, 10_000, 20);
    let n = 0;
    for await (const _ of iteratePages(offsetSpec, loader, { params: { limit: 10 } })) {
      if (++n === 15) break;
    }
    expect(probe.signals.length).toBeGreaterThan(2);
    expect(probe.signals.every((s) => s.aborted)).toBe(true);
    await vi.waitFor(() => expect(probe.inFlight).toBe(0));
    // first page + at most 2 x concurrency buffered + one refill after the second page was taken
    expect(probe.requests.length).toBeLessThanOrEqual(1 + 8 + 1);
  });

  it("the caller's signal stops the iteration", async () => {
    const { loader } = syntheticLoader(tokenSpec, 10_000, 5);
    const ac = new AbortController();
    const seen: unknown[] = [];
    const err = await (async () => {
      for await (const x of iteratePages(
        tokenSpec,
        loader,
        { params: { limit: 10 } },
        { signal: ac.signal },
      )) {
        seen.push(x);
        if (seen.length === 25) ac.abort(new Error('stop'));
      }
    })().catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(seen.length).toBeLessThanOrEqual(30);
  });

  it('a short page in the middle switches to sequential without skipping items', async () => {
    // Page at offset 20 returns only 3 items (e.g. the server capped it): 20..22, then 23.. must still come.
    const { loader: base } = syntheticLoader(offsetSpec, 60, 1);
    const loader: PageLoader<unknown, unknown> = async (req, signal) => {
      if (req.params.offset === 20) {
        const body = { data: [20, 21, 22], meta: { total: 60 } };
        const parsed = parsePage(offsetSpec, req, body);
        return new Page(parsed.items, body, parsed.meta, parsed.info, req, parsed.next, loader);
      }
      return base(req, signal);
    };
    const items = await iteratePages(offsetSpec, loader, { params: { limit: 10 } }).toArray();
    expect(items).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('without a total, stops on the empty page', async () => {
    const noTotal: PaginationSpec = { style: 'offset', items: 'data' };
    const { loader, probe } = syntheticLoader(noTotal, 25, 0);
    expect(await iteratePages(noTotal, loader, { params: { limit: 10 } }).toArray()).toHaveLength(25);
    // 10, 10, 5, then the empty page: with no total, a short page is not proof of the end (servers cap pages)
    expect(probe.requests).toHaveLength(4);
  });

  it('iterating 1,000,000 items keeps heap growth under 50 MB', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const { loader } = syntheticLoader(offsetSpec, 1_000_000, 0, undefined, (i) => ({
      id: i,
      name: `item ${i}`,
    }));
    let count = 0;
    let last = -1;
    for await (const item of iteratePages(offsetSpec, loader, { params: { limit: 1000 } })) {
      const id = (item as { id: number }).id;
      if (id !== last + 1) throw new Error(`out of order at ${id}`);
      last = id;
      if (++count % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(count).toBe(1_000_000);
    const growthMb = (peak - before) / 1024 / 1024;
    console.log(`heap growth while iterating 1,000,000 items: ${growthMb.toFixed(1)} MB`);
    expect(growthMb).toBeLessThan(50);
  });
});
