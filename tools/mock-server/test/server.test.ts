/**
 * startMockServer over real HTTP: GET bodies reach the fake, control routes, seeds with `_tokens`, faults
 * (status with Retry-After, connection reset, delay), latency, bad seeds named by field.
 */

import { mkdtemp, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, SeedError, startMockServer, UnknownServiceError } from '../src/index.js';

const running: MockServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startMockServer>[1] = {}) {
  const server = await startMockServer('hub', { conformance: 'error', ...options });
  running.push(server);
  return server;
}

// biome-ignore lint/suspicious/noExplicitAny: raw JSON under test
type Json = any;

/** Any method with a JSON body over node:http (fetch cannot send a GET body). */
function send(
  url: string,
  method: string,
  body?: unknown,
): Promise<{ status: number; headers: Record<string, unknown>; json: Json }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpRequest(
      url,
      {
        method,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.byteLength } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            json: text ? JSON.parse(text) : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('startMockServer', () => {
  it('listens on 127.0.0.1 on a free port and reads the JSON body of a GET', async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await send(`${server.url}/api/v1/organizations`, 'POST', { name: 'a', token: 't' });
    await send(`${server.url}/api/v1/organizations`, 'POST', { name: 'b', token: 't' });
    const page = await send(`${server.url}/api/v1/organizations`, 'GET', { name: 'b', limit: 1, token: 't' });
    expect(page.json.data.map((o: { name: string }) => o.name)).toEqual(['b']);
    expect(page.json.meta.pagination).toEqual({ limit: 1, offset: 0, count: 1, total: 1 });
    const noToken = await send(`${server.url}/api/v1/organizations`, 'GET', {});
    expect(noToken.status).toBe(401);
  });

  it('seeds, accepts only the seed tokens (and issued ones), and resets back to the seed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-seed-'));
    const file = join(dir, 'seed.json');
    await writeFile(
      file,
      JSON.stringify({
        projects: [{ id: 7, name: 'seeded', organization_id: 1 }],
        organizations: [{ id: 1, name: 'acme' }],
        _tokens: ['only-this'],
      }),
    );
    const server = await start({ seed: file });
    const url = `${server.url}/api/v1/projects`;
    expect((await send(url, 'GET', { token: 'only-this' })).json.data).toMatchObject([
      { id: 7, object: 'project', name: 'seeded' },
    ]);
    const other = await send(url, 'GET', { token: 'another' });
    expect(other.status).toBe(401);
    expect(other.json.meta.errors[0].message).toBe('User should be logged in');
    const login = await send(`${server.url}/api/v1/tokens`, 'POST', { email: 'a@b.c', password: 'pw' });
    expect((await send(url, 'GET', { token: login.json.data.token })).status).toBe(200);

    await send(url, 'POST', { name: 'new', organization_id: 1, token: 'only-this' });
    expect((await send(url, 'GET', { token: 'only-this' })).json.meta.pagination.total).toBe(2);
    expect((await send(`${server.url}/_mock/reset`, 'POST')).status).toBe(200);
    expect((await send(url, 'GET', { token: 'only-this' })).json.meta.pagination.total).toBe(1);
    // An issued token does not survive a reset: the fake is back to its seed.
    expect((await send(url, 'GET', { token: login.json.data.token })).status).toBe(401);
  });

  it('knows the project of a seeded project token: new cluster tasks and 400 request_params carry it', async () => {
    const server = await start({ seed: { _tokens: [{ token: 'pt', project_id: 31 }, 'other'] } });
    const task = await send(`${server.url}/api/v1/cluster_tasks`, 'POST', {
      name: 'x.y',
      project_api_token: 'pt',
    });
    expect(task.json.data).toMatchObject({ object: 'cluster_task', project_id: 31 });
    const bad = await send(`${server.url}/api/v1/predictions`, 'POST', {
      pipeline_id: 'p',
      records: [[1, 2]],
      features: ['a'],
      project_api_token: 'pt',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.meta.request_params).toMatchObject({
      project_api_token: '****',
      project_id: 31,
      prediction: { pipeline_id: 'p' },
    });
    const plain = await send(`${server.url}/api/v1/cluster_tasks`, 'POST', {
      name: 'x.y',
      project_api_token: 'other',
    });
    expect(plain.json.data.project_id).toBeNull();
  });

  it('queues faults through POST /_mock/faults: status + Retry-After, reset, only the named operation', async () => {
    const server = await start();
    const faults = `${server.url}/_mock/faults`;
    expect(
      (await send(faults, 'POST', { status: 503, retryAfter: 2, times: 2, operationId: 'listProjects' }))
        .json,
    ).toEqual({ pending: 2 });
    const orgs = await send(`${server.url}/api/v1/organizations`, 'GET', { token: 't' });
    expect(orgs.status).toBe(200);
    const failed = await send(`${server.url}/api/v1/projects`, 'GET', { token: 't' });
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('2');
    expect(failed.json.meta.status).toBe(503);
    await send(`${server.url}/api/v1/projects`, 'GET', { token: 't' });
    expect((await send(`${server.url}/api/v1/projects`, 'GET', { token: 't' })).status).toBe(200);

    await send(faults, 'POST', { reset: true });
    await expect(send(`${server.url}/api/v1/projects`, 'GET', { token: 't' })).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );

    const bad = await send(faults, 'POST', { status: 'x', times: 0, colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual([
      'status: expected an integer from 100 to 599',
      'times: expected an integer from 1 to 1000000',
      'colour: unknown fault field',
    ]);
  });

  it('GET /_mock/journal shows what was sent, tokens and passwords redacted', async () => {
    const server = await start();
    await send(`${server.url}/api/v1/tokens`, 'POST', { email: 'a@b.c', password: 'secret-pw' });
    await send(`${server.url}/api/v1/projects`, 'GET', { project_api_token: 'secret-token', limit: 5 });
    const { json } = await send(`${server.url}/_mock/journal`, 'GET');
    const printed = JSON.stringify(json);
    for (const secret of ['secret-pw', 'secret-token']) expect(printed).not.toContain(secret);
    expect(
      json.entries.map((e: { operationId: string; status: number }) => [e.operationId, e.status]),
    ).toEqual([
      ['createToken', 200],
      ['listProjects', 200],
    ]);
    expect(json.entries[1].body).toEqual({ project_api_token: '[redacted]', limit: 5 });
    expect(json.entries[0].response.data.token).toBe('[redacted]');
  });

  it('refuses an unknown service, a seed naming an unknown resource, and a bad _tokens', async () => {
    await expect(startMockServer('nope')).rejects.toThrow(UnknownServiceError);
    await expect(startMockServer('hub', { seed: { projetcs: [] } })).rejects.toThrow(
      /projetcs: unknown resource/,
    );
    await expect(startMockServer('hub', { seed: { _tokens: [''] } })).rejects.toThrow(SeedError);
    await expect(startMockServer('hub', { seed: { _tokens: [{ token: 't' }] } })).rejects.toThrow(
      'seed: _tokens[0]: expected a non-empty string or { "token", "project_id" }',
    );
    await expect(startMockServer('hub', { seed: { projects: [1] } })).rejects.toThrow(
      'seed: projects[0]: expected an object',
    );
    await expect(startMockServer('hub', { seed: '/nonexistent/seed.json' })).rejects.toThrow(
      /seed.json: cannot read \(ENOENT\)/,
    );
  });

  it('answers the Hub 404 for an unknown path, and 404 for an unknown control route', async () => {
    const server = await start();
    const res = await send(`${server.url}/api/v1/nothing`, 'GET', { token: 't' });
    expect(res.status).toBe(404);
    expect(res.json.meta.errors[0].message).toBe('No route matches [GET] "/api/v1/nothing"');
    expect((await send(`${server.url}/_mock/nothing`, 'POST')).status).toBe(404);
  });
});
