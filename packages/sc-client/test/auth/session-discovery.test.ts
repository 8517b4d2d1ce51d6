/**
 * `ScSession` as a user of the SC client depends on it, against a scripted server: the host a user types becomes an
 * origin; a credential is required; the secrets the redactor must know; discovery picks the API path, the version,
 * the organization and the workspace the way each server generation needs (sc-api.md §1-2), and says what it found
 * when it cannot; the API placeholders become real paths; Geti writes carry the csrf header; a 503 on a write is
 * replayed once, a read never; an HTML page or a 401 is the session's end; sign-out; one login for concurrent callers.
 */
import { ConnectionError } from '@mlclients/package-core';
import { describe, expect, it } from 'vitest';
import {
  API_PLACEHOLDER,
  originOf,
  ROOT_PLACEHOLDER,
  ScSession,
  type ScSessionOptions,
} from '../../src/auth/session.js';
import { ScAuthenticationError } from '../../src/errors.js';
import { dexLoginRoutes, html, json, type Routes, scriptedServer } from './scripted-server.js';

const ORG = '65a1b2c3d4e5f60718293a4b';
const WS = '65a1b2c3d4e5f60718293a4c';
function session(routes: Routes, options: Partial<ScSessionOptions> = {}) {
  const s = scriptedServer(routes);
  const sc = new ScSession({ host: 'sc.example', token: 'pat-1234567', fetch: s.fetch, ...options });
  return { sc, ...s };
}

/** A Geti >= 1.14 server reached with a personal access token. */
function geti(version: string, extra: Routes = {}) {
  return {
    '/api/v1/product_info': () => json({ 'product-version': version, 'build-version': `${version}-b` }),
    '/api/v1/personal_access_tokens/organization': () => json({ organizationId: ORG }),
    [`/api/v1/organizations/${ORG}/workspaces`]: () => json({ workspaces: [{ id: WS, name: 'Ours' }] }),
    ...extra,
  } satisfies Routes;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error('expected a rejection');
  return err;
}

describe('the host a user types', () => {
  it('becomes an origin: https:// added when missing, path and trailing slashes dropped', () => {
    expect(originOf('sc.example')).toBe('https://sc.example');
    expect(originOf('  sc.example/// ')).toBe('https://sc.example');
    expect(originOf('http://10.0.0.7:8080/')).toBe('http://10.0.0.7:8080');
    expect(originOf('HTTPS://Sc.Example/some/path')).toBe('https://sc.example');
  });

  it('a blank host is refused by name', () => {
    for (const host of ['', '   ', '///']) {
      expect(() => originOf(host)).toThrow(ScAuthenticationError);
      expect(() => originOf(host)).toThrow('ScClient: `host` is required');
    }
  });
});

describe('credentials', () => {
  it('a token, or both username and password; an empty token counts as none', () => {
    const fetch = (async () => json({})) as typeof globalThis.fetch;
    expect(new ScSession({ host: 'sc.example', token: 't0k3n', fetch }).mode).toBe('api-key');
    expect(new ScSession({ host: 'sc.example', username: 'u', password: 'p', fetch }).mode).toBe('password');
    for (const bad of [{ token: '' }, { username: 'u' }, { password: 'p' }, { token: '', username: 'u' }]) {
      expect(() => new ScSession({ host: 'sc.example', fetch, ...bad })).toThrow(
        'ScClient: pass `token` (a personal access token), or both `username` and `password`',
      );
    }
  });

  it('the secrets the redactor learns: the password or the token, then the bearer token it is exchanged for', async () => {
    const fetch = (async () => json({})) as typeof globalThis.fetch;
    expect(new ScSession({ host: 'h', username: 'ann', password: 'pw-123456', fetch }).secrets()).toEqual([
      'pw-123456',
    ]);
    const { sc } = session({
      '/api/v1/service_accounts/access_token': () => json({ access_token: 'bearer-abc' }),
      '/api/v1/product_info': (req) =>
        req.headers.get('authorization') === 'Bearer bearer-abc'
          ? json({ 'product-version': '1.2.0' })
          : json({}, 401),
      '/api/v1/workspaces': () => json({ workspaces: [{ id: WS, name: 'Default Workspace' }] }),
    });
    expect(sc.secrets()).toEqual(['pat-1234567']);
    await sc.info();
    expect(sc.secrets()).toEqual(['pat-1234567', 'bearer-abc']);
  });
});

describe('discovery', () => {
  it('Geti >= 1.14: /api/v1, the organization of the token, x-api-key on every request, pixels', async () => {
    const { sc, seen } = session(geti('2.6.0'));
    expect(await sc.info()).toEqual({
      productVersion: '2.6.0',
      version: '2.6.0',
      geti: true,
      apiPath: '/api/v1',
      organizationId: ORG,
      workspaceId: WS,
      coordinates: 'pixels',
      auth: 'api-key',
    });
    expect(seen.every((r) => r.headers.get('x-api-key') === 'pat-1234567')).toBe(true);
  });

  it('Geti 1.9 to 1.13 uses the fixed organization; before 1.9 there is none', async () => {
    const fixed = '000000000000000000000001';
    for (const [version, org] of [
      ['1.13.0', fixed],
      ['1.10.1', fixed],
      ['1.9.0', fixed],
      ['1.8.2', undefined],
      ['1.14.0', ORG],
      ['1.15.0-rc1', ORG],
      ['2.0.0', ORG],
    ] as const) {
      const routes = geti(version, {
        [`/api/v1/organizations/${fixed}/workspaces`]: () => json({ workspaces: [{ id: WS, name: 'Ours' }] }),
        '/api/v1/workspaces': () => json({ workspaces: [{ id: WS, name: 'Ours' }] }),
      });
      const info = await session(routes).sc.info();
      expect([version, info.organizationId]).toEqual([version, org]);
    }
  });

  it('SC 1.0 and 1.1 (legacy /api/v1.0, normalized coordinates); later SC versions are cut at the dash', async () => {
    for (const [productVersion, version, coordinates] of [
      ['1.0.3-release', '1.0', 'normalized'],
      ['1.1.0-latest-20220405093904', '1.1', 'normalized'],
      ['1.2.0-release-20220801', '1.2.0', 'pixels'],
    ] as const) {
      const { sc, paths } = session({
        '/api/v1/product_info': () => json({ message: 'not here' }, 404),
        '/api/v1.0/product_info': () => json({ 'product-version': productVersion }),
        '/api/v1.0/workspaces': () => json({ items: [{ id: WS, name: 'Default Workspace' }] }),
        '/api/v1/service_accounts/access_token': () => json({ access_token: 'b-1' }),
      });
      const info = await sc.info();
      expect(info).toMatchObject({ version, coordinates, apiPath: '/api/v1.0', geti: false, productVersion });
      // /api/v1 first (not there before SC 1.2), then the legacy path; the token works there as it is.
      expect(paths().filter((p) => p.endsWith('product_info'))).toEqual([
        'GET /api/v1/product_info',
        'GET /api/v1.0/product_info',
      ]);
    }
  });

  it('follows the redirects of a discovery route, as recorded (308 to the slash form)', async () => {
    const { sc } = session(
      geti('2.6.0', {
        '/api/v1/product_info': () =>
          new Response(null, { status: 308, headers: { location: '/api/v1/product_info/' } }),
        '/api/v1/product_info/': () => json({ 'product-version': '2.6.0', 'build-version': 'x' }),
      }),
    );
    expect((await sc.info()).geti).toBe(true);
  });

  it('a discovery route that keeps redirecting is given up after 5 hops', async () => {
    const loop = session({
      '/api/v1/product_info': () =>
        new Response(null, { status: 302, headers: { location: '/api/v1/product_info' } }),
      '/api/v1/service_accounts/access_token': () => json({}, 401),
    });
    expect((await failure(loop.sc.info())).message).toContain('personal access token was refused (401)');
    expect(loop.paths().filter((p) => p === 'GET /api/v1/product_info')).toHaveLength(5);
  });

  it('product_info refusing the credentials stops the search; the error names the status', async () => {
    const { sc, paths } = session({
      '/api/v1/product_info': () => json({ message: 'no' }, 403),
      '/api/v1/service_accounts/access_token': () => json({ access_token: 'b-1' }),
    });
    const err = await failure(sc.info());
    expect(err.message).toBe(
      'https://sc.example: product_info answered 403; is this an SC / Geti server, and are the credentials valid?',
    );
    expect(paths()).not.toContain('GET /api/v1.0/product_info');
  });

  it('an HTML page where product_info should be counts as refused (the login page)', async () => {
    const { sc } = session({
      '/api/v1/product_info': () => html(),
      '/api/v1/service_accounts/access_token': () => json({ access_token: 'b-1' }),
    });
    expect((await failure(sc.info())).message).toContain('product_info answered 401');
  });

  it('a token exchange answered with garbage, or without access_token, is a refused token', async () => {
    for (const answer of [
      () => new Response('{not json', { headers: { 'content-type': 'application/json' } }),
      () => json({ token: 'x' }),
      () => new Response('access_token=x', { headers: { 'content-type': 'text/plain' } }),
      () => json({ access_token: 'x' }, 500),
    ]) {
      const { sc } = session({
        '/api/v1/product_info': () => json({}, 401),
        '/api/v1/service_accounts/access_token': answer,
      });
      const err = await failure(sc.info());
      expect(err.message).toMatch(/^the personal access token was refused \(\d+\); it has probably expired/);
      expect(err.message).not.toContain('pat-1234567');
    }
  });

  it('a failed discovery is tried again on the next call', async () => {
    let up = false;
    const { sc } = session(
      geti('2.6.0', {
        '/api/v1/product_info': () =>
          up ? json({ 'product-version': '2.6.0', 'build-version': 'x' }) : json({}, 403),
      }),
    );
    await failure(sc.info());
    up = true;
    expect((await sc.info()).workspaceId).toBe(WS);
  });
});

describe('the organization', () => {
  it('the earliest created organization when there are several; none is an error naming the route', async () => {
    const two = session(
      geti('2.6.0', {
        '/api/v1/personal_access_tokens/organization': () =>
          json({
            organizations: [
              { organizationId: 'ffffffffffffffffffffffff', organizationCreatedAt: '2024-05-01' },
              { organizationId: ORG, organizationCreatedAt: '2023-01-01' },
            ],
          }),
      }),
    );
    expect((await two.sc.info()).organizationId).toBe(ORG);
    const none = session(geti('2.6.0', { '/api/v1/personal_access_tokens/organization': () => json({}) }));
    expect((await failure(none.sc.info())).message).toBe(
      '/api/v1/personal_access_tokens/organization answered 200 without an organization id',
    );
  });
});

describe('the workspace', () => {
  const list = [
    { id: 'w-a', name: 'Default Workspace' },
    { id: WS, name: 'Ours' },
  ];
  const with_ = (body: unknown, status = 200) =>
    geti('2.6.0', { [`/api/v1/organizations/${ORG}/workspaces`]: () => json(body, status) });

  it('named by id or by name; unnamed: "Default Workspace", or the only one on Geti', async () => {
    expect((await session(with_({ workspaces: list }), { workspace: WS }).sc.info()).workspaceId).toBe(WS);
    expect((await session(with_({ workspaces: list }), { workspace: 'Ours' }).sc.info()).workspaceId).toBe(
      WS,
    );
    expect((await session(with_({ workspaces: list })).sc.info()).workspaceId).toBe('w-a');
    expect((await session(with_([{ id: WS, name: 'Solo' }])).sc.info()).workspaceId).toBe(WS);
    expect((await session(with_({ items: list })).sc.info()).workspaceId).toBe('w-a');
  });

  it('not found: the error lists what the server has', async () => {
    const named = await failure(session(with_({ workspaces: list }), { workspace: 'Theirs' }).sc.info());
    expect(named.message).toBe(
      `workspace "Theirs" not found; the server has: "Default Workspace" (w-a), "Ours" (${WS})`,
    );
    const unnamed = await failure(
      session(
        with_({
          workspaces: [
            { id: 'x', name: 'A' },
            { id: 'y', name: 'B' },
          ],
        }),
      ).sc.info(),
    );
    expect(unnamed.message).toBe(
      'no "Default Workspace" (or single workspace); the server has: "A" (x), "B" (y); pass `workspace`',
    );
    const empty = await failure(session(with_({ workspaces: [] })).sc.info());
    expect(empty.message).toContain('the server has: none;');
  });

  it('a single workspace is picked on Geti only; an SC server needs "Default Workspace"', async () => {
    // SC 1.2: product_info answers once the token is exchanged for a bearer token.
    let n = 0;
    const routes = {
      '/api/v1/product_info': () => (n++ === 0 ? json({}, 401) : json({ 'product-version': '1.2.0' })),
      '/api/v1/service_accounts/access_token': () => json({ access_token: 'b-1' }),
      '/api/v1/workspaces': () => json({ workspaces: [{ id: WS, name: 'Solo' }] }),
    };
    expect((await failure(session(routes).sc.info())).message).toContain('no "Default Workspace"');
  });

  it('a workspaces route that fails is named with its status', async () => {
    const err = await failure(session(with_({ message: 'no' }, 500)).sc.info());
    expect(err.message).toBe(`/api/v1/organizations/${ORG}/workspaces answered 500`);
  });
});

describe('API calls through the session', () => {
  it('the placeholders become the API path (with the organization) and the API root (without)', async () => {
    const { sc, seen } = session(
      geti('2.6.0', {
        [`/api/v1/organizations/${ORG}/workspaces/${WS}/projects`]: () => json({ projects: [] }),
        '/api/v1/product_info/extra': () => json({ ok: true }),
      }),
    );
    await sc.fetch(`https://sc.example${API_PLACEHOLDER}/workspaces/${WS}/projects?limit=3`);
    await sc.fetch(`https://sc.example${ROOT_PLACEHOLDER}/product_info/extra`);
    const urls = seen.slice(-2).map((r) => r.url);
    expect(urls).toEqual([
      `https://sc.example/api/v1/organizations/${ORG}/workspaces/${WS}/projects?limit=3`,
      'https://sc.example/api/v1/product_info/extra',
    ]);
  });

  it('Geti writes carry x-geti-csrf-protection: 1; reads do not; an SC server never gets it', async () => {
    const { sc, seen } = session(geti('2.6.0', { '/api/v1/x': () => json({}) }));
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'])
      await sc.fetch(`https://sc.example${ROOT_PLACEHOLDER}/x`, { method });
    const csrf = seen.slice(-7).map((r) => [r.method, r.headers.get('x-geti-csrf-protection')]);
    expect(csrf).toEqual([
      ['GET', null],
      ['HEAD', null],
      ['OPTIONS', null],
      ['POST', '1'],
      ['PUT', '1'],
      ['PATCH', '1'],
      ['DELETE', '1'],
    ]);
  });

  it('a 503 on a POST or PATCH is replayed once; a GET, PUT or DELETE is left to the core', async () => {
    for (const [method, expected] of [
      ['POST', 2],
      ['PATCH', 2],
      ['GET', 1],
      ['PUT', 1],
      ['DELETE', 1],
    ] as const) {
      let calls = 0;
      const { sc } = session(
        geti('2.6.0', {
          '/api/v1/busy': () => (++calls === 1 ? json({ message: 'busy' }, 503) : json({ ok: true })),
        }),
        { retry503Delay: 0 },
      );
      const res = await sc.fetch(`https://sc.example${ROOT_PLACEHOLDER}/busy`, {
        method,
        ...(method === 'GET' ? {} : { body: '{}' }),
      });
      expect([method, calls, res.status]).toEqual([method, expected, expected === 2 ? 200 : 503]);
    }
  });

  it('a 503 replay waits retry503Delay', async () => {
    let calls = 0;
    const at: number[] = [];
    const { sc } = session(
      geti('2.6.0', {
        '/api/v1/busy': () => {
          at.push(Date.now());
          return ++calls === 1 ? json({}, 503) : json({});
        },
      }),
      { retry503Delay: 60 },
    );
    await sc.fetch(`https://sc.example${ROOT_PLACEHOLDER}/busy`, { method: 'POST', body: '{}' });
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(50);
  });

  it('with a token, an HTML page is an expired token (a 401 the core maps); a 401 passes as is', async () => {
    const { sc } = session(
      geti('2.6.0', { '/api/v1/page': () => html(), '/api/v1/denied': () => json({ message: 'no' }, 401) }),
    );
    const page = await sc.fetch(`https://sc.example${ROOT_PLACEHOLDER}/page`);
    expect(page.status).toBe(401);
    expect(await page.json()).toEqual({
      error_code: 'unauthorized',
      http_status: 401,
      message: 'the server answered with its login page: the token has probably expired',
    });
    const denied = await sc.fetch(`https://sc.example${ROOT_PLACEHOLDER}/denied`);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({ message: 'no' });
    expect(sc.logins).toBe(0);
  });

  it('an HTML page with an error status is passed through, not taken for the login page', async () => {
    const { sc } = session(geti('2.6.0', { '/api/v1/broken': () => html(502) }));
    expect((await sc.fetch(`https://sc.example${ROOT_PLACEHOLDER}/broken`)).status).toBe(502);
  });

  it('an unreachable server: a ConnectionError naming the server and the cause; an abort stays an abort', async () => {
    const refused = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET', message: 'reset' } });
    }) as typeof globalThis.fetch;
    const err = await failure(new ScSession({ host: 'sc.example', token: 't0k3n', fetch: refused }).info());
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toBe('cannot reach https://sc.example: ECONNRESET');
    expect((err as ConnectionError).code).toBe('ECONNRESET');

    const noCode = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { message: 'certificate has expired' } });
    }) as typeof globalThis.fetch;
    expect(
      (await failure(new ScSession({ host: 'sc.example', token: 't', fetch: noCode }).info())).message,
    ).toBe('cannot reach https://sc.example: certificate has expired');
    const bare = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    expect(
      (await failure(new ScSession({ host: 'sc.example', token: 't', fetch: bare }).info())).message,
    ).toBe('cannot reach https://sc.example: fetch failed');
    const aborted = (async () => {
      throw new DOMException('The operation was aborted.', 'AbortError');
    }) as typeof globalThis.fetch;
    const abort = await failure(new ScSession({ host: 'sc.example', token: 't', fetch: aborted }).info());
    expect(abort.name).toBe('AbortError');
  });
});

describe('password sessions', () => {
  /** oauth2-proxy + dex in three hops: /user/login -> /dex/auth (form) -> POST -> /callback (session cookie). */
  function loginServer(opts: { accept?: (body: string) => boolean; extra?: Routes } = {}) {
    const routes: Routes = {
      ...dexLoginRoutes(opts.accept),
      '/api/v1/product_info': (req) =>
        req.headers.get('cookie')?.includes('_oauth2_proxy=SESSION')
          ? json({ 'product-version': '1.2.0' })
          : json({}, 401),
      '/api/v1/workspaces': () => json({ workspaces: [{ id: WS, name: 'Default Workspace' }] }),
      ...opts.extra,
    };
    return session(routes, { token: undefined, username: 'ann', password: 'pw-0123456' });
  }

  it('logs in through the redirects, posts the form with the raw csrf value, and sends the session cookie', async () => {
    const { sc, seen } = loginServer();
    expect((await sc.info()).auth).toBe('password');
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.headers.get('cookie')).toBe('CSRF1');
    expect(post?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(await post?.text()).toBe('login=ann&password=pw-0123456');
    expect(seen.find((r) => r.url.endsWith('/api/v1/workspaces'))?.headers.get('cookie')).toContain(
      '_oauth2_proxy=SESSION1',
    );
    expect(sc.logins).toBe(1);
  });

  it('concurrent callers share one login', async () => {
    const { sc } = loginServer();
    await Promise.all([sc.login(), sc.login(), sc.info()]);
    expect(sc.logins).toBe(1);
  });

  it('a refused password: an error naming the user, never the password', async () => {
    const { sc } = loginServer({ accept: () => false });
    const err = await failure(sc.info());
    expect(err).toBeInstanceOf(ScAuthenticationError);
    expect(err.message).toBe(
      'login: authentication failed for user "ann", check the credentials (200 from the login form)',
    );
    expect(err.message).not.toContain('pw-0123456');
  });

  it('a login form that is not there: the error names its path and status', async () => {
    const { sc } = loginServer({ extra: { 'GET /dex/auth': () => json({ message: 'gone' }, 404) } });
    expect((await failure(sc.info())).message).toBe(
      'login: the login form at /dex/auth answered 404 (expected 200)',
    );
  });

  it('redirected after the form but given no session cookie: the credentials were refused', async () => {
    const { sc } = loginServer({
      extra: { 'GET /callback': () => new Response(null, { status: 302, headers: { location: '/' } }) },
    });
    expect((await failure(sc.info())).message).toBe(
      'login: authentication failed for user "ann", check the credentials (303 from the login form)',
    );
  });

  it('a redirect without a Location is where the walk stops', async () => {
    const { sc } = loginServer({ extra: { 'GET /user/login': () => new Response(null, { status: 302 }) } });
    expect((await failure(sc.info())).message).toBe(
      'login: the login form at /user/login answered 302 (expected 200)',
    );
  });

  it("a cookie the jar refuses (another site's) is skipped; the login goes on", async () => {
    const { sc } = loginServer({
      extra: {
        'GET /user/login': () =>
          new Response(null, {
            status: 302,
            headers: [
              ['location', '/dex/auth'],
              ['set-cookie', 'tracker=1; Domain=elsewhere.example; Path=/'],
              ['set-cookie', '_oauth2_proxy_csrf=CSRF1; Path=/'],
            ],
          }),
      },
    });
    expect((await sc.info()).auth).toBe('password');
  });

  it('a redirect loop ends after 12 hops with an error', async () => {
    const { sc, paths } = loginServer({
      extra: {
        'GET /dex/auth': () => new Response(null, { status: 307, headers: { location: '/dex/auth' } }),
      },
    });
    expect((await failure(sc.info())).message).toMatch(
      /^login: more than 12 redirects from https:\/\/sc\.example\//,
    );
    expect(paths().filter((p) => p === 'GET /dex/auth')).toHaveLength(12);
  });

  it('a 401 mid-session logs in again once and replays the call', async () => {
    let calls = 0;
    const { sc } = loginServer({
      extra: { '/api/v1/expiring': () => (++calls === 1 ? json({}, 401) : json({ ok: true })) },
    });
    const res = await sc.fetch(`https://sc.example${ROOT_PLACEHOLDER}/expiring`);
    expect(await res.json()).toEqual({ ok: true });
    expect(sc.logins).toBe(2);
  });

  it('the login page again after a fresh login: a 401 saying so', async () => {
    const { sc } = loginServer({ extra: { '/api/v1/page': () => html() } });
    const res = await sc.fetch(`https://sc.example${ROOT_PLACEHOLDER}/page`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toBe(
      'the server answered with its login page after a fresh login',
    );
  });

  it('sign-out sends the session cookie to /oauth2/sign_out and forgets it; failures are ignored', async () => {
    const { sc, seen } = loginServer({ extra: { '/oauth2/sign_out': () => json({}) } });
    await sc.info();
    await sc.logout();
    const out = seen.at(-1);
    expect(new URL(out?.url ?? '').pathname).toBe('/oauth2/sign_out');
    expect(out?.headers.get('cookie')).toContain('_oauth2_proxy=SESSION1');
    expect(await sc.jar.getCookieString('https://sc.example/')).toBe('');

    const failing = loginServer({
      extra: {
        '/oauth2/sign_out': () => {
          throw new TypeError('fetch failed');
        },
      },
    });
    await failing.sc.info();
    await expect(failing.sc.logout()).resolves.toBeUndefined();
    expect(await failing.sc.jar.getCookieString('https://sc.example/')).toBe('');
  });

  it('sign-out before any call, or with a token, sends nothing', async () => {
    const pwd = loginServer();
    await pwd.sc.logout();
    expect(pwd.seen).toHaveLength(0);
    const tok = session(geti('2.6.0'));
    await tok.sc.info();
    const before = tok.seen.length;
    await tok.sc.logout();
    expect(tok.seen).toHaveLength(before);
  });
});
