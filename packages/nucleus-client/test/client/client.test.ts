import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MissingParamError, NucleusClient, RateLimitError } from '../../src/index.js';

/** A fetch that answers from a script and records what it was sent. */
function scripted(answers: (Response | Error)[]) {
  const sent: Request[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    sent.push(req);
    const next =
      answers.shift() ?? new Response('[]', { status: 200, headers: { 'content-type': 'application/json' } });
    if (next instanceof Error) throw next;
    return next;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent };
}
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const ENV = ['NUCLEUS_API_KEY', 'NUCLEUS_LIMITED_ACCESS_KEY', 'NUCLEUS_ENDPOINT'];
let saved: Record<string, string | undefined>;
beforeEach(() => {
  saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  for (const k of ENV) delete process.env[k];
});
afterEach(() => {
  for (const k of ENV)
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});

describe('NucleusClient auth', () => {
  it('sends the API key as the basic username with an empty password, to the default endpoint', async () => {
    const { fetch, sent } = scripted([json([{ id: 'ds_1', name: 'a', is_public: false }])]);
    const nu = new NucleusClient({ apiKey: 'live_abcdef123', fetch });
    await nu.datasets.list();
    expect(sent[0]!.url).toBe('https://api.scale.com/v1/nucleus/dataset/details');
    expect(sent[0]!.headers.get('authorization')).toBe(
      `Basic ${Buffer.from('live_abcdef123:').toString('base64')}`,
    );
    expect(sent[0]!.headers.get('x-limited-access-key')).toBeNull();
  });

  it('sends a limited-access key in x-limited-access-key and no basic auth', async () => {
    const { fetch, sent } = scripted([json([])]);
    await new NucleusClient({
      limitedAccessKey: 'lak_123',
      fetch,
      endpoint: 'http://nucleus.test/v1/nucleus',
    }).datasets.list();
    expect(sent[0]!.url).toBe('http://nucleus.test/v1/nucleus/dataset/details');
    expect(sent[0]!.headers.get('x-limited-access-key')).toBe('lak_123');
    expect(sent[0]!.headers.get('authorization')).toBeNull();
  });

  it('refuses both keys, naming both options and both variables', () => {
    const err = (() => {
      try {
        new NucleusClient({ apiKey: 'a', limitedAccessKey: 'b' });
      } catch (e) {
        return e as MissingParamError;
      }
    })();
    expect(err).toBeInstanceOf(MissingParamError);
    expect(err!.message).toMatch(/apiKey.*NUCLEUS_API_KEY.*limitedAccessKey.*NUCLEUS_LIMITED_ACCESS_KEY/);
  });

  it('refuses neither, naming the options and the variables', () => {
    expect(() => new NucleusClient({})).toThrow(MissingParamError);
    expect(() => new NucleusClient({})).toThrow(
      /apiKey.*NUCLEUS_API_KEY.*limitedAccessKey.*NUCLEUS_LIMITED_ACCESS_KEY/,
    );
  });

  it('reads the keys and the endpoint from the environment; both keys there are refused too', async () => {
    process.env.NUCLEUS_API_KEY = 'envkey_12345';
    process.env.NUCLEUS_ENDPOINT = 'http://env.test/v1/nucleus';
    const { fetch, sent } = scripted([json([])]);
    await new NucleusClient({ fetch }).datasets.list();
    expect(sent[0]!.url).toBe('http://env.test/v1/nucleus/dataset/details');
    expect(sent[0]!.headers.get('authorization')).toBe(
      `Basic ${Buffer.from('envkey_12345:').toString('base64')}`,
    );
    process.env.NUCLEUS_LIMITED_ACCESS_KEY = 'lak';
    expect(() => new NucleusClient({})).toThrow(/not both.*environment/);
    // An explicit option is never combined with a key from the environment.
    expect(() => new NucleusClient({ apiKey: 'explicit' })).not.toThrow();
  });

  it('never shows the key in an error', async () => {
    const { fetch } = scripted([json({ error: 'nope' }, 401)]);
    const nu = new NucleusClient({ apiKey: 'supersecretkey123', fetch });
    const err = await nu.datasets.list().catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain('supersecretkey123');
    expect(JSON.stringify(err)).not.toContain('supersecretkey123');
  });
});

describe('NucleusClient options and retries', () => {
  it('defaults to a 120 s timeout and 3 retries', () => {
    const nu = new NucleusClient({ apiKey: 'k' });
    expect(nu.options.timeout).toBe(120_000);
    expect(nu.options.maxRetries).toBe(3);
  });

  it.each([503, 504, 520, 524, 429])('retries %i on an idempotent call', async (status) => {
    const { fetch, sent } = scripted([
      json({ error: 'busy' }, status, { 'retry-after': '0' }),
      json({ count: 3 }),
    ]);
    const nu = new NucleusClient({ apiKey: 'k', fetch, initialRetryDelay: 1 });
    expect(await nu.datasets.size('ds_1')).toEqual({ count: 3 });
    expect(sent).toHaveLength(2);
  });

  it('does not retry 500 or 502 (the Python client does not either)', async () => {
    for (const status of [500, 502]) {
      const { fetch, sent } = scripted([json({ error: 'boom' }, status), json({ count: 3 })]);
      const nu = new NucleusClient({ apiKey: 'k', fetch, initialRetryDelay: 1 });
      await expect(nu.datasets.size('ds_1')).rejects.toThrow(/boom/);
      expect(sent).toHaveLength(1);
    }
  });

  it('retries a connection reset on an idempotent call but not on a non-idempotent POST', async () => {
    const reset = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    });
    const a = scripted([reset, json({ count: 1 })]);
    await new NucleusClient({ apiKey: 'k', fetch: a.fetch, initialRetryDelay: 1 }).datasets.size('ds_1');
    expect(a.sent).toHaveLength(2);
    const b = scripted([reset, json({ dataset_id: 'ds_2' })]);
    await expect(
      new NucleusClient({ apiKey: 'k', fetch: b.fetch, initialRetryDelay: 1 }).datasets.create({
        name: 'x',
        is_scene: false,
        use_privacy_mode: false,
      }),
    ).rejects.toThrow();
    expect(b.sent).toHaveLength(1);
  });

  it('honours Retry-After on a 429 and gives up after the budget with RateLimitError', async () => {
    const { fetch, sent } = scripted([
      json({ error: 'slow' }, 429, { 'retry-after': '0' }),
      json({ error: 'slow' }, 429, { 'retry-after': '0' }),
    ]);
    const nu = new NucleusClient({ apiKey: 'k', fetch, maxRetries: 1, initialRetryDelay: 1 });
    await expect(nu.datasets.size('ds_1')).rejects.toBeInstanceOf(RateLimitError);
    expect(sent).toHaveLength(2);
  });

  it('percent-encodes path parameters as whole strings', async () => {
    const { fetch, sent } = scripted([json({})]);
    await new NucleusClient({ apiKey: 'k', fetch }).datasetItems.delete('a/b c', { dataset_id: 'ds_1' });
    expect(sent[0]!.url).toBe('https://api.scale.com/v1/nucleus/dataset/ds_1/refloc/a%2Fb%20c');
  });
});
