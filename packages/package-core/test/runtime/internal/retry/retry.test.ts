import { delay, HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  BadRequestError,
  ConnectionError,
  FatalApiError,
  InternalServerError,
  RateLimitError,
  RetryableApiError,
  TimeoutError,
} from '../../../../src/index.js';
import { BASE, makeClient } from '../../helpers.js';
import { useFake } from '../../setup.js';

const fake = useFake();

/** Script: answer the first calls of a route with these, then fall through to the fake. */
function script(method: 'get' | 'post' | 'patch' | 'put', path: string, ...responses: (() => Response)[]) {
  const seen: Request[] = [];
  for (const r of responses.reverse()) {
    fake.server.use(
      http[method](
        `${BASE}${path}`,
        ({ request }) => {
          seen.push(request.clone());
          return r();
        },
        { once: true },
      ),
    );
  }
  return seen;
}
const status =
  (s: number, body: unknown = { message: `status ${s}` }, headers: Record<string, string> = {}) =>
  () =>
    HttpResponse.json(body as never, { status: s, headers });

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('retries', () => {
  it('503 then 200 succeeds with attempts = 2', async () => {
    script('get', '/widgets/w1', status(503));
    const client = makeClient();
    const res = await client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w1' });
    expect(res.attempts).toBe(2);
    expect((res.data as { id: string }).id).toBe('w1');
  });

  it('gives up after maxRetries with InternalServerError carrying attempts and the server message', async () => {
    script(
      'get',
      '/widgets/w1',
      status(500, { message: 'db down' }),
      status(502),
      status(503, { message: 'still' }),
    );
    const err = await makeClient()
      .widgets.get('w1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err).toBeInstanceOf(RetryableApiError);
    expect(err.attempts).toBe(3);
    expect(err.status).toBe(503);
    expect(err.message).toBe('getWidget: 503 still');
    expect(err.retryable).toBe(true);
  });

  it('does not retry a POST that got a 502 (not declared safe)', async () => {
    const seen = script('post', '/widgets', status(502));
    const err = await makeClient()
      .widgets.create({ name: 'x' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.attempts).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('retries a POST declared x-idempotent, with the same idempotency key on every attempt', async () => {
    const seen = script('post', '/gadgets', status(502), status(503));
    const client = makeClient({ idempotencyHeader: 'Idempotency-Key' });
    const res = await client.requestWithResponse(client.operation('createGadget'), { label: 'g' });
    expect(res.attempts).toBe(3);
    const keys = seen.map((r) => r.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^mlclients-retry-/);
    expect(new Set(keys).size).toBe(1);
  });

  it('sends an attempt counter header (retries so far)', async () => {
    const seen = script('get', '/widgets/w2', status(500), status(500));
    await makeClient().widgets.get('w2');
    expect(seen.map((r) => r.headers.get('x-retry-count'))).toEqual(['0', '1']);
  });

  it('does not retry non-retryable statuses', async () => {
    const seen = script('get', '/widgets/w1', status(400, { message: 'bad limit' }));
    const err = await makeClient()
      .widgets.get('w1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.attempts).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('honours x-should-retry: false and true', async () => {
    script('get', '/widgets/w1', status(503, {}, { 'x-should-retry': 'false' }));
    const e1 = await makeClient()
      .widgets.get('w1')
      .catch((e) => e);
    expect(e1.attempts).toBe(1);
    expect(e1.retryable).toBe(false);

    script('get', '/widgets/w1', status(404, {}, { 'x-should-retry': 'true' }));
    const client = makeClient();
    const res = await client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w1' });
    expect(res.attempts).toBe(2);
  });

  it('lets a per-service policy move statuses (500 fatal, 409 retryable)', async () => {
    script('get', '/widgets/w1', status(500));
    const client = makeClient({ errorPolicy: { statusKinds: { 500: 'fatal', 409: 'retryable' } } });
    const err = await client.widgets.get('w1').catch((e) => e);
    expect(err).toBeInstanceOf(FatalApiError);
    expect(err).not.toBeInstanceOf(InternalServerError);
    expect(err.attempts).toBe(1);

    script('get', '/widgets/w1', status(409));
    const res = await client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w1' });
    expect(res.attempts).toBe(2);
  });

  it('connection errors have their own budget (maxConnectionRetries)', async () => {
    script(
      'get',
      '/widgets/w1',
      () => HttpResponse.error(),
      () => HttpResponse.error(),
    );
    const client = makeClient({ maxRetries: 0, maxConnectionRetries: 2 });
    const res = await client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w1' });
    expect(res.attempts).toBe(3);
    script('get', '/widgets/w1', status(503));
    const err = await client.widgets.get('w1').catch((e) => e);
    expect(err.attempts).toBe(1);
  });

  it('per-call maxRetries overrides the client', async () => {
    script('get', '/widgets/w1', status(503), status(503));
    const err = await makeClient({ maxRetries: 5 })
      .widgets.get('w1', {}, { maxRetries: 1 })
      .catch((e) => e);
    expect(err.attempts).toBe(2);
  });
});

describe('Retry-After', () => {
  it('Retry-After: 2 waits about 2 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    script('get', '/widgets/w1', status(429, { message: 'slow' }, { 'retry-after': '2' }));
    const client = makeClient({ initialRetryDelay: 10 });
    let done = false;
    const p = client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w1' }).then((r) => {
      done = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(1_900);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    const res = await p;
    expect(res.attempts).toBe(2);
    expect(res.totalRetryDelay).toBe(2_000);
  });

  it('an HTTP-date Retry-After is honoured', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
      now: new Date('2026-01-01T00:00:00Z'),
    });
    script(
      'get',
      '/widgets/w1',
      status(503, {}, { 'retry-after': new Date('2026-01-01T00:00:05Z').toUTCString() }),
    );
    const client = makeClient();
    const p = client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w1' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await p).totalRetryDelay).toBe(5_000);
  });

  it('Retry-After: 3600 falls back to the cap (60 s)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    script('get', '/widgets/w1', status(429, {}, { 'retry-after': '3600' }));
    const client = makeClient();
    let done = false;
    const p = client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w1' }).then((r) => {
      done = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1_100);
    const res = await p;
    expect(res.attempts).toBe(2);
    expect(res.totalRetryDelay).toBe(60_000);
  });

  it("with retryAfterBeyondCap: 'backoff', Retry-After: 3600 uses the normal backoff", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    script('get', '/widgets/w1', status(429, {}, { 'retry-after': '3600' }));
    const client = makeClient({
      initialRetryDelay: 500,
      maxRetryDelay: 8_000,
      retryJitter: 0,
      retryAfterBeyondCap: 'backoff',
    });
    const p = client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w1' });
    await vi.advanceTimersByTimeAsync(600);
    expect((await p).totalRetryDelay).toBe(500);
  });

  it('the cap is configurable, and retry-after-ms wins over Retry-After', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    script('get', '/widgets/w1', status(429, {}, { 'retry-after': '90', 'retry-after-ms': '1500' }));
    script('get', '/widgets/w2', status(429, {}, { 'retry-after': '90' }));
    const client = makeClient({ maxRetryAfter: 120_000 });
    const p1 = client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w1' });
    await vi.advanceTimersByTimeAsync(1_500);
    expect((await p1).totalRetryDelay).toBe(1_500);
    const p2 = client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w2' });
    await vi.advanceTimersByTimeAsync(90_000);
    expect((await p2).totalRetryDelay).toBe(90_000);
  });

  it('a 429 that exhausts retries is a RateLimitError', async () => {
    script('get', '/widgets/w1', status(429), status(429), status(429));
    const err = await makeClient()
      .widgets.get('w1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
  });
});

describe('timeouts, connection errors, aborts', () => {
  it('a timeout becomes TimeoutError and is retried', async () => {
    let calls = 0;
    fake.server.use(
      http.get(`${BASE}/widgets/w1`, async () => {
        calls++;
        if (calls <= 1) await delay('infinite');
        return HttpResponse.json({ id: 'w1', name: 'n', score: 1 });
      }),
    );
    const client = makeClient({ timeout: 50 });
    const res = await client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w1' });
    expect(res.attempts).toBe(2);

    calls = -10;
    const err = await client.widgets.get('w1').catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.attempts).toBe(3);
    expect(err.message).toContain('timed out after 50 ms');
  });

  it('a connection reset is retried for GET, not for a plain POST', async () => {
    script('get', '/widgets/w1', () => HttpResponse.error());
    const client = makeClient();
    expect(
      (await client.requestWithResponse(client.operation('getWidget'), { widget_id: 'w1' })).attempts,
    ).toBe(2);

    const seen = script('post', '/widgets', () => HttpResponse.error());
    const err = await client.widgets.create({ name: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.attempts).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('a refused connection is retried even for a POST (the request never reached the server)', async () => {
    // A loopback port that was just free: the OS refuses at once.
    const port = await freePort();
    let attempts = 0;
    const client = makeClient({
      baseUrl: `http://127.0.0.1:${port}`,
      fetch: async (input, init) => {
        attempts++;
        // bypass MSW: hit the real network stack
        const { fetch: undiciFetch } = await import('undici');
        return undiciFetch(input as string, init as never) as unknown as Response;
      },
    });
    const err = await client.widgets.create({ name: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.connectionRefused).toBe(true);
    expect(attempts).toBe(3);
  });

  it('abort stops at once with AbortError and no further attempt', async () => {
    let calls = 0;
    let arrived!: () => void;
    const inHandler = new Promise<void>((r) => {
      arrived = r;
    });
    fake.server.use(
      http.get(`${BASE}/widgets/w1`, async () => {
        calls++;
        arrived();
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const ac = new AbortController();
    const p = makeClient().widgets.get('w1', {}, { signal: ac.signal });
    await inHandler; // abort while the attempt is in flight, not before it starts
    ac.abort();
    const err = await p.catch((e) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(calls).toBe(1);
  });

  it('abort during the backoff wait stops at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const seen = script('get', '/widgets/w1', status(503, {}, { 'retry-after': '30' }));
    const ac = new AbortController();
    const p = makeClient()
      .widgets.get('w1', {}, { signal: ac.signal })
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(100);
    ac.abort();
    const err = await p;
    expect(err).toBeInstanceOf(AbortError);
    expect(err.attempts).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('an already-aborted signal sends nothing', async () => {
    const err = await makeClient()
      .widgets.get('w1', {}, { signal: AbortSignal.abort() })
      .catch((e) => e);
    expect(err).toBeInstanceOf(AbortError);
  });
});
