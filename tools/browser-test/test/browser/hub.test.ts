/**
 * The Hub client bundled for the browser, against its fake in MSW's service worker. The Hub lists with a JSON body on
 * GET, which fetch cannot send: the client gets `getWithBody: methodOverrideTransport()` and the fake, like Rack,
 * counts the POST + `X-HTTP-Method-Override: GET` as the GET it stands for.
 */
import { AuthenticationError, ClientError, HubClient, NotFoundError } from '@mlclients/hub-client';
import { createHubFake } from '@mlclients/hub-client/mocks';
import { methodOverrideTransport } from '@mlclients/package-core';
import { describe, expect, it } from 'vitest';
import { failure, useWorker } from './worker.js';

const HUB = 'https://hub.test';
const TOKEN = 'browser-token';
const fake = createHubFake({ baseUrl: HUB, tokens: [TOKEN], conformance: 'error' });
useWorker([HUB], () => fake.handlers);

const hub = (options: Partial<ConstructorParameters<typeof HubClient>[0]> = {}) =>
  new HubClient({
    baseUrl: HUB,
    token: TOKEN,
    getWithBody: methodOverrideTransport(),
    retriesCount: 0,
    ...options,
  });

describe('Hub client in Chromium (MSW browser worker)', () => {
  it('runs in the browser build: no Node globals', () => {
    expect(navigator.userAgent).toContain('HeadlessChrome');
    expect(typeof (globalThis as { process?: unknown }).process).toBe('undefined');
  });

  it('creates, lists a page and iterates every page', async () => {
    const org = await hub().organizations.create({ name: 'acme' });
    for (let i = 0; i < 23; i++) await hub().projects.create({ name: `p${i}`, organization_id: org.id });

    const page = await hub().projects.list({ limit: 10 });
    expect(page.data.map((p) => p.name)).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
      'p4',
      'p5',
      'p6',
      'p7',
      'p8',
      'p9',
    ]);
    expect(page.pagination?.total).toBe(23);

    const names: string[] = [];
    for await (const project of hub().projects.iterate({ limit: 10 })) names.push(project.name as string);
    expect(names).toEqual(Array.from({ length: 23 }, (_, i) => `p${i}`));

    // What crossed the wire: GETs (after the override) whose bodies held the paging and the token, redacted.
    const lists = fake.journal.filter((e) => e.operationId === 'listProjects');
    expect(lists.length).toBeGreaterThanOrEqual(4);
    expect(lists.every((e) => e.method === 'GET' && e.status === 200)).toBe(true);
    expect(lists[0]?.body).toMatchObject({ limit: 10, offset: 0, token: '[redacted]' });
  });

  it('without a getWithBody transport a list fails before sending, naming the operation and the way out', async () => {
    const before = fake.journal.length;
    const err = await failure(new HubClient({ baseUrl: HUB, token: TOKEN }).projects.list());
    expect(err).toBeInstanceOf(ClientError);
    expect(err.message).toContain('listProjects');
    expect(err.message).toContain('methodOverrideTransport');
    expect(fake.journal.length).toBe(before);
  });

  it('error paths: a missing object is NotFoundError, a wrong token AuthenticationError, a 503 retried', async () => {
    expect(await failure(hub().projects.get(987654))).toBeInstanceOf(NotFoundError);
    const denied = await failure(hub({ token: 'not-the-token' }).projects.list());
    expect(denied).toBeInstanceOf(AuthenticationError);
    expect(denied.message).not.toContain('not-the-token');

    fake.faults.status(503, { operationId: 'listProjects', times: 2 });
    const { attempts } = await hub({ retriesCount: 2, retryWaitSeconds: 0 }).projects.list().withResponse();
    expect(attempts).toBe(3);
  });
});
