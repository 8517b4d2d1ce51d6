/** Limits: the timeout covers the body, decoded bodies stop at maxResponseSize, error bodies and messages are capped. */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bodyToken,
  createClient,
  type InvalidParamsError,
  ResponseTooLargeError,
  TimeoutError,
} from '../../../src/index.js';
import { type LocalServer, localServer } from './local-server.js';

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(handle: Parameters<typeof localServer>[0]) {
  const s = await localServer(handle);
  servers.push(s);
  return s;
}

/** 16 MiB of zeros compresses to ~16 KB; the three bombs cost 48 MB to build, the client decodes at most 1 MiB of each. */
const BOMB_SIZE = 16 * 1024 * 1024;
const LIMIT = 1024 * 1024;

describe('timeout covers the whole response', () => {
  it.each(['POST', 'PATCH', 'GET'])('a %s whose body never ends fails with TimeoutError', async (method) => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": [1, 2, 3'); // and never ends
    });
    const client = createClient({ baseUrl: s.origin, timeout: 300, maxRetries: 0 });
    const call =
      method === 'POST'
        ? client.post('/x', { body: { a: 1 } })
        : method === 'PATCH'
          ? client.patch('/x', { body: { a: 1 } })
          : client.get('/x');
    await expect(call).rejects.toBeInstanceOf(TimeoutError);
  });

  it('a GET with a body (node:http transport) whose body never ends fails with TimeoutError', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": [');
    });
    const client = createClient({
      baseUrl: s.origin,
      timeout: 300,
      maxRetries: 0,
      auth: bodyToken({ token: 'tok-123456' }),
    });
    await expect(client.get('/x')).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe('maxResponseSize', () => {
  const bombs = {
    gzip: gzipSync(Buffer.alloc(BOMB_SIZE)),
    deflate: deflateSync(Buffer.alloc(BOMB_SIZE)),
    br: brotliCompressSync(Buffer.alloc(BOMB_SIZE)),
  };

  it.each(
    Object.keys(bombs) as (keyof typeof bombs)[],
  )('a %s bomb stops at the limit (fetch)', async (enc) => {
    const s = await serve((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': enc })
        .end(bombs[enc]),
    );
    const client = createClient({ baseUrl: s.origin, maxRetries: 0, maxResponseSize: LIMIT });
    const err = await client.post('/bomb', { body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as ResponseTooLargeError).limitBytes).toBe(LIMIT);
  });

  it.each(
    Object.keys(bombs) as (keyof typeof bombs)[],
  )('a %s bomb stops at the limit (node:http)', async (enc) => {
    const s = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': enc }).end(bombs[enc]),
    );
    const client = createClient({
      baseUrl: s.origin,
      maxRetries: 0,
      maxResponseSize: LIMIT,
      auth: bodyToken({ token: 'tok-123456' }),
    });
    await expect(client.get('/bomb')).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('a body under the limit is read whole', async () => {
    const s = await serve((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        .end(gzipSync('{"n":1}')),
    );
    const client = createClient({ baseUrl: s.origin, maxRetries: 0, maxResponseSize: 7 });
    expect(await client.get('/ok')).toEqual({ n: 1 });
  });
});

describe('error bodies', () => {
  it('a 5 MB error message: body kept up to 64 KiB, message cut to 1,000 characters, serverMessage capped', async () => {
    const huge = 'x'.repeat(5_000_000);
    const s = await serve((_req, res) => res.writeHead(400, { 'content-type': 'text/plain' }).end(huge));
    const client = createClient({ baseUrl: s.origin, maxRetries: 0 });
    const err = (await client.post('/x', { body: {} }).catch((e: unknown) => e)) as InvalidParamsError;
    expect(err.status).toBe(400);
    expect(err.message.length).toBeLessThan(1_100);
    expect((err.body as string).length).toBe(64 * 1024);
    expect(err.serverMessage?.length).toBe(64 * 1024);
  });

  it('the caps are options', async () => {
    const s = await serve((_req, res) =>
      res
        .writeHead(422, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: 'y'.repeat(5000) })),
    );
    const client = createClient({ baseUrl: s.origin, maxRetries: 0, maxErrorMessageLength: 10 });
    const err = (await client.post('/x', { body: {} }).catch((e: unknown) => e)) as InvalidParamsError;
    expect(err.message).toBe('POST /x: 422 yyyyyyyyyy… (5000 characters)');
    expect(err.serverMessage).toBe('y'.repeat(5000));
  });
});
