/**
 * Runs the real `datapkg` CLI in a child process, as a user would: the bundle that build-cli.ts (the global setup)
 * compiles from the current sources once per run, or, when a test runs without that setup, the sources themselves
 * through tsx (the source condition makes @mlclients/package-core resolve to its src/ as well). No build is needed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
export const PACKAGE_ROOT = resolve(here, '../..');
export const CLI_MAIN = join(PACKAGE_ROOT, 'src/cli/main.ts');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `node <bundle>`, or `node --import tsx src/cli/main.ts` without the global setup (the arguments after node). */
export function cliCommand(): string[] {
  const bundled = inject('datapkgCli');
  return bundled ? [bundled] : ['--conditions=@mlclients/source', '--import', 'tsx', CLI_MAIN];
}

export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [...cliCommand(), ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = collectOutput(child);
  return { child, done };
}

/** Everything a child process prints, with how it ended (its stdout and stderr must be pipes). */
export function collectOutput(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise<CliResult>((resolvePromise) => {
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return spawnCli(args, env).done;
}
