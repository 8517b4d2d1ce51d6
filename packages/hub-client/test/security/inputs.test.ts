/** Path parameters and params are checked before anything is sent (a local server records what arrives). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalServer, localServer } from '../../../package-core/test/runtime/security/local-server.js';
import { createHubClient, MissingParamError } from '../../src/index.js';

const TOKEN = 'project-token-SECURITY-0123456789';
let server: LocalServer;
beforeAll(async () => {
  server = await localServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}'),
  );
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.length = 0;
});

const hub = () =>
  createHubClient({ baseUrl: server.origin, projectToken: TOKEN, retryWaitSeconds: 0, validate: 'error' });

async function refused(p: Promise<unknown>, path: string): Promise<MissingParamError> {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MissingParamError);
  expect((err as MissingParamError).issues[0]?.path).toBe(path);
  expect((err as Error).message).toContain(path);
  return err as MissingParamError;
}

describe('path parameters', () => {
  // The issue's `deleteMany({ endpoint_id: '..' })` is now `deleteMany('..', params)` (id first, as Stainless does).
  it.each(['..', '.', ''])('endpointActuals.deleteMany(%j, range) sends nothing', async (id) => {
    await refused(
      hub().endpointActuals.deleteMany(id as never, { from: 'a', to: 'b' } as never),
      'endpoint_id',
    );
    expect(server.seen).toEqual([]);
  });

  it.each(['..', '.', ''])('endpoints.delete(%j) sends nothing', async (id) => {
    await refused(hub().endpoints.delete(id as never), 'id');
    expect(server.seen).toEqual([]);
  });

  it('a value with slashes and dots stays inside its segment (percent-encoded)', async () => {
    await hub()
      .withOptions({ validate: 'off' })
      .endpoints.delete('../../actuals?x=1#f' as never);
    expect(server.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      `DELETE /api/v1/endpoints/${encodeURIComponent('../../actuals?x=1#f')}`,
    ]);
  });
});

describe('params', () => {
  it("projects.create('x') is refused naming params, nothing sent", async () => {
    await refused(hub().projects.create('x' as never), 'params');
    expect(server.seen).toEqual([]);
  });

  it.each([
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ])('projects.get(%s) is refused naming id, nothing sent', async (id) => {
    const err = await refused(hub().projects.get(id as never), 'id');
    expect(err.message).toContain('finite number');
    expect(server.seen).toEqual([]);
  });

  it('a NaN inside the body is refused naming its path', async () => {
    await refused(
      hub().projects.update(1 as never, { name: 'p', meta: { score: Number.NaN } } as never),
      'meta.score',
    );
    expect(server.seen).toEqual([]);
  });
});
