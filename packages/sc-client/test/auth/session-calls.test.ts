/**
 * API calls through an `ScSession`, beyond session-discovery.test.ts: a request's body and a URL without placeholders
 * reach the server as given; a password session logs in again on a 403 as on a 401 (also one without a body), but
 * never after a successful JSON answer; a token session passes a 401 through without a second request, and its
 * `login()` sends nothing.
 */
import { describe, expect, it } from 'vitest';
import { API_PLACEHOLDER, ScSession, type ScSessionOptions } from '../../src/auth/session.js';
import { dexLoginRoutes, json, type Routes, scriptedServer } from './scripted-server.js';

const WS = '65a1b2c3d4e5f60718293a4c';

function session(routes: Routes, options: Partial<ScSessionOptions> = {}) {
  const s = scriptedServer(routes);
  const sc = new ScSession({ host: 'sc.example', token: 'pat-1234567', fetch: s.fetch, ...options });
  return { sc, seen: s.seen, paths: s.paths };
}

/** An SC 1.2 server (no organization) reached with a token. */
const tokenServer = (extra: Routes) => ({
  '/api/v1/product_info': () => json({ 'product-version': '1.2.0' }),
  '/api/v1/workspaces': () => json({ items: [{ id: WS, name: 'Default Workspace' }] }),
  ...extra,
});

/** The same server behind oauth2-proxy + dex, for a password session. */
const passwordServer = (extra: Routes): Routes => ({ ...dexLoginRoutes(), ...tokenServer(extra) });
const password = { token: undefined, username: 'ann', password: 'pw-0123456' };

describe('calls through the session', () => {
  it('a POST body and a URL without placeholders reach the server as given', async () => {
    const { sc, seen } = session(
      tokenServer({
        'POST /api/v1/things': async (req) => json({ got: await req.json() }),
        '/elsewhere/file.bin': () => json({ ok: true }),
      }),
    );
    const posted = await sc.fetch(`https://sc.example${API_PLACEHOLDER}/things`, {
      method: 'POST',
      body: JSON.stringify({ name: 'x' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(await posted.json()).toEqual({ got: { name: 'x' } });
    const plain = await sc.fetch('https://sc.example/elsewhere/file.bin');
    expect(await plain.json()).toEqual({ ok: true });
    expect(new URL(seen.at(-1)?.url ?? '').pathname).toBe('/elsewhere/file.bin');
  });

  it('a password session logs in again on a 403 (with or without a body) and replays the call once', async () => {
    for (const refusal of [
      () => json({ message: 'forbidden' }, 403),
      () => new Response(null, { status: 403 }),
    ]) {
      let calls = 0;
      const { sc } = session(
        passwordServer({ '/api/v1/guarded': () => (++calls === 1 ? refusal() : json({ ok: true })) }),
        password,
      );
      const res = await sc.fetch(`https://sc.example${API_PLACEHOLDER}/guarded`);
      expect(await res.json()).toEqual({ ok: true });
      expect(sc.logins).toBe(2);
    }
  });

  it('a password session does not log in again after successful JSON answers', async () => {
    const { sc } = session(passwordServer({ '/api/v1/items': () => json({ items: [] }) }), password);
    for (let i = 0; i < 3; i++) {
      const res = await sc.fetch(`https://sc.example${API_PLACEHOLDER}/items`);
      expect(res.status).toBe(200);
    }
    expect(sc.logins).toBe(1);
  });

  it('a token session passes a 401 through without a second request, and login() sends nothing', async () => {
    const { sc, paths } = session(tokenServer({ '/api/v1/secret': () => json({ message: 'expired' }, 401) }));
    const res = await sc.fetch(`https://sc.example${API_PLACEHOLDER}/secret`);
    expect(res.status).toBe(401);
    expect(paths().filter((p) => p === 'GET /api/v1/secret')).toHaveLength(1);
    const before = paths().length;
    await sc.login();
    expect(paths()).toHaveLength(before);
    expect(sc.logins).toBe(0);
  });
});
