/**
 * quilt3's push guards: the conflict check (`QuiltConflictException` unless `force`), `dedupe`, and `selector_fn`
 * (here `selector`, and `--only` on the CLI).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageConflictError } from '../src/errors.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import { PackageRegistry } from '../src/registry.js';
import { runCli } from './cli/run-cli.js';
import { tempDir, writeTree } from './helpers.js';
import { registryTargets } from './targets.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
beforeAll(async () => {
  work = await tempDir('dp-conflict-');
  process.env.MLC_DATAPKG_CACHE_DIR = join(work.path, 'cache');
});
afterAll(async () => {
  await work.cleanup();
});

async function builderOf(files: Record<string, string>): Promise<PackageBuilder> {
  const dir = join(work.path, `files-${n++}`);
  await writeTree(dir, files);
  return new PackageBuilder().setDir('.', dir);
}

const registryUrl = () => `memory://conflict-${n++}`;

// Every test has a fresh registry of its own: all of them run at the same time (they mostly wait on the S3 server),
// so a busy machine gets more than the default 30 s.
describe.concurrent.each(registryTargets())('conflict check on the $name registry', {
  timeout: 120_000,
}, (target) => {
  /** A fresh registry of this target for one test, removed afterwards. */
  async function withRegistry(test: (url: string) => Promise<void>): Promise<void> {
    const open = await target.open();
    try {
      await test(open.url);
    } finally {
      await open.cleanup();
    }
  }

  it('a package not based on the latest version is refused unless force', () =>
    withRegistry(async (url) => {
      const v1 = await (await builderOf({ 'a.txt': 'v1' })).push(url, 'team/pkg');
      const stranger = await builderOf({ 'a.txt': 'someone else' });
      const error = await stranger.push(url, 'team/pkg').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PackageConflictError);
      expect((error as PackageConflictError).latest).toBe(v1.topHash);
      expect((error as Error).message).toContain('expected no revision');
      // Nothing was published or uploaded for the refused push.
      expect(await (await PackageRegistry.open(url)).resolveTopHash('team/pkg')).toBe(v1.topHash);
      const forced = await stranger.push(url, 'team/pkg', { force: true });
      expect(await (await PackageRegistry.open(url)).resolveTopHash('team/pkg')).toBe(forced.topHash);
    }));

  it('a browsed version may be pushed over until someone else moves latest', () =>
    withRegistry(async (url) => {
      await (await builderOf({ 'a.txt': 'v1' })).push(url, 'team/pkg');
      const mine = (await Package.browse('team/pkg', { registry: url })).asBuilder();
      const theirs = (await Package.browse('team/pkg', { registry: url })).asBuilder();
      mine.setMeta('', { by: 'me' });
      theirs.setMeta('', { by: 'them' });
      const pushed = await mine.push(url, 'team/pkg');
      // The same builder keeps going: its own push is now its parent.
      mine.setMeta('', { by: 'me', again: true });
      await mine.push(url, 'team/pkg');
      await expect(theirs.push(url, 'team/pkg')).rejects.toThrow(PackageConflictError);
      // The returned package continues the history too.
      await expect(pushed.asBuilder().push(url, 'team/pkg')).rejects.toThrow(PackageConflictError);
    }));

  it('dedupe publishes nothing when latest already has the top hash', () =>
    withRegistry(async (url) => {
      const files = { 'a.txt': 'same', 'b/c.txt': 'same too' };
      const first = await (await builderOf(files)).push(url, 'team/pkg');
      const registry = await PackageRegistry.open(url);
      const before = await registry.listVersions('team/pkg');
      const browsed = (await Package.browse('team/pkg', { registry: url })).asBuilder();
      const again = await browsed.push(url, 'team/pkg', { dedupe: true });
      expect(again.topHash).toBe(first.topHash);
      expect(await registry.listVersions('team/pkg')).toEqual(before);
      // As in quilt3, dedupe does not skip the conflict check: a fresh package needs force as well.
      const fresh = await builderOf(files);
      await expect(fresh.push(url, 'team/pkg', { dedupe: true })).rejects.toThrow(PackageConflictError);
      expect((await fresh.push(url, 'team/pkg', { dedupe: true, force: true })).topHash).toBe(first.topHash);
      expect(await registry.listVersions('team/pkg')).toEqual(before);
    }));
});

describe('selector', () => {
  it('copies only selected entries; the others keep their physical keys', async () => {
    const source = registryUrl();
    const remote = await (await builderOf({ 'big/data.bin': 'remote bytes' })).push(source, 'team/src');
    const builder = remote.asBuilder();
    const local = join(work.path, `local-${n++}.txt`);
    await writeFile(local, 'a local note');
    builder.set('note.txt', local);
    const target = registryUrl();
    const pkg = await builder.push(target, 'team/dst', {
      selector: (logicalKey) => !logicalKey.startsWith('big/'),
    });
    expect(pkg.entry('big/data.bin').physicalKey).toBe(remote.entry('big/data.bin').physicalKey);
    expect(pkg.entry('note.txt').physicalKey.startsWith(`${target}/`)).toBe(true);
    expect(await pkg.entry('note.txt').text()).toBe('a local note');
  });
});

describe('datapkg push: --force, --dedupe, --only', () => {
  it('pushing again from the same folder is fine; from another folder it needs --force', async () => {
    const registry = join(work.path, `cli-registry-${n++}`);
    const env = { MLC_DATAPKG_CACHE_DIR: join(work.path, 'cache') };
    const one = join(work.path, `one-${n++}`);
    const two = join(work.path, `two-${n++}`);
    await writeTree(one, { 'a.txt': 'one' });
    await writeTree(two, { 'a.txt': 'two' });
    const push = (dir: string, ...extra: string[]) =>
      runCli(['--json', 'push', 'team/cli', '--dir', dir, '--registry', registry, ...extra], env);
    expect((await push(one)).code).toBe(0);
    await writeFile(join(one, 'a.txt'), 'one, edited');
    const again = await push(one);
    expect(again.code, again.stderr).toBe(0);
    const refused = await push(two);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists at .* with hash [0-9a-f]{64}; expected no revision/);
    const forced = await push(two, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    const versions = (await (await PackageRegistry.open(registry)).listVersions('team/cli')).length;
    const deduped = await push(two, '--dedupe');
    expect(JSON.parse(deduped.stdout).topHash).toBe(JSON.parse(forced.stdout).topHash);
    expect((await (await PackageRegistry.open(registry)).listVersions('team/cli')).length).toBe(versions);
    const only = await push(one, '--only', 'nothing/**', '--force');
    expect(only.code).toBe(1);
    expect(only.stderr).toMatch(/entry points at local files/);
    // The record of what was pushed lives in the cache, not in the pushed folder.
    const records = await readdir(join(work.path, 'cache', 'push-parents'));
    const texts = await Promise.all(
      records.map((f) => readFile(join(work.path, 'cache', 'push-parents', f), 'utf8')),
    );
    expect(texts.join('\n')).toContain('team/cli');
    await expect(readFile(join(one, '.datapkg', 'pushed.json'))).rejects.toThrow(/ENOENT/);
  }, 180_000);
});

describe('registry URL as a plain path', () => {
  it('file URL and path name the same registry', async () => {
    const dir = join(work.path, `plain-${n++}`);
    const pkg = await (await builderOf({ 'a.txt': 'x' })).push(dir, 'team/p');
    await expect((await builderOf({ 'a.txt': 'y' })).push(pathToFileURL(dir).href, 'team/p')).rejects.toThrow(
      PackageConflictError,
    );
    expect(pkg.topHash).toHaveLength(64);
  });
});
