/** The quilt3-parity commands end to end: install --path, fetch, rollback, delete-version, delete-package, status. */
import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PackageBuilder } from '../../src/package-builder.js';
import { PackageRegistry } from '../../src/registry.js';
import { tempDir, writeTree } from '../helpers.js';
import { PARITY_DIR } from '../parity-fixtures.js';
import { runCli } from './run-cli.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  work = await tempDir('dp-cli-parity-');
  env = { MLC_DATAPKG_CACHE_DIR: join(work.path, 'cache') };
  process.env.MLC_DATAPKG_CACHE_DIR = env.MLC_DATAPKG_CACHE_DIR;
});
afterAll(async () => {
  await work.cleanup();
});

it('install --path, fetch, rollback, delete-version, delete-package', async () => {
  const registry = join(work.path, 'registry');
  const src = join(work.path, 'src');
  await writeTree(src, { 'README.md': 'v1', 'data/a.csv': 'a', 'data/sub/b.csv': 'b' });
  const v1 = await (await new PackageBuilder().setDir('.', src)).push(registry, 'team/p');
  const v2 = await v1.asBuilder().setMeta('', { v: 2 }).push(registry, 'team/p');
  const reg = await PackageRegistry.open(registry);
  await reg.store.put(reg.pointerKey('team/p', '1700000000'), v1.topHash);

  const part = join(work.path, 'part');
  const install = await runCli(
    ['install', 'team/p', '--registry', registry, '--dest', part, '--path', 'data'],
    env,
  );
  expect(install.code, install.stderr).toBe(0);
  expect(install.stdout).toContain('(data)');
  expect((await readdir(part)).sort()).toEqual(['a.csv', 'sub']); // the install record is kept outside

  const copy = join(work.path, 'copy');
  const fetch = await runCli(
    ['--json', 'fetch', 'team/p', 'data/sub', '--registry', registry, '--dest', copy],
    env,
  );
  expect(fetch.code, fetch.stderr).toBe(0);
  expect(JSON.parse(fetch.stdout).files).toEqual(['b.csv']);
  expect(await readdir(copy)).toEqual(['b.csv']);

  const rollback = await runCli(['rollback', 'team/p', v1.topHash.slice(0, 7), '--registry', registry], env);
  expect(rollback.stdout).toBe(`team/p latest is now ${v1.topHash}\n`);
  expect(await reg.resolveTopHash('team/p')).toBe(v1.topHash);

  const deleted = await runCli(
    ['--json', 'delete-version', 'team/p', v1.topHash, '--registry', registry],
    env,
  );
  expect(deleted.code, deleted.stderr).toBe(0);
  expect(JSON.parse(deleted.stdout)).toMatchObject({ topHash: v1.topHash, latest: v2.topHash });
  expect(await reg.resolveTopHash('team/p')).toBe(v2.topHash);

  const gone = await runCli(['delete-package', 'team/p', '--registry', registry], env);
  expect(gone.code, gone.stderr).toBe(0);
  expect(await reg.listPackages()).toEqual([]);
  const again = await runCli(['delete-package', 'team/p', '--registry', registry], env);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/no package team\/p in /);
}, 240_000);

it('status on a folder quilt3 installed finds the version in its local registry', async () => {
  const copy = join(work.path, 'q3');
  await cp(join(PARITY_DIR, 'quilt3-installed'), copy, { recursive: true });
  const status = await runCli(
    ['--json', 'status', join(copy, 'dest'), '--quilt3-registry', join(copy, 'local-registry')],
    env,
  );
  expect(status.code, status.stderr).toBe(0);
  const manifest = await readdir(join(copy, 'local-registry/.quilt/packages'));
  expect(JSON.parse(status.stdout)).toMatchObject({
    name: 'team/installed',
    topHash: manifest[0],
    matches: true,
  });
  expect(await readFile(join(copy, 'dest/README.md'), 'utf8')).toBe('# installed by quilt3\n');
}, 120_000);
