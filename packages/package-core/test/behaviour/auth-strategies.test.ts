/**
 * The auth strategies as a client applies them to each attempt: where the credential goes (header, Basic pair, body
 * field, cookie), which field or header wins when several are named, and which secrets the redactor learns (up front
 * for fixed values, at request time for a token a function returns), so no credential can reach a log or an error.
 */
import { describe, expect, it } from 'vitest';
import {
  type AuthRequest,
  type AuthStrategy,
  basicAuth,
  bodyToken,
  cookieSession,
  customAuth,
  headerToken,
  noAuth,
} from '../../src/index.js';

/** One attempt's request as the client hands it to a strategy; records the secrets registered at request time. */
function attempt(
  init: { operation?: string; body?: Record<string, unknown>; bodyField?: string; cookie?: string } = {},
) {
  const added: string[] = [];
  const headers = new Headers(init.cookie ? { cookie: init.cookie } : {});
  const req: AuthRequest = {
    operation: init.operation ?? 'listWidgets',
    method: 'GET',
    url: 'https://api.test/v1/widgets',
    headers,
    body: init.body,
    bodyField: init.bodyField,
    addSecret: (s) => added.push(s),
  };
  return { req, added, headers };
}

async function applied(strategy: AuthStrategy, init?: Parameters<typeof attempt>[0]) {
  const a = attempt(init);
  await strategy.apply(a.req);
  return a;
}

describe('a token in a header', () => {
  it('a string token: `Authorization: Bearer <token>`, known as a secret before any request', async () => {
    const auth = headerToken('tok-123456');
    const { headers, added } = await applied(auth);
    expect(headers.get('authorization')).toBe('Bearer tok-123456');
    expect(auth.secrets()).toEqual(['tok-123456']);
    expect(added).toEqual([]);
    expect(auth.kind).toBe('header');
  });

  it('another header without a scheme carries the bare token', async () => {
    const { headers } = await applied(headerToken({ token: 'k-abcdef', header: 'x-api-key', scheme: '' }));
    expect(headers.get('x-api-key')).toBe('k-abcdef');
    expect(headers.has('authorization')).toBe(false);
  });

  it('a custom scheme prefixes the token', async () => {
    const { headers } = await applied(headerToken({ token: 'k-abcdef', scheme: 'Token' }));
    expect(headers.get('authorization')).toBe('Token k-abcdef');
  });

  it('a token function is asked on every attempt and each answer is registered as a secret', async () => {
    let n = 0;
    const auth = headerToken(async () => `fresh-${++n}`);
    const first = await applied(auth);
    const second = await applied(auth);
    expect(first.headers.get('authorization')).toBe('Bearer fresh-1');
    expect(second.headers.get('authorization')).toBe('Bearer fresh-2');
    expect([...first.added, ...second.added]).toEqual(['fresh-1', 'fresh-2']);
    expect(auth.secrets()).toEqual([]); // nothing fixed to know up front
  });
});

describe('HTTP basic', () => {
  it('an API key as the username with an empty password (Nucleus)', async () => {
    const auth = basicAuth({ username: 'live_key_0123' });
    const { headers, added } = await applied(auth);
    expect(headers.get('authorization')).toBe(`Basic ${btoa('live_key_0123:')}`);
    // The pair is what the header encodes: it is registered so its base64 form is masked too.
    expect(added).toEqual(['live_key_0123:']);
    expect(auth.secrets()).toEqual(['live_key_0123']);
    expect(auth.kind).toBe('basic');
  });

  it('a username of 8 characters or more is a secret; a shorter one (a login name) is not', () => {
    expect(basicAuth({ username: 'abcdefgh' }).secrets()).toEqual(['abcdefgh']);
    expect(basicAuth({ username: 'abcdefg' }).secrets()).toEqual([]);
  });

  it('a password, fixed or from a function, is a secret and goes into the pair', async () => {
    const fixed = basicAuth({ username: 'ann', password: 's3cret-pw' });
    expect(fixed.secrets()).toEqual(['s3cret-pw']);
    expect((await applied(fixed)).headers.get('authorization')).toBe(`Basic ${btoa('ann:s3cret-pw')}`);

    const fromFn = basicAuth({ username: 'ann', password: () => 'rotated-pw' });
    const { headers, added } = await applied(fromFn);
    expect(headers.get('authorization')).toBe(`Basic ${btoa('ann:rotated-pw')}`);
    expect(added).toEqual(['rotated-pw', 'ann:rotated-pw']);
    expect(fromFn.secrets()).toEqual([]);
  });
});

describe('a token in the JSON body', () => {
  it("merges into the call's body without dropping its fields; a call without a body gets one", async () => {
    const auth = bodyToken({ token: 'hub-token-1' });
    expect(auth.needsBody).toBe(true);
    expect(auth.kind).toBe('bodyToken');
    expect((await applied(auth, { body: { name: 'x' } })).req.body).toEqual({
      name: 'x',
      token: 'hub-token-1',
    });
    expect((await applied(auth)).req.body).toEqual({ token: 'hub-token-1' });
    expect(auth.secrets()).toEqual(['hub-token-1']);
  });

  it("the field: the call's override, else the per-operation one, else the configured one, else `token`", async () => {
    const fieldFor = (op: string) => (op === 'createProject' ? 'project_api_token' : undefined);
    const auth = bodyToken({ token: 't-999999', field: 'api_token', fieldFor });
    expect((await applied(auth, { operation: 'createProject', bodyField: 'override' })).req.body).toEqual({
      override: 't-999999',
    });
    expect((await applied(auth, { operation: 'createProject' })).req.body).toEqual({
      project_api_token: 't-999999',
    });
    expect((await applied(auth, { operation: 'listWidgets' })).req.body).toEqual({ api_token: 't-999999' });
    expect((await applied(bodyToken({ token: 't-999999', fieldFor }))).req.body).toEqual({
      token: 't-999999',
    });
  });

  it('a token function is registered when it answers', async () => {
    const { req, added } = await applied(bodyToken({ token: async () => 'late-token' }));
    expect(req.body).toEqual({ token: 'late-token' });
    expect(added).toEqual(['late-token']);
  });
});

describe('a session cookie', () => {
  it("`name=value` is sent, after the request's own cookies; both the pair and the value are secrets", async () => {
    const auth = cookieSession('sid=abc=def');
    expect(auth.secrets()).toEqual(['sid=abc=def', 'abc=def']);
    expect((await applied(auth)).headers.get('cookie')).toBe('sid=abc=def');
    expect((await applied(auth, { cookie: 'theme=dark' })).headers.get('cookie')).toBe(
      'theme=dark; sid=abc=def',
    );
    expect(auth.kind).toBe('cookie');
  });

  it('a name and a value (or a function giving it)', async () => {
    const fixed = cookieSession({ name: 'sid', value: 'v-123456' });
    expect(fixed.secrets()).toEqual(['v-123456']);
    expect((await applied(fixed)).headers.get('cookie')).toBe('sid=v-123456');
    const { headers, added } = await applied(cookieSession({ name: 'sid', value: () => 'v-rotated' }));
    expect(headers.get('cookie')).toBe('sid=v-rotated');
    expect(added).toEqual(['v-rotated']);
  });
});

describe('custom and none', () => {
  it('a custom strategy runs as given and reports the secrets it was given (none by default)', async () => {
    const auth = customAuth((req) => req.headers.set('x-sig', 'signed'), ['sig-key-1']);
    expect((await applied(auth)).headers.get('x-sig')).toBe('signed');
    expect(auth.secrets()).toEqual(['sig-key-1']);
    expect(auth.kind).toBe('custom');
    expect(customAuth(() => {}).secrets()).toEqual([]);
  });

  it('noAuth adds nothing and knows no secret', async () => {
    const { headers, req } = await applied(noAuth);
    expect([...headers.keys()]).toEqual([]);
    expect(req.body).toBeUndefined();
    expect(noAuth.secrets()).toEqual([]);
    expect(noAuth.kind).toBe('none');
  });
});
