/**
 * Redaction: nothing printable from an error, a client or a log line holds a secret, whatever form the server echoes
 * it in (raw, URL-encoded, JSON-escaped, base64) and however deep it nests it.
 */
import { format, inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, bodyToken, createClient, headerToken, type Logger } from '../../../src/index.js';
import { type LocalServer, localServer } from './local-server.js';

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** Every form a secret may be echoed in. */
const forms = (s: string) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1), b64(s)];

function nest(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { level: i, inner: v };
  return v;
}

/** A logger that keeps every line as the console would print it. */
function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const put = (...args: unknown[]) => lines.push(format(...args));
  return { logger: { debug: put, info: put, warn: put, error: put }, lines };
}

/** Everything printable about a value. */
function printed(err: unknown): string[] {
  return [
    inspect(err, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
    format('%o', err),
    JSON.stringify(err),
    String(err),
    (err as Error).stack ?? '',
  ];
}

function expectNoSecret(texts: readonly string[], secret: string) {
  for (const text of texts) for (const form of forms(secret)) expect(text).not.toContain(form);
}

describe('redaction', () => {
  it('a server echoing the token (every form, 100 levels deep) leaves no trace in the error or the log', async () => {
    const token = 'sk-echo-SECRET/+=?&"\\-0123456789';
    const s = await localServer((_req, res) => {
      const echo = forms(token).join(' | ');
      res
        .writeHead(400, { 'content-type': 'application/json', 'x-echo': encodeURIComponent(token) })
        .end(JSON.stringify({ message: `bad token ${echo}`, deep: nest(100, { echo }) }));
    });
    servers.push(s);
    const { logger, lines } = recordingLogger();
    const client = createClient({
      baseUrl: s.origin,
      auth: bodyToken({ token }),
      headers: { 'x-api-key': token },
      maxRetries: 0,
      logger,
      logLevel: 'debug',
    });
    const err = await client.post('/x', { body: { a: 1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(lines.length).toBeGreaterThan(0);
    expectNoSecret([...printed(err), ...lines], token);
  });

  it('the redactor reachable from an error holds nothing printable', async () => {
    const token = 'sk-redactor-SECRET-0123456789';
    const s = await localServer((_req, res) => res.writeHead(500).end('oops'));
    servers.push(s);
    const client = createClient({ baseUrl: s.origin, auth: headerToken(token), maxRetries: 0 });
    const err = (await client.post('/x').catch((e: unknown) => e)) as ApiError & { redactor?: unknown };
    expectNoSecret(printed(err), token);
    expectNoSecret([inspect(err.redactor, { showHidden: true, depth: Number.POSITIVE_INFINITY })], token);
  });

  it('util.inspect(client) and JSON.stringify(client.options) show no Cookie/Authorization/token value', () => {
    const client = createClient({
      baseUrl: 'http://127.0.0.1:9',
      auth: headerToken('sk-auth-SECRET-0123456789'),
      headers: { Cookie: 'sid=COOKIE-SECRET-123', Authorization: 'Bearer AUTHZ-SECRET-123', accept: 'x/y' },
    });
    const shown = [
      inspect(client, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
      format('%o', client),
      JSON.stringify(client.options),
    ];
    for (const text of shown) {
      expect(text).not.toContain('COOKIE-SECRET');
      expect(text).not.toContain('AUTHZ-SECRET');
      expect(text).not.toContain('sk-auth-SECRET');
    }
    expect(client.options.headers?.accept).toBe('x/y');
  });

  it('property: random secrets echoed raw, URL-encoded, JSON-escaped, base64, nested up to depth 100', async () => {
    const secretArb = fc
      .stringMatching(/^[A-Za-z0-9_\-.~+/=!@#$%^&()"\\ :;,<>?[\]{}|é漢]{6,32}$/)
      .map((s) => `sk-${s}`);
    await fc.assert(
      fc.asyncProperty(
        secretArb,
        fc.constantFrom(0, 1, 2, 3),
        fc.integer({ min: 0, max: 100 }),
        fc.boolean(),
        async (secret, formIndex, depth, asText) => {
          const echo = forms(secret)[formIndex] as string;
          const body = asText
            ? `server says: ${echo}`
            : JSON.stringify({ message: `rejected ${echo}`, detail: nest(depth, { echo, list: [echo] }) });
          const client = createClient({
            baseUrl: 'http://127.0.0.1:9',
            auth: bodyToken({ token: secret }),
            maxRetries: 0,
            fetch: async () =>
              new Response(body, {
                status: 422,
                headers: {
                  'content-type': asText ? 'text/plain' : 'application/json',
                  'x-echo': encodeURIComponent(secret),
                },
              }),
          });
          const err = await client.post('/x', { body: {} }).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(ApiError);
          expectNoSecret(printed(err), secret);
        },
      ),
      { numRuns: 150 },
    );
  });
});
