/**
 * Requests/s of the mock server (`startMockServer('hub')`, what `npm run mock -- hub` serves) against a bare
 * node:http server answering a fixed JSON body, in the same run, each in its own process (2 cores: one for the
 * server, one for the load generator).
 *
 * Two request kinds, as a Hub client sends them: a GET with a JSON body (`GET /api/v1/projects`, limit 10, the
 * token in the body) and a POST (`POST /api/v1/hyperparameters`). Keep-alive connections, 16 in flight. Each
 * measurement is bounded by count and time (at most 20,000 requests or 2 s, whichever comes first); contenders run
 * in interleaved rounds and the median is reported, because the machine is shared.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONCURRENCY = 16;
const MAX_REQUESTS = 20_000;
const MAX_MS = 2_000;
const ROUNDS = 3;

async function startChild(kind: string, conformance = 'off'): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@mlclients/source',
      '--import',
      'tsx',
      resolve(root, 'bench/mock-server-child.ts'),
      kind,
      conformance,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) ok(out.trim());
    });
    child.once('exit', (code) => fail(new Error(`${kind} server exited ${code}`)));
  });
  return { url, child };
}

function once(agent: Agent, url: URL, method: string, payload: Buffer): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.byteLength },
      },
      (res) => {
        res.resume();
        res.on('end', () => ok(res.statusCode ?? 0));
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

/** Requests/s for one server and request kind, bounded by count and time. */
async function measure(base: string, kind: 'get' | 'post'): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(kind === 'get' ? '/api/v1/projects' : '/api/v1/hyperparameters', base);
  const method = kind === 'get' ? 'GET' : 'POST';
  const payload = Buffer.from(
    JSON.stringify(
      kind === 'get'
        ? { limit: 10, offset: 0, project_api_token: 'bench-token' }
        : { algorithm_name: 'sklearn.svm.SVC', algorithm_params: { C: 1 }, project_api_token: 'bench-token' },
    ),
  );
  let sent = 0;
  let failed = 0;
  const start = performance.now();
  const worker = async () => {
    while (sent < MAX_REQUESTS && performance.now() - start < MAX_MS) {
      sent++;
      if ((await once(agent, url, method, payload)) !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  if (failed) throw new Error(`${base} ${method}: ${failed} of ${sent} requests failed`);
  return sent / seconds;
}

export default async function mockServerBench(): Promise<void> {
  const servers = {
    'bare node:http (fixed JSON)': await startChild('bare'),
    'node:http + Request/Response': await startChild('adapter'),
    'mock server (hub fake)': await startChild('hub', 'off'),
    'mock server, conformance on': await startChild('hub', 'warn'),
  };
  try {
    const results: Record<string, { get: number[]; post: number[] }> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, { url }] of Object.entries(servers)) {
        results[name] ??= { get: [], post: [] };
        const r = results[name];
        r.get.push(await measure(url, 'get'));
        r.post.push(await measure(url, 'post'));
      }
    }
    const bare = results['bare node:http (fixed JSON)']!;
    console.log(
      `requests/s, ${CONCURRENCY} keep-alive connections, median of ${ROUNDS} rounds (<= ${MAX_REQUESTS} requests or ${MAX_MS} ms each)`,
    );
    console.log('server'.padEnd(32), 'GET with body'.padStart(16), 'POST'.padStart(16));
    for (const [name, r] of Object.entries(results)) {
      const get = median(r.get);
      const post = median(r.post);
      const ratio = (x: number, b: number[]) => `${Math.round(x)} (${(x / median(b)).toFixed(2)}x)`;
      console.log(name.padEnd(32), ratio(get, bare.get).padStart(16), ratio(post, bare.post).padStart(16));
    }
  } finally {
    for (const { child } of Object.values(servers)) child.kill('SIGTERM');
  }
}
