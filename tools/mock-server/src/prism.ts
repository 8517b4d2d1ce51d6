/** `--prism`: Prism's stateless mock of the service's spec instead of the fake, on the same host and port rules. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Prism loads and dereferences the whole spec before it listens; slow on a shared 2-core machine. */
const STARTUP_TIMEOUT_MS = 120_000;

/** A free port on `host` (what `--port 0` means for Prism, which cannot report the port it picked). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolvePort(port));
    });
  });
}

/** Start Prism on `spec` (relative to the repository root); resolves with the child once it listens. */
export async function startPrism(
  spec: string,
  host: string,
  port: number,
): Promise<{ child: ChildProcess; url: string }> {
  const require = createRequire(import.meta.url);
  const cli = resolve(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist/index.js');
  const chosen = port === 0 ? await freePort(host) : port;
  const child = spawn(
    process.execPath,
    [cli, 'mock', '-h', host, '-p', String(chosen), resolve(repoRoot, spec)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      fail(new Error(`Prism did not start within ${STARTUP_TIMEOUT_MS} ms:\n${log}`));
    }, STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
      if (log.includes('Prism is listening')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        ready();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Prism exited (${code}) before listening:\n${log}`));
    });
  });
  return { child, url: `http://${host}:${chosen}` };
}
