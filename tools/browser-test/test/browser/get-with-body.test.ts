/**
 * The Hub's GET-with-body calls from a browser, the whole way: Chromium -> the page's own origin (`/api/v1/`) -> the
 * method-override proxy -> the Hub fake over real HTTP (`tools/mock-server`). No MSW here: the request leaves the
 * page, and the server side records what arrived.
 */
import { AuthenticationError, HubClient } from '@mlclients/hub-client';
import { methodOverrideTransport } from '@mlclients/package-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { PROXIED_HUB_TOKEN } from './proxied-hub.js';
import { failure } from './worker.js';

const base = location.origin;
const hub = (token = PROXIED_HUB_TOKEN) =>
  new HubClient({ baseUrl: base, token, getWithBody: methodOverrideTransport(), retriesCount: 0 });

interface JournalEntry {
  operationId: string;
  method: string;
  body?: Record<string, unknown>;
  status: number;
}
async function journal(): Promise<JournalEntry[]> {
  const res = await fetch(`${base}/_mock/journal`);
  return ((await res.json()) as { entries: JournalEntry[] }).entries;
}

beforeEach(async () => {
  expect((await fetch(`${base}/_mock/reset`, { method: 'POST' })).status).toBe(200);
});

describe('GET with a body through the same-origin proxy', () => {
  it('lists and iterates: the server receives GETs with the paging and the token in the body', async () => {
    const org = await hub().organizations.create({ name: 'via-proxy' });
    for (let i = 0; i < 5; i++) await hub().projects.create({ name: `q${i}`, organization_id: org.id });
    const names: string[] = [];
    for await (const p of hub().projects.iterate({ limit: 2 })) names.push(p.name as string);
    expect(names).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);

    const lists = (await journal()).filter((e) => e.operationId === 'listProjects');
    expect(lists.length).toBeGreaterThanOrEqual(3);
    expect(lists.map((e) => [e.method, e.status])).toEqual(lists.map(() => ['GET', 200]));
    expect(lists[0]?.body).toMatchObject({ limit: 2, offset: 0, token: '[redacted]' });
  });

  it('a refused token comes back as AuthenticationError through the proxy', async () => {
    expect(await failure(hub('wrong-token').projects.list())).toBeInstanceOf(AuthenticationError);
  });

  it('the proxy lets a POST ask only for GET or HEAD', async () => {
    const res = await fetch(`${base}/api/v1/projects/1`, {
      method: 'POST',
      headers: { 'X-HTTP-Method-Override': 'DELETE', 'content-type': 'application/json' },
      body: JSON.stringify({ token: PROXIED_HUB_TOKEN }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('only a POST may ask for GET or HEAD');
    expect((await journal()).length).toBe(0);
  });
});
