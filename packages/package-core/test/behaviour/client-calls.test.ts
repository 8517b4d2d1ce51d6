/**
 * What a call sends and what it gives back, through BaseClient over a scripted server: params split into path, query
 * and body; the escape hatch for undeclared endpoints (absolute URLs refused); request and response validation and
 * their per-call modes; idempotency keys; per-call retry settings; every response type, with empty, broken and
 * oversized bodies; the service's envelope; and pages (first request, next links, signals, concurrency).
 */

import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  AbortError,
  ClientError,
  MissingParamError,
  type NotFoundError,
  type OperationSchemas,
  ResponseValidationError,
  TimeoutError,
} from '../../src/index.js';
import type { PaginationSpec } from '../../src/resource/table.js';
import { BASE, failure, op, plainClient, type Sent, scriptedFetch } from './client-harness.js';

const query = (s: Sent | undefined) => Object.fromEntries(new URL(s?.url ?? 'x:').searchParams);
const json = (s: Sent | undefined) => (s?.body === undefined ? undefined : JSON.parse(s.body));

const createThing = op({
  operationId: 'createThing',
  method: 'post',
  path: '/groups/{group}/things',
  pathParams: ['group'],
  queryParams: ['dryRun'],
  body: true,
  bodyRequired: true,
  idempotent: false,
});

describe('params', () => {
  it('path params go in the path, declared query params in the query, the rest in the body', async () => {
    const { fetch, sent } = scriptedFetch();
    await plainClient(fetch).request(createThing, { group: 'g 1', dryRun: true, name: 'n', size: 3 });
    expect(sent[0]?.url).toBe(`${BASE}/groups/g%201/things?dryRun=true`);
    expect(json(sent[0])).toEqual({ name: 'n', size: 3 });
  });

  it('without a body, every other param is a query param; options.query adds to them', async () => {
    const { fetch, sent } = scriptedFetch();
    await plainClient(fetch).request(op({ operationId: 'find' }), { q: 'x' }, { query: { trace: 1 } });
    expect(query(sent[0])).toEqual({ q: 'x', trace: '1' });
    expect(sent[0]?.body).toBeUndefined();
  });

  it('undefined params are left out; a required body with no field is sent as {}', async () => {
    const { fetch, sent } = scriptedFetch();
    const c = plainClient(fetch);
    await c.request(createThing, { group: 'g', name: undefined, dryRun: undefined });
    expect(sent[0]?.url).toBe(`${BASE}/groups/g/things`);
    expect(json(sent[0])).toEqual({});
    const optional = op({ ...createThing, operationId: 'touch', bodyRequired: false });
    await c.request(optional, { group: 'g', name: undefined });
    expect(sent[1]?.body).toBeUndefined();
  });

  it('an unknown operation id is refused by name', async () => {
    const { fetch, sent } = scriptedFetch();
    const error = await failure(plainClient(fetch).call('noSuchOperation'));
    expect(error).toBeInstanceOf(ClientError);
    expect(error.message).toBe('unknown operation `noSuchOperation`');
    expect(sent).toEqual([]);
  });
});

describe('the escape hatch (undeclared endpoints)', () => {
  it('sends each method to the path under the base URL, with query and JSON body', async () => {
    const { fetch, sent } = scriptedFetch();
    const c = plainClient(fetch);
    await c.get('things', { query: { a: 1 } });
    await c.post('/things', { body: { b: 2 } });
    await c.put('/things/1', { body: { c: 3 } });
    await c.patch('/things/1', { body: { d: 4 } });
    await c.delete('/things/1');
    expect(sent.map((s) => `${s.method} ${s.url} ${s.body ?? ''}`)).toEqual([
      `GET ${BASE}/things?a=1 `,
      `POST ${BASE}/things {"b":2}`,
      `PUT ${BASE}/things/1 {"c":3}`,
      `PATCH ${BASE}/things/1 {"d":4}`,
      `DELETE ${BASE}/things/1 `,
    ]);
  });

  it('refuses absolute URLs (any scheme, any case) and protocol-relative ones, sending nothing', async () => {
    const { fetch, sent } = scriptedFetch();
    const c = plainClient(fetch);
    for (const path of ['https://evil.test/x', 'HTTPS://evil.test/x', 'mailto:a@b', '//evil.test/x']) {
      const error = await failure(c.get(path));
      expect(error).toBeInstanceOf(ClientError);
      expect(error.message).toContain('absolute URLs are refused');
    }
    expect(sent).toEqual([]);
  });

  it('refuses a path that is not a string; a colon inside a relative path is fine', async () => {
    const { fetch, sent } = scriptedFetch();
    const c = plainClient(fetch);
    const error = await failure(c.get(42 as unknown as string));
    expect(error).toBeInstanceOf(ClientError);
    expect(error.message).toMatch(/^GET 42: pass a path relative to baseUrl/);
    await c.get('/items/urn:thing:1');
    expect(sent.map((s) => s.url)).toEqual([`${BASE}/items/urn:thing:1`]);
  });

  it('names the call in its errors', async () => {
    const { fetch } = scriptedFetch(() => Response.json({ message: 'nope' }, { status: 404 }));
    const error = (await failure(plainClient(fetch).get('/missing'))) as NotFoundError;
    expect(error.operation).toBe('GET /missing');
    expect(error.message).toContain('GET /missing');
  });

  it('reads JSON when the response says so, else text; an empty body is undefined', async () => {
    const bodies = [
      () => Response.json({ a: 1 }),
      () => new Response('plain words', { headers: { 'content-type': 'text/plain' } }),
      () => new Response(new TextEncoder().encode('no type')),
      () => new Response('', { headers: { 'content-type': 'application/json' } }),
      () => new Response(null, { status: 204 }),
      () => new Response(null, { status: 200, headers: { 'content-type': 'application/json' } }),
    ];
    const { fetch } = scriptedFetch((_s, i) => (bodies[i] as () => Response)());
    const c = plainClient(fetch);
    const got = [];
    for (let i = 0; i < bodies.length; i++) got.push(await c.get('/x'));
    expect(got).toEqual([{ a: 1 }, 'plain words', 'no type', undefined, undefined, undefined]);
  });

  it('a body that says JSON but is not fails with a clear error', async () => {
    const { fetch } = scriptedFetch(
      () => new Response('{not json', { headers: { 'content-type': 'application/json' } }),
    );
    const error = await failure(plainClient(fetch).get('/x'));
    expect(error).toBeInstanceOf(ClientError);
    expect(error.message).toMatch(/^GET \/x: could not read the response: /);
  });
});

describe('response types of declared operations', () => {
  it('json: an empty 200 is undefined; a broken body is a clear error', async () => {
    const { fetch } = scriptedFetch((_s, i) =>
      i === 0 ? new Response('', { status: 200 }) : new Response('{"a":', { status: 200 }),
    );
    const c = plainClient(fetch);
    const get = op({ operationId: 'getThing' });
    expect(await c.request(get)).toBeUndefined();
    const error = await failure(c.request(get));
    expect(error).toBeInstanceOf(ClientError);
    expect(error.message).toMatch(/^getThing: could not read the response: /);
    expect((error as ClientError).operation).toBe('getThing');
  });

  it('binary: the exact bytes', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    const { fetch } = scriptedFetch(() => new Response(bytes));
    const data = await plainClient(fetch).request(op({ operationId: 'download', responseType: 'binary' }));
    expect(data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(data as ArrayBuffer)]).toEqual([...bytes]);
  });

  it('text: the text', async () => {
    const { fetch } = scriptedFetch(
      () => new Response('report', { headers: { 'content-type': 'text/plain' } }),
    );
    expect(await plainClient(fetch).request(op({ operationId: 'report', responseType: 'text' }))).toBe(
      'report',
    );
  });

  it('none: the body is not read, so no size limit applies to it', async () => {
    const { fetch } = scriptedFetch(() => new Response('x'.repeat(4096)));
    const c = plainClient(fetch, { maxResponseSize: 16 });
    expect(
      await c.request(op({ operationId: 'drop', method: 'delete', responseType: 'none' })),
    ).toBeUndefined();
  });

  it('a body that breaks off mid-way is a clear error naming the call, not an abort', async () => {
    const { fetch } = scriptedFetch(() => {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"a":'));
          controller.error(new Error('socket hang up'));
        },
      });
      return new Response(stream, { headers: { 'content-type': 'application/json' } });
    });
    const error = await failure(plainClient(fetch).request(op({ operationId: 'getThing' })));
    expect(error).not.toBeInstanceOf(AbortError);
    expect(error).toBeInstanceOf(ClientError);
    expect(error.message).toBe('getThing: could not read the response: socket hang up');
  });

  it('a caller abort while the body streams is an AbortError', async () => {
    const controller = new AbortController();
    const { fetch } = scriptedFetch((s) => {
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"a":'));
          // As fetch does: an abort of the request's signal errors its body.
          s.signal?.addEventListener('abort', () => c.error(s.signal?.reason));
        },
        pull() {
          controller.abort(new Error('user left')); // the rest never comes: the caller gives up
        },
      });
      return new Response(stream, { headers: { 'content-type': 'application/json' } });
    });
    const error = await failure(
      plainClient(fetch).request(op({ operationId: 'getThing' }), undefined, { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(AbortError);
  });
});

describe('validation', () => {
  const schemas: OperationSchemas = {
    getThing: { query: z.object({ size: z.optional(z.number()) }), response: z.object({ id: z.string() }) },
  };
  const get = op({ operationId: 'getThing', queryParams: ['size'] });

  it('checks the request before sending unless off, on the client or for the call', async () => {
    const { fetch, sent } = scriptedFetch(() => Response.json({ id: 'a' }));
    const strict = plainClient(fetch, { operationSchemas: schemas, validate: 'error' });
    const error = await failure(strict.request(get, { size: 'big' }));
    expect(error).toBeInstanceOf(MissingParamError);
    expect(error.message).toContain('size');
    expect(sent).toHaveLength(0);
    await strict.request(get, { size: 'big' }, { validate: 'off' });
    const off = plainClient(fetch, { operationSchemas: schemas, validate: 'off' });
    await off.request(get, { size: 'big' });
    expect(sent).toHaveLength(2);
    await expect(off.request(get, { size: 'big' }, { validate: 'error' })).rejects.toBeInstanceOf(
      MissingParamError,
    );
  });

  it('by default a body that does not match is returned, with a warning', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const { fetch } = scriptedFetch(() => Response.json({ id: 7 }));
    const c = plainClient(fetch, { operationSchemas: schemas, logger, logLevel: 'warn' });
    expect(await c.request(get)).toEqual({ id: 7 });
    expect(warnings.join('\n')).toContain('id');
  });

  it('checks a 2xx body, but not a 204’s (it has none)', async () => {
    const { fetch } = scriptedFetch((_s, i) =>
      i === 0 ? Response.json({ id: 7 }) : new Response(null, { status: 204 }),
    );
    const c = plainClient(fetch, { operationSchemas: schemas, validate: 'error' });
    await expect(c.request(get)).rejects.toBeInstanceOf(ResponseValidationError);
    expect(await c.request(get)).toBeUndefined();
  });
});

describe('the envelope', () => {
  const enveloped = (fetch: typeof globalThis.fetch) => plainClient(fetch, { envelope: { data: 'data' } });

  it('the payload is unwrapped; a body without the field is returned whole', async () => {
    const { fetch } = scriptedFetch((_s, i) =>
      i === 0 ? Response.json({ data: { id: 'a' }, meta: {} }) : Response.json({ id: 'b' }),
    );
    const c = enveloped(fetch);
    expect(await c.request(op({ operationId: 'getThing' }))).toEqual({ id: 'a' });
    expect(await c.request(op({ operationId: 'getThing' }))).toEqual({ id: 'b' });
  });

  it('a client without an envelope returns the body whole', async () => {
    const { fetch } = scriptedFetch(() => Response.json({ data: { id: 'a' } }));
    expect(await plainClient(fetch).request(op({ operationId: 'getThing' }))).toEqual({ data: { id: 'a' } });
  });

  it('pages read their items and total inside the envelope', async () => {
    const spec: PaginationSpec = { style: 'offset', items: 'data', total: 'meta.total', defaultLimit: 2 };
    const { fetch } = scriptedFetch((s) => {
      const offset = Number(query(s).offset);
      return Response.json({ data: [offset, offset + 1].filter((n) => n < 3), meta: { total: 3 } });
    });
    const items = [];
    for await (const item of enveloped(fetch).iterate(op({ operationId: 'listThings', pagination: spec })))
      items.push(item);
    expect(items).toEqual([0, 1, 2]);
  });
});

describe('idempotency keys', () => {
  // Declared idempotent (`x-idempotent`), so a 503 is retried: the key is what makes that safe.
  const post = op({ operationId: 'createThing', method: 'post', body: true, idempotent: true });
  const flaky = () =>
    scriptedFetch((_s, i) => (i === 0 ? Response.json({}, { status: 503 }) : Response.json({ ok: true })));

  it('with an idempotency header, every write gets one key, the same on each retry; reads get none', async () => {
    const { fetch, sent } = flaky();
    const c = plainClient(fetch, { idempotencyHeader: 'x-idem', maxRetries: 1 });
    await c.request(post, { a: 1 });
    const keys = sent.map((s) => s.headers.get('x-idem'));
    expect(keys[0]).toMatch(/^mlclients-retry-[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    await c.request(op({ operationId: 'getThing' }));
    await c.request(op({ operationId: 'headThing', method: 'head', responseType: 'none' }));
    expect(sent.slice(2).map((s) => s.headers.get('x-idem'))).toEqual([null, null]);
    await c.request(post, { a: 2 });
    expect(sent[4]?.headers.get('x-idem')).not.toBe(keys[0]); // a new call, a new key
  });

  it('a caller’s key goes under the client’s header, else Idempotency-Key; without either, none', async () => {
    const { fetch, sent } = scriptedFetch();
    await plainClient(fetch, { idempotencyHeader: 'x-idem' }).request(post, {}, { idempotencyKey: 'k1' });
    await plainClient(fetch).request(post, {}, { idempotencyKey: 'k2' });
    await plainClient(fetch).request(post, {});
    expect(sent[0]?.headers.get('x-idem')).toBe('k1');
    expect(sent[1]?.headers.get('idempotency-key')).toBe('k2');
    expect([...(sent[2]?.headers.keys() ?? [])].filter((k) => k.includes('idem'))).toEqual([]);
  });
});

describe('per-call retry settings override the client’s', () => {
  const get = op({ operationId: 'getThing' });

  it('reports the attempts and the time waited', async () => {
    const { fetch } = scriptedFetch((_s, i) =>
      i < 2 ? Response.json({}, { status: 503 }) : Response.json({}),
    );
    const r = await plainClient(fetch, { maxRetries: 2 }).request(get).withResponse();
    expect(r.attempts).toBe(3);
    expect(r.totalRetryDelay).toBe(2);
  });

  it('the backoff: first delay, ceiling and jitter', async () => {
    const always503 = () => scriptedFetch(() => Response.json({}, { status: 503 }));
    const c = (f: typeof fetch) => plainClient(f, { maxRetries: 2, initialRetryDelay: 1, maxRetryDelay: 40 });
    const first = always503();
    const e1 = (await failure(
      c(first.fetch).request(get, undefined, { initialRetryDelay: 10 }),
    )) as ClientError;
    expect(e1.attempts).toBe(3);
    // The waits are read back from a call that finally succeeds.
    const wait = async (options: object) => {
      const { fetch } = scriptedFetch((_s, i) =>
        i === 0 ? Response.json({}, { status: 503 }) : Response.json({}),
      );
      return (await c(fetch).request(get, undefined, options).withResponse()).totalRetryDelay;
    };
    expect(await wait({ initialRetryDelay: 10 })).toBe(10);
    expect(await wait({ initialRetryDelay: 30, maxRetryDelay: 5 })).toBe(5);
    expect(await wait({ initialRetryDelay: 30, retryJitter: 1 })).toBeLessThan(30);
  });

  it('Retry-After: the cap and what happens beyond it', async () => {
    const wait = async (options: object) => {
      const { fetch } = scriptedFetch((_s, i) =>
        i === 0 ? Response.json({}, { status: 503, headers: { 'retry-after': '1' } }) : Response.json({}),
      );
      const c = plainClient(fetch, {
        maxRetries: 1,
        initialRetryDelay: 3,
        maxRetryDelay: 100,
        maxRetryAfter: 60_000,
      });
      return (await c.request(get, undefined, options).withResponse()).totalRetryDelay;
    };
    expect(await wait({ maxRetryAfter: 8 })).toBe(8);
    expect(await wait({ maxRetryAfter: 8, retryAfterBeyondCap: 'backoff' })).toBe(3);
  });

  it('connection retries and the attempt timeout', async () => {
    const refused = () => {
      const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
      return scriptedFetch(() => Promise.reject(new TypeError('fetch failed', { cause })));
    };
    const a = refused();
    await failure(
      plainClient(a.fetch, { maxRetries: 2 }).request(get, undefined, { maxConnectionRetries: 0 }),
    );
    expect(a.sent).toHaveLength(1);
    const b = refused();
    await failure(
      plainClient(b.fetch, { maxConnectionRetries: 0 }).request(get, undefined, { maxConnectionRetries: 1 }),
    );
    expect(b.sent).toHaveLength(2);
    const hangs = scriptedFetch(
      (s) =>
        new Promise((_resolve, reject) => {
          s.signal?.addEventListener('abort', () => reject(s.signal?.reason));
        }),
    );
    const c = plainClient(hangs.fetch, { maxRetries: 0, timeout: 600_000 });
    expect(await failure(c.request(get, undefined, { timeout: 20 }))).toBeInstanceOf(TimeoutError);
  });
});

describe('after a call', () => {
  it('nothing of it keeps the process alive (its attempt timer is cleared)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const answers = [
      () => Response.json({ a: 1 }),
      () => Response.json({ a: 1 }),
      () => new Response(null, { status: 204 }), // no body to read
      () => Response.json({ ignored: true }), // a body the operation does not read
    ];
    const { fetch } = scriptedFetch((_s, i) => (answers[i] as () => Response)());
    const c = plainClient(fetch, { timeout: 600_000 });
    const before = timers();
    expect(await c.request(op({ operationId: 'getThing' }))).toEqual({ a: 1 });
    expect(await c.get('/x')).toEqual({ a: 1 });
    expect(await c.request(op({ operationId: 'getThing' }))).toBeUndefined();
    expect(
      await c.request(op({ operationId: 'drop', method: 'delete', responseType: 'none' })),
    ).toBeUndefined();
    expect(timers()).toBe(before);
  });
});

describe('pages', () => {
  const offsetSpec: PaginationSpec = {
    style: 'offset',
    items: 'items',
    total: 'total',
    limitParam: 'page_size',
    offsetParam: 'skip',
    defaultLimit: 2,
  };
  const listThings = op({
    operationId: 'listThings',
    queryParams: ['page_size', 'skip'],
    pagination: offsetSpec,
  });
  /** Ten items, `page_size` at a time from `skip`, each page answered after a short wait; counts pages in flight. */
  const tenItems = () => {
    let inFlight = 0;
    const peak = { value: 0 };
    const server = scriptedFetch(async (s) => {
      inFlight++;
      peak.value = Math.max(peak.value, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      const q = query(s);
      const skip = Number(q.skip ?? 0);
      const size = Number(q.page_size ?? 10);
      const items = Array.from({ length: 10 }, (_, i) => i).slice(skip, skip + size);
      return Response.json({ items, total: 10 });
    });
    return { ...server, peak };
  };

  it('the first request asks for the first page explicitly, in the spec’s names; the caller’s values win', async () => {
    const { fetch, sent } = tenItems();
    const c = plainClient(fetch);
    await c.list(listThings);
    await c.list(listThings, { skip: 4, page_size: 3 });
    await c.list(op({ ...listThings, pagination: { style: 'offset', items: 'items', defaultLimit: 5 } }));
    await c.list(op({ ...listThings, pagination: { style: 'offset', items: 'items' } }));
    await c.list(
      op({ ...listThings, pagination: { style: 'token', items: 'items', tokenParam: 'pt', nextToken: 'n' } }),
    );
    expect(sent.map(query)).toEqual([
      { page_size: '2', skip: '0' },
      { page_size: '3', skip: '4' },
      { limit: '5', offset: '0' },
      { offset: '0' },
      {},
    ]);
  });

  it('an operation that does not paginate is refused by list and iterate', async () => {
    const { fetch, sent } = tenItems();
    const c = plainClient(fetch);
    const error = await failure(c.list(op({ operationId: 'getThing' })));
    expect(error).toBeInstanceOf(ClientError);
    expect(error.message).toBe('getThing: the operation does not paginate');
    expect(() => c.iterate(op({ operationId: 'getThing' }))).toThrow(
      'getThing: the operation does not paginate',
    );
    expect(sent).toEqual([]);
  });

  it('fetches pages concurrently as far as the client or the call allows', async () => {
    const all = async (options: object, callOptions?: object) => {
      const server = tenItems();
      const items = [];
      for await (const item of plainClient(server.fetch, options).iterate(listThings, {}, callOptions))
        items.push(item);
      expect(items).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      return server.peak.value;
    };
    expect(await all({ pageConcurrency: 1 })).toBe(1);
    expect(await all({ pageConcurrency: 1 }, { concurrency: 2 })).toBe(2);
    expect(await all({})).toBe(4);
  });

  it('follows next links relative to the API, with or without a leading slash', async () => {
    const spec: PaginationSpec = { style: 'next-link', items: 'items', next: 'next' };
    const { fetch, sent } = scriptedFetch((s) => {
      const page = Number(query(s).page ?? 1);
      const next = page === 1 ? 'things?page=2' : page === 2 ? '/v1/things?page=3' : null;
      return Response.json({ items: [page], next });
    });
    const urls = [`${BASE}/things`, `${BASE}/things?page=2`, `${BASE}/things?page=3`];
    // The same with a base URL given with trailing slashes.
    for (const baseUrl of [BASE, `${BASE}//`]) {
      const items = [];
      const pages = plainClient(fetch, { baseUrl }).iterate(
        op({ operationId: 'listThings', pagination: spec }),
      );
      for await (const item of pages) items.push(item);
      expect(items).toEqual([1, 2, 3]);
    }
    expect(sent.map((s) => s.url)).toEqual([...urls, ...urls]);
  });

  it('the caller’s signal applies to every page: one already aborted sends nothing', async () => {
    const { fetch, sent } = tenItems();
    const c = plainClient(fetch);
    const aborted = AbortSignal.abort(new Error('stop'));
    expect(await failure(c.list(listThings, {}, { signal: aborted }))).toBeInstanceOf(AbortError);
    const controller = new AbortController();
    const first = await c.list(listThings, {}, { signal: controller.signal });
    controller.abort(new Error('stop'));
    expect(await failure(first.nextPage())).toBeInstanceOf(AbortError);
    expect(sent).toHaveLength(1);
  });
});
