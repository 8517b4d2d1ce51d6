/**
 * Hub authentication as a user sees it: which of several configured tokens is sent (an empty one never wins), in
 * which body field, on every request, and that a token the server echoes back never shows up in an error.
 */
import { format, inspect } from 'node:util';
import type { AuthRequest } from '@mlclients/package-core';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalServer, localServer } from '../../package-core/test/runtime/security/local-server.js';
import { hubBodyAuth, TOKEN_PRIORITY } from '../src/auth.js';
import { ApiError, createHubClient } from '../src/index.js';

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** An AuthRequest as the runtime hands it to a strategy, recording the secrets registered at request time. */
function authRequest(init: { body?: Record<string, unknown>; bodyField?: string } = {}) {
  const added: string[] = [];
  const req: AuthRequest = {
    operation: 'getProject',
    method: 'GET',
    url: 'https://hub.test/api/v1/projects/1',
    headers: new Headers(),
    body: init.body,
    bodyField: init.bodyField,
    addSecret: (s) => added.push(s),
  };
  return { req, added };
}

describe('which token is sent', () => {
  it('project > cluster > user > system, each in its own body field', async () => {
    const all = { projectToken: 'P-tok', clusterToken: 'C-tok', token: 'U-tok', systemToken: 'S-tok' };
    const cases: [Partial<typeof all>, Record<string, string>][] = [
      [all, { project_api_token: 'P-tok' }],
      [{ clusterToken: 'C-tok', token: 'U-tok', systemToken: 'S-tok' }, { cluster_api_token: 'C-tok' }],
      [{ token: 'U-tok', systemToken: 'S-tok' }, { token: 'U-tok' }],
      [{ systemToken: 'S-tok' }, { system_token: 'S-tok' }],
    ];
    for (const [tokens, expected] of cases) {
      const { req } = authRequest({ body: { name: 'x' } });
      await hubBodyAuth(tokens).apply(req);
      expect(req.body).toEqual({ name: 'x', ...expected });
    }
    expect(TOKEN_PRIORITY.map(([, field]) => field)).toEqual([
      'project_api_token',
      'cluster_api_token',
      'token',
      'system_token',
    ]);
  });

  it('an empty higher-priority token does not beat a valid lower-priority one', async () => {
    const { req } = authRequest({ body: {} });
    await hubBodyAuth({ projectToken: '', clusterToken: undefined, token: 'U-tok' }).apply(req);
    expect(req.body).toEqual({ token: 'U-tok' });
  });

  it('with no usable token, the body is left alone', async () => {
    for (const tokens of [{}, { projectToken: '' }, { token: '', systemToken: '' }]) {
      const { req } = authRequest({ body: { a: 1 } });
      await hubBodyAuth(tokens).apply(req);
      expect(req.body).toEqual({ a: 1 });
    }
  });

  it('the token wins over a same-named key of the call, and a per-call field overrides the default one', async () => {
    const same = authRequest({ body: { token: 'from-params', q: 1 } });
    await hubBodyAuth({ token: 'U-tok' }).apply(same.req);
    expect(same.req.body).toEqual({ token: 'U-tok', q: 1 });
    const field = authRequest({ body: {}, bodyField: 'project_api_token' });
    await hubBodyAuth({ token: 'U-tok' }).apply(field.req);
    expect(field.req.body).toEqual({ project_api_token: 'U-tok' });
  });

  it('a token function is asked on every request and its answer is registered as a secret', async () => {
    let n = 0;
    const auth = hubBodyAuth({ token: () => `fresh-${++n}-token` });
    const first = authRequest({ body: {} });
    await auth.apply(first.req);
    const second = authRequest({ body: {} });
    await auth.apply(second.req);
    expect(first.req.body).toEqual({ token: 'fresh-1-token' });
    expect(second.req.body).toEqual({ token: 'fresh-2-token' });
    expect([...first.added, ...second.added]).toEqual(['fresh-1-token', 'fresh-2-token']);
    expect(auth.secrets()).toEqual([]);
  });

  it('every configured string token is known as a secret up front (empty ones are not)', () => {
    const auth = hubBodyAuth({
      projectToken: 'P-tok-1',
      clusterToken: '',
      token: 'U-tok-1',
      systemToken: () => 'f',
    });
    expect(auth.secrets()).toEqual(['P-tok-1', 'U-tok-1']);
    expect(auth.kind).toBe('bodyToken');
    expect(auth.needsBody).toBe(true);
  });
});

describe('against a server', () => {
  it('a GET carries the token in its JSON body, and an echo of it is masked in the error', async () => {
    const token = 'hub-project-SECRET-0123456789';
    const lower = 'hub-user-SECRET-9876543210';
    const s = await localServer((req, res) => {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ meta: { status: 401, errors: [{ message: `token rejected: ${req.body}` }] } }));
    });
    servers.push(s);
    const hub = createHubClient({ baseUrl: s.origin, projectToken: token, token: lower, maxRetries: 0 });
    const err = await hub.projects.get(7).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(JSON.parse(s.seen[0]?.body ?? '{}')).toMatchObject({ project_api_token: token });
    expect(s.seen[0]?.body).not.toContain(lower);
    for (const text of [
      (err as Error).message,
      inspect(err, { showHidden: true, depth: 20 }),
      format('%o', err),
    ]) {
      expect(text).not.toContain(token);
    }
    expect((err as Error).message).toContain('token rejected');
  });
});
