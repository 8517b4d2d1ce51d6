/**
 * How a client's constructor options become what its calls use: the service's option names, aliases (with their
 * units), environment variables, defaults and named servers; which one wins when several say something; the base
 * URL as given; the retry-count header; the error policy and auth a service brings; secrets masked from the start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  BaseClient,
  ClientError,
  type ClientOptions,
  defineService,
  headerToken,
  MissingParamError,
  NotFoundError,
} from '../../src/index.js';
import { BASE, failure, op, PlainClient, plainClient, scriptedFetch } from './client-harness.js';

const TOKEN = 'sk-test-SECRET-token-1234567890';

interface WidgetOptions {
  baseUrl?: string;
  apiToken?: string;
  retryWaitSeconds?: number;
  retries?: number;
  optimizersUrl?: string;
  fetch?: typeof fetch;
  [core: string]: unknown;
}

const widgetService = defineService<WidgetOptions>({
  name: 'WidgetClient',
  env: { baseUrl: 'TEST_WIDGET_URL', apiToken: 'TEST_WIDGET_TOKEN' },
  aliases: {
    retryWaitSeconds: { option: 'initialRetryDelay', scale: 1000 },
    retries: { option: 'maxRetries' },
  },
  servers: { optimizers: { option: 'optimizersUrl' }, files: { default: 'https://files.test.local/store/' } },
  defaults: { maxRetries: 0, timeout: 4321, initialRetryDelay: 7 },
  auth: (o) => (o.apiToken ? headerToken({ header: 'x-api-key', scheme: '', token: o.apiToken }) : undefined),
});

class WidgetClient extends BaseClient<WidgetOptions> {
  static override service = widgetService;
}

afterEach(() => {
  delete process.env.TEST_WIDGET_URL;
  delete process.env.TEST_WIDGET_TOKEN;
});

const get = op({ operationId: 'getThing', path: '/things' });

describe('options a client is made with', () => {
  it('refuses missing options, naming the client', () => {
    expect(() => new WidgetClient(null as unknown as WidgetOptions)).toThrow(
      new ClientError('WidgetClient: options are required'),
    );
    expect(() => new PlainClient(undefined as unknown as ClientOptions)).toThrow(
      new ClientError('PlainClient: options are required'),
    );
  });

  it('refuses a missing or empty base URL, naming the client and the field', () => {
    for (const make of [
      () => new PlainClient({} as ClientOptions),
      () => new WidgetClient({ baseUrl: '' }),
      () => new WidgetClient({}),
    ]) {
      const error = (() => {
        try {
          make();
        } catch (e) {
          return e;
        }
      })() as MissingParamError;
      expect(error).toBeInstanceOf(MissingParamError);
      expect(error.message).toMatch(/^(PlainClient|WidgetClient): `baseUrl` is required$/);
      expect(error.issues).toEqual([{ path: 'baseUrl', message: 'required' }]);
    }
  });

  it('sends to the base URL without its trailing slashes', async () => {
    const { fetch, sent } = scriptedFetch();
    await plainClient(fetch, { baseUrl: `${BASE}//` }).request(get);
    expect(sent[0]?.url).toBe(`${BASE}/things`);
  });

  it('reads the environment for options left out, never over given ones', async () => {
    process.env.TEST_WIDGET_URL = 'https://env.test.local/api';
    process.env.TEST_WIDGET_TOKEN = TOKEN;
    const { fetch, sent } = scriptedFetch();
    await new WidgetClient({ fetch }).request(get);
    expect(sent[0]?.url).toBe('https://env.test.local/api/things');
    expect(sent[0]?.headers.get('x-api-key')).toBe(TOKEN);

    await new WidgetClient({ fetch, baseUrl: BASE, apiToken: 'given-token-0987654321' }).request(get);
    expect(sent[1]?.url).toBe(`${BASE}/things`);
    expect(sent[1]?.headers.get('x-api-key')).toBe('given-token-0987654321');
  });

  it('takes the service defaults below the caller’s options', () => {
    const c = new WidgetClient({ baseUrl: BASE, timeout: 99 });
    expect(c.options.timeout).toBe(99);
    expect(c.options.maxRetries).toBe(0);
    expect(c.options.initialRetryDelay).toBe(7);
  });

  it('maps the service’s own option names, in their units; a core option given explicitly wins', () => {
    expect(new WidgetClient({ baseUrl: BASE, retryWaitSeconds: 2 }).options.initialRetryDelay).toBe(2000);
    expect(new WidgetClient({ baseUrl: BASE, retries: 3 }).options.maxRetries).toBe(3);
    const both = new WidgetClient({ baseUrl: BASE, retryWaitSeconds: 2, initialRetryDelay: 5 });
    expect(both.options.initialRetryDelay).toBe(5);
    // An alias left out leaves the default alone.
    expect(new WidgetClient({ baseUrl: BASE, retryWaitSeconds: undefined }).options.initialRetryDelay).toBe(
      7,
    );
  });

  it('builds the service’s auth from its options unless an auth is given', async () => {
    const { fetch, sent } = scriptedFetch();
    await new WidgetClient({ baseUrl: BASE, fetch, apiToken: TOKEN }).request(get);
    expect(sent[0]?.headers.get('x-api-key')).toBe(TOKEN);
    const explicit = headerToken({ header: 'authorization', scheme: '', token: 'explicit-token-1234567890' });
    await new WidgetClient({ baseUrl: BASE, fetch, apiToken: TOKEN, auth: explicit }).request(get);
    expect(sent[1]?.headers.get('x-api-key')).toBeNull();
    expect(sent[1]?.headers.get('authorization')).toBe('explicit-token-1234567890');
  });

  it('a service without auth or error policy makes a working client', async () => {
    class Bare extends BaseClient<{ baseUrl: string; fetch: typeof fetch }> {
      static override service = defineService<{ baseUrl: string }>({ name: 'Bare' });
    }
    const { fetch } = scriptedFetch(() => Response.json({ message: 'no such thing' }, { status: 404 }));
    const error = await failure(new Bare({ baseUrl: BASE, fetch }).request(get));
    expect(error).toBeInstanceOf(NotFoundError);
  });
});

describe('secrets', () => {
  it('the auth token is masked in errors even when the server echoes it', async () => {
    const { fetch } = scriptedFetch(() => Response.json({ message: `bad token ${TOKEN}` }, { status: 400 }));
    const error = await failure(plainClient(fetch, { auth: headerToken(TOKEN) }).request(get));
    expect(error.message).not.toContain(TOKEN);
    expect(JSON.stringify((error as { body?: unknown }).body)).not.toContain(TOKEN);
  });

  it('a per-call secret header or auth is masked too', async () => {
    const callKey = 'call-key-SECRET-abcdef123456';
    const { fetch } = scriptedFetch((s) =>
      Response.json(
        { message: `refused ${s.headers.get('x-api-key') ?? s.headers.get('authorization')}` },
        {
          status: 400,
        },
      ),
    );
    const c = plainClient(fetch);
    const byHeader = await failure(c.request(get, undefined, { headers: { 'x-api-key': callKey } }));
    expect(byHeader.message).toContain('refused');
    expect(byHeader.message).not.toContain(callKey);
    const otherKey = 'other-key-SECRET-99887766';
    const callAuth = headerToken({ header: 'x-api-key', scheme: '', token: otherKey });
    const byAuth = await failure(c.request(get, undefined, { auth: callAuth }));
    expect(byAuth.message).toContain('refused');
    expect(byAuth.message).not.toContain(otherKey);
  });
});

describe('the retry-count header', () => {
  const flaky = () =>
    scriptedFetch((_s, i) => (i === 0 ? Response.json({}, { status: 503 }) : Response.json({ ok: true })));

  it('is x-retry-count by default, counting from 0', async () => {
    const { fetch, sent } = flaky();
    await plainClient(fetch, { maxRetries: 1 }).request(get);
    expect(sent.map((s) => s.headers.get('x-retry-count'))).toEqual(['0', '1']);
  });

  it('takes the name given, or none for null', async () => {
    const named = flaky();
    await plainClient(named.fetch, { maxRetries: 1, retryCountHeader: 'x-attempt' }).request(get);
    expect(named.sent.map((s) => s.headers.get('x-attempt'))).toEqual(['0', '1']);
    const none = flaky();
    await plainClient(none.fetch, { maxRetries: 1, retryCountHeader: null }).request(get);
    expect(none.sent.map((s) => [...s.headers.keys()].filter((k) => k.includes('retry')))).toEqual([[], []]);
  });
});

describe('the error policy', () => {
  it('the service’s policy applies unless the caller gives one', async () => {
    const { fetch, sent } = scriptedFetch(() => Response.json({ message: 'locked' }, { status: 409 }));
    class Locking extends BaseClient<{ baseUrl: string; fetch: typeof fetch; errorPolicy?: unknown }> {
      static override service = defineService<object>({
        name: 'Locking',
        errorPolicy: { statusKinds: { 409: 'retryable' } },
        defaults: { maxRetries: 1, initialRetryDelay: 1, maxRetryDelay: 1, logLevel: 'off' },
      });
    }
    await failure(new Locking({ baseUrl: BASE, fetch }).request(get));
    expect(sent).toHaveLength(2); // retried: the service says a 409 is retryable
    await failure(new Locking({ baseUrl: BASE, fetch, errorPolicy: { statusKinds: {} } }).request(get));
    expect(sent).toHaveLength(3); // the caller's policy: a 409 is fatal
  });

  it('the default policy reads the request id and maps statuses', async () => {
    const { fetch } = scriptedFetch(() =>
      Response.json({ message: 'gone' }, { status: 404, headers: { 'x-request-id': 'req-7' } }),
    );
    const error = (await failure(plainClient(fetch).request(get))) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.requestId).toBe('req-7');
  });
});

describe('named servers', () => {
  const onOptimizers = op({ operationId: 'optimize', path: '/runs', server: 'optimizers' });
  const onFiles = op({ operationId: 'getFile', path: '/f', server: 'files' });

  it('go to the URL from their option, `servers.<name>`, or the service default', async () => {
    const { fetch, sent } = scriptedFetch();
    await new WidgetClient({ baseUrl: BASE, fetch, optimizersUrl: 'https://opt.test.local' }).request(
      onOptimizers,
    );
    await new WidgetClient({ baseUrl: BASE, fetch, servers: { optimizers: 'https://s.test.local' } }).request(
      onOptimizers,
    );
    await new WidgetClient({ baseUrl: BASE, fetch }).request(onFiles);
    expect(sent.map((s) => s.url)).toEqual([
      'https://opt.test.local/runs',
      'https://s.test.local/runs',
      'https://files.test.local/store/f',
    ]);
  });

  it('a server without a URL fails the call before sending, naming the option to set', async () => {
    const { fetch, sent } = scriptedFetch();
    const c = new WidgetClient({ baseUrl: BASE, fetch });
    const error = (await failure(c.request(onOptimizers))) as MissingParamError;
    expect(error).toBeInstanceOf(MissingParamError);
    expect(error.message).toBe(
      'optimize: pass optimizersUrl in the WidgetClient options (the `optimizers` server)',
    );
    expect(error.issues).toEqual([{ path: 'optimizersUrl', message: 'required' }]);
    expect(error.operation).toBe('optimize');
    expect(error.attempts).toBe(0);
    // A server the service does not declare, and a client without a service: `servers.<name>`.
    const undeclared = op({ operationId: 'other', server: 'reports' });
    expect((await failure(c.request(undeclared))).message).toBe(
      'other: pass servers.reports in the WidgetClient options (the `reports` server)',
    );
    expect((await failure(plainClient(fetch).request(undeclared))).message).toBe(
      'other: pass servers.reports in the PlainClient options (the `reports` server)',
    );
    class NoServers extends BaseClient<{ baseUrl: string }> {
      static override service = defineService<{ baseUrl: string }>({ name: 'NoServers' });
    }
    expect((await failure(new NoServers({ baseUrl: BASE }).request(undeclared))).message).toBe(
      'other: pass servers.reports in the NoServers options (the `reports` server)',
    );
    expect(sent).toEqual([]);
  });

  it('a service whose paths are absolute drops the path of its base URLs', async () => {
    class Rooted extends BaseClient<WidgetOptions> {
      static override service = defineService<WidgetOptions>({ ...widgetService, baseUrlPath: 'origin' });
    }
    const { fetch, sent } = scriptedFetch();
    const c = new Rooted({ baseUrl: 'https://root.test.local/api/v1', fetch });
    await c.request(get);
    await c.request(onFiles);
    expect(sent.map((s) => s.url)).toEqual(['https://root.test.local/things', 'https://files.test.local/f']);
  });
});

describe('withOptions', () => {
  it('merges headers key by key over the client’s own', async () => {
    const { fetch, sent } = scriptedFetch();
    const c = plainClient(fetch, { headers: { 'x-a': '1', 'x-b': '1' } });
    await c.withOptions({ headers: { 'x-b': '2', 'x-c': '2' } }).request(get);
    await c.withOptions({ maxRetries: 0 }).request(get);
    await plainClient(fetch)
      .withOptions({ headers: { 'x-c': '3' } })
      .request(get);
    expect(sent.map((s) => [s.headers.get('x-a'), s.headers.get('x-b'), s.headers.get('x-c')])).toEqual([
      ['1', '2', '2'],
      ['1', '1', null],
      [null, null, '3'],
    ]);
  });
});
