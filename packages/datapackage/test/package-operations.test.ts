/**
 * quilt3's package operations beyond install/push: install(path=), fetch, map/filter, rollback, delete_package,
 * delete_package_version, and `status` (Package.fromInstalled) on a folder quilt3 installed (fixture written by quilt3).
 */
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageKeyNotFoundError, PackageNotFoundError } from '../src/errors.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import type { PackageEntry } from '../src/package-entry.js';
import { PackageRegistry } from '../src/registry.js';
import { tempDir, writeTree } from './helpers.js';
import { PARITY_DIR, parity } from './parity-fixtures.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
beforeAll(async () => {
  work = await tempDir('dp-ops-');
  process.env.MLC_DATAPKG_CACHE_DIR = join(work.path, 'cache');
});
afterAll(async () => {
  await work.cleanup();
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

/** A registry holding team/pkg with meta on the package and on folder `data/`. */
async function published() {
  const url = `memory://ops-${n++}`;
  const src = join(work.path, `src-${n++}`);
  await writeTree(src, {
    'README.md': 'readme',
    'data/a.csv': 'a',
    'data/sub/b.csv': 'bb',
    'other/c.txt': 'c',
  });
  const builder = await new PackageBuilder({ meta: { owner: 'me' } }).setDir('.', src, {
    meta: { owner: 'me' },
  });
  builder.setMeta('data', { split: 'train' });
  builder.setMeta('other', {});
  return { url, pkg: await builder.push(url, 'team/pkg', { message: 'v1' }) };
}

describe('install(path=) and fetch', () => {
  it('installs one folder at keys relative to it, or one file at its name', async () => {
    const { pkg } = await published();
    const dest = join(work.path, `dest-${n++}`);
    await pkg.install(dest, { path: 'data' });
    expect(await listFiles(dest)).toEqual([
      // the install record is kept outside the folder
      'a.csv',
      'sub/b.csv',
    ]);
    const one = join(work.path, `one-${n++}`);
    await pkg.install(one, { path: 'data/sub/b.csv' });
    expect(await readFile(join(one, 'b.csv'), 'utf8')).toBe('bb');
    await expect(pkg.install(one, { path: 'nope' })).rejects.toThrow(PackageKeyNotFoundError);
    await expect(pkg.install(one, { path: '../x' })).rejects.toThrow(/invalid logical key/);
    // The folder's status is checked against the part that was installed.
    expect((await (await Package.fromInstalled(dest))?.verify(dest))?.matches).toBe(true);
  });

  it('fetch copies without an install record and returns a fresh package pointing at the copies', async () => {
    const { pkg } = await published();
    const dest = join(work.path, `fetch-${n++}`);
    await writeTree(dest, { 'mine.txt': 'kept' });
    const fetched = await pkg.fetch(dest);
    expect(await listFiles(dest)).toEqual([
      'README.md',
      'data/a.csv',
      'data/sub/b.csv',
      'mine.txt',
      'other/c.txt',
    ]);
    const manifest = fetched.manifest();
    expect(manifest.get('data/a.csv')?.physicalKey).toBe(`file://${join(dest, 'data/a.csv')}`);
    // quilt3: the fetched package starts from {'version': 'v0'}: no metadata, no message.
    expect([...manifest.header.keys()]).toEqual(['version']);
    const part = await pkg.fetch(join(work.path, `fetch-part-${n++}`), { path: 'data/sub' });
    expect(part.keys()).toEqual(['b.csv']);
  });
});

describe('map and filter', () => {
  it('map visits files in tree order, and metadata directories first when asked', async () => {
    const { pkg } = await published();
    expect(pkg.map((key) => key)).toEqual(['README.md', 'data/a.csv', 'data/sub/b.csv', 'other/c.txt']);
    // Only truthy directory metadata is walked (quilt3 writes `other`'s {} nowhere).
    expect(pkg.map((key, item) => [key, item.meta], { includeDirectories: true }).slice(0, 1)).toEqual([
      ['data/', { split: 'train' }],
    ]);
  });

  it('filter keeps what the function accepts; a rejected directory drops its subtree', async () => {
    const { pkg } = await published();
    const csv = pkg.filter((key) => key.endsWith('.csv'));
    expect(csv.keys()).toEqual(['data/a.csv', 'data/sub/b.csv']);
    expect(csv.manifest().header.has('user_meta')).toBe(false);
    const noData = pkg.filter((key) => key !== 'data/', { includeDirectories: true });
    expect(noData.keys()).toEqual(['README.md', 'other/c.txt']);
    const sized = pkg.filter((_key, item) => (item as PackageEntry).size > 1);
    expect(sized.keys()).toEqual(['README.md', 'data/sub/b.csv']);
  });
});

describe('rollback, delete-package, delete-version', () => {
  it('rollback points latest at an earlier version by prefix; nothing is deleted', async () => {
    const { url, pkg: v1 } = await published();
    const v2 = await v1.asBuilder().setMeta('', { v: 2 }).push(url, 'team/pkg');
    expect(await Package.rollback('team/pkg', v1.topHash.slice(0, 8), { registry: url })).toBe(v1.topHash);
    const registry = await PackageRegistry.open(url);
    expect(await registry.resolveTopHash('team/pkg')).toBe(v1.topHash);
    expect(await registry.hasManifest(v2.topHash)).toBe(true);
    await expect(Package.rollback('team/none', v1.topHash, { registry: url })).rejects.toThrow(
      PackageNotFoundError,
    );
  });

  it('delete-version removes its pointers and moves latest to the newest remaining timestamp', async () => {
    const { url, pkg: v1 } = await published();
    const registry = await PackageRegistry.open(url);
    const v2 = await v1
      .asBuilder()
      .setMeta('', { v: 2 })
      .push(url, 'team/pkg', { tags: ['v2'] });
    // Same-second pushes share a timestamp pointer; give v1 its own older one, as a day-old version would have.
    await registry.store.put(registry.pointerKey('team/pkg', '1700000000'), v1.topHash);
    const result = await Package.deletePackageVersion('team/pkg', v2.topHash, { registry: url });
    expect(result.deleted).toContain('latest');
    expect(result.deleted).toContain('v2');
    expect(result.latest).toBe(v1.topHash);
    const left = await registry.listVersions('team/pkg');
    expect(left.every((v) => v.topHash === v1.topHash)).toBe(true);
    await expect(Package.deletePackageVersion('team/pkg', v2.topHash, { registry: url })).rejects.toThrow(
      PackageNotFoundError,
    );
  });

  it('delete-package removes the name, keeps manifests', async () => {
    const { url, pkg } = await published();
    const deleted = await Package.deletePackage('team/pkg', { registry: url });
    expect(deleted).toContain('latest');
    const registry = await PackageRegistry.open(url);
    expect(await registry.listPackages()).toEqual([]);
    expect(await registry.hasManifest(pkg.topHash)).toBe(true);
    await expect(Package.deletePackage('team/pkg', { registry: url })).rejects.toThrow(PackageNotFoundError);
  });
});

describe('a folder quilt3 installed', () => {
  it('is found through the local registry quilt3 recorded the install in, and verifies', async () => {
    const copy = join(work.path, `q3-${n++}`);
    await cp(join(PARITY_DIR, 'quilt3-installed'), copy, { recursive: true });
    const dest = join(copy, 'dest');
    const pkg = await Package.fromInstalled(dest, { quilt3Registry: join(copy, 'local-registry') });
    expect(pkg?.name).toBe(parity.installed.name);
    expect(pkg?.meta).toEqual({ by: 'quilt3' });
    expect((await pkg?.verify(dest))?.matches).toBe(true);
    await writeFile(join(dest, 'README.md'), 'edited');
    expect((await pkg?.verify(dest))?.changed).toEqual(['README.md']);
    // A folder that holds none of its files is not taken for it.
    const other = join(work.path, `other-${n++}`);
    await writeTree(other, { 'x.txt': 'x' });
    expect(
      await Package.fromInstalled(other, { quilt3Registry: join(copy, 'local-registry') }),
    ).toBeUndefined();
  });
});
