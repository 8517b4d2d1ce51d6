/**
 * What a caller's logger or crash reporter sees of each error (`JSON.stringify(err)`), and which class a status
 * lands in when a service moves it to another kind: the fields a user's code reads.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiError,
  ClientError,
  ConflictError,
  ConnectionError,
  classifyResponse,
  DEFAULT_REQUEST_ID_HEADERS,
  defaultStatusKind,
  errorFromResponse,
  FatalApiError,
  InternalServerError,
  InvalidParamsError,
  MissingParamError,
  NotFoundError,
  RedirectRefusedError,
  ResponseTooLargeError,
  ResponseValidationError,
  RetryableApiError,
  TimeoutError,
} from '../../src/index.js';

const facts = (status: number, body: unknown = undefined, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body,
  json: typeof body === 'object' && body !== null,
});

describe('toJSON', () => {
  it('ClientError: name, message, operation, attempts, request id, retryable, cause', () => {
    const err = new ClientError('boom', {
      operation: 'op',
      attempts: 3,
      requestId: 'r-9',
      cause: new RangeError('inner'),
    });
    expect(err.toJSON()).toEqual({
      name: 'ClientError',
      message: 'boom',
      operation: 'op',
      attempts: 3,
      requestId: 'r-9',
      retryable: false,
      cause: { name: 'RangeError', message: 'inner' },
    });
    expect(new ClientError('x', { cause: 'text' }).toJSON().cause).toBeUndefined();
    expect(new ClientError('x').cause).toBeUndefined();
  });

  it('the subclasses add what they know', () => {
    const issues = [{ path: 'trials[3].score', message: 'expected number' }];
    expect(new MissingParamError('bad', issues).toJSON()).toMatchObject({
      name: 'MissingParamError',
      issues,
    });
    expect(new ResponseValidationError('bad', issues, { a: 1 }).toJSON()).toMatchObject({
      name: 'ResponseValidationError',
      issues,
    });
    expect(new ConnectionError('c', { code: 'ECONNRESET' }).toJSON()).toMatchObject({ code: 'ECONNRESET' });
    expect(new ResponseTooLargeError('big', { limitBytes: 10 }).toJSON()).toMatchObject({
      name: 'ResponseTooLargeError',
      limitBytes: 10,
    });
    const redirect = new RedirectRefusedError('r', {
      status: 302,
      headers: new Headers(),
      body: undefined,
      targetOrigin: 'https://evil.example',
    });
    expect(redirect.toJSON()).toMatchObject({
      name: 'RedirectRefusedError',
      status: 302,
      targetOrigin: 'https://evil.example',
    });
    expect(redirect.targetOrigin).toBe('https://evil.example');
    expect(redirect).toBeInstanceOf(FatalApiError);
  });

  it('ApiError: status, code, headers (secret ones masked), body, details', () => {
    const err = errorFromResponse(
      facts(
        422,
        { message: 'bad', code: 'E1', errors: [{ field: 'a' }] },
        { 'set-cookie': 's=1', 'x-a': 'b' },
      ),
    );
    expect(err.toJSON()).toMatchObject({
      name: 'UnprocessableEntityError',
      message: '422 bad',
      status: 422,
      code: 'E1',
      headers: { 'set-cookie': '***', 'x-a': 'b' },
      body: { message: 'bad', code: 'E1', errors: [{ field: 'a' }] },
      details: [{ field: 'a' }],
      retryable: false,
    });
    expect(err.headers['set-cookie']).toBe('***');
    expect(err.headers['x-a']).toBe('b');
  });

  it('printing an error shows no internal brand and no empty cause', () => {
    const shown = inspect(
      new NotFoundError('gone', { status: 404, headers: new Headers(), body: undefined }),
      {
        showHidden: false,
        depth: 5,
      },
    );
    expect(shown).not.toContain('error-kinds');
    expect(shown).not.toContain('[cause]');
    expect(Object.keys({ ...new ClientError('x') })).not.toContain('cause');
    expect(Object.getOwnPropertySymbols({ ...new ClientError('x') })).toEqual([]);
  });

  it('the other fields a caller reads', () => {
    const t = new TimeoutError('slow', { timeoutMs: 250 });
    expect(t.timeoutMs).toBe(250);
    expect(t.code).toBeUndefined();
    expect(t.connectionRefused).toBe(false);
    expect(new ConnectionError('r', { code: 'ECONNREFUSED' }).connectionRefused).toBe(true);
    expect(new ConnectionError('r').connectionRefused).toBe(false);
    expect(new AbortError('stop').name).toBe('AbortError');
    expect(new ResponseValidationError('x', [], 'body').body).toBe('body');
    const plain = new ApiError('x', { status: 418, headers: new Headers(), body: undefined });
    expect(plain.retryable).toBe(false);
    expect(plain.serverMessage).toBeUndefined();
  });
});

describe('kinds and classes', () => {
  it('default kinds at the boundaries', () => {
    expect(defaultStatusKind(400)).toBe('invalid');
    expect(defaultStatusKind(422)).toBe('invalid');
    expect(defaultStatusKind(401)).toBe('fatal');
    expect(defaultStatusKind(407)).toBe('fatal');
    expect(defaultStatusKind(408)).toBe('retryable');
    expect(defaultStatusKind(429)).toBe('retryable');
    expect(defaultStatusKind(499)).toBe('fatal');
    expect(defaultStatusKind(500)).toBe('retryable');
    expect(defaultStatusKind(599)).toBe('retryable');
  });

  it('a status moved to another kind gets that kind’s base class, not its usual named class', () => {
    const moved = {
      statusKinds: { 409: 'retryable', 404: 'invalid', 503: 'fatal', 422: 'retryable' },
    } as const;
    const e409 = errorFromResponse(facts(409), { policy: moved });
    expect(e409).toBeInstanceOf(RetryableApiError);
    expect(e409).not.toBeInstanceOf(ConflictError);
    expect(e409).not.toBeInstanceOf(InternalServerError);
    expect(e409.retryable).toBe(true);
    expect(errorFromResponse(facts(404), { policy: moved })).toBeInstanceOf(InvalidParamsError);
    const e503 = errorFromResponse(facts(503), { policy: moved });
    expect(e503).toBeInstanceOf(FatalApiError);
    expect(e503).not.toBeInstanceOf(InternalServerError);
    expect(e503.retryable).toBe(false);
    expect(errorFromResponse(facts(422), { policy: moved }).constructor).toBe(RetryableApiError);
    // a 4xx moved to retryable is not an "internal server error"
    expect(errorFromResponse(facts(418), { policy: { statusKinds: { 418: 'retryable' } } }).constructor).toBe(
      RetryableApiError,
    );
  });

  it("the policy's classify hook comes first, then statusKinds, then the defaults", () => {
    const policy = {
      classify: (f: { status: number }) => (f.status === 404 ? ('retryable' as const) : undefined),
      statusKinds: { 404: 'invalid', 500: 'fatal' } as const,
    };
    expect(classifyResponse(facts(404), policy)).toBe('retryable');
    expect(classifyResponse(facts(500), policy)).toBe('fatal');
    expect(classifyResponse(facts(502), policy)).toBe('retryable');
    expect(classifyResponse(facts(400))).toBe('invalid');
  });

  it('request ids: the default headers, in order', () => {
    expect(DEFAULT_REQUEST_ID_HEADERS).toEqual([
      'x-request-id',
      'request-id',
      'x-amzn-requestid',
      'x-correlation-id',
    ]);
    for (const name of DEFAULT_REQUEST_ID_HEADERS) {
      expect(errorFromResponse(facts(500, undefined, { [name]: `id-${name}` })).requestId).toBe(`id-${name}`);
    }
    expect(errorFromResponse(facts(500, undefined, { 'x-request-id': '' })).requestId).toBeUndefined();
    expect(errorFromResponse(facts(500)).requestId).toBeUndefined();
  });

  it('operation and attempts travel from the context to the error', () => {
    const err = errorFromResponse(facts(500), { operation: 'listThings', attempts: 3 });
    expect(err.operation).toBe('listThings');
    expect(err.attempts).toBe(3);
    expect(err.message.startsWith('listThings: 500')).toBe(true);
    expect(errorFromResponse(facts(500), { operation: '' }).message).toBe('500 status code (no body)');
  });
});
