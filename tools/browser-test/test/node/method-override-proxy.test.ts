/** The method-override proxy between a page and a service that reads GET bodies, against a recording upstream. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMethodOverrideProxy } from '../../src/method-override-proxy.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
let seen: Seen[] = [];
let upstream: Server;
let upstreamUrl: string;
let proxy: Awaited<ReturnType<typeof startMethodOverrideProxy>>;

beforeAll(async () => {
  upstream = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    res.writeHead(req.url?.includes('missing') ? 404 : 200, {
      'content-type': 'application/json; charset=utf-8',
      'x-request-id': 'abc',
    });
    res.end(JSON.stringify({ method: req.method, body }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  proxy = await startMethodOverrideProxy({ upstream: `${upstreamUrl}/base`, maxBodyBytes: 1024 });
});
afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => upstream.close(resolve));
});
beforeEach(() => {
  seen = [];
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${proxy.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('method-override proxy', () => {
  it('turns POST + X-HTTP-Method-Override: GET into the GET with its body', async () => {
    const body = JSON.stringify({ limit: 10, offset: 20, token: 't' });
    const res = await post('/api/v1/trials?x=1', body, {
      'X-HTTP-Method-Override': 'get',
      connection: 'keep-alive',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('abc');
    expect(await res.json()).toEqual({ method: 'GET', body });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/base/api/v1/trials?x=1', body });
    expect(seen[0]?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(seen[0]?.headers['x-http-method-override']).toBeUndefined();
  });

  it('forwards other requests as they came, and the upstream status as it answered', async () => {
    const res = await post('/api/v1/missing', '{"a":1}');
    expect(res.status).toBe(404);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/base/api/v1/missing', body: '{"a":1}' });
    const get = await fetch(`${proxy.url}/api/v1/plain`);
    expect(await get.json()).toEqual({ method: 'GET', body: '' });
  });

  it('never turns a request into a write: only a POST may ask, and only for GET or HEAD', async () => {
    for (const [method, asked] of [
      ['POST', 'DELETE'],
      ['POST', 'PATCH'],
      ['PUT', 'GET'],
    ] as const) {
      const res = await fetch(`${proxy.url}/api/v1/projects/1`, {
        method,
        headers: { 'X-HTTP-Method-Override': asked },
        body: '{}',
      });
      expect(res.status, `${method} asking ${asked}`).toBe(400);
    }
    expect(seen).toEqual([]);
  });

  it('refuses a body over the limit with 413, before contacting the upstream', async () => {
    const res = await post('/api/v1/trials', 'x'.repeat(1025), { 'X-HTTP-Method-Override': 'GET' });
    expect(res.status).toBe(413);
    expect(seen).toEqual([]);
  });

  it('answers 502 naming the cause when the upstream cannot be reached', async () => {
    const down = await startMethodOverrideProxy({ upstream: 'http://127.0.0.1:1' });
    try {
      const res = await fetch(`${down.url}/api/v1/trials`);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: string }).error).toMatch(/^upstream: .*ECONNREFUSED/);
    } finally {
      await down.close();
    }
  });
});
