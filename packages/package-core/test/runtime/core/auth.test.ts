import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  basicAuth,
  bodyToken,
  ClientError,
  cookieSession,
  customAuth,
  headerToken,
  type Logger,
} from '../../../src/index.js';
import { readJsonBody } from '../../../src/testing/index.js';
import { BASE, makeClient, TOKEN } from '../helpers.js';
import { useFake } from '../setup.js';

const fake = useFake();

function capture(
  method: 'get' | 'post',
  path: string,
  status = 200,
  body: unknown = { id: 'w1', name: 'n', score: 1 },
) {
  const seen: { headers: Headers; body: Record<string, unknown> | undefined }[] = [];
  fake.server.use(
    http[method](`${BASE}${path}`, async ({ request }) => {
      seen.push({ headers: request.headers, body: await readJsonBody(request) });
      return HttpResponse.json(body as never, { status });
    }),
  );
  return seen;
}

describe('auth strategies', () => {
  it('header token (Bearer by default, any header/scheme)', async () => {
    const seen = capture('get', '/widgets/w1');
    await makeClient({ auth: headerToken(TOKEN) }).widgets.get('w1');
    await makeClient({ auth: headerToken({ token: TOKEN, header: 'x-api-key', scheme: '' }) }).widgets.get(
      'w1',
    );
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(seen[1]?.headers.get('x-api-key')).toBe(TOKEN);
  });

  it('HTTP basic', async () => {
    const seen = capture('get', '/widgets/w1');
    await makeClient({ auth: basicAuth({ username: 'key_123456789', password: '' }) }).widgets.get('w1');
    expect(seen[0]?.headers.get('authorization')).toBe(`Basic ${btoa('key_123456789:')}`);
  });

  it('token merged into the JSON body: POST, and GET (through the GET-with-body transport)', async () => {
    const post = capture('post', '/widgets', 201);
    const get = capture('get', '/widgets/w1');
    const client = makeClient({ auth: bodyToken({ token: TOKEN }) });
    await client.widgets.create({ name: 'x' });
    await client.widgets.get('w1');
    expect(post[0]?.body).toEqual({ name: 'x', token: TOKEN });
    expect(get[0]?.body).toEqual({ token: TOKEN });
  });

  it('body token field chosen per operation and per call', async () => {
    const post = capture('post', '/widgets', 201);
    const client = makeClient({
      auth: bodyToken({
        token: TOKEN,
        fieldFor: (op) => (op === 'createWidget' ? 'project_api_token' : undefined),
      }),
    });
    await client.widgets.create({ name: 'x' });
    await client.widgets.create({ name: 'y' }, { authBodyField: 'api_token' });
    expect(post[0]?.body).toEqual({ name: 'x', project_api_token: TOKEN });
    expect(post[1]?.body).toEqual({ name: 'y', api_token: TOKEN });
  });

  it('cookie session and custom strategies', async () => {
    const seen = capture('get', '/widgets/w1');
    await makeClient({ auth: cookieSession({ name: 'sid', value: 'sess-0123456789' }) }).widgets.get('w1');
    await makeClient({
      auth: customAuth((req) => req.headers.set('x-signature', `sig:${req.operation}`), []),
    }).widgets.get('w1');
    expect(seen[0]?.headers.get('cookie')).toBe('sid=sess-0123456789');
    expect(seen[1]?.headers.get('x-signature')).toBe('sig:getWidget');
  });

  it('runs on every attempt (a refreshed token is used on the retry)', async () => {
    let n = 0;
    const seen: string[] = [];
    fake.server.use(
      http.get(`${BASE}/widgets/w1`, ({ request }) => {
        seen.push(request.headers.get('authorization') ?? '');
        return seen.length === 1
          ? HttpResponse.json({}, { status: 503 })
          : HttpResponse.json({ id: 'w1', name: 'n', score: 1 });
      }),
    );
    await makeClient({ auth: headerToken(() => `tok-refreshed-${++n}`) }).widgets.get('w1');
    expect(seen).toEqual(['Bearer tok-refreshed-1', 'Bearer tok-refreshed-2']);
  });

  it('per-call auth override; null sends none', async () => {
    const seen = capture('get', '/widgets/w1');
    await makeClient({ auth: headerToken(TOKEN) }).widgets.get('w1', {}, { auth: null });
    expect(seen[0]?.headers.get('authorization')).toBeNull();
  });
});

describe('secrets never leak', () => {
  it("a thrown error's message and JSON.stringify(error) never contain the token", async () => {
    capture('get', '/widgets/w1', 401, { message: `token ${TOKEN} is invalid`, echo: { token: TOKEN } });
    for (const auth of [
      headerToken(TOKEN),
      bodyToken({ token: TOKEN }),
      basicAuth({ username: 'u', password: TOKEN }),
    ]) {
      const err = await makeClient({ auth })
        .widgets.get('w1')
        .catch((e) => e);
      expect(err).toBeInstanceOf(AuthenticationError);
      expect(err.message).not.toContain(TOKEN);
      expect(JSON.stringify(err)).not.toContain(TOKEN);
      expect(String(err.stack)).not.toContain(TOKEN);
      expect(JSON.stringify(err.body)).not.toContain(TOKEN);
    }
  });

  it('a token given as a default or per-call header is masked like an auth strategy token', async () => {
    capture('get', '/widgets/w1', 401, { message: `bad credentials ${TOKEN}` });
    const e1 = await makeClient({ headers: { Authorization: `Bearer ${TOKEN}` } })
      .widgets.get('w1')
      .catch((e) => e);
    const e2 = await makeClient()
      .widgets.get('w1', {}, { headers: { 'x-api-key': TOKEN } })
      .catch((e) => e);
    for (const err of [e1, e2]) {
      expect(err).toBeInstanceOf(AuthenticationError);
      expect(err.message).toBe('getWidget: 401 bad credentials ***');
      expect(JSON.stringify(err)).not.toContain(TOKEN);
    }
  });

  it('a connection error cause is redacted too', async () => {
    const client = makeClient({
      auth: bodyToken({ token: TOKEN }),
      maxRetries: 0,
      fetch: async (_url, init) => {
        throw new TypeError(`fetch failed sending ${String(init?.body)}`, {
          cause: new Error(`body ${init?.body}`),
        });
      },
    });
    const err = await client.widgets.create({ name: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err.message).not.toContain(TOKEN);
    expect(JSON.stringify(err)).not.toContain(TOKEN);
    expect(String(err.cause?.message)).not.toContain(TOKEN);
    expect(String(err.cause?.cause?.message)).not.toContain(TOKEN);
  });

  it('debug logs mask Authorization, cookies and body tokens', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug: (...a) => lines.push(JSON.stringify(a)),
      info: (...a) => lines.push(JSON.stringify(a)),
      warn: (...a) => lines.push(JSON.stringify(a)),
      error: (...a) => lines.push(JSON.stringify(a)),
    };
    capture('post', '/widgets', 201);
    capture('get', '/widgets/w1');
    await makeClient({
      auth: headerToken(TOKEN),
      logger,
      logLevel: 'debug',
      headers: { cookie: 'sid=abcdef123' },
    }).widgets.get('w1');
    await makeClient({
      auth: bodyToken({ token: TOKEN, field: 'project_api_token' }),
      logger,
      logLevel: 'debug',
    }).widgets.create({
      name: 'x',
    });
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const all = lines.join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('abcdef123');
    expect(all).toContain('"authorization":"***"');
    expect(all).toContain('"project_api_token":"***"');
  });

  it('logging is off by default', async () => {
    const lines: unknown[] = [];
    const logger = {
      debug: () => lines.push(1),
      info: () => lines.push(1),
      warn: () => lines.push(1),
      error: () => lines.push(1),
    };
    await makeClient({ logger }).widgets.get('w1');
    expect(lines).toHaveLength(0);
  });
});
