/**
 * The class shape (core/): generated client and resource classes, hand-written subclasses, APIPromise, PagePromise,
 * the escape hatch, named servers, middleware and service configs, against the test API's fake.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  APIPromise,
  BaseClient,
  type ClientOptions,
  defineService,
  headerToken,
  type Middleware,
  MissingParamError,
  NotFoundError,
  Page,
  PagePromise,
  type RequestOptions,
} from '../../../src/index.js';
import { GeneratedPackageCoreTestClient, operations, Widgets } from '../../generated/index.js';
import { BASE, TOKEN, type Widget } from '../helpers.js';
import { useFake } from '../setup.js';

const fake = useFake();

/** A service's own resource subclass: one special method on top of the generated ones. */
class MyWidgets extends Widgets {
  /** The best score among the given trials, recorded on the widget. */
  best(id: string, scores: number[], options?: RequestOptions) {
    return this.score(id, { trials: scores.map((score, i) => ({ id: `t${i}`, score })) }, options);
  }
}

/** A service's own client: the generated class plus the subclassed resource. */
class TestClient extends GeneratedPackageCoreTestClient {
  override readonly widgets: MyWidgets = new MyWidgets(this);
}

/** The error a call fails with. */
function failure(p: PromiseLike<unknown>): Promise<Error> {
  return Promise.resolve(p).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: Error) => e,
  );
}

function client(o: Partial<ClientOptions> = {}) {
  return new TestClient({ baseUrl: BASE, validate: 'error', initialRetryDelay: 1, maxRetryDelay: 2, ...o });
}

describe('generated classes and hand-written subclasses', () => {
  it('instanceof holds both ways, also for withOptions()', () => {
    const c = client();
    expect(c).toBeInstanceOf(TestClient);
    expect(c).toBeInstanceOf(GeneratedPackageCoreTestClient);
    expect(c).toBeInstanceOf(BaseClient);
    const other = c.withOptions({ maxRetries: 0 });
    expect(other).toBeInstanceOf(TestClient);
    expect(other).not.toBe(c);
    expect(other.widgets).toBeInstanceOf(MyWidgets);
    expect(other.options.maxRetries).toBe(0);
    expect(c.options.maxRetries).toBeUndefined();
  });

  it('a subclass method runs through the generated one', async () => {
    const w = await client().widgets.best('w3', [0.5, 9, 2]);
    expect(w).toMatchObject({ id: 'w3', score: 9 });
    expect(fake.widgets.get('w3')?.score).toBe(9);
  });

  it('every call returns an APIPromise: await gives the data, withResponse() the rest', async () => {
    fake.server.use(
      http.get(`${BASE}/widgets/w1`, () => HttpResponse.json({ message: 'busy' }, { status: 503 }), {
        once: true,
      }),
      http.get(`${BASE}/widgets/w1`, () =>
        HttpResponse.json(fake.widgets.get('w1'), { headers: { 'x-request-id': 'req-42' } }),
      ),
    );
    const p = client().widgets.get('w1');
    expect(p).toBeInstanceOf(APIPromise);
    expect(p).toBeInstanceOf(Promise);
    const r = await p.withResponse();
    expect(r.data).toMatchObject({ id: 'w1' });
    expect(r.response.status).toBe(200);
    expect(r.requestId).toBe('req-42');
    expect(r.attempts).toBe(2);
    expect(await client().widgets.get('w2')).toMatchObject({ id: 'w2' });
  });

  it('list() can be awaited (one Page) or iterated with for await (every item of every page)', async () => {
    const c = client();
    const listed = c.widgets.list({ limit: 10 });
    expect(listed).toBeInstanceOf(PagePromise);
    const page = await listed;
    expect(page).toBeInstanceOf(Page);
    expect(page.data).toHaveLength(10);
    expect(page.hasNextPage()).toBe(true);
    const ids: string[] = [];
    for await (const w of c.widgets.list({ limit: 10 })) ids.push(w.id);
    expect(ids).toEqual(fake.widgets.all().map((w) => w.id));
    expect(ids).toHaveLength(25);
    const { data, attempts } = await c.widgets.list({ limit: 4 }).withResponse();
    expect(data.data).toHaveLength(4);
    expect(attempts).toBe(1);
    expect(await c.widgets.iterate({ limit: 7 }).toArray()).toHaveLength(25);
  });

  it('leaving a for await over list() early stops fetching', async () => {
    let requests = 0;
    fake.server.server.events.on('request:start', () => requests++);
    try {
      for await (const w of client().widgets.list({ limit: 5 })) {
        if (w.id === 'w2') break;
      }
    } finally {
      fake.server.server.events.removeAllListeners('request:start');
    }
    // The first page, and at most the one prefetched while it was consumed.
    expect(requests).toBeLessThanOrEqual(2);
  });

  it("the caller's signal also stops the pages a for await over list() fetches later", async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const err = await (async () => {
      for await (const w of client().widgets.list({ limit: 5 }, { signal: ac.signal })) {
        seen.push(w.id);
        if (seen.length === 5) ac.abort();
      }
    })().catch((e: Error) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(5);
  });

  it('a deprecated resource warns once per client, on first use', async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m), error() {}, info() {}, debug() {} };
    const c = client({ logger, logLevel: 'warn' });
    await c.notes.list();
    await c.notes.list();
    expect(warnings).toEqual(['`notes` is deprecated by the API and may be removed']);
  });
});

describe('escape hatch: client.get/post/put/patch/delete(path, options)', () => {
  it('sends auth, query, body and headers; parses JSON; maps errors; retries idempotent methods', async () => {
    const seen: { method: string; url: string; auth: string | null; body: string; extra: string | null }[] =
      [];
    let failures = 1;
    fake.server.use(
      http.all(`${BASE}/undeclared/:thing`, async ({ request, params }) => {
        seen.push({
          method: request.method,
          url: request.url,
          auth: request.headers.get('authorization'),
          body: await request.text(),
          extra: request.headers.get('x-extra'),
        });
        if (params.thing === 'missing')
          return HttpResponse.json({ message: 'no such thing' }, { status: 404 });
        if (params.thing === 'flaky' && failures-- > 0) return new HttpResponse(null, { status: 503 });
        if (params.thing === 'text') return HttpResponse.text('plain words');
        return HttpResponse.json({ ok: true, thing: params.thing });
      }),
    );
    const c = client({ auth: headerToken(TOKEN) });
    expect(await c.get('/undeclared/a', { query: { q: 'x y' }, headers: { 'x-extra': '1' } })).toEqual({
      ok: true,
      thing: 'a',
    });
    expect(seen[0]).toMatchObject({
      method: 'GET',
      url: `${BASE}/undeclared/a?q=x%20y`,
      auth: `Bearer ${TOKEN}`,
      extra: '1',
    });
    await c.post('/undeclared/b', { body: { name: 'n' } });
    expect(seen[1]).toMatchObject({ method: 'POST', body: '{"name":"n"}' });
    expect(await c.get('undeclared/text')).toBe('plain words');
    const r = await c.put('/undeclared/flaky', { body: {} }).withResponse();
    expect(r.attempts).toBe(2);
    const err = await failure(c.delete('/undeclared/missing'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toContain('no such thing');
    expect(err.message).not.toContain(TOKEN);
    await c.patch('/undeclared/c', { body: { a: 1 } });
    expect(seen.at(-1)?.method).toBe('PATCH');
  });

  it('refuses an absolute URL (the credentials would go to that host), sending nothing', async () => {
    const c = client({ auth: headerToken(TOKEN) });
    for (const url of ['https://elsewhere.test/x', '//elsewhere.test/x', 'javascript:alert(1)']) {
      const err = await failure(c.get(url));
      expect(err.message).toContain('pass a path relative to baseUrl');
    }
  });
});

describe('named servers', () => {
  const OTHER = 'https://other.test.local';
  const onOther = { ...operations.getWidget, server: 'other' };

  it("an operation of a named server goes to options.servers[name], with the client's auth", async () => {
    const seen: (string | null)[] = [];
    fake.server.use(
      http.get(`${OTHER}/widgets/:id`, ({ request, params }) => {
        seen.push(request.headers.get('authorization'));
        return HttpResponse.json({ id: params.id, name: 'elsewhere', score: 1 });
      }),
    );
    const c = client({ servers: { other: OTHER }, auth: headerToken(TOKEN) });
    const w = (await c.request(onOther, { widget_id: 'x1' })) as Widget;
    expect(w.name).toBe('elsewhere');
    expect(seen).toEqual([`Bearer ${TOKEN}`]);
    // Operations without a server still use baseUrl.
    expect((await c.widgets.get('w1')).id).toBe('w1');
  });

  it('an unconfigured server fails before sending, naming the option', async () => {
    const err = await failure(client().request(onOther, { widget_id: 'x1' }));
    expect(err).toBeInstanceOf(MissingParamError);
    expect(err.message).toContain('servers.other');
  });
});

describe('middleware and the spec extensions', () => {
  it('x-path-params-in-body copies path params into the body; x-content-encoding gzips it', async () => {
    const seen: { encoding: string | null; body: unknown }[] = [];
    fake.server.use(
      http.post(`${BASE}/widgets/:id/scores`, async ({ request, params }) => {
        const encoding = request.headers.get('content-encoding');
        const bytes = new Uint8Array(await request.arrayBuffer());
        const text =
          encoding === 'gzip'
            ? await new Response(
                new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')),
              ).text()
            : new TextDecoder().decode(bytes);
        seen.push({ encoding, body: JSON.parse(text) });
        return HttpResponse.json({ id: params.id, name: 'w', score: 1 });
      }),
    );
    const op = {
      ...operations.scoreWidget,
      extensions: { 'path-params-in-body': ['widget_id'], 'content-encoding': 'gzip' },
    };
    const c = client();
    await c.request(op, { widget_id: 'w1', trials: [] });
    expect(seen[0]).toEqual({ encoding: 'gzip', body: { widget_id: 'w1', trials: [] } });
    // A body field the caller set wins; a call's own compressBody wins over the extension.
    await c.request(op, { widget_id: 'w1', trials: [] }, { compressBody: false });
    expect(seen[1]).toEqual({ encoding: null, body: { widget_id: 'w1', trials: [] } });
  });

  it('options.middleware runs once per call, after the spec extensions, and sees the operation', async () => {
    const calls: string[] = [];
    const tag: Middleware = {
      name: 'tag',
      prepare(call) {
        calls.push(call.operation.operationId);
        call.headers = { ...call.headers, 'x-tag': call.operation.operationId };
      },
    };
    const tags: (string | null)[] = [];
    fake.server.use(
      http.get(`${BASE}/widgets/w1`, ({ request }) => {
        tags.push(request.headers.get('x-tag'));
        return tags.length === 1
          ? new HttpResponse(null, { status: 503 })
          : HttpResponse.json(fake.widgets.get('w1'));
      }),
    );
    await client({ middleware: [tag] }).widgets.get('w1');
    expect(calls).toEqual(['getWidget']);
    expect(tags).toEqual(['getWidget', 'getWidget']);
  });
});

describe('service configs: quirks as data', () => {
  interface SeedOptions extends Partial<ClientOptions> {
    apiUrl?: string;
    otherUrl?: string;
    apiKey?: string;
    retriesCount?: number;
    retryWaitSeconds?: number;
  }
  const service = defineService<SeedOptions>({
    name: 'SeedClient',
    env: { apiKey: 'MLCLIENTS_TEST_SEED_KEY' },
    aliases: {
      apiUrl: { option: 'baseUrl' },
      retriesCount: { option: 'maxRetries' },
      retryWaitSeconds: { option: 'initialRetryDelay', scale: 1000 },
    },
    servers: { other: { option: 'otherUrl' } },
    auth: (o) => (o.apiKey ? headerToken({ token: o.apiKey, header: 'x-api-key', scheme: '' }) : undefined),
    baseUrlPath: 'origin',
  });
  class SeedClient extends GeneratedPackageCoreTestClient<SeedOptions> {
    static override service = service;
  }

  it('maps the seed names, reads the environment, and keeps the subclass through withOptions', () => {
    process.env.MLCLIENTS_TEST_SEED_KEY = 'key-from-env-123';
    try {
      const c = new SeedClient({
        apiUrl: 'https://seed.test/some/prefix',
        retriesCount: 4,
        retryWaitSeconds: 0.25,
        otherUrl: 'https://o.test/x',
      });
      expect(c.options).toMatchObject({
        baseUrl: 'https://seed.test',
        maxRetries: 4,
        initialRetryDelay: 250,
        servers: { other: 'https://o.test' },
      });
      expect(c.options.auth?.secrets()).toEqual(['key-from-env-123']);
      expect(Object.keys(c.options)).not.toContain('apiKey');
      const d = c.withOptions({ retriesCount: 0 });
      expect(d).toBeInstanceOf(SeedClient);
      expect(d.options).toMatchObject({
        baseUrl: 'https://seed.test',
        maxRetries: 0,
        initialRetryDelay: 250,
      });
    } finally {
      delete process.env.MLCLIENTS_TEST_SEED_KEY;
    }
  });

  it('a missing baseUrl is a MissingParamError naming the client', () => {
    expect(() => new SeedClient({})).toThrow(MissingParamError);
    expect(() => new SeedClient({})).toThrow('SeedClient: `baseUrl` is required');
  });

  it('names the service option when a named server is missing', async () => {
    const c = new SeedClient({ apiUrl: BASE });
    const err = await failure(c.request({ ...operations.getWidget, server: 'other' }, { widget_id: 'w1' }));
    expect(err.message).toContain('pass otherUrl in the SeedClient options');
  });
});
