/** The token ways in, Geti discovery, the Geti csrf header, the 503 replay and secrecy, against a scripted server. */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ScClient } from '../src/index.js';

type Handler = (req: Request) => Response | Promise<Response>;
function server(handler: Handler) {
  const seen: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input as RequestInfo, init);
    seen.push(req.clone());
    return handler(req);
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const ORG = '65a1b2c3d4e5f60718293a4b';
const WS = '65a1b2c3d4e5f60718293a4c';

describe('personal access token on Geti >= 1.14', () => {
  it('x-api-key everywhere, organization looked up (earliest wins), csrf header on writes, apiRoot outside the organization', async () => {
    const { fetch, seen } = server((req) => {
      const { pathname } = new URL(req.url);
      if (req.headers.get('x-api-key') !== 'pat-123')
        return new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } });
      if (pathname === '/api/v1/product_info')
        return Response.json({ 'product-version': '2.6.0', 'build-version': '2.6.0-x' });
      if (pathname === '/api/v1/personal_access_tokens/organization') {
        return Response.json({
          organizations: [
            { organizationId: 'ffffffffffffffffffffffff', organizationCreatedAt: '2024-05-01' },
            { organizationId: ORG, organizationCreatedAt: '2023-01-01' },
          ],
        });
      }
      if (pathname === `/api/v1/organizations/${ORG}/workspaces`)
        return Response.json({ workspaces: [{ id: WS, name: 'Ours' }] });
      if (pathname === `/api/v1/organizations/${ORG}/workspaces/${WS}/projects`)
        return Response.json({ projects: [] }, { status: req.method === 'POST' ? 201 : 200 });
      return Response.json({ error_code: 'not_found', http_status: 404, message: pathname }, { status: 404 });
    });
    const sc = new ScClient({ host: 'geti.example', token: 'pat-123', fetch, maxRetries: 0 });
    expect(await sc.serverInfo()).toMatchObject({
      geti: true,
      version: '2.6.0',
      organizationId: ORG,
      workspaceId: WS,
      coordinates: 'pixels',
      auth: 'api-key',
    });
    await sc.call('listProjects', { workspace_id: WS });
    await sc
      .post(`/workspaces/${WS}/projects`, { body: { name: 'x', pipeline: { tasks: [], connections: [] } } })
      .catch(() => undefined);
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.headers.get('x-geti-csrf-protection')).toBe('1');
    expect(post?.url).toBe(`https://geti.example/api/v1/organizations/${ORG}/workspaces/${WS}/projects`);
    expect(seen.every((r) => r.headers.get('x-api-key') === 'pat-123')).toBe(true);
    expect(
      seen.filter((r) => r.method === 'GET').every((r) => r.headers.get('x-geti-csrf-protection') === null),
    ).toBe(true);
    expect(inspect(sc, { depth: 8 })).not.toContain('pat-123');
  });
});

describe('personal access token on SC 1.2 (before Geti 1.14)', () => {
  it('exchanged once for a Bearer token; /api/v1, pixels, `projects` list', async () => {
    const { fetch, seen } = server(async (req) => {
      const { pathname } = new URL(req.url);
      if (pathname === '/api/v1/service_accounts/access_token') {
        const body = (await req.json()) as { service_id: string };
        return body.service_id === 'sc-pat'
          ? Response.json({ access_token: 'bearer-xyz' })
          : Response.json({}, { status: 401 });
      }
      if (req.headers.get('authorization') !== 'Bearer bearer-xyz')
        return Response.json(
          { error_code: 'unauthorized', http_status: 401, message: 'no' },
          { status: 401 },
        );
      if (pathname === '/api/v1/product_info')
        return Response.json({ 'product-version': '1.2.0-release-20220801' });
      if (pathname === '/api/v1/workspaces')
        return Response.json({ workspaces: [{ id: WS, name: 'Default Workspace' }] });
      return Response.json({ projects: [] });
    });
    const sc = new ScClient({ host: 'https://sc.example/', token: 'sc-pat', fetch, maxRetries: 0 });
    expect(await sc.serverInfo()).toMatchObject({
      geti: false,
      version: '1.2.0',
      apiPath: '/api/v1',
      coordinates: 'pixels',
      auth: 'bearer',
      workspaceId: WS,
    });
    await sc.call('listProjects', { workspace_id: WS });
    expect(seen.filter((r) => r.url.endsWith('/access_token'))).toHaveLength(1);
  });

  it('a refused token: one error naming the reason, never the token', async () => {
    const { fetch } = server(() =>
      Response.json({ error_code: 'unauthorized', http_status: 401, message: 'no' }, { status: 401 }),
    );
    const sc = new ScClient({ host: 'sc.example', token: 'very-secret-token', fetch, maxRetries: 0 });
    const err = (await sc.serverInfo().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/personal access token was refused \(401\)/);
    expect(`${err.message}${err.stack}${inspect(err)}`).not.toContain('very-secret-token');
  });
});

describe('recovery', () => {
  it('a 503 on a POST is replayed once', async () => {
    let posts = 0;
    const { fetch } = server((req) => {
      const { pathname } = new URL(req.url);
      if (pathname.endsWith('/product_info')) return Response.json({ 'product-version': '1.2.0' });
      if (pathname.endsWith('/service_accounts/access_token')) return Response.json({ access_token: 'b' });
      if (pathname.endsWith('/workspaces'))
        return Response.json({ workspaces: [{ id: WS, name: 'Default Workspace' }] });
      if (req.method === 'POST' && posts++ === 0)
        return Response.json({ error_code: 'busy', http_status: 503, message: 'busy' }, { status: 503 });
      return Response.json({ result: 'success' });
    });
    const sc = new ScClient({ host: 'sc.example', token: 't', fetch, maxRetries: 0, retry503Delay: 0 });
    await expect(sc.post('/workspaces/x/projects/y/configuration', { body: {} })).resolves.toEqual({
      result: 'success',
    });
    expect(posts).toBe(2);
  });

  it('an unreachable server is one error naming it and the cause', async () => {
    const refused = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    const sc = new ScClient({
      host: 'sc.example',
      username: 'u',
      password: 'p4ssw0rd!',
      fetch: refused,
      maxRetries: 0,
    });
    await expect(sc.serverInfo()).rejects.toThrow('cannot reach https://sc.example: ECONNREFUSED');
  });

  it('options are checked before anything is sent', () => {
    expect(
      () =>
        new ScClient({
          host: 'sc.example',
          fetch: (() => {
            throw new Error('sent');
          }) as typeof fetch,
        }),
    ).toThrow(/pass `token`.*or both `username` and `password`/);
  });
});
