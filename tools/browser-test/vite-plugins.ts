/**
 * What the browser project's Vite server adds for the tests (Node side):
 * - `/mockServiceWorker.js`: MSW's worker script, served from the installed msw (always its own version, nothing
 *   generated to commit);
 * - `/api/v1/*` and `/_mock/*`: the Hub's fake over real HTTP (`tools/mock-server`) behind the method-override
 *   proxy, on the page's own origin as a site would mount it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { methodOverrideProxy } from './src/method-override-proxy.js';
import { HUB_PROXY_PREFIXES, PROXIED_HUB_TOKEN } from './test/browser/proxied-hub.js';

export function serveMswWorker(): Plugin {
  const file = createRequire(import.meta.url).resolve('msw/mockServiceWorker.js');
  return {
    name: 'mlclients:msw-worker',
    configureServer(server) {
      server.middlewares.use('/mockServiceWorker.js', async (_req, res) => {
        res.setHeader('content-type', 'text/javascript; charset=utf-8');
        res.end(await readFile(file));
      });
    },
  };
}

export function hubBehindMethodOverrideProxy(): Plugin {
  return {
    name: 'mlclients:hub-behind-proxy',
    async configureServer(server) {
      const hub = await startHubMock();
      const proxy = methodOverrideProxy({ upstream: hub.url });
      server.middlewares.use((req, res, next) => {
        if (HUB_PROXY_PREFIXES.some((prefix) => req.url?.startsWith(prefix))) proxy(req, res);
        else next();
      });
      const close = server.close.bind(server);
      server.close = async () => {
        await hub.close();
        await close();
      };
    },
  };
}

/** `npm run mock -- hub` on a free port, as a developer starts it (a child process: the mock server is TypeScript). */
async function startHubMock(): Promise<{ url: string; close(): Promise<void> }> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dir = await mkdtemp(path.join(tmpdir(), 'mlc-browser-hub-'));
  const seed = path.join(dir, 'seed.json');
  await writeFile(seed, JSON.stringify({ _tokens: [PROXIED_HUB_TOKEN] }));
  const child = spawn(
    process.execPath,
    [
      '--conditions=@mlclients/source',
      '--import',
      'tsx',
      'tools/mock-server/src/cli.ts',
      'hub',
      '--port',
      '0',
      '--seed',
      seed,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // However vitest ends, the mock server ends with it.
  const kill = () => child.kill('SIGTERM');
  process.once('exit', kill);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /hub fake on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the Hub mock server exited (${code}) before listening`)));
  });
  return {
    url,
    close: async () => {
      process.off('exit', kill);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
