/**
 * The retrying fetch (`send.ts`) below openapi-fetch, driven directly: a scripted `fetch` that fails the way undici
 * fails (`TypeError: fetch failed` with the system error as its cause) or answers with a status, and a real socket on
 * 127.0.0.1 for a reset. Delays are 1-5 ms with no jitter, so no fake timers are needed.
 */
import { createServer, type Socket } from 'node:net';
import { fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AuthStrategy,
  ClientError,
  ConnectionError,
  defaultErrorPolicy,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  Redactor,
} from '../../../../src/index.js';
import {
  AttemptTemplate,
  type CallPlan,
  type CallStats,
  type Runtime,
  retryingFetch,
} from '../../../../src/internal/send.js';

const URL_ = 'http://api.test.invalid/v1/things';
const silent = { error() {}, warn() {}, info() {}, debug() {} };

type Step = Response | Error;
/** A fetch that plays `steps` in order (the last one repeats) and records what each attempt sent. */
function scriptedFetch(...steps: Step[]) {
  const sent: { method: string; headers: Headers; body: unknown }[] = [];
  const fetch: typeof globalThis.fetch = (async (_url: string, init: RequestInit) => {
    sent.push({ method: String(init.method), headers: new Headers(init.headers), body: init.body });
    const step = steps[Math.min(sent.length - 1, steps.length - 1)] as Step;
    if (step instanceof Error) throw step;
    return step.clone();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, sent };
}

/** What undici's fetch throws when the connection fails. */
const fetchFailed = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(`${code} 127.0.0.1:1`), { code }) });
const status = (s: number, headers: Record<string, string> = {}) =>
  Response.json({ message: `status ${s}` }, { status: s, headers });
const ok = () => Response.json({ ok: true });

function runtime(fetch: typeof globalThis.fetch, extra: Partial<Runtime> = {}): Runtime {
  return {
    fetch,
    getWithBody: () => Promise.reject(new Error('GET with a body is not used here')),
    auth: undefined,
    redactor: new Redactor(),
    logger: silent,
    logLevel: 'off',
    errorPolicy: defaultErrorPolicy,
    retryCountHeader: 'x-retry-count',
    ...extra,
  };
}

function plan(extra: Partial<CallPlan> = {}): CallPlan {
  return {
    operation: 'thingOp',
    method: 'GET',
    idempotent: true,
    body: undefined,
    signal: undefined,
    timeout: undefined,
    maxRetries: undefined,
    maxConnectionRetries: undefined,
    compressBody: undefined,
    auth: undefined,
    authBodyField: undefined,
    idempotencyHeader: undefined,
    idempotencyKey: undefined,
    url: undefined,
    initialRetryDelay: 1,
    maxRetryDelay: 2,
    retryJitter: 0,
    ...extra,
  };
}

/** One logical call; resolves to the response or the error, with the stats. */
async function call(rt: Runtime, p: CallPlan) {
  const stats: CallStats = { attempts: 0, totalRetryDelay: 0 };
  const method = p.method;
  try {
    const res = await retryingFetch(rt, p, stats)(new AttemptTemplate(URL_, { method }));
    stats.control?.release();
    return { res, err: undefined, stats };
  } catch (err) {
    return { res: undefined, err: err as ClientError & { status?: number; code?: string }, stats };
  }
}

const servers: { close(cb: () => void): void }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

const POST = { method: 'POST', idempotent: false, body: { name: 'x' } } as const;

const CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
];

describe('connection errors', () => {
  it.each(CODES)('%s is retried for an idempotent call', async (code) => {
    const { fetch, sent } = scriptedFetch(fetchFailed(code), ok());
    const { res, stats } = await call(runtime(fetch), plan());
    expect(res?.status).toBe(200);
    expect(sent).toHaveLength(2);
    expect(stats.attempts).toBe(2);
  });

  it.each(
    CODES,
  )('%s that persists ends in a ConnectionError naming the code, after every retry', async (code) => {
    const { fetch, sent } = scriptedFetch(fetchFailed(code));
    const { err } = await call(runtime(fetch), plan());
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err?.code).toBe(code);
    expect(err?.message).toContain(code);
    expect(err?.attempts).toBe(3);
    expect(err?.retryable).toBe(true);
    expect(sent).toHaveLength(3);
  });

  it.each(
    CODES.filter((c) => c !== 'ECONNREFUSED'),
  )('%s is not retried for a POST that is not idempotent (the server may have acted)', async (code) => {
    const { fetch, sent } = scriptedFetch(fetchFailed(code), ok());
    const { err } = await call(runtime(fetch), plan(POST));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err?.attempts).toBe(1);
    expect(err?.retryable).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it('ECONNREFUSED is retried even for a POST that is not idempotent: nothing was sent', async () => {
    const { fetch, sent } = scriptedFetch(fetchFailed('ECONNREFUSED'), fetchFailed('ECONNREFUSED'), ok());
    const { res, stats } = await call(runtime(fetch), plan(POST));
    expect(res?.status).toBe(200);
    expect(stats.attempts).toBe(3);
    expect(sent.map((s) => s.body)).toEqual(['{"name":"x"}', '{"name":"x"}', '{"name":"x"}']);
  });

  it('a fetch failure without a code (how browsers report every network error) is a connection error', async () => {
    const { fetch, sent } = scriptedFetch(new TypeError('Failed to fetch'));
    const get = await call(runtime(fetch), plan());
    expect(get.err).toBeInstanceOf(ConnectionError);
    expect(get.err?.code).toBeUndefined();
    expect(sent).toHaveLength(3);
    const post = await call(runtime(scriptedFetch(new TypeError('Failed to fetch')).fetch), plan(POST));
    expect(post.err?.attempts).toBe(1);
  });

  it('a real connection reset on 127.0.0.1: a GET is retried, a POST is not', async () => {
    let connections = 0;
    const server = createServer((socket: Socket) => {
      connections++;
      // Odd connections are cut before any answer; even ones get a proper HTTP response.
      if (connections % 2 === 1) {
        socket.once('data', () => socket.resetAndDestroy());
        return;
      }
      socket.once('data', () =>
        socket.end(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}',
        ),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    const { port } = server.address() as { port: number };
    const realFetch = ((url: string, init: RequestInit) =>
      undiciFetch(
        url.replace(URL_, `http://127.0.0.1:${port}/`),
        init as never,
      )) as unknown as typeof globalThis.fetch;

    const get = await call(runtime(realFetch), plan());
    expect(get.res?.status).toBe(200);
    expect(get.stats.attempts).toBe(2);

    const post = await call(runtime(realFetch), plan(POST));
    expect(post.err).toBeInstanceOf(ConnectionError);
    expect(post.err?.code).toBe('ECONNRESET');
    expect(post.err?.attempts).toBe(1);
    expect(connections).toBe(3);
  });
});

describe('responses', () => {
  it('a 503 to a GET is retried; once retries run out, InternalServerError with retryable true', async () => {
    const { fetch, sent } = scriptedFetch(status(503));
    const { err, stats } = await call(runtime(fetch), plan());
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err?.retryable).toBe(true);
    expect(err?.attempts).toBe(3);
    expect(stats.attempts).toBe(3);
    expect(sent).toHaveLength(3);
  });

  it.each([
    ['a 503', status(503)],
    ['a 429 with Retry-After: 0', status(429, { 'retry-after': '0' })],
    ['a 404 with x-should-retry: true', status(404, { 'x-should-retry': 'true' })],
  ])('%s to a POST that is not idempotent is not retried (the server saw it)', async (_what, response) => {
    const { fetch, sent } = scriptedFetch(response, ok());
    const { err } = await call(runtime(fetch), plan(POST));
    expect(err?.attempts).toBe(1);
    expect(sent).toHaveLength(1);
    // Still a transient failure: a caller who knows the call is safe may retry it.
    expect(err?.retryable).toBe(true);
  });

  it('a DELETE declared x-idempotent: false (it starts server-side work) is retried only on a refused connection', async () => {
    const deleteMany = { method: 'DELETE', idempotent: false } as const;
    const gateway = scriptedFetch(status(503), ok());
    expect((await call(runtime(gateway.fetch), plan(deleteMany))).err).toBeInstanceOf(InternalServerError);
    expect(gateway.sent).toHaveLength(1);

    const refused = scriptedFetch(fetchFailed('ECONNREFUSED'), ok());
    expect((await call(runtime(refused.fetch), plan(deleteMany))).res?.status).toBe(200);
    expect(refused.sent).toHaveLength(2);
  });

  it('a 404 is not retried and keeps retryable false; a 429 that persists is a RateLimitError', async () => {
    const notFound = scriptedFetch(status(404), ok());
    const { err } = await call(runtime(notFound.fetch), plan());
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err?.retryable).toBe(false);
    expect(notFound.sent).toHaveLength(1);

    const limited = await call(runtime(scriptedFetch(status(429)).fetch), plan());
    expect(limited.err).toBeInstanceOf(RateLimitError);
    expect(limited.err?.retryable).toBe(true);
  });

  it('x-should-retry: false stops a 503 and makes it not retryable', async () => {
    const { fetch, sent } = scriptedFetch(status(503, { 'x-should-retry': 'false' }), ok());
    const { err } = await call(runtime(fetch), plan());
    expect(err?.retryable).toBe(false);
    expect(sent).toHaveLength(1);
  });
});

describe('Retry-After in the loop', () => {
  const backoffOnly = { initialRetryDelay: 5, maxRetryDelay: 5, retryJitter: 0 };

  it.each([
    ['hex', '0x10'],
    ['negative', '-1'],
    ['a fraction', '1.5'],
    ['blank', ''],
    ['garbage', 'later'],
  ])('a %s Retry-After (%j) is ignored: the normal backoff is used, neither 0 nor its "value"', async (_w, v) => {
    const { fetch } = scriptedFetch(status(503, { 'retry-after': v }), ok());
    const { res, stats } = await call(runtime(fetch), plan(backoffOnly));
    expect(res?.status).toBe(200);
    expect(stats.totalRetryDelay).toBe(5);
  });

  it('a valid one replaces the backoff: 0 retries at once, a past date too, retry-after-ms is exact', async () => {
    const zero = await call(
      runtime(scriptedFetch(status(503, { 'retry-after': '0' }), ok()).fetch),
      plan(backoffOnly),
    );
    expect(zero.stats.totalRetryDelay).toBe(0);
    const past = await call(
      runtime(scriptedFetch(status(503, { 'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT' }), ok()).fetch),
      plan(backoffOnly),
    );
    expect(past.stats.totalRetryDelay).toBe(0);
    const ms = await call(
      runtime(scriptedFetch(status(429, { 'retry-after-ms': '3' }), ok()).fetch),
      plan(backoffOnly),
    );
    expect(ms.stats.totalRetryDelay).toBe(3);
  });

  it('a wait beyond maxRetryAfter waits the cap', async () => {
    const { fetch } = scriptedFetch(status(503, { 'retry-after': '3600' }), ok());
    const { stats } = await call(runtime(fetch), plan({ ...backoffOnly, maxRetryAfter: 7 }));
    expect(stats.totalRetryDelay).toBe(7);
  });
});

describe('every attempt', () => {
  it('carries the same idempotency key and a retry counter; stats count the attempts', async () => {
    const { fetch, sent } = scriptedFetch(status(502), fetchFailed('ECONNRESET'), ok());
    const { res, stats } = await call(
      runtime(fetch),
      plan({
        method: 'POST',
        idempotent: true,
        body: { label: 'g' },
        idempotencyHeader: 'Idempotency-Key',
        idempotencyKey: 'key-123',
        maxRetries: 3,
        initialRetryDelay: 2,
        maxRetryDelay: 100,
      }),
    );
    expect(res?.status).toBe(200);
    expect(stats.attempts).toBe(3);
    expect(stats.totalRetryDelay).toBe(2 + 4);
    expect(sent.map((s) => s.headers.get('idempotency-key'))).toEqual(['key-123', 'key-123', 'key-123']);
    expect(sent.map((s) => s.headers.get('x-retry-count'))).toEqual(['0', '1', '2']);
  });

  it('the first attempt is an attempt like the others: with maxRetries 0 nothing is retried', async () => {
    const { fetch, sent } = scriptedFetch(status(503), ok());
    const { err } = await call(runtime(fetch), plan({ maxRetries: 0 }));
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err?.attempts).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it('a bad retry option fails the call before anything is sent, naming the operation and the option', async () => {
    const { fetch, sent } = scriptedFetch(ok());
    const { err } = await call(runtime(fetch), plan({ maxRetries: -1 }));
    expect(err).toBeInstanceOf(ClientError);
    expect(err?.message).toBe('thingOp: maxRetries: expected a whole number >= 0, got -1');
    expect(sent).toHaveLength(0);
  });

  it('a plain ClientError (here from auth) ends the call at once, not retryable', async () => {
    let applied = 0;
    const auth: AuthStrategy = {
      kind: 'custom',
      secrets: () => [],
      apply() {
        applied++;
        throw new ClientError('thingOp: no token configured');
      },
    };
    const { fetch, sent } = scriptedFetch(ok());
    const { err } = await call(runtime(fetch, { auth }), plan());
    expect(err).toBeInstanceOf(ClientError);
    expect(err?.retryable).toBe(false);
    expect(err?.attempts).toBe(1);
    expect(applied).toBe(1);
    expect(sent).toHaveLength(0);
  });

  it('auth runs again on every attempt (a refreshed token reaches the retry)', async () => {
    let n = 0;
    const auth: AuthStrategy = {
      kind: 'header',
      secrets: () => [],
      apply(req) {
        req.headers.set('authorization', `Bearer t${++n}`);
      },
    };
    const { fetch, sent } = scriptedFetch(status(503), ok());
    await call(runtime(fetch, { auth }), plan());
    expect(sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer t1', 'Bearer t2']);
  });
});
