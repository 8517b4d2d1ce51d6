/** The username/password way in, replayed against `session.yaml` + `client.yaml` (SC 1.1). */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ScClient } from '../../src/index.js';
import { replayFetch } from '../helpers/replay.js';

const SESSION_COOKIE_PREFIX = '_oauth2_proxy=-hJldObQtemNmLQq0FzrH6yq8Jsn3P9_5EPjCpSNBdmV6aGWQEGeIyL_';
const CSRF =
  'xhA8gbBY81z7S0RLBaSi_DSsd-vO-hGoZv5UO1aJSw8dFhqO9TnY-P6WRsQaEsrTRPES7SvjxXMjAMBSRlA9QLWvKRsfB9M6FD9nQW6HcBYGDxij7mrvj6I=|1649794337|JTOw-PrCYIpXRGV_JPnXreUVQXY_6l39hVpRPbQPLpw=';

function client(fetch: typeof globalThis.fetch, password = 'dummy_password') {
  return new ScClient({ host: 'dummy_host', username: 'dummy_user', password, fetch, maxRetries: 0 });
}

describe('password login (oauth2-proxy + dex), replayed', () => {
  it('walks the recorded redirect dance, posts the form as recorded, and finds version and workspace', async () => {
    const replay = replayFetch('session.yaml', 'client.yaml');
    const sc = client(replay.fetch);
    const info = await sc.serverInfo();
    expect(info).toMatchObject({
      productVersion: '1.1.0-latest-20220405093904',
      version: '1.1',
      apiPath: '/api/v1.0',
      workspaceId: '624c004b234370fcf24bf38c',
      coordinates: 'normalized',
      auth: 'password',
      geti: false,
    });
    const login = replay.seen.slice(0, 9).map((r) => `${r.method} ${r.url}`);
    const recorded = replay.interactions
      .slice(0, 9)
      .map((x) => `${x.request.method} ${new URL(x.request.uri).href}`);
    expect(login).toEqual(recorded);
    const form = replay.seen[5];
    expect(form?.body).toBe('login=dummy_user&password=dummy_password');
    expect(form?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(form?.headers.get('cookie')).toBe(CSRF); // the raw csrf value, the recorded quirk
    // The csrf cookie is sent on the hops after /oauth2/start, as recorded.
    expect(replay.seen[2]?.headers.get('cookie')).toBe(`_oauth2_proxy_csrf=${CSRF}`);
    // Discovery: /api/v1 first (not there on SC 1.1: 404), then the legacy path, with the session cookie.
    const api = replay.seen.filter((r) => r.url.includes('/api/'));
    expect(api.map((r) => new URL(r.url).pathname)).toEqual([
      '/api/v1/product_info',
      '/api/v1.0/product_info',
      '/api/v1.0/workspaces',
    ]);
    expect(api[1]?.headers.get('cookie')).toContain(SESSION_COOKIE_PREFIX);
  });

  it('refused credentials: one clear error without the password, and no API call', async () => {
    const replay = replayFetch('session.yaml');
    // Dex answers a wrong password with the form again (200, no redirect).
    const wrong = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input as RequestInfo, init);
      if (req.method === 'POST')
        return new Response('<html>Invalid credentials</html>', {
          status: 200,
          headers: { 'content-type': 'text/html' },
        });
      return replay.fetch(input, init);
    }) as typeof fetch;
    const sc = client(wrong, 's3cret-Pa55word');
    const err = (await sc.serverInfo().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/authentication failed for user "dummy_user"/);
    expect(
      `${err.message} ${err.stack} ${inspect(err)} ${inspect(sc, { depth: 6 })} ${JSON.stringify(sc.options)}`,
    ).not.toContain('s3cret-Pa55word');
    expect(replay.seen.some((r) => r.url.includes('/api/'))).toBe(false);
  });

  it('an HTML login page or a 401 mid-session logs in again once and replays the call', async () => {
    const replay = replayFetch('session.yaml', 'client.yaml', 'session.yaml');
    let expired = 0;
    const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input as RequestInfo, init);
      if (req.url.endsWith('/api/v1.0/workspaces/624c004b234370fcf24bf38c/projects') && expired++ === 0) {
        return new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } });
      }
      if (req.url.endsWith('/projects')) return Response.json({ items: [] });
      return replay.fetch(input, init);
    }) as typeof fetch;
    const sc = client(f);
    const ws = await sc.workspaceId();
    const list = await sc.projects.list(ws);
    expect(list).toEqual({ items: [] });
    expect(sc.session.logins).toBe(2);
    expect(expired).toBe(2);
  });
});
