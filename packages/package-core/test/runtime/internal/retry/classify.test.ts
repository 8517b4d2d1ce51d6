import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ClientError,
  ConnectionError,
  type ErrorPolicy,
  errorFromResponse,
  type ResponseFacts,
  TimeoutError,
} from '../../../../src/index.js';
import {
  CONNECTION_ERROR_CODES,
  classifyResponseFailure,
  classifyThrown,
  connectionErrorCode,
  isConnectionErrorCode,
  isRetryableResponse,
  serverRetryHint,
} from '../../../../src/internal/retry/classify.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const facts = (
  status: number,
  headers: Record<string, string> = {},
  body: unknown = undefined,
): ResponseFacts => ({
  status,
  headers: new Headers(headers),
  body,
  json: body !== undefined && typeof body !== 'string',
});
/** What undici's fetch throws: `TypeError: fetch failed` with the system error as its cause. */
const fetchFailed = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) });

/** The codes that mean "no response arrived", as each layer reports them. */
const NO_RESPONSE_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
];

describe('connection error codes', () => {
  it.each(NO_RESPONSE_CODES)('%s means no response, found under fetch\'s "fetch failed"', (code) => {
    expect(isConnectionErrorCode(code)).toBe(true);
    expect(connectionErrorCode(fetchFailed(code))).toBe(code);
  });

  it('the list is exactly these codes (a new one is a decision, not an accident)', () => {
    expect([...CONNECTION_ERROR_CODES].sort()).toEqual([...NO_RESPONSE_CODES].sort());
  });

  it.each([
    'UND_ERR_ABORTED',
    'UND_ERR_INVALID_ARG',
    'UND_ERR_RES_EXCEEDED_MAX_SIZE',
    'EACCES',
    'ERR_INVALID_URL',
    '',
  ])('%j is not a connection failure', (code) => {
    expect(isConnectionErrorCode(code)).toBe(false);
    expect(connectionErrorCode(fetchFailed(code))).toBeUndefined();
  });

  it('takes the deepest code in the cause chain, and stops on cycles and non-objects', () => {
    const inner = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    const outer = Object.assign(new Error('socket'), { code: 'UND_ERR_SOCKET', cause: inner });
    expect(connectionErrorCode(new TypeError('fetch failed', { cause: outer }))).toBe('ECONNRESET');

    const a: { code: string; cause?: unknown } = { code: 'ECONNRESET' };
    const b = { code: 'nope', cause: a };
    a.cause = b;
    expect(connectionErrorCode(a)).toBe('ECONNRESET');
    expect(connectionErrorCode(null)).toBeUndefined();
    expect(connectionErrorCode('ECONNRESET')).toBeUndefined();
    expect(connectionErrorCode({ code: 42 })).toBeUndefined();
  });

  it('follows at most 10 links of cause (a chain is bounded even when it is not a cycle)', () => {
    const chain = (depth: number) => {
      let e: { code?: string; cause?: unknown } = { code: 'ECONNRESET' };
      for (let i = 0; i < depth; i++) e = { cause: e };
      return e;
    };
    expect(connectionErrorCode(chain(9))).toBe('ECONNRESET');
    expect(connectionErrorCode(chain(10))).toBeUndefined();
  });
});

describe('x-should-retry', () => {
  it('true and false are read; anything else is no hint', () => {
    expect(serverRetryHint(new Headers({ 'x-should-retry': 'true' }))).toBe(true);
    expect(serverRetryHint(new Headers({ 'x-should-retry': 'false' }))).toBe(false);
    expect(serverRetryHint(new Headers({ 'x-should-retry': 'yes' }))).toBeUndefined();
    expect(serverRetryHint(new Headers())).toBeUndefined();
    expect(serverRetryHint(undefined)).toBeUndefined();
  });
});

describe('retryable responses', () => {
  it.each([408, 429, 500, 502, 503, 504, 599])('%i is retryable by default', (status) => {
    expect(isRetryableResponse(facts(status), {})).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 422])('%i is not retryable by default', (status) => {
    expect(isRetryableResponse(facts(status), {})).toBe(false);
  });

  it("the service's policy moves statuses, and the server's x-should-retry overrules both", () => {
    const policy: ErrorPolicy = { statusKinds: { 500: 'fatal', 409: 'retryable' } };
    expect(isRetryableResponse(facts(500), policy)).toBe(false);
    expect(isRetryableResponse(facts(409), policy)).toBe(true);
    expect(isRetryableResponse(facts(503, { 'x-should-retry': 'false' }), {})).toBe(false);
    expect(isRetryableResponse(facts(404, { 'x-should-retry': 'true' }), {})).toBe(true);
    const hook: ErrorPolicy = {
      classify: ({ status, json }) => (status === 502 && !json ? 'fatal' : undefined),
    };
    expect(isRetryableResponse(facts(502, {}, 'Bad Gateway'), hook)).toBe(false);
    expect(isRetryableResponse(facts(502, {}, { message: 'x' }), hook)).toBe(true);
  });

  it('a failed response carries the verdict and the Retry-After wait; a bad Retry-After is no wait at all', () => {
    expect(classifyResponseFailure(facts(503, { 'retry-after': '4' }), {}, NOW)).toEqual({
      kind: 'response',
      retryable: true,
      retryAfterMs: 4_000,
    });
    expect(classifyResponseFailure(facts(429, { 'retry-after-ms': '120' }), {}, NOW)).toEqual({
      kind: 'response',
      retryable: true,
      retryAfterMs: 120,
    });
    expect(classifyResponseFailure(facts(429, { 'retry-after': '0x10' }), {}, NOW)).toEqual({
      kind: 'response',
      retryable: true,
      retryAfterMs: undefined,
    });
    expect(classifyResponseFailure(facts(404), {}, NOW)).toEqual({
      kind: 'response',
      retryable: false,
      retryAfterMs: undefined,
    });
  });
});

describe('thrown failures', () => {
  it('a refused connection never reached the server; a reset or a timeout may have', () => {
    expect(classifyThrown(new ConnectionError('x', { code: 'ECONNREFUSED' }))).toEqual({
      kind: 'connection',
      neverSent: true,
    });
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', undefined]) {
      expect(classifyThrown(new ConnectionError('x', { code }))).toEqual({
        kind: 'connection',
        neverSent: false,
      });
    }
    expect(classifyThrown(new TimeoutError('x', { timeoutMs: 5 }))).toEqual({
      kind: 'connection',
      neverSent: false,
    });
  });

  it('an abort, a plain ClientError, a bug or a non-error is never retried', () => {
    for (const err of [
      new AbortError('x'),
      new ClientError('x'),
      new TypeError('bug'),
      'string',
      undefined,
    ]) {
      expect(classifyThrown(err)).toEqual({ kind: 'fatal' });
    }
  });
});

describe('default retryable verdicts on errors', () => {
  it('a 503 is retryable, a 404 is not, and a plain ClientError is not', () => {
    expect(errorFromResponse(facts(503)).retryable).toBe(true);
    expect(errorFromResponse(facts(404)).retryable).toBe(false);
    expect(new ClientError('x').retryable).toBe(false);
    expect(new ConnectionError('x', { code: 'ECONNRESET' }).retryable).toBe(false);
  });
});
