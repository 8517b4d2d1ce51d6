/**
 * A Prism mock of openapi/nucleus.yaml on 127.0.0.1 and a free port. Prism validates each request against the spec
 * with its own JSON Schema validator (a violation is a 422 with an `sl-violations` header), which is what the contract
 * tests rely on to see the spec the way other tools do.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { SPEC_FILE } from './fact-sheet.js';

/** Prism loads a 137-operation spec slowly on a shared 2-core machine. */
export const PRISM_STARTUP_TIMEOUT_MS = 120_000;

export interface RunningPrism {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export async function startPrism(): Promise<RunningPrism> {
  const require = createRequire(import.meta.url);
  const cli = resolve(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist/index.js');
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, 'mock', '-h', '127.0.0.1', '-p', String(port), SPEC_FILE],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Never leave Prism behind, even if the run dies before stop().
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
  try {
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`Prism did not start within ${PRISM_STARTUP_TIMEOUT_MS} ms:\n${log}`)),
        PRISM_STARTUP_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Prism is listening')) {
          clearTimeout(timer);
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
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}
