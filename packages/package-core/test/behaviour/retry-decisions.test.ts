/**
 * Which failures a client retries and how long it waits: what a caller relies on so a bad `Retry-After` cannot turn
 * into a tight retry loop, and so a dropped connection is retried whatever the system calls it.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientError,
  ConnectionError,
  createClient,
  errorFromResponse,
  InternalServerError,
  type Logger,
} from '../../src/index.js';
import {
  CONNECTION_ERROR_CODES,
  classifyResponseFailure,
  classifyThrown,
  connectionErrorCode,
} from '../../src/internal/retry/classify.js';
import { parseRetryAfter } from '../../src/internal/retry/retry-after.js';
import { RetryStrategy } from '../../src/internal/retry/strategy.js';
import { resources } from '../generated/index.js';

const BASE = 'https://retry.test.local/v1';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A client whose retry waits are exact (no jitter) and logged, so the test reads the wait it chose. */
function clientLoggingWaits(extra: Record<string, unknown> = {}) {
  const waits: number[] = [];
  const logger: Logger = {
    debug() {},
    info(message: string) {
      const m = /retrying in (\d+) ms/.exec(message);
      if (m) waits.push(Number(m[1]));
    },
    warn() {},
    error() {},
  };
  const client = createClient({
    baseUrl: BASE,
    resources,
    initialRetryDelay: 30,
    maxRetryDelay: 30,
    retryJitter: 0,
    logger,
    logLevel: 'info',
    ...extra,
  });
  return { client, waits };
}

/** 503 with these headers once, then 200. */
function flaky503(headers: Record<string, string>) {
  let calls = 0;
  server.use(
    http.get(`${BASE}/widgets/:id`, () =>
      ++calls === 1
        ? HttpResponse.json({ message: 'busy' }, { status: 503, headers })
        : HttpResponse.json({ id: 'w1', name: 'w', score: 1 }),
    ),
  );
  return () => calls;
}

describe('a Retry-After the client cannot read falls back to its own backoff', () => {
  const unreadable = ['-1', '-0.5', 'soon', '', '   ', '1e3', '0x10', '+5', '5s', 'NaN'];
  for (const value of unreadable) {
    it(`Retry-After: ${JSON.stringify(value)} waits the backoff, not 0`, async () => {
      const calls = flaky503({ 'retry-after': value });
      const { client, waits } = clientLoggingWaits();
      await client.request(client.operation('getWidget'), { widget_id: 'w1' });
      expect(calls()).toBe(2);
      expect(waits).toEqual([30]);
    });
  }

  it('retry-after-ms negative, blank or garbage is ignored; a valid Retry-After then applies', async () => {
    for (const ms of ['-20', '', 'fast', '1,5', '.5']) {
      const h = new Headers({ 'retry-after-ms': ms, 'retry-after': '3' });
      expect(parseRetryAfter(h, 0)).toBe(3_000);
      expect(parseRetryAfter(new Headers({ 'retry-after-ms': ms }), 0)).toBeUndefined();
    }
  });

  it('an HTTP date with an impossible time is no wait at all; a leap second (:60) is a real one', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    for (const bad of [
      'Thu, 01 Jan 2026 24:00:00 GMT',
      'Thu, 01 Jan 2026 00:60:00 GMT',
      'Thu, 01 Jan 2026 00:00:61 GMT',
    ]) {
      expect(parseRetryAfter(new Headers({ 'retry-after': bad }), now)).toBeUndefined();
    }
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:60 GMT' }), now)).toBe(
      60_000,
    );
  });

  it('a readable Retry-After is what the client waits', async () => {
    flaky503({ 'retry-after-ms': '12' });
    const { client, waits } = clientLoggingWaits();
    await client.request(client.operation('getWidget'), { widget_id: 'w1' });
    expect(waits).toEqual([12]);
  });

  it('the strategy turns a garbage header into the exponential backoff', () => {
    const facts = (v: string) => ({
      status: 503,
      headers: new Headers({ 'retry-after': v }),
      body: undefined,
      json: false,
    });
    const strategy = new RetryStrategy({ idempotent: true, initialRetryDelay: 100, maxRetries: 3 }, () => 0);
    expect(strategy.decide(classifyResponseFailure(facts('-3'), {}))).toEqual({ retry: true, delayMs: 100 });
    expect(strategy.decide(classifyResponseFailure(facts('later'), {}))).toEqual({
      retry: true,
      delayMs: 200,
    });
    expect(strategy.decide(classifyResponseFailure(facts('1'), {}))).toEqual({ retry: true, delayMs: 1_000 });
  });
});

/** A `fetch` that fails like undici does: a TypeError whose cause carries the system code. */
function failingFetch(code: string | undefined, depth = 1) {
  let calls = 0;
  const fetchImpl = (async () => {
    calls++;
    let cause: Error = Object.assign(new Error(`connect ${code ?? 'weird'}`), code ? { code } : {});
    for (let i = 1; i < depth; i++) cause = new Error('wrapped', { cause });
    throw new TypeError('fetch failed', { cause });
  }) as typeof fetch;
  return { fetchImpl, calls: () => calls };
}

describe('connection failures', () => {
  for (const code of CONNECTION_ERROR_CODES) {
    it(`${code} is a ConnectionError carrying its code, and is retried`, async () => {
      const { fetchImpl, calls } = failingFetch(code);
      const { client, waits } = clientLoggingWaits({ fetch: fetchImpl, maxRetries: 1 });
      const err = await client
        .request(client.operation('getWidget'), { widget_id: 'w1' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionError);
      if (!(err instanceof ConnectionError)) return;
      expect(err.code).toBe(code);
      expect(err.message).toContain(`(${code})`);
      expect(err.connectionRefused).toBe(code === 'ECONNREFUSED');
      expect(calls()).toBe(2);
      expect(waits).toEqual([30]);
    });
  }

  it('the code is found however deep fetch wraps it, within reason', () => {
    const wrap = (depth: number) => {
      let e: unknown = Object.assign(new Error('x'), { code: 'ECONNRESET' });
      for (let i = 0; i < depth; i++) e = new Error('w', { cause: e });
      return e;
    };
    expect(connectionErrorCode(wrap(0))).toBe('ECONNRESET');
    expect(connectionErrorCode(wrap(3))).toBe('ECONNRESET');
    expect(connectionErrorCode(wrap(9))).toBe('ECONNRESET');
    expect(connectionErrorCode(wrap(10))).toBeUndefined();
    // the deepest code wins: the system error is below undici's wrapper
    const outer = Object.assign(new Error('o'), {
      code: 'UND_ERR_SOCKET',
      cause: Object.assign(new Error('i'), { code: 'ECONNRESET' }),
    });
    expect(connectionErrorCode(outer)).toBe('ECONNRESET');
  });

  it('a cyclic cause chain ends the search; codes that are not network failures are not reported', () => {
    const a: Error & { code?: string } = new Error('a');
    a.code = 'ETIMEDOUT';
    a.cause = a;
    expect(connectionErrorCode(a)).toBe('ETIMEDOUT');
    expect(
      connectionErrorCode(Object.assign(new Error('x'), { code: 'UND_ERR_INVALID_ARG' })),
    ).toBeUndefined();
    expect(connectionErrorCode(Object.assign(new Error('x'), { code: 42 }))).toBeUndefined();
    expect(connectionErrorCode('ECONNRESET')).toBeUndefined();
    expect(connectionErrorCode(null)).toBeUndefined();
  });

  it('only a refused connection is known never to have reached the server', () => {
    expect(classifyThrown(new ConnectionError('x', { code: 'ECONNREFUSED' }))).toEqual({
      kind: 'connection',
      neverSent: true,
    });
    expect(classifyThrown(new ConnectionError('x', { code: 'ECONNRESET' }))).toEqual({
      kind: 'connection',
      neverSent: false,
    });
    expect(classifyThrown(new Error('bug'))).toEqual({ kind: 'fatal' });
    expect(classifyThrown(new ClientError('bad input'))).toEqual({ kind: 'fatal' });
  });
});

describe('the retryable verdict on errors', () => {
  const facts = (status: number, body: unknown = undefined) => ({
    status,
    headers: new Headers(),
    body,
    json: body !== undefined,
  });

  it('a 503 is retryable and a 404 is not, unless the caller says otherwise', () => {
    const e503 = errorFromResponse(facts(503));
    expect(e503).toBeInstanceOf(InternalServerError);
    expect(e503.retryable).toBe(true);
    expect(errorFromResponse(facts(404)).retryable).toBe(false);
    expect(errorFromResponse(facts(503), { retryable: false }).retryable).toBe(false);
  });

  it('a plain ClientError is not retryable', () => {
    expect(new ClientError('x').retryable).toBe(false);
    expect(new ConnectionError('x').retryable).toBe(false);
    expect(new ClientError('x').toJSON().retryable).toBe(false);
  });

  it("a policy that finds no message keeps the default reading of the body (not 'status code')", () => {
    const err = errorFromResponse(facts(400, { message: 'name is required', code: 'E_NAME' }), {
      policy: { parseErrorBody: () => ({ message: undefined, code: undefined }) },
    });
    expect(err.message).toBe('400 name is required');
    expect(err.code).toBe('E_NAME');
    expect(err.serverMessage).toBe('name is required');
  });

  it('a policy message wins over the default reading', () => {
    const err = errorFromResponse(facts(409, { message: 'generic', meta: { error_message: 'taken' } }), {
      operation: 'createThing',
      policy: {
        parseErrorBody: (b) => ({ message: (b as { meta: { error_message: string } }).meta.error_message }),
      },
    });
    expect(err.message).toBe('createThing: 409 taken');
  });
});
