/**
 * What a caller gets back from a call: an `APIPromise` that awaits to the data, also gives the response and the
 * attempt counts, behaves as a real Promise, and never leaves a rejection unhandled when only `.withResponse()` is
 * used; a `PagePromise` that awaits to the first page and iterates every item of every page, aborting the page it
 * no longer needs when the caller leaves the loop. And the two spec extensions every client runs before a call.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  APIPromise,
  type CallResult,
  ClientError,
  contentEncodingMiddleware,
  Page,
  type PageLoader,
  PagePromise,
  type PageRequest,
  type PreparedCall,
  pathParamsInBodyMiddleware,
  specExtensions,
} from '../../src/index.js';
import type { OperationEntry } from '../../src/resource/table.js';

function result<T>(data: T): CallResult<T> {
  return {
    data,
    response: new Response('{}', { status: 200, headers: { 'x-request-id': 'req-1' } }),
    requestId: 'req-1',
    attempts: 2,
    totalRetryDelay: 500,
  };
}

/** Unhandled rejections seen while a test runs (vitest would report them only after the file). */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});
const settle = () => new Promise((r) => setTimeout(r, 10));

describe('APIPromise', () => {
  it('awaits to the data; withResponse() gives the response, request id and attempts; asResponse() the response', async () => {
    const r = result({ id: 'w1' });
    const p = new APIPromise(Promise.resolve(r));
    expect(await p).toEqual({ id: 'w1' });
    expect(await p.withResponse()).toBe(r);
    expect(await p.asResponse()).toBe(r.response);
  });

  it('is a real Promise: instanceof, Promise.all, then/catch/finally', async () => {
    const p = new APIPromise(Promise.resolve(result(7)));
    expect(p).toBeInstanceOf(Promise);
    expect(await Promise.all([p, new APIPromise(Promise.resolve(result(8)))])).toEqual([7, 8]);
    expect(await p.then((n) => n * 2)).toBe(14);
    let finished = false;
    expect(
      await p.finally(() => {
        finished = true;
      }),
    ).toBe(7);
    expect(finished).toBe(true);
  });

  it('a failed call rejects await, catch and finally with the error', async () => {
    const err = new ClientError('widget w9 not found');
    const failing = () => new APIPromise<number>(Promise.reject(err));
    await expect(failing()).rejects.toBe(err);
    expect(await failing().catch((e: unknown) => e)).toBe(err);
    expect(await failing().then(undefined, (e: unknown) => e)).toBe(err);
    await expect(failing().finally(() => {})).rejects.toBe(err);
    await settle();
    expect(unhandled).toEqual([]);
  });

  it('a caller using only withResponse() leaves no other promise to reject unhandled', async () => {
    const err = new ClientError('gone');
    const result = Promise.reject(err);
    result.catch(() => {}); // the call machinery's own promise is handled where it is made
    const p = new APIPromise<number>(result);
    expect(await p.withResponse().catch((e: unknown) => e)).toBe(err);
    await settle();
    expect(unhandled).toEqual([]);
  });
});

/** A list of `pages` pages of 3 items; records requests and their signals; each request waits a macrotask. */
function pagedList(pages: number) {
  const signals: (AbortSignal | undefined)[] = [];
  const loader: PageLoader<number, unknown> = async (req: PageRequest, signal) => {
    signals.push(signal);
    await new Promise((r) => setTimeout(r, 1));
    signal?.throwIfAborted();
    return pageAt(Number(req.params.page));
  };
  const pageAt = (n: number) =>
    new Page(
      [n * 3, n * 3 + 1, n * 3 + 2],
      {},
      {},
      { style: 'token' },
      { params: { page: n } },
      n + 1 < pages ? { params: { page: n + 1 } } : undefined,
      loader,
    );
  const first = () => new PagePromise(Promise.resolve(result(pageAt(0))));
  return { first, signals };
}

describe('PagePromise', () => {
  it('awaits to the first page', async () => {
    const page = await pagedList(3).first();
    expect(page.data).toEqual([0, 1, 2]);
    expect(page.hasNextPage()).toBe(true);
  });

  it('for await gives every item of every page, in order, and stops after the last page', async () => {
    const l = pagedList(3);
    const items: number[] = [];
    for await (const item of l.first()) items.push(item);
    expect(items).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(l.signals).toHaveLength(2);
  });

  it('a single page is all there is', async () => {
    const l = pagedList(1);
    const items: number[] = [];
    for await (const item of l.first()) items.push(item);
    expect(items).toEqual([0, 1, 2]);
    expect(l.signals).toHaveLength(0);
  });

  it('leaving the loop early aborts the page requested ahead', async () => {
    const l = pagedList(5);
    for await (const item of l.first()) if (item === 1) break;
    expect(l.signals).toHaveLength(1);
    expect(l.signals[0]?.aborted).toBe(true);
  });

  it('a page that fails ends the loop with its error', async () => {
    const err = new Error('page 2 failed');
    const loader: PageLoader<number, unknown> = async () => {
      throw err;
    };
    const first = new Page([1], {}, {}, { style: 'token' }, { params: {} }, { params: { t: 'x' } }, loader);
    const items: number[] = [];
    const thrown = await (async () => {
      for await (const item of new PagePromise(Promise.resolve(result(first)))) items.push(item);
    })().catch((e: unknown) => e);
    expect(thrown).toBe(err);
    expect(items).toEqual([1]);
  });
});

function call(
  extensions: Record<string, unknown> | undefined,
  init: Partial<PreparedCall> = {},
): PreparedCall {
  const operation = { operationId: 'op', extensions } as unknown as OperationEntry;
  return {
    operation,
    path: undefined,
    query: undefined,
    body: undefined,
    headers: undefined,
    compressBody: undefined,
    ...init,
  };
}

describe('spec extensions', () => {
  it('x-content-encoding: gzip compresses the body unless the call chose otherwise', () => {
    const gz = call({ 'content-encoding': 'gzip' });
    contentEncodingMiddleware.prepare(gz);
    expect(gz.compressBody).toBe('gzip');
    const chose = call({ 'content-encoding': 'gzip' }, { compressBody: false });
    contentEncodingMiddleware.prepare(chose);
    expect(chose.compressBody).toBe(false);
    for (const ext of [undefined, {}, { 'content-encoding': 'br' }]) {
      const plain = call(ext);
      contentEncodingMiddleware.prepare(plain);
      expect(plain.compressBody).toBeUndefined();
    }
  });

  it('x-path-params-in-body copies the named path params into the body; a body field the caller set wins', () => {
    const ext = { 'path-params-in-body': ['endpoint_id', 'missing'] };
    const noBody = call(ext, { path: { endpoint_id: 7, other: 'x' } });
    pathParamsInBodyMiddleware.prepare(noBody);
    expect(noBody.body).toStrictEqual({ endpoint_id: 7 }); // a path param the call lacks adds no field

    const nullBody = call(ext, { path: { endpoint_id: 7 }, body: null });
    pathParamsInBodyMiddleware.prepare(nullBody);
    expect(nullBody.body).toEqual({ endpoint_id: 7 });

    const callers = { name: 'n' };
    const withBody = call(ext, { path: { endpoint_id: 7 }, body: callers });
    pathParamsInBodyMiddleware.prepare(withBody);
    expect(withBody.body).toStrictEqual({ endpoint_id: 7, name: 'n' });
    expect(callers).toStrictEqual({ name: 'n' }); // the caller's object is not modified

    const own = call(ext, { path: { endpoint_id: 7 }, body: { endpoint_id: 9 } });
    pathParamsInBodyMiddleware.prepare(own);
    expect(own.body).toStrictEqual({ endpoint_id: 9 });
  });

  it('x-path-params-in-body leaves a list or text body, a call without path params and other operations alone', () => {
    const ext = { 'path-params-in-body': ['id'] };
    for (const body of [[1, 2], 'raw text']) {
      const c = call(ext, { path: { id: 1 }, body });
      pathParamsInBodyMiddleware.prepare(c);
      expect(c.body).toBe(body);
    }
    const noPath = call(ext);
    pathParamsInBodyMiddleware.prepare(noPath);
    expect(noPath.body).toBeUndefined();
    for (const other of [undefined, { 'path-params-in-body': 'id' }]) {
      const c = call(other, { path: { id: 1 } });
      pathParamsInBodyMiddleware.prepare(c);
      expect(c.body).toBeUndefined();
    }
  });

  it('the built-in extensions run in this order and are named after their spec keys', () => {
    expect(specExtensions.map((m) => m.name)).toEqual(['x-content-encoding', 'x-path-params-in-body']);
  });
});
