/**
 * The CLI as a user runs it: one line when ready, `--port 0`, `--latency`, a bad argument named, and a clean exit
 * on SIGTERM and SIGINT.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function runCli(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--conditions=@mlclients/source', '--import', 'tsx', 'tools/mock-server/src/cli.ts', ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = new Promise<string>((res, rej) => {
    child.stdout.on('data', () => {
      if (stdout.includes('\n')) res(stdout);
    });
    child.once('exit', (code) => rej(new Error(`exited ${code}: ${stderr}`)));
  });
  ready.catch(() => {}); // awaited only by the tests that expect a start
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

describe('npm run mock -- hub', () => {
  it.each([
    'SIGTERM',
    'SIGINT',
  ] as const)('prints exactly one line when ready, serves, and exits 0 on %s', async (signal) => {
    const run = runCli(['hub', '--port', '0', '--latency', '5']);
    const line = await run.ready;
    expect(line).toMatch(/^hub fake on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = line.trim().split(' ').at(-1)!;
    const res = await fetch(`${url}/api/v1/organizations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', token: 't' }),
    });
    expect(res.status).toBe(200);
    run.child.kill(signal);
    expect(await run.exited).toBe(0);
    expect(run.output().stdout).toBe(line);
  });

  it('names a bad argument and exits non-zero', async () => {
    const run = runCli(['hub', '--port', 'many']);
    expect(await run.exited).not.toBe(0);
    expect(run.output().stderr).toContain('--port: expected an integer from 0 to 65535');
    const unknown = runCli(['nope', '--port', '0']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output().stderr).toMatch(/unknown service "nope" \(known: [a-z, ]*hub/);
  });
});
