/**
 * A service fake served by `npm run mock -- <service>` in a child process, as a user's app would reach it: the
 * benchmark's own CPU then counts only the client. Resolves once the server prints its one ready line.
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface MockServerProcess {
  url: string;
  close: () => void;
}

export async function startMockServerProcess(
  service: string,
  options: { latencyMs: number },
): Promise<MockServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@mlclients/source',
      '--import',
      'tsx',
      resolve(root, 'tools/mock-server/src/cli.ts'),
      service,
      '--port',
      '0',
      '--latency',
      String(options.latencyMs),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      // The ready line: `<service> fake on http://127.0.0.1:<port>`.
      const m = / fake on (\S+)/.exec(out);
      if (m) ok(m[1] as string);
    });
    child.once('exit', (code) => fail(new Error(`mock server exited ${code}`)));
  });
  return { url, close: () => child.kill('SIGINT') };
}
