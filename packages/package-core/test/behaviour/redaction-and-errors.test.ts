/**
 * What a caller relies on when an error or a log line is printed: every secret-looking pair is masked (all of them,
 * whatever their case), a secret is masked in the forms a server echoes it in, odd bodies (null, cyclic, a cause
 * that is itself) neither crash nor leak, `instanceof` answers false for anything that is not an error of ours, and
 * long server messages are cut where the documentation says.
 */
import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  ClientError,
  ConnectionError,
  DEFAULT_MAX_ERROR_MESSAGE_LENGTH,
  defaultParseErrorBody,
  errorFromResponse,
  NotFoundError,
  REDACTED,
  Redactor,
  ResponseValidationError,
  RetryableApiError,
} from '../../src/index.js';

const SECRET = 'sk-live-0123456789abcdef';
const b64 = (s: string) => Buffer.from(s).toString('base64');

function printed(value: unknown): string {
  return [
    inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
    format('%o', value),
    JSON.stringify(value),
    String(value),
    (value as Error).stack ?? '',
  ].join('\n');
}

describe('secret-looking pairs in free text', () => {
  const r = new Redactor();

  it('every secret query parameter of a URL is masked, not only the first', () => {
    expect(r.string('GET https://h/x?token=aaaa&api_key=bbbb&limit=5')).toBe(
      `GET https://h/x?token=${REDACTED}&api_key=${REDACTED}&limit=5`,
    );
    expect(r.string('a?password=1 then b?secret=2')).toBe(`a?password=${REDACTED} then b?secret=${REDACTED}`);
  });

  it('the key words match whatever their case', () => {
    expect(r.string('https://h/x?TOKEN=aaaa&Api-Key=bbbb')).toBe(
      `https://h/x?TOKEN=${REDACTED}&Api-Key=${REDACTED}`,
    );
    expect(r.string('{"Password": "p1", "SESSION_ID": "s1"}')).toBe(
      `{"Password": "${REDACTED}", "SESSION_ID": "${REDACTED}"}`,
    );
  });

  it('every JSON pair and every Bearer credential in a text is masked', () => {
    expect(r.string('{"token": "a", "x": "keep", "cookie": "c \\" d"}')).toBe(
      `{"token": "${REDACTED}", "x": "keep", "cookie": "${REDACTED}"}`,
    );
    expect(r.string('Bearer abcd1234 and Bearer efgh5678, Token zzzz9999, Basic dXNlcjpw')).toBe(
      `Bearer ${REDACTED} and Bearer ${REDACTED}, Token ${REDACTED}, Basic ${REDACTED}`,
    );
  });

  it('text without secrets is returned unchanged', () => {
    for (const text of ['', 'limit=5&offset=10', '{"name": "x"}', 'Bearer ab', 'status 404 not found']) {
      expect(r.string(text)).toBe(text);
    }
  });
});

describe('a registered secret is masked in every form a server may echo', () => {
  const r = new Redactor([SECRET, 'user:pa55w0rd!']);

  it('raw, URL-encoded, JSON-escaped and base64 (padded, unpadded, url-safe), outside any auth scheme', () => {
    const tricky = 'sk/with+slash=and"quote?';
    const rt = new Redactor([tricky]);
    for (const form of [
      tricky,
      encodeURIComponent(tricky),
      JSON.stringify(tricky).slice(1, -1),
      b64(tricky),
      b64(tricky).replace(/=+$/, ''),
      b64(tricky).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    ]) {
      expect(rt.string(`echo: ${form} :end`)).toBe(`echo: ${REDACTED} :end`);
    }
    expect(r.string(`credentials=${b64('user:pa55w0rd!')};`)).not.toContain(b64('user:pa55w0rd!'));
    expect(r.string(`x-echo: ${b64(SECRET)}`)).toBe(`x-echo: ${REDACTED}`);
  });

  it('a longer form is masked whole, not left half-visible by a shorter one inside it', () => {
    const text = `${encodeURIComponent('pre fix/')}`;
    const rr = new Redactor(['pre fix/', 'pre ']);
    expect(rr.string(text)).toBe(REDACTED);
  });

  it('secrets too short to search for are ignored, so ordinary text survives', () => {
    const rr = new Redactor(['ab', '', undefined]);
    expect(rr.string('abc ab abab')).toBe('abc ab abab');
  });

  it('secrets given in header options are remembered with and without their scheme', () => {
    const rr = new Redactor();
    rr.addSecretHeaders({
      Authorization: 'Bearer tok-123456',
      'x-api-key': 'key-abcdef',
      accept: 'application/json',
    });
    expect(rr.string('tok-123456 key-abcdef application/json')).toBe(
      `${REDACTED} ${REDACTED} application/json`,
    );
    expect(rr.options({ headers: { Authorization: 'Bearer tok-123456', accept: 'x' } }).headers).toEqual({
      Authorization: REDACTED,
      accept: 'x',
    });
  });
});

describe('odd bodies', () => {
  const r = new Redactor([SECRET]);

  it('null, numbers and booleans pass through; a secret key with null or empty value stays as is', () => {
    expect(r.value(null)).toBe(null);
    expect(r.value({ token: null, password: '', a: 1, b: true, c: null })).toEqual({
      token: null,
      password: '',
      a: 1,
      b: true,
      c: null,
    });
    expect(r.value({ token: 0 })).toEqual({ token: REDACTED });
    expect(r.value([SECRET, { x: `v=${SECRET}` }])).toEqual([REDACTED, { x: `v=${REDACTED}` }]);
  });

  it('a cyclic body is copied without a stack overflow and without the secret', () => {
    const body: Record<string, unknown> = { message: `bad ${SECRET}` };
    body.self = body;
    body.list = [body];
    const copy = r.value(body) as Record<string, unknown>;
    expect(copy).toEqual({ message: `bad ${REDACTED}`, self: '[Circular]', list: ['[Circular]'] });
    expect(printed(copy)).not.toContain(SECRET);
    const err = new ApiError('x', { status: 400, headers: new Headers(), body, redactor: r });
    expect(printed(err)).not.toContain(SECRET);
    // the same object twice, side by side, is not a cycle
    const shared = { token: 'x' };
    expect(r.value({ a: shared, b: [shared, shared] })).toEqual({
      a: { token: REDACTED },
      b: [{ token: REDACTED }, { token: REDACTED }],
    });
  });

  it('deep nesting ends in a mask, not in the unmasked value', () => {
    let deep: unknown = { leaf: 'visible' };
    for (let i = 0; i < 300; i++) deep = { d: deep };
    expect(JSON.stringify(r.value(deep))).not.toContain('visible');
    let shallow: unknown = { leaf: 'visible' };
    for (let i = 0; i < 200; i++) shallow = { d: shallow };
    expect(JSON.stringify(r.value(shallow))).toContain('visible');
  });

  it('class instances are kept as they are (dates, maps), plain and null-prototype objects are copied', () => {
    const date = new Date(0);
    expect(r.value({ when: date }).when).toBe(date);
    const bare = Object.assign(Object.create(null), { token: 'x', a: 1 });
    expect(r.value(bare)).toEqual({ token: REDACTED, a: 1 });
  });

  it('a cause that is itself, or a long cyclic chain, is copied to a finite, redacted chain', () => {
    const self = new Error(`loop ${SECRET}`);
    self.cause = self;
    const e1 = new ClientError('outer', { cause: self, redactor: r });
    const copied = e1.cause as Error;
    expect(copied.message).toBe(`loop ${REDACTED}`);
    expect(copied.cause).toBeUndefined();
    expect(printed(e1)).not.toContain(SECRET);

    const a = new Error('a');
    const b = new Error(`b ${SECRET}`, { cause: a });
    a.cause = b;
    const e2 = new ClientError('outer', { cause: a, redactor: r });
    let depth = 0;
    for (let c = e2.cause as Error | undefined; c; c = c.cause as Error | undefined) depth++;
    expect(depth).toBeGreaterThan(10);
    expect(depth).toBeLessThan(40);
    expect(printed(e2)).not.toContain(SECRET);
  });

  it('a copied cause keeps name and code, with its stack and message masked', () => {
    const cause = Object.assign(new TypeError(`connect ${SECRET}`), { code: 'ECONNRESET' });
    const err = new ConnectionError('fetch failed', { cause, code: 'ECONNRESET', redactor: r });
    const c = err.cause as Error & { code?: string };
    expect(c.name).toBe('TypeError');
    expect(c.code).toBe('ECONNRESET');
    expect(c.stack).not.toContain(SECRET);
    expect(err.toJSON().cause).toEqual({ name: 'TypeError', message: `connect ${REDACTED}` });
    // a thrown non-Error (an abort reason object) is masked like a body
    const plain = new ClientError('x', { cause: { token: 'abc', why: 'stop' } });
    expect(plain.cause).toEqual({ token: REDACTED, why: 'stop' });
  });
});

describe("the error's redactor stays out of sight", () => {
  it('no own property of an error leads to the secrets; printing shows none', () => {
    const r = new Redactor([SECRET]);
    const err = new ResponseValidationError('bad body', [], { token: 'x', note: SECRET }, { redactor: r });
    expect(Object.keys(err)).not.toContain('redactor');
    for (const key of Reflect.ownKeys(err)) {
      const v = (err as unknown as Record<PropertyKey, unknown>)[key];
      expect(v instanceof Redactor).toBe(false);
    }
    expect(err.body).toEqual({ token: REDACTED, note: REDACTED });
    expect(printed(err)).not.toContain(SECRET);
    expect(inspect(r)).toBe('Redactor {}');
    expect(JSON.stringify(r)).toBe('{}');
  });

  it("an error's own message is masked by its client's redactor", () => {
    const r = new Redactor([SECRET]);
    expect(new ClientError(`sent ${SECRET}`, { redactor: r }).message).toBe(`sent ${REDACTED}`);
    expect(new ClientError(`sent ${SECRET}`).message).toBe(`sent ${SECRET}`);
  });
});

describe('instanceof', () => {
  it('is false for null, undefined, strings, numbers and plain errors, and never throws', () => {
    for (const v of [null, undefined, 'ClientError', 42, {}, new Error('x'), () => 1]) {
      expect(v instanceof ClientError).toBe(false);
      expect(v instanceof ApiError).toBe(false);
    }
  });

  it('follows the class chain: a 404 is a NotFoundError, an ApiError and a ClientError, not a RetryableApiError', () => {
    const err = errorFromResponse({ status: 404, headers: new Headers(), body: undefined, json: false });
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toBeInstanceOf(ClientError);
    expect(err instanceof RetryableApiError).toBe(false);
    expect(err.name).toBe('NotFoundError');
    expect(new ClientError('x').name).toBe('ClientError');
  });

  it('holds for an error made by a second copy of the package (same brand, other class objects)', () => {
    const foreign = Object.create(null) as Record<PropertyKey, unknown>;
    foreign[Symbol.for('@mlclients/package-core:error-kinds')] = [
      'NotFoundError',
      'FatalApiError',
      'ApiError',
      'ClientError',
    ];
    expect(foreign instanceof NotFoundError).toBe(true);
    expect(foreign instanceof ClientError).toBe(true);
    expect(foreign instanceof ConnectionError).toBe(false);
    const notArray = { [Symbol.for('@mlclients/package-core:error-kinds')]: 'ClientError' };
    expect(notArray instanceof ClientError).toBe(false);
  });
});

describe('messages', () => {
  const facts = (status: number, body: unknown) => ({ status, headers: new Headers(), body, json: true });

  it(`a server message longer than ${DEFAULT_MAX_ERROR_MESSAGE_LENGTH} characters is cut there, saying how long it was`, () => {
    const long = 'x'.repeat(DEFAULT_MAX_ERROR_MESSAGE_LENGTH + 1);
    const err = errorFromResponse(facts(500, { message: long }), { operation: 'op' });
    expect(err.message).toBe(`op: 500 ${'x'.repeat(DEFAULT_MAX_ERROR_MESSAGE_LENGTH)}… (1001 characters)`);
    expect(err.serverMessage).toBe(long);
    const exact = 'y'.repeat(DEFAULT_MAX_ERROR_MESSAGE_LENGTH);
    expect(errorFromResponse(facts(500, { message: exact })).message).toBe(`500 ${exact}`);
  });

  it('maxMessageLength sets where the message is cut', () => {
    const err = errorFromResponse(facts(400, { message: 'abcdefghij' }), { maxMessageLength: 4 });
    expect(err.message).toBe('400 abcd… (10 characters)');
  });

  it('without a server message, the status says what happened', () => {
    expect(
      errorFromResponse({ status: 502, headers: new Headers(), body: undefined, json: false }).message,
    ).toBe('502 status code (no body)');
    expect(errorFromResponse(facts(502, { unrelated: 1 })).message).toBe('502 status code');
  });

  it('reads the common error-body shapes', () => {
    expect(defaultParseErrorBody('  plain text  ')).toEqual({ message: 'plain text' });
    expect(defaultParseErrorBody('   ')).toEqual({ message: undefined });
    expect(defaultParseErrorBody(null)).toEqual({});
    expect(defaultParseErrorBody(7)).toEqual({});
    expect(defaultParseErrorBody({ error: { message: 'm', code: 'c' } })).toMatchObject({
      message: 'm',
      code: 'c',
    });
    expect(defaultParseErrorBody({ error: { message: 'm', type: 't' } }).code).toBe('t');
    expect(defaultParseErrorBody({ error: 'e', type: 'kind' })).toMatchObject({ message: 'e', code: 'kind' });
    expect(defaultParseErrorBody({ detail: 'd' }).message).toBe('d');
    expect(defaultParseErrorBody({ error_message: 'em' }).message).toBe('em');
    expect(defaultParseErrorBody({ title: 't' }).message).toBe('t');
    const errors = [{ message: 'first' }, { message: 'second' }];
    expect(defaultParseErrorBody({ errors })).toEqual({ message: 'first', code: undefined, details: errors });
    expect(defaultParseErrorBody({ message: '', detail: 'fallback' }).message).toBe('fallback');
  });

  it('the request id comes from the first request-id header present', () => {
    const err = errorFromResponse({
      status: 500,
      headers: new Headers({ 'x-correlation-id': 'corr', 'request-id': 'req' }),
      body: undefined,
      json: false,
    });
    expect(err.requestId).toBe('req');
    const custom = errorFromResponse(
      {
        status: 500,
        headers: new Headers({ 'x-trace': 'tr', 'x-request-id': 'no' }),
        body: undefined,
        json: false,
      },
      { policy: { requestIdHeaders: ['x-trace'] } },
    );
    expect(custom.requestId).toBe('tr');
  });
});
