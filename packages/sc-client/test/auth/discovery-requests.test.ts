/**
 * What discovery sends and follows, beyond session-discovery.test.ts: the personal access token is exchanged as the
 * recorded client does (a JSON POST of `service_id`) and the bearer token it gets is what later calls carry; a
 * password session on Geti >= 1.14 finds its organization through `/api/v1/profile`; only redirects are followed (a
 * JSON answer that happens to carry a Location header is the answer); versions are compared as whole numbers.
 */
import { describe, expect, it } from 'vitest';
import { ScSession, type ScSessionOptions } from '../../src/auth/session.js';
import { dexLoginRoutes, json, type Routes, scriptedServer } from './scripted-server.js';

const ORG = '65a1b2c3d4e5f60718293a4b';
const WS = '65a1b2c3d4e5f60718293a4c';

function session(routes: Routes, options: Partial<ScSessionOptions> = {}) {
  const { fetch, seen } = scriptedServer(routes);
  const sc = new ScSession({ host: 'sc.example', token: 'pat-1234567', fetch, ...options });
  return { sc, seen };
}

describe('discovery requests', () => {
  it('exchanges the token with a JSON POST of service_id, then sends the bearer token it got', async () => {
    const { sc, seen } = session({
      '/api/v1/product_info': (req) =>
        req.headers.get('authorization') === 'Bearer b-1'
          ? json({ 'product-version': '1.2.0-release' })
          : json({}, 401),
      'POST /api/v1/service_accounts/access_token': () => json({ access_token: 'b-1' }),
      '/api/v1/workspaces': () => json({ items: [{ id: WS, name: 'Default Workspace' }] }),
    });
    expect(await sc.info()).toMatchObject({ auth: 'bearer', version: '1.2.0', workspaceId: WS });
    const exchange = seen.find((r) => r.method === 'POST');
    expect(exchange?.headers.get('content-type')).toBe('application/json');
    expect(await exchange?.json()).toEqual({ service_id: 'pat-1234567' });
    const workspaces = seen.find((r) => new URL(r.url).pathname === '/api/v1/workspaces');
    expect(workspaces?.headers.get('authorization')).toBe('Bearer b-1');
  });

  it('a password session on Geti >= 1.14 reads its organization from /api/v1/profile', async () => {
    const { sc, seen } = session(
      {
        ...dexLoginRoutes(),
        '/api/v1/product_info': () => json({ 'product-version': '2.6.0', 'build-version': '2.6.0-b' }),
        '/api/v1/profile': () => json({ organizations: [{ organizationId: ORG }] }),
        [`/api/v1/organizations/${ORG}/workspaces`]: () => json({ workspaces: [{ id: WS, name: 'Ours' }] }),
      },
      { token: undefined, username: 'ann', password: 'pw-0123456' },
    );
    expect(await sc.info()).toMatchObject({ auth: 'password', organizationId: ORG, workspaceId: WS });
    expect(seen.map((r) => new URL(r.url).pathname)).not.toContain(
      '/api/v1/personal_access_tokens/organization',
    );
  });

  it('a JSON answer carrying a Location header is the answer, not a redirect', async () => {
    const { sc } = session({
      '/api/v1/product_info': () =>
        json({ 'product-version': '2.6.0', 'build-version': 'x' }, 200, { location: '/elsewhere' }),
      '/api/v1/personal_access_tokens/organization': () => json({ organizationId: ORG }),
      [`/api/v1/organizations/${ORG}/workspaces`]: () => json({ workspaces: [{ id: WS, name: 'Ours' }] }),
    });
    expect(await sc.info()).toMatchObject({ productVersion: '2.6.0', workspaceId: WS });
  });

  it('versions are whole numbers: Geti 11.1 is not SC 1.1', async () => {
    const { sc } = session({
      '/api/v1/product_info': () => json({ 'product-version': '11.1.0', 'build-version': '11.1.0-b' }),
      '/api/v1/personal_access_tokens/organization': () => json({ organizationId: ORG }),
      [`/api/v1/organizations/${ORG}/workspaces`]: () => json({ workspaces: [{ id: WS, name: 'Ours' }] }),
    });
    expect(await sc.info()).toMatchObject({ version: '11.1.0', organizationId: ORG, coordinates: 'pixels' });
  });
});
