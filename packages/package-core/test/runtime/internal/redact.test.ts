import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../../src/index.js';

describe('Redactor', () => {
  const r = new Redactor(['s3cr3t-value', 'user:pa55word']);

  it('masks literal secrets, their basic-auth form, and secret-looking pairs in free text', () => {
    expect(r.string('token is s3cr3t-value!')).toBe(`token is ${REDACTED}!`);
    expect(r.string(`Authorization: Basic ${btoa('user:pa55word')}`)).not.toContain(btoa('user:pa55word'));
    expect(r.string('{"project_api_token": "abc", "x": 1}')).toBe(
      `{"project_api_token": "${REDACTED}", "x": 1}`,
    );
    expect(r.string('https://h/x?api_key=zzz&limit=2')).toBe(`https://h/x?api_key=${REDACTED}&limit=2`);
    // Query pairs use the same key words as JSON pairs (an access-token URL, a cookie in a form body).
    expect(r.string('https://h/x?limit=2&authorization=zzz')).toBe(
      `https://h/x?limit=2&authorization=${REDACTED}`,
    );
    expect(r.string('a=1&session_cookie=zzz')).toBe(`a=1&session_cookie=${REDACTED}`);
    expect(r.string('Bearer abcdefgh')).toBe(`Bearer ${REDACTED}`);
  });

  it('masks secret keys deep inside values, keeps the rest', () => {
    expect(
      r.value({ a: [{ password: 'p', ok: 1 }], token: 't', nested: { cookie: 'c' }, name: 'n' }),
    ).toEqual({
      a: [{ password: REDACTED, ok: 1 }],
      token: REDACTED,
      nested: { cookie: REDACTED },
      name: 'n',
    });
  });

  it('masks a thrown non-Error before it becomes a cause', () => {
    expect(r.error({ reason: 'stop', token: 'abc', note: 'uses s3cr3t-value' })).toEqual({
      reason: 'stop',
      token: REDACTED,
      note: `uses ${REDACTED}`,
    });
    expect(r.error('failed with s3cr3t-value')).toBe(`failed with ${REDACTED}`);
  });

  it('masks secret headers', () => {
    const h = r.headers(
      new Headers({ authorization: 'Bearer x', cookie: 'a=b', 'x-api-key': 'k', accept: '*/*' }),
    );
    expect(h).toEqual({ authorization: REDACTED, cookie: REDACTED, 'x-api-key': REDACTED, accept: '*/*' });
  });
});
