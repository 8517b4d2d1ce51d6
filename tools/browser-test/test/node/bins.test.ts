/**
 * Every bin of the workspace runs with `npx <bin>` right after `npm ci && npm start` (the build), from the
 * workspace and never from the registry: the lockfile records the bin (npm ci links what the lockfile says), the link
 * in node_modules/.bin points at the package's committed shim, and the shim starts the built CLI. Each CLI also has
 * the shared conventions (package-core/cli): --version, global options in subcommand help, completion scripts.
 */
import { execFile } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const run = promisify(execFile);

interface Manifest {
  name: string;
  version: string;
  bin?: string | Record<string, string>;
}
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { bin?: Record<string, string> }>;
};
/** [workspace folder, bin name, bin file, version] for every bin of every package under packages/. */
const bins = Object.keys(lock.packages)
  .filter((key) => /^packages\/[^/]+$/.test(key))
  .flatMap((folder) => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, folder, 'package.json'), 'utf8')) as Manifest;
    const entries =
      typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
    return Object.entries(entries).map(([name, file]) => ({ folder, name, file, version: manifest.version }));
  });

/** `npx --no -- <bin> ...args` at the repository root: --no refuses to fetch anything from the registry. */
const npx = (...args: string[]) =>
  run('npx', ['--no', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });

it('finds the CLIs: datapkg, nu and sc', () => {
  expect(bins.map((b) => b.name).sort()).toEqual(expect.arrayContaining(['datapkg', 'nu', 'sc']));
});

describe.each(bins)('$name ($folder)', ({ folder, name, file, version }) => {
  it('is recorded in package-lock.json and linked in node_modules/.bin to the workspace shim', () => {
    expect(lock.packages[folder]?.bin?.[name]).toBe(file.replace(/^\.\//, ''));
    expect(realpathSync(path.join(ROOT, 'node_modules/.bin', name))).toBe(
      realpathSync(path.join(ROOT, folder, file)),
    );
  });

  it('npx prints the package version', async () => {
    const { stdout } = await npx(name, '--version');
    expect(stdout).toBe(`${version}\n`);
  });

  it('lists the global options in a subcommand help', async () => {
    const { stdout } = await npx(name, 'completion', '--help');
    expect(stdout.split('Global Options:')[1]).toMatch(/-V, --version/);
  });

  it.each(['bash', 'zsh', 'fish'])('prints a %s completion script that calls it back', async (shell) => {
    const { stdout } = await npx(name, 'completion', shell);
    const registration = {
      bash: `complete -F __${name}_complete ${name}`,
      zsh: `compdef _${name} ${name}`,
      fish: `complete -c ${name}`,
    }[shell];
    expect(stdout).toContain(registration);
    expect(stdout).toContain(`${name} complete --`);
  });
});
