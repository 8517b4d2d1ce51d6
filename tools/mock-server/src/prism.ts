/**
 * Prism's stateless mock of a service's spec: `npm run mock -- <svc> --prism`, and the contract tests of every client
 * (one way to start and stop it). Prism validates each request against the spec (a violation gets an error status and
 * an `sl-violations` header) and answers with examples or data generated from the response schemas.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Prism loads and dereferences the whole spec before it listens; slow on a shared 2-core machine. */
export const PRISM_STARTUP_TIMEOUT_MS = 120_000;

/** A Prism process that listens. */
export interface RunningPrism {
  child: ChildProcess;
  url: string;
  /** Stop it and wait for it to exit (idempotent). */
  stop(): Promise<void>;
}

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

/**
 * Start Prism on `spec` (relative to the repository root) on `host` (127.0.0.1 in tests) and `port` (0: a free one);
 * resolves once it listens. It is killed when this process exits, even without `stop()`.
 */
export async function startPrism(spec: string, host = '127.0.0.1', port = 0): Promise<RunningPrism> {
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
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
  };
  let log = '';
  const listening = new Promise<void>((ready, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`Prism did not start within ${PRISM_STARTUP_TIMEOUT_MS} ms:\n${log}`)),
      PRISM_STARTUP_TIMEOUT_MS,
    );
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
  try {
    await listening;
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, url: `http://${host}:${chosen}`, stop };
}
