/**
 * Against a 127.0.0.1 server: the tokens.create password (`x-secret-fields`) and the client's headers never print,
 * and a deleteMany (`x-idempotent: false`: it starts a server-side job) is not retried once a response came back.
 */
import { format, inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalServer, localServer } from '../../../package-core/test/runtime/security/local-server.js';
import { ApiError, ConnectionError, createHubClient } from '../../src/index.js';

const TOKEN = 'project-token-SECRET-0123456789';
const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function printed(value: unknown): string[] {
  return [
    inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
    format('%o', value),
    // A client is a graph (resources point back at it): JSON.stringify is for errors.
    ...(value instanceof Error ? [JSON.stringify(value)] : []),
  ];
}

describe('secrets', () => {
  it("tokens.create: a server echo of the password (`'hunter2' is too weak`) is masked", async () => {
    const s = await localServer((req, res) => {
      const { password } = JSON.parse(req.body) as { password: string };
      res.writeHead(422, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          meta: {
            status: 422,
            errors: [{ error_param: 'password', message: `'${password}' is too weak` }],
          },
        }),
      );
    });
    servers.push(s);
    const lines: string[] = [];
    const put = (...a: unknown[]) => lines.push(format(...a));
    const hub = createHubClient({
      baseUrl: s.origin,
      retryWaitSeconds: 0,
      logger: { debug: put, info: put, warn: put, error: put },
      logLevel: 'debug',
    });
    const err = await hub.tokens.create({ email: 'a@b.c', password: 'hunter2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as Error).message).toContain('is too weak');
    expect(s.seen[0]?.body).toContain('hunter2');
    for (const text of [...printed(err), ...lines]) expect(text).not.toContain('hunter2');
  });

  it('util.inspect(hubClient) shows no Cookie, Authorization or token value', () => {
    const hub = createHubClient({
      baseUrl: 'http://127.0.0.1:9',
      projectToken: TOKEN,
      headers: { Cookie: 'session=COOKIE-SECRET-1', Authorization: 'Bearer AUTHZ-SECRET-1' },
    });
    for (const text of printed(hub)) {
      expect(text).not.toContain('COOKIE-SECRET');
      expect(text).not.toContain('AUTHZ-SECRET');
      expect(text).not.toContain(TOKEN);
    }
  });
});

describe('x-idempotent: false deletes', () => {
  const range = { from: '2024-01-01', to: '2024-01-02' };

  it.each([
    [
      'actuals.deleteMany',
      (hub: ReturnType<typeof createHubClient>) =>
        hub.actuals.deleteMany({ pipeline_id: 'p1', ...range } as never),
    ],
    [
      'endpointActuals.deleteMany',
      (hub: ReturnType<typeof createHubClient>) =>
        hub.endpointActuals.deleteMany('e1' as never, range as never),
    ],
  ])('%s is sent once after a 503 (the server may have started the job)', async (_name, call) => {
    const s = await localServer((_req, res) =>
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"meta":{"status":503}}'),
    );
    servers.push(s);
    const hub = createHubClient({
      baseUrl: s.origin,
      projectToken: TOKEN,
      retryWaitSeconds: 0,
      retriesCount: 3,
      validate: 'off',
    });
    const err = await call(hub).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(s.seen.map((r) => r.method)).toEqual(['DELETE']);
  });

  it('is retried when the connection was refused (nothing reached the server)', async () => {
    const s = await localServer(() => {});
    const origin = s.origin;
    await s.close(); // the port now refuses connections
    const hub = createHubClient({
      baseUrl: origin,
      projectToken: TOKEN,
      retryWaitSeconds: 0,
      retriesCount: 2,
      validate: 'off',
    });
    const err = await hub.actuals
      .deleteMany({ pipeline_id: 'p1', ...range } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).connectionRefused).toBe(true);
    expect((err as ConnectionError).attempts).toBe(3);
  });
});
