import { createServer, type IncomingMessage, type Server } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { HttpResponse, http, passthrough } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  bodyToken,
  ClientError,
  createClient,
  NotFoundError,
  nodeHttpTransport,
  unsupportedGetWithBody,
} from '../../../src/index.js';
import { readJsonBody } from '../../../src/testing/index.js';
import { type paths, resources } from '../../generated/index.js';
import { operationSchemas } from '../../generated/zod.js';
import { BASE, makeClient, TOKEN } from '../helpers.js';
import { useFake } from '../setup.js';

const fake = useFake();

/** A real HTTP server on loopback that echoes what it got, so the Node transport is exercised end to end. */
let server: Server;
let origin = '';
const received: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      if (req.url?.startsWith('/widgets/stall')) {
        // Headers and half a body, then nothing: only the caller's abort can end the read.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"stall","name":');
        return;
      }
      if (req.url?.startsWith('/gz')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(JSON.stringify({ ok: true, echo: body })));
      } else if (req.url?.startsWith('/notes')) {
        const q = body ? JSON.parse(body) : {};
        const offset = q.offset ?? 0;
        const data = q.offset >= 4 ? [] : [{ id: offset, text: 'n' }];
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'rid-1' });
        res.end(JSON.stringify({ data, meta: { pagination: { total: 4, count: data.length } } }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `no route ${req.url}` }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

// The fake server fails loudly on unhandled requests; this file's real loopback server is meant to be reached.
beforeEach(() => {
  fake.server.use(http.all(`${origin}/*`, () => passthrough()));
});

describe('GET with a JSON body', () => {
  it('goes through node:http on Node (limit/offset and the token in the body)', async () => {
    received.length = 0;
    const client = createClient<paths, typeof resources>({
      baseUrl: origin,
      resources,
      operationSchemas,
      auth: bodyToken({ token: TOKEN }),
      fetch: () => {
        throw new Error('fetch must not be used for a GET with a body');
      },
    });
    const page = await client.notes.list({ limit: 1, offset: 2 });
    expect(page.data).toEqual([{ id: 2, text: 'n' }]);
    expect(received[0]?.method).toBe('GET');
    expect(JSON.parse(received[0]?.body ?? '')).toEqual({ limit: 1, offset: 2, token: TOKEN });
    expect(received[0]?.headers['content-type']).toBe('application/json');
    const all = await client.notes.iterate({ limit: 1 }).toArray();
    expect(all.map((n) => n.id)).toEqual([0, 1, 2, 3]);
  });

  it('maps errors from the Node transport through the same taxonomy', async () => {
    const err = await nodeHttpTransport({
      url: `${origin}/nothing`,
      method: 'GET',
      headers: new Headers(),
      body: '{}',
      signal: new AbortController().signal,
      operation: 'x',
    });
    expect(err.status).toBe(404);
    const client = createClient<paths, typeof resources>({
      baseUrl: `${origin}/prefix`,
      resources,
      auth: bodyToken({ token: TOKEN }),
    });
    const e = await client.widgets.get('w1').catch((x) => x);
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).not.toContain(TOKEN);
  });

  it('decodes a gzip-encoded response', async () => {
    const res = await nodeHttpTransport({
      url: `${origin}/gz`,
      method: 'GET',
      headers: new Headers(),
      body: '{"a":1}',
      signal: new AbortController().signal,
      operation: 'x',
    });
    expect(await res.json()).toEqual({ ok: true, echo: '{"a":1}' });
  });

  it('in a browser, fails with a clear error naming the operation', async () => {
    const client = makeClient({ auth: bodyToken({ token: TOKEN }), getWithBody: unsupportedGetWithBody });
    const err = await client.widgets.get('w1').catch((e) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err.message).toMatch(/^getWidget: sends a JSON body with GET, which browser fetch cannot do/);
    expect(err.attempts).toBe(1);
  });
});

describe('aborts', () => {
  it('an abort while the body is being read ends the call with AbortError', async () => {
    const { fetch: undiciFetch } = await import('undici');
    const client = createClient<paths, typeof resources>({
      baseUrl: origin,
      resources,
      fetch: undiciFetch as unknown as typeof fetch,
    });
    const ac = new AbortController();
    const p = client.widgets.get('stall', {}, { signal: ac.signal }).catch((e) => e);
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    const err = await p;
    expect(err).toBeInstanceOf(AbortError);
    expect(err.attempts).toBe(1);
  });
});

describe('request bodies and response types', () => {
  it('gzip-compresses a body per call or per operation', async () => {
    const seen: { encoding: string | null; body: unknown }[] = [];
    fake.server.use(
      http.post(`${BASE}/widgets`, async ({ request }) => {
        const raw = new Uint8Array(await request.clone().arrayBuffer());
        seen.push({
          encoding: request.headers.get('content-encoding'),
          body: JSON.parse(gunzipSync(raw).toString()),
        });
        return HttpResponse.json({ id: 'w9', name: 'x', score: 0 }, { status: 201 });
      }),
    );
    await makeClient().widgets.create({ name: 'x' }, { compressBody: 'gzip' });
    await makeClient({ operationOptions: { createWidget: { compressBody: 'gzip' } } }).widgets.create({
      name: 'y',
    });
    expect(seen).toEqual([
      { encoding: 'gzip', body: { name: 'x' } },
      { encoding: 'gzip', body: { name: 'y' } },
    ]);
  });

  it('reads text/plain responses as strings', async () => {
    const text: string = await makeClient().widgets.report('w1');
    expect(text).toBe('report for w1');
  });

  it('a 204 resolves to undefined', async () => {
    const client = makeClient();
    const w = await client.widgets.create({ name: 'to delete' });
    await expect(client.widgets.delete(w.id)).resolves.toBeUndefined();
  });

  it('unwraps the service envelope when declared', async () => {
    fake.server.use(
      http.get(`${BASE}/widgets/w1`, () =>
        HttpResponse.json({ data: { id: 'w1', name: 'n', score: 1 }, meta: { status: 200 } }),
      ),
    );
    const client = createClient<paths, typeof resources, { data: 'data' }>({
      baseUrl: BASE,
      resources,
      envelope: { data: 'data' },
    });
    expect(await client.widgets.get('w1')).toEqual({ id: 'w1', name: 'n', score: 1 });
  });

  it('sends default headers, per-call headers, and lets null remove a default', async () => {
    const seen: Headers[] = [];
    fake.server.use(
      http.get(`${BASE}/widgets/w1`, ({ request }) => {
        seen.push(request.headers);
        return HttpResponse.json({ id: 'w1', name: 'n', score: 1 });
      }),
    );
    const client = makeClient({ headers: { 'x-app': 'tests', 'x-drop': 'me' } });
    await client.widgets.get('w1', {}, { headers: { 'x-call': '1', 'x-drop': null } });
    await client.withOptions({ headers: { 'x-app': 'other' } }).widgets.get('w1');
    expect(seen[0]?.get('x-app')).toBe('tests');
    expect(seen[0]?.get('x-call')).toBe('1');
    expect(seen[0]?.get('x-drop')).toBeNull();
    expect(seen[1]?.get('x-app')).toBe('other');
    expect(seen[1]?.get('x-drop')).toBe('me');
  });

  it('readJsonBody reads a JSON body sent with POST', async () => {
    const r = new Request('http://x/', { method: 'POST', body: '{"a":1}' });
    expect(await readJsonBody(r)).toEqual({ a: 1 });
  });
});
