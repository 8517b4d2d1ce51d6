/**
 * The CLI exits as soon as its command is done (cli/main.ts), but only once what it printed is written: a reader that
 * is slow to take the output (a pager, a busy pipe) still gets every line, and the exit code stays the command's.
 * The case that matters is output printed line by line that overfills the pipe (64 KiB) by less than a stream's
 * buffer (16 KiB): no write was refused, so no 'drain' ever comes.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PackageBuilder } from '../../src/package-builder.js';
import { tempDir, writeTree } from '../helpers.js';
import { cliCommand, collectOutput, PACKAGE_ROOT } from './run-cli.js';

let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir('dp-cli-slow-reader-');
});
afterAll(async () => {
  await work.cleanup();
});

it('a slow reader of ~70 KiB printed line by line gets every line, and the exit code is 0', async () => {
  const registry = pathToFileURL(join(work.path, 'registry')).href;
  const one = join(work.path, 'one');
  await writeTree(one, { 'a.txt': 'a' });
  const v1 = await (await new PackageBuilder().setDir('', one)).push(registry, 'team/many');
  const files: Record<string, string> = { 'a.txt': 'a' };
  const count = 1650; // '+ <key>\n' is 43 bytes: about 70 KiB of lines
  for (let i = 0; i < count; i++)
    files[`file-${String(i).padStart(5, '0')}-with-a-fairly-long-name.txt`] = `${i}`;
  const two = join(work.path, 'two');
  await writeTree(two, files);
  const v2 = await (await new PackageBuilder().setDir('', two)).push(registry, 'team/many', { force: true });
  // Through a real pipe to a reader that starts a second late (as `| less` may): the pipe (64 KiB) fills and the
  // CLI's stdout queues the rest. The CLI's own exit code comes back through PIPESTATUS.
  const args = [
    ...cliCommand(),
    'diff',
    `team/many@${v1.topHash}`,
    `team/many@${v2.topHash}`,
    '--registry',
    registry,
  ];
  const child = spawn(
    'bash',
    ['-c', '"$0" "$@" | (sleep 1; cat); exit "$PIPESTATUS"', process.execPath, ...args],
    { cwd: PACKAGE_ROOT, env: { ...process.env, MLC_DATAPKG_CACHE_DIR: join(work.path, 'cache') } },
  );
  const result = await collectOutput(child);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const added = result.stdout.split('\n').filter((line) => line.startsWith('+ file-'));
  expect(added).toHaveLength(count);
  expect(result.stdout.length).toBeGreaterThan(64 * 1024);
  expect(result.stdout.length).toBeLessThan(80 * 1024);
});
