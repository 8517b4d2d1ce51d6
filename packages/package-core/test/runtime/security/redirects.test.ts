/** Redirects: followed within the origin only; a cross-origin one is refused and the credentials stay home. */
import { afterEach, describe, expect, it } from 'vitest';
import { bodyToken, createClient, headerToken, RedirectRefusedError } from '../../../src/index.js';
import { type LocalServer, localServer } from './local-server.js';

const TOKEN = 'sk-redirect-SECRET-0123456789';
const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function twoOrigins(status: number) {
  const other = await localServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"stolen":true}'),
  );
  const home = await localServer((req, res) => {
    if (req.url.startsWith('/v1/hop')) {
      res.writeHead(status, { location: `${other.origin}/collect?x=1` }).end();
    } else if (req.url.startsWith('/v1/same')) {
      res.writeHead(status, { location: '/v1/final' }).end();
    } else {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: req.method, body: req.body }));
    }
  });
  servers.push(other, home);
  return { home, other };
}

describe('redirects', () => {
  it.each([
    301, 302, 303, 307, 308,
  ])('a cross-origin %i is refused: neither the body token nor x-api-key reaches the second origin', async (status) => {
    const { home, other } = await twoOrigins(status);
    const viaBody = createClient({
      baseUrl: `${home.origin}/v1`,
      auth: bodyToken({ token: TOKEN }),
      maxRetries: 0,
    });
    const viaHeader = createClient({
      baseUrl: `${home.origin}/v1`,
      auth: headerToken({ token: TOKEN, header: 'x-api-key', scheme: '' }),
      maxRetries: 0,
    });
    for (const client of [viaBody, viaHeader]) {
      const err = await client.post('/hop', { body: { name: 'x' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RedirectRefusedError);
      const e = err as RedirectRefusedError;
      expect(e.status).toBe(status);
      expect(e.targetOrigin).toBe(other.origin);
      expect(e.message).toContain(String(status));
      expect(e.message).toContain(other.origin);
      expect(JSON.stringify(e)).not.toContain(TOKEN);
    }
    expect(other.seen).toEqual([]);
    expect(home.seen.map((s) => s.body).join('')).toContain(TOKEN);
  });

  it('a GET with a body token (node:http transport) is refused too', async () => {
    const { home, other } = await twoOrigins(307);
    const client = createClient({
      baseUrl: `${home.origin}/v1`,
      auth: bodyToken({ token: TOKEN }),
      maxRetries: 0,
    });
    const err = await client.get('/hop').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedirectRefusedError);
    expect(other.seen).toEqual([]);
  });

  it('a same-origin 307 is followed with its body; 303 becomes a GET', async () => {
    const { home } = await twoOrigins(307);
    const client = createClient({
      baseUrl: `${home.origin}/v1`,
      auth: bodyToken({ token: TOKEN }),
      maxRetries: 0,
    });
    const res = (await client.post('/same', { body: { name: 'x' } })) as { ok: string; body: string };
    expect(res.ok).toBe('POST');
    expect(JSON.parse(res.body)).toEqual({ name: 'x', token: TOKEN });
    const { home: home303 } = await twoOrigins(303);
    const c303 = createClient({ baseUrl: `${home303.origin}/v1`, maxRetries: 0 });
    expect(((await c303.post('/same', { body: { name: 'x' } })) as { ok: string }).ok).toBe('GET');
  });

  it('allowedRedirectOrigins admits a named origin', async () => {
    const { home, other } = await twoOrigins(302);
    const client = createClient({
      baseUrl: `${home.origin}/v1`,
      maxRetries: 0,
      allowedRedirectOrigins: [`${other.origin}/`],
    });
    expect(await client.get('/hop')).toEqual({ stolen: true });
    expect(other.seen).toHaveLength(1);
  });

  it('a same-origin redirect loop ends with an error', async () => {
    const home = await localServer((_req, res) => res.writeHead(302, { location: '/v1/loop' }).end());
    servers.push(home);
    const client = createClient({ baseUrl: `${home.origin}/v1`, maxRetries: 0 });
    await expect(client.get('/loop')).rejects.toThrow(/more than 10 redirects/);
    expect(home.seen.length).toBe(11);
  });
});
