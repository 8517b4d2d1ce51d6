import { describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ClientError,
  ConflictError,
  ConnectionError,
  classifyResponse,
  errorFromResponse,
  FatalApiError,
  InternalServerError,
  InvalidParamsError,
  NetworkError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  Redactor,
  RequestTimeoutError,
  RetryableApiError,
  TimeoutError,
  UnprocessableEntityError,
} from '../../../src/index.js';

const facts = (status: number, body: unknown = undefined, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body,
  json: typeof body === 'object' && body !== null,
});

describe('errorFromResponse: the one mapping', () => {
  it.each([
    [400, BadRequestError, InvalidParamsError],
    [422, UnprocessableEntityError, InvalidParamsError],
    [401, AuthenticationError, FatalApiError],
    [403, PermissionDeniedError, FatalApiError],
    [404, NotFoundError, FatalApiError],
    [409, ConflictError, FatalApiError],
    [410, FatalApiError, ApiError],
    [408, RequestTimeoutError, RetryableApiError],
    [429, RateLimitError, RetryableApiError],
    [500, InternalServerError, RetryableApiError],
    [503, InternalServerError, RetryableApiError],
  ])('%i -> %o', (status, Class, Parent) => {
    const err = errorFromResponse(facts(status, { message: 'm' }), { operation: 'op' });
    expect(err).toBeInstanceOf(Class);
    expect(err).toBeInstanceOf(Parent);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(Class.kindName);
    expect(err.status).toBe(status);
  });

  it('names the operation and the server message, and reads the request id', () => {
    const err = errorFromResponse(
      facts(404, { error: { message: 'no such trial', code: 'not_found' } }, { 'x-request-id': 'r-1' }),
      {
        operation: 'getTrial',
        attempts: 1,
      },
    );
    expect(err.message).toBe('getTrial: 404 no such trial');
    expect(err.code).toBe('not_found');
    expect(err.requestId).toBe('r-1');
    expect(err.attempts).toBe(1);
    expect(errorFromResponse(facts(502), { operation: 'x' }).message).toBe('x: 502 status code (no body)');
    expect(errorFromResponse(facts(502, '<html>Bad Gateway</html>')).message).toBe(
      '502 <html>Bad Gateway</html>',
    );
  });

  it('a service policy moves statuses and parses its own error bodies', () => {
    const policy = {
      statusKinds: { 500: 'fatal' as const },
      classify: ({ status, json }: { status: number; json: boolean }) =>
        status === 400 && !json ? ('fatal' as const) : undefined,
      parseErrorBody: (body: unknown) => {
        const meta = (body as { meta?: { error_message?: string; errors?: { error_param: string }[] } })
          ?.meta;
        return { message: meta?.error_message, details: meta?.errors?.map((e) => e.error_param) };
      },
    };
    const e500 = errorFromResponse(facts(500, {}), { policy });
    expect(e500).toBeInstanceOf(FatalApiError);
    expect(e500).not.toBeInstanceOf(RetryableApiError);
    expect(e500.retryable).toBe(false);
    expect(errorFromResponse(facts(400, 'proxy says no'), { policy })).toBeInstanceOf(FatalApiError);
    const e400 = errorFromResponse(
      facts(400, { meta: { error_message: 'Invalid param', errors: [{ error_param: 'limit' }] } }),
      { policy, operation: 'listTrials' },
    );
    expect(e400).toBeInstanceOf(BadRequestError);
    expect(e400.message).toBe('listTrials: 400 Invalid param');
    expect(e400.details).toEqual(['limit']);
    expect(classifyResponse(facts(503), policy)).toBe('retryable');
  });

  it('NetworkError is ConnectionError; TimeoutError is a ConnectionError', () => {
    expect(NetworkError).toBe(ConnectionError);
    const t = new TimeoutError('t', { timeoutMs: 5 });
    expect(t).toBeInstanceOf(NetworkError);
    expect(t).not.toBeInstanceOf(ApiError);
  });

  it('instanceof holds across two copies of the module', async () => {
    vi.resetModules();
    const copy = await import('../../../src/core/errors.js');
    expect(copy.NotFoundError).not.toBe(NotFoundError);
    const theirs = new copy.NotFoundError('x', { status: 404, headers: new Headers(), body: undefined });
    expect(theirs).toBeInstanceOf(NotFoundError);
    expect(theirs).toBeInstanceOf(FatalApiError);
    expect(theirs).toBeInstanceOf(ClientError);
    expect(theirs).not.toBeInstanceOf(RetryableApiError);
    const ours = new InternalServerError('y', { status: 500, headers: new Headers(), body: undefined });
    expect(ours).toBeInstanceOf(copy.RetryableApiError);
    expect(ours).not.toBeInstanceOf(copy.NotFoundError);
    expect({}).not.toBeInstanceOf(ClientError);
    expect(new Error('plain')).not.toBeInstanceOf(ClientError);
  });

  it('toJSON, message, body, headers and cause are redacted', () => {
    const token = 'tok_ABCDEFGHIJKLMNOP';
    const redactor = new Redactor([token]);
    const cause = new Error(`socket closed while sending {"token":"${token}"}`);
    const err = errorFromResponse(
      facts(
        401,
        { message: `invalid token ${token}`, echo: { token, project_api_token: token, name: 'ok' } },
        { 'set-cookie': `sid=${token}`, 'x-request-id': 'r' },
      ),
      { operation: 'getThing', redactor },
    );
    const json = JSON.stringify(err);
    expect(err.message).not.toContain(token);
    expect(json).not.toContain(token);
    expect(json).toContain('"name":"ok"');
    expect(err.headers['set-cookie']).toBe('***');
    const conn = new ConnectionError(`failed: ${cause.message}`, { cause, redactor });
    expect(conn.message).not.toContain(token);
    expect(String((conn.cause as Error).message)).not.toContain(token);
    expect(JSON.stringify(conn)).not.toContain(token);
  });
});
