/**
 * The redactor's smaller promises, each one a place a secret could otherwise slip out: a form-encoded echo (space as
 * `+`), headers given as a plain object, client options kept on the client, and a copied cause that still
 * carries what a caller switches on (its code) but nothing secret.
 */
import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, SECRET_HEADER_NAMES, secretForms } from '../../src/index.js';

describe('secretForms', () => {
  it('covers raw, URI-encoded, form-encoded, JSON-escaped and base64 echoes, and nothing too short', () => {
    const forms = secretForms('a b/c+"d');
    expect(forms).toEqual(
      expect.arrayContaining([
        'a b/c+"d',
        'a%20b%2Fc%2B%22d',
        'a+b%2Fc%2B%22d',
        'a b/c+\\"d',
        'YSBiL2MrImQ=',
        'YSBiL2MrImQ',
      ]),
    );
    expect(secretForms('abc?')).toContain('abc%3F');
    expect(secretForms('ab')).toEqual(['YWI=']);
    expect(secretForms('abcdef').every((f) => f.length >= 4)).toBe(true);
    // url-safe base64: '+' and '/' become '-' and '_', padding dropped
    expect(secretForms('>>>?')).toContain('Pj4-Pw');
    expect(secretForms('???')).toContain('Pz8_');
  });

  it('a form-encoded echo of a secret with a space is masked', () => {
    const r = new Redactor(['pass word 123']);
    expect(r.string('body: user=x&pw=pass+word+123')).toBe(`body: user=x&pw=${REDACTED}`);
  });

  it('a secret registered twice is still masked once, and longer forms first', () => {
    const r = new Redactor(['secret-one', 'secret-one']);
    r.addSecret('secret-one');
    expect(r.string('secret-one')).toBe(REDACTED);
    r.addSecret('secret-one-longer');
    expect(r.string('secret-one-longer')).toBe(REDACTED);
  });
});

describe('edges of the masking rules', () => {
  it('base64 echoes with padding are masked padded, unpadded and url-safe', () => {
    const r = new Redactor(['abcd']); // base64 'YWJjZA=='
    expect(secretForms('abcd')).toEqual(expect.arrayContaining(['YWJjZA==', 'YWJjZA']));
    expect(secretForms('abcd')).not.toContain('YWJjZA=');
    expect(r.string('[YWJjZA==] [YWJjZA]')).toBe(`[${REDACTED}] [${REDACTED}]`);
    expect(secretForms('\xfb\xff')).toBeDefined();
  });

  it('a 4-character secret is masked; the longest of overlapping secrets is masked whole', () => {
    expect(new Redactor(['abcd']).string('x abcd y')).toBe(`x ${REDACTED} y`);
    const r = new Redactor(['abcd', 'abcdefgh']);
    expect(r.string('abcdefgh')).toBe(REDACTED);
    const reversed = new Redactor(['abcdefgh', 'abcd']);
    expect(reversed.string('abcdefgh abcd')).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('an auth scheme followed by several spaces is still masked', () => {
    expect(new Redactor().string('Authorization: Bearer   abcdefgh')).toBe(
      `Authorization: Bearer ${REDACTED}`,
    );
  });

  it('secret keys in values match whatever their case', () => {
    expect(new Redactor().value({ Password: 'p', API_KEY: 'k', Session: 's', name: 'n' })).toEqual({
      Password: REDACTED,
      API_KEY: REDACTED,
      Session: REDACTED,
      name: 'n',
    });
  });

  it('nesting down to 256 levels is copied; deeper is masked', () => {
    const nest = (levels: number) => {
      let v: unknown = { leaf: 'visible' };
      for (let i = 0; i < levels; i++) v = { d: v };
      return v;
    };
    expect(JSON.stringify(new Redactor().value(nest(256)))).toContain('visible');
    expect(JSON.stringify(new Redactor().value(nest(257)))).not.toContain('visible');
  });
});

describe('headers', () => {
  const r = new Redactor(['tok-123456']);

  it('a plain object of headers comes back lower-cased, secret names masked, values scrubbed', () => {
    expect(
      r.headers({
        Authorization: 'Bearer x',
        'X-Hub-Token': 'abc',
        'X-Echo': 'got tok-123456',
        Accept: 'a/b',
      }),
    ).toEqual({
      authorization: REDACTED,
      'x-hub-token': REDACTED,
      'x-echo': `got ${REDACTED}`,
      accept: 'a/b',
    });
    expect(r.headers(undefined)).toEqual({});
  });

  it('the well-known secret header names', () => {
    for (const name of [
      'authorization',
      'proxy-authorization',
      'cookie',
      'set-cookie',
      'api-key',
      'x-api-key',
      'x-auth-token',
      'x-amz-security-token',
    ]) {
      expect(SECRET_HEADER_NAMES.has(name)).toBe(true);
      expect(r.headers(new Headers({ [name]: 'v' }))[name]).toBe(REDACTED);
    }
  });

  it('options(): secret header values masked, others scrubbed, null and undefined kept, no headers unchanged', () => {
    const opts = {
      baseUrl: 'u',
      headers: { 'X-Api-Key': 'k', 'x-note': 'tok-123456', 'x-null': null, 'x-undef': undefined },
    };
    expect(r.options(opts)).toEqual({
      baseUrl: 'u',
      headers: { 'X-Api-Key': REDACTED, 'x-note': REDACTED, 'x-null': null, 'x-undef': undefined },
    });
    const bare: { baseUrl: string; headers?: Record<string, string> } = { baseUrl: 'u' };
    expect(r.options(bare)).toBe(bare);
  });

  it('addSecretHeaders ignores empty values and non-secret headers, and keeps the token after the scheme', () => {
    const rr = new Redactor();
    rr.addSecretHeaders({
      accept: 'application/json-long',
      'x-api-key': '',
      cookie: null,
      Authorization: 'Token abcdef123',
    });
    expect(rr.string('application/json-long')).toBe('application/json-long');
    expect(rr.string('saw abcdef123 here')).toBe(`saw ${REDACTED} here`);
    rr.addSecretHeaders(undefined);
    const lead = new Redactor();
    lead.addSecretHeaders({ 'x-api-key': ' leadingspace' });
    expect(lead.string('[leadingspace]')).toBe('[leadingspace]');
  });
});

describe('copied causes', () => {
  it('keeps name, message, code; masks the stack; leaves out a code that was not there', () => {
    const r = new Redactor(['tok-123456']);
    const cause = new TypeError('failed with tok-123456');
    cause.stack = 'TypeError: failed with tok-123456\n    at x (file.js:1:1)';
    const copy = r.error(cause) as Error & { code?: unknown };
    expect(copy).toBeInstanceOf(Error);
    expect(copy.name).toBe('TypeError');
    expect(copy.message).toBe(`failed with ${REDACTED}`);
    expect(copy.stack).toBe(`TypeError: failed with ${REDACTED}\n    at x (file.js:1:1)`);
    expect('code' in copy).toBe(false);
    const coded = r.error(Object.assign(new Error('x'), { code: 0 })) as Error & { code?: unknown };
    expect(coded.code).toBe(0);
  });

  it('a chain longer than 16 causes is cut, the first 16 kept', () => {
    let e: Error = new Error('root');
    for (let i = 0; i < 30; i++) e = new Error(`level ${i}`, { cause: e });
    let depth = 0;
    for (let c = new Redactor().error(e) as Error | undefined; c; c = c.cause as Error | undefined) depth++;
    expect(depth).toBe(17);
  });
});
