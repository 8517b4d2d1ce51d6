/**
 * The fake engine's parts: router, request reading (any transport), resource store with derived parents and
 * declared filters, pagination helpers, the fault switchboard, the redacted journal, the conformance hook, and
 * the engine assembling them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  attachRequestBody,
  Conformance,
  createFakeEngine,
  createRouter,
  effectiveMethod,
  FaultSwitchboard,
  faultRuleProblems,
  Journal,
  nextLinkPage,
  offsetPage,
  REDACTED,
  type ResourceDeclaration,
  ResourceStore,
  readJsonBody,
  redactSecrets,
  type StoredObject,
  tokenPage,
} from '../../../src/testing/index.js';

const OPS = [
  { operationId: 'listThings', method: 'get', path: '/api/things' },
  { operationId: 'getThing', method: 'get', path: '/api/things/{id}' },
  { operationId: 'getThingLogs', method: 'get', path: '/api/things/{id}/logs' },
  { operationId: 'searchThings', method: 'get', path: '/api/things/search' },
  { operationId: 'createThing', method: 'post', path: '/api/things' },
];

describe('router', () => {
  it('matches by method and template; a literal segment wins over a parameter', () => {
    const r = createRouter(OPS);
    expect(r.match('GET', '/api/things/search')).toEqual({ operationId: 'searchThings', params: {} });
    expect(r.match('get', '/api/things/42/logs')).toEqual({
      operationId: 'getThingLogs',
      params: { id: '42' },
    });
    expect(r.match('POST', '/api/things/')).toEqual({ operationId: 'createThing', params: {} });
    expect(r.match('DELETE', '/api/things/1')).toBeUndefined();
    expect(r.hasPath('/api/things/1')).toBe(true);
    expect(r.match('GET', '/api/other')).toBeUndefined();
  });

  it('decodes any path parameter a client encodes', () => {
    const r = createRouter(OPS);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (id) => {
        const m = r.match('GET', `/api/things/${encodeURIComponent(id)}`);
        return id === 'search' ? m?.operationId === 'searchThings' : m?.params.id === id;
      }),
    );
  });
});

describe('request reading', () => {
  it('reads a GET body attached by an HTTP server adapter, and POST/PATCH bodies from the Request', async () => {
    const get = attachRequestBody(new Request('http://x/a'), new TextEncoder().encode('{"limit":2}'));
    expect(await readJsonBody(get)).toEqual({ limit: 2 });
    const post = new Request('http://x/a', { method: 'PATCH', body: '{"a":1}' });
    expect(await readJsonBody(post)).toEqual({ a: 1 });
    expect(await readJsonBody(new Request('http://x/a'))).toBeUndefined();
  });

  it('gunzips a gzip body', async () => {
    const gz = new Uint8Array(
      await new Response(
        new Blob(['{"z":true}']).stream().pipeThrough(new CompressionStream('gzip')),
      ).arrayBuffer(),
    );
    const req = new Request('http://x/', {
      method: 'POST',
      body: gz,
      headers: { 'content-encoding': 'gzip' },
    });
    expect(await readJsonBody(req)).toEqual({ z: true });
  });

  it('a POST with X-HTTP-Method-Override counts as that method (how a browser reaches a GET with a body)', () => {
    const req = new Request('http://x/', { method: 'POST', headers: { 'X-HTTP-Method-Override': 'get' } });
    expect(effectiveMethod(req)).toBe('GET');
    expect(
      effectiveMethod(new Request('http://x/', { headers: { 'X-HTTP-Method-Override': 'DELETE' } })),
    ).toBe('GET');
  });
});

describe('ResourceStore', () => {
  const declarations: Record<string, ResourceDeclaration> = {
    projects: { filters: ['name'] },
    experiments: { idStyle: 'hex', filters: ['project_id'] },
    sessions: {
      idStyle: 'uuid',
      derived: {
        project_id: (o: StoredObject, s: ResourceStore) =>
          s.get('experiments', o.experiment_id as string)?.project_id ?? null,
      },
      filters: ['project_id', 'experiment_id'],
    },
    runs: { table: 'sessions' },
  };

  it('derives parents at read time and filters on them; a missing field never matches', () => {
    const s = new ResourceStore(declarations);
    const e1 = s.insert('experiments', { id: s.nextId('experiments'), project_id: 1 });
    const e2 = s.insert('experiments', { id: s.nextId('experiments'), project_id: 2 });
    const orphan = s.insert('experiments', { id: s.nextId('experiments') });
    for (const e of [e1, e2, orphan]) s.insert('sessions', { id: s.nextId('sessions'), experiment_id: e.id });
    expect(s.list('sessions', { project_id: 1 }).map((x) => x.experiment_id)).toEqual([e1.id]);
    expect(s.list('sessions', { project_id: '2' }).map((x) => x.experiment_id)).toEqual([e2.id]);
    expect(s.list('sessions', { project_id: 3 })).toEqual([]);
    expect(s.list('sessions', { project_id: [1, 2] })).toHaveLength(2);
    expect(s.list('sessions', { colour: 'red' })).toHaveLength(3); // undeclared: ignored, as a server ignores it
    // A later change of the parent is seen by the child.
    s.patch('experiments', orphan.id, { project_id: 1 });
    expect(s.list('sessions', { project_id: 1 })).toHaveLength(2);
  });

  it('ids look like the real ones; a shared table shares its ids; reads are copies', () => {
    const s = new ResourceStore(declarations);
    expect(s.nextId('projects')).toBe(1);
    s.insert('projects', { id: 5 });
    expect(s.nextId('projects')).toBe(6);
    expect(s.nextId('experiments')).toMatch(/^[0-9a-f]{16}$/);
    expect(s.nextId('runs')).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.normalizeId('experiments', 7)).toBe('7');
    const run = s.insert('runs', { id: 'r1' });
    expect(s.get('sessions', 'r1')).toMatchObject({ id: 'r1' });
    (run as { id: string; x?: number }).x = 1;
    expect(s.raw('runs', 'r1')).toEqual({ id: 'r1' });
    expect(s.get('projects', '5')).toEqual({ id: 5 });
    expect(s.remove('projects', 5)).toEqual({ id: 5 });
    expect(s.get('projects', 5)).toBeUndefined();
  });
});

describe('pagination helpers', () => {
  it('offset pages cover every item once, with count and total', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (items, limit) => {
        const seen: number[] = [];
        for (let offset = 0; ; offset += limit) {
          const page = offsetPage(items, { offset, limit });
          expect(page.total).toBe(items.length);
          expect(page.count).toBe(page.items.length);
          if (page.count === 0) break;
          seen.push(...page.items);
        }
        expect(seen).toEqual(items);
      }),
    );
  });

  it('token and next-link pages cover every item once and end with null', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (items, limit) => {
        const byToken: number[] = [];
        let token: string | null = null;
        do {
          const page: { items: number[]; nextToken: string | null } = tokenPage(items, { token, limit });
          byToken.push(...page.items);
          token = page.nextToken;
        } while (token);
        expect(byToken).toEqual(items);
        const byLink: number[] = [];
        let url: string | null = `http://x/items?page_size=${limit}`;
        while (url) {
          const page: { items: number[]; next: string | null } = nextLinkPage(items, new URL(url));
          byLink.push(...page.items);
          url = page.next;
        }
        expect(byLink).toEqual(items);
      }),
    );
  });
});

describe('FaultSwitchboard', () => {
  const req = new Request('http://x/');
  it('applies a rule `times` times to the matching operation and method only, then lets calls through', () => {
    const f = new FaultSwitchboard()
      .status(503, { operationId: 'listThings', times: 2 })
      .networkError({ method: 'POST' });
    expect(f.pending).toBe(3);
    expect(f.take('getThing', 'GET', req)).toBeUndefined();
    expect(f.take('listThings', 'GET', req)).toMatchObject({ status: 503, reset: false });
    expect(f.take('createThing', 'post', req)).toMatchObject({ reset: true });
    expect(f.take('listThings', 'GET', req)?.status).toBe(503);
    expect(f.take('listThings', 'GET', req)).toBeUndefined();
    expect(f.pending).toBe(0);
  });

  it('Retry-After defaults the status to 429; plans run after the queue', () => {
    const f = new FaultSwitchboard().retryAfter(3).plan({ sequence: [{ kind: 'delay', ms: 1 }] });
    expect(f.take('x', 'GET', req)).toEqual({ status: 429, headers: { 'Retry-After': '3' }, reset: false });
    expect(f.take('x', 'GET', req)).toEqual({ headers: {}, delayMs: 1, reset: false });
    expect(f.take('x', 'GET', req)).toBeUndefined();
  });

  it('names every bad field of a rule', () => {
    expect(
      faultRuleProblems({ status: 99, delayMs: -1, method: 1, reset: 'yes', headers: { a: 1 } }),
    ).toEqual([
      'status: expected an integer from 100 to 599',
      'delayMs: expected an integer from 0 to 600000',
      'method: expected a string',
      'reset: expected a boolean',
      'headers: expected an object of strings',
    ]);
    expect(faultRuleProblems([])).toEqual(['fault: expected an object']);
    expect(faultRuleProblems({ status: 500, times: 3, operationId: 'x' })).toEqual([]);
  });
});

describe('Journal', () => {
  it('redacts secret keys at any depth, keeps the keys, and stays bounded', () => {
    const j = new Journal({ secretKeys: ['token', 'password'], limit: 2 });
    const entry = (n: number) => ({
      operationId: `op${n}`,
      method: 'POST',
      path: '/',
      body: { token: 'sekret', nested: [{ password: 'pw' }], n },
      status: 200,
      response: { data: { token: 'issued' } },
      contentType: 'application/json',
      injected: false,
    });
    for (const n of [1, 2, 3]) j.record(entry(n));
    expect(j.entries.map((e) => e.operationId)).toEqual(['op2', 'op3']);
    expect(j.entries[0]!.body).toEqual({ token: REDACTED, nested: [{ password: REDACTED }], n: 2 });
    expect(JSON.stringify(j.entries)).not.toMatch(/sekret|pw"|issued/);
    expect(redactSecrets({ token: null }, new Set(['token']))).toEqual({ token: null });
  });
});

describe('engine', () => {
  const Thing = z.object({ id: z.number(), name: z.string() });
  function thingFake(conformance: 'error' | 'warn' | 'off' = 'error') {
    const names = new Map<number, string>();
    return createFakeEngine({
      name: 'things',
      operations: OPS,
      conformance,
      secretKeys: ['token'],
      handlers: {
        createThing: ({ body }) => {
          const id = names.size + 1;
          names.set(id, String(body.name));
          // A name of 'bad' makes the fake break its own spec (to prove the hook notices).
          return { status: 201, json: body.name === 'bad' ? { id: String(id) } : { id, name: body.name } };
        },
        getThing: ({ params }) =>
          names.has(Number(params.id))
            ? { status: 200, json: { id: Number(params.id), name: names.get(Number(params.id)) } }
            : { status: 404, json: { message: 'not found' } },
      },
      noRoute: (method, path) => ({ status: 404, json: { message: `no ${method} ${path}` } }),
      faultBody: (status) => ({ status, json: { message: `injected ${status}` } }),
      expectations: ({ operationId, status }) =>
        status >= 400
          ? { any: true }
          : ['createThing', 'getThing'].includes(operationId)
            ? { schema: Thing }
            : 'undeclared',
    });
  }
  const post = (body: unknown) =>
    new Request('http://x/api/things', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  it('routes, answers, journals (redacted) and checks every answer', async () => {
    const fake = thingFake();
    const res = await fake.handle(post({ name: 'a', token: 'sekret' }));
    expect(res.status).toBe(201);
    expect(await (await fake.handle(new Request('http://x/api/things/1'))).json()).toEqual({
      id: 1,
      name: 'a',
    });
    expect((await fake.handle(new Request('http://x/nowhere'))).status).toBe(404);
    expect(fake.journal.entries.map((e) => [e.operationId, e.status])).toEqual([
      ['createThing', 201],
      ['getThing', 200],
      ['(no route)', 404],
    ]);
    expect(fake.journal.entries[0]!.body).toEqual({ name: 'a', token: REDACTED });
    expect(fake.conformance.checked).toBe(2);
    expect(fake.conformance.problems).toEqual([]);
  });

  it("an answer that breaks the spec becomes a 500 naming the problem ('error'), or is only recorded ('warn')", async () => {
    const strict = thingFake('error');
    const res = await strict.handle(post({ name: 'bad' }));
    expect(res.status).toBe(500);
    expect(((await res.json()) as { problem: string }).problem).toMatch(
      /^createThing POST \/api\/things -> 201: /,
    );
    expect(strict.conformance.problems).toHaveLength(1);
    const lenient = thingFake('warn');
    expect((await lenient.handle(post({ name: 'bad' }))).status).toBe(201);
    expect(lenient.conformance.problems).toHaveLength(1);
  });

  it('faults: a status with the service body and Retry-After, a dropped connection, a 400 for malformed JSON', async () => {
    const fake = thingFake();
    fake.faults
      .inject({ operationId: 'createThing', status: 503, retryAfter: 1 })
      .networkError({ operationId: 'getThing' });
    const failed = await fake.handle(post({ name: 'a' }));
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('1');
    expect(await failed.json()).toEqual({ message: 'injected 503' });
    expect((await fake.handle(new Request('http://x/api/things/1'))).type).toBe('error');
    const malformed = await fake.handle(
      new Request('http://x/api/things', { method: 'POST', body: '{"a": NaN}' }),
    );
    expect(malformed.status).toBe(400);
    expect(fake.journal.entries.map((e) => [e.status, e.injected])).toEqual([
      [503, true],
      [0, true],
      [400, false],
    ]);
  });
});

describe('Conformance', () => {
  it('is off outside a test runner unless asked', () => {
    const c = new Conformance(() => 'never allowed', 'off');
    expect(
      c.check({ operationId: 'x', method: 'GET', path: '/', status: 200, contentType: '', body: 1 }),
    ).toBeUndefined();
    expect(c.checked).toBe(0);
  });
});
