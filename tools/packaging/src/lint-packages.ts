/**
 * `.ci/run`'s packaging step: packs every published package (src/pack.ts) and runs publint and
 * @arethetypeswrong/cli on each tarball, exactly as it would be published. Exit 1 if either reports an error.
 *
 *   npm run build && npx tsx tools/packaging/src/lint-packages.ts
 *
 * attw runs with the `esm-only` profile: the packages are ESM only, by design. CommonJS callers `require()` them
 * through Node's require(esm) (Node >= 20.19, the engines floor; tested in test/consumers.test.ts), which attw's
 * `node16-cjs` column cannot express, and `moduleResolution: node10` cannot see `exports` subpaths at all.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packAll, REPO_ROOT } from './pack.js';

const run = promisify(execFile);

/** A tool from the root node_modules/.bin (installed by npm ci; no npx lookups, no network). */
const bin = (name: string) => join(REPO_ROOT, 'node_modules/.bin', name);

async function tool(label: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const [command = label, ...rest] = args;
    const { stdout, stderr } = await run(command, rest, { maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: `${stdout}${stderr}`.trim() };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${label}: ${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message}` };
  }
}

const destination = await mkdtemp(join(tmpdir(), 'mlclients-pack-'));
let failed = false;
try {
  for (const pkg of await packAll(destination)) {
    console.log(`\n--- ${pkg.name} (${pkg.files.length} files)`);
    const lint = await tool('publint', [
      bin('publint'),
      'run',
      pkg.tarball,
      '--level',
      'warning',
      '--strict',
    ]);
    console.log(lint.output);
    const types = await tool('attw', [
      bin('attw'),
      pkg.tarball,
      '--profile',
      'esm-only',
      '--format',
      'table-flipped',
    ]);
    console.log(types.output);
    if (!lint.ok || !types.ok) {
      failed = true;
      console.log(
        `✗ ${pkg.name}: ${[!lint.ok && 'publint', !types.ok && 'attw'].filter(Boolean).join(' and ')} failed`,
      );
    }
  }
} finally {
  await rm(destination, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
