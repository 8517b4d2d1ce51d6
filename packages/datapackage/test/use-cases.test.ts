/**
 * The seven use cases of the data-package issue, each against every registry target (local directory always, S3
 * when the test server's environment is set).
 */
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LocalFilesNotAllowedError,
  PackageConflictError,
  PackageKeyConflictError,
  UnpushedManifestError,
} from '../src/errors.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import type { PackageEntry } from '../src/package-entry.js';
import { expected, fixturePath } from './fixtures.js';
import { tempDir, writeTree } from './helpers.js';
import { type OpenRegistry, registryTargets } from './targets.js';

const objectHash = (file: string) =>
  expected.object_hash_vectors.find((v) => v.content.startsWith(`file ${file}`))?.['sha2-256-chunked'];

let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir('dp-usecases-');
  process.env.MLC_DATAPKG_CACHE_DIR = join(work.path, 'cache');
});
afterAll(async () => {
  await work.cleanup();
});

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, prefix: string) => {
    for (const dirent of await readdir(d, { withFileTypes: true })) {
      if (prefix === '' && dirent.name === '.datapkg') continue;
      const key = prefix ? `${prefix}/${dirent.name}` : dirent.name;
      if (dirent.isDirectory()) await walk(join(d, dirent.name), key);
      else out.push(key);
    }
  };
  await walk(dir, '');
  return out.sort();
}

describe.each(registryTargets())('use cases on the $name registry', (target) => {
  let reg: OpenRegistry;
  let n = 0;
  const fresh = (name: string) => join(work.path, `${target.name}-${name}-${n++}`);

  beforeAll(async () => {
    reg = await target.open();
  });
  afterAll(async () => {
    await reg.cleanup();
  });

  /** Publishes the fixture data as `team/dataset` with tag v1 and returns the package. */
  async function publishDataset(): Promise<Package> {
    const builder = new PackageBuilder({ meta: { owner: 'ml-team' } });
    builder.set('README.md', fixturePath('data/foo.txt'), { kind: 'readme' });
    await builder.setDir('data', fixturePath('data/nested'), { meta: { split: 'train' } });
    builder.set('table.csv', fixturePath('data/small_file.csv'), { rows: 3 });
    return builder.push(reg.registry, 'team/dataset', { tags: ['v1'], message: 'first' });
  }

  it('1. download: install name:tag, status matches, hash printed, entries read with metadata, cached', async () => {
    const published = await publishDataset();
    const dest = fresh('install');
    const pkg = await Package.browse('team/dataset:v1', { registry: reg.url });
    expect(pkg.topHash).toBe(published.topHash);
    await pkg.install(dest);
    expect(await listFiles(dest)).toEqual([
      'README.md',
      'data/one.txt',
      'data/sub/three.txt',
      'data/sub/two.txt',
      'table.csv',
    ]);
    expect(await readFile(join(dest, 'data/one.txt'), 'utf8')).toBe(
      await readFile(fixturePath('data/nested/one.txt'), 'utf8'),
    );

    const installed = await Package.fromInstalled(dest);
    expect(installed?.topHash).toBe(pkg.topHash);
    expect((await installed?.verify(dest))?.matches).toBe(true);

    const entry = pkg.get('table.csv');
    expect(entry.isFile()).toBe(true);
    expect(entry.meta).toEqual({ rows: 3 });
    expect((entry as PackageEntry).hash).toEqual({
      type: 'sha2-256-chunked',
      value: objectHash('data/small_file.csv'),
    });
    const bytes = await (entry as PackageEntry).bytes();
    expect(bytes.equals(await readFile(fixturePath('data/small_file.csv')))).toBe(true);
    const cachedPath = await pkg.cache('table.csv');
    expect((await stat(cachedPath)).size).toBe(bytes.length);
  });

  it('2. create and publish: build, push data (skipping what is there), push manifest with a tag; guards', async () => {
    const source = fresh('src');
    await writeTree(source, { 'README.md': '# Cats\n', 'images/a.txt': 'a', 'images/b.txt': 'b' });
    const builder = new PackageBuilder();
    builder.set('README.md', join(source, 'README.md'));
    await builder.setDir('images', join(source, 'images'));
    const topHash = await builder.build({ message: 'v1' });
    expect(topHash).toMatch(/^[0-9a-f]{64}$/);
    expect(builder.manifest().get('images/a.txt')?.hash?.get('value')).toBe(
      'v106/7c+/S7Gw2rTES3ZM+/tY8Thy//PqI4nWcFE8tg=',
    );

    expect(() => builder.toPackage()).toThrow(LocalFilesNotAllowedError);
    expect(() => builder.toPackage()).toThrow(/local files .*allowLocalFiles: true/);
    expect(builder.toPackage({ allowLocalFiles: true, allowLocalManifest: true }).topHash).toBe(topHash);

    const first = await builder.pushData(reg.registry, { prefix: 'team/cats' });
    expect(first.uploaded.sort()).toEqual(['README.md', 'images/a.txt', 'images/b.txt']);
    expect(() => builder.toPackage()).toThrow(UnpushedManifestError);
    expect(() => builder.toPackage()).toThrow(/has not been pushed to a registry.*allowLocalManifest: true/);

    // Same data from another builder: everything is already there.
    const again = new PackageBuilder();
    again.set('README.md', join(source, 'README.md'));
    await again.setDir('images', join(source, 'images'));
    const second = await again.pushData(reg.registry, { prefix: 'team/cats' });
    expect(second.uploaded).toEqual([]);
    expect(second.skipped.sort()).toEqual(['README.md', 'images/a.txt', 'images/b.txt']);

    const pkg = await builder.pushManifest(reg.registry, 'team/cats', { tags: ['stable'] });
    expect(pkg.topHash).toBe(topHash);
    expect(builder.toPackage().topHash).toBe(topHash);
    expect(await reg.registry.resolveTopHash('team/cats', { tag: 'stable' })).toBe(topHash);
    expect(await reg.registry.resolveTopHash('team/cats')).toBe(topHash);
    expect(await reg.registry.listPackages()).toContain('team/cats');

    // Immutable: no mutators on Package; asBuilder gives an independent builder.
    expect((pkg as unknown as Record<string, unknown>).set).toBeUndefined();
    const derived = pkg.asBuilder();
    derived.delete('README.md');
    expect(pkg.keys()).toContain('README.md');
    expect(derived.keys()).not.toContain('README.md');
  });

  it('3. explore: readme, ls, get, getMetadata, isFile; nothing downloaded until asked; cache and clearCache', async () => {
    const pkg = await Package.browse('team/dataset', { registry: reg.url, cacheDir: fresh('cache') });
    const cacheDir = join(work.path, `${target.name}-cache-${n - 1}`);
    const top = pkg.ls();
    expect(top.map((i) => [i.logicalKey, i.isFile()])).toEqual([
      ['README.md', true],
      ['data', false],
      ['table.csv', true],
    ]);
    expect(pkg.ls('data').map((i) => i.logicalKey)).toEqual(['data/one.txt', 'data/sub']);
    expect(pkg.getMetadata('data')).toEqual({ split: 'train' });
    expect(pkg.getMetadata('')).toEqual({ owner: 'ml-team' });
    expect(pkg.getMetadata('README.md')).toEqual({ kind: 'readme' });
    expect(pkg.get('data/sub/two.txt').isFile()).toBe(true);
    await expect(stat(cacheDir)).rejects.toThrow(); // nothing fetched yet

    expect(await pkg.readme()).toBe(await readFile(fixturePath('data/foo.txt'), 'utf8'));
    const path = await pkg.cache('data/one.txt');
    expect(await readFile(path, 'utf8')).toBe('1');
    await pkg.clearCache();
    await expect(stat(path)).rejects.toThrow();
  });

  it('4. add new data: addPackage, moveDirContents collisions, new version, roll back by hash or timestamp', async () => {
    const v1 = await Package.browse('team/dataset', { registry: reg.url });
    const extraSource = fresh('extra');
    await writeTree(extraSource, { 'one.txt': 'new one', 'four.txt': '4' });
    const extra = new PackageBuilder();
    await extra.setDir('', extraSource);

    const builder = v1.asBuilder();
    builder.addPackage(extra, { prefix: 'incoming' });
    expect(() => builder.moveDirContents('incoming', 'data')).toThrow(PackageKeyConflictError);
    expect(() => builder.moveDirContents('incoming', 'data')).toThrow(
      /"incoming\/one.txt" to "data\/one.txt"/,
    );
    expect(builder.keys()).toContain('incoming/one.txt'); // nothing moved
    builder.moveDirContents('incoming', 'data', { overwrite: true });
    expect(builder.keys()).toEqual([
      'README.md',
      'data/four.txt',
      'data/one.txt',
      'data/sub/three.txt',
      'data/sub/two.txt',
      'table.csv',
    ]);
    const v2 = await builder.push(reg.registry, 'team/dataset', { message: 'v2' });
    expect(v2.topHash).not.toBe(v1.topHash);
    expect(v1.diff(v2)).toEqual({ added: ['data/four.txt'], modified: ['data/one.txt'], deleted: [] });

    const dest = fresh('rollback');
    await (await Package.browse('team/dataset', { registry: reg.url })).install(dest);
    expect(await readFile(join(dest, 'data/one.txt'), 'utf8')).toBe('new one');
    // Roll back by hash prefix: the v1 bytes come back, v2's extra file goes.
    await (await Package.browse(`team/dataset@${v1.topHash.slice(0, 10)}`, { registry: reg.url })).install(
      dest,
    );
    expect(await readFile(join(dest, 'data/one.txt'), 'utf8')).toBe('1');
    expect(await listFiles(dest)).not.toContain('data/four.txt');
    // ...and by timestamp pointer.
    const versions = await reg.registry.listVersions('team/dataset');
    const timestamped = versions.filter((v) => /^\d+$/.test(v.pointer));
    expect(timestamped.length).toBeGreaterThanOrEqual(1);
    const stamp = timestamped.find((v) => v.topHash === v1.topHash) ?? timestamped.at(-1);
    const viaTimestamp = await Package.browse(`team/dataset:${stamp?.pointer}`, { registry: reg.url });
    expect([v1.topHash, v2.topHash]).toContain(viaTimestamp.topHash);
  });

  it('5. incremental download: verify lists extra, missing, changed; forceMatch transfers only what changed', async () => {
    const pkg = await Package.browse('team/dataset:v1', { registry: reg.url });
    const dir = fresh('incremental');
    await pkg.install(dir);
    await writeFile(join(dir, 'data/sub/two.txt'), 'X'); // changed (same size)
    await rm(join(dir, 'table.csv')); // missing
    await writeFile(join(dir, 'stray.bin'), 'stray'); // extra
    const report = await pkg.verify(dir);
    expect(report).toEqual({
      missing: ['table.csv'],
      extra: ['stray.bin'],
      changed: ['data/sub/two.txt'],
      matches: false,
    });
    const result = await pkg.forceMatch(dir);
    expect(result.transferred.sort()).toEqual(['data/sub/two.txt', 'table.csv']);
    expect(result.removed).toEqual(['stray.bin']);
    expect((await pkg.verify(dir)).matches).toBe(true);
    const noop = await pkg.forceMatch(dir);
    expect(noop.transferred).toEqual([]);
  });

  it('6. improve: setMeta, set, delete', async () => {
    const pkg = await Package.browse('team/dataset:v1', { registry: reg.url });
    const file = join(fresh('improve'), 'labels.json');
    await writeTree(join(file, '..'), { 'labels.json': '{"cat": 1}' });
    const builder = pkg.asBuilder();
    builder.setMeta('table.csv', { rows: 3, checked: true });
    builder.setMeta('', { owner: 'ml-team', version: 2 });
    builder.set('labels.json', file, { format: 'json' });
    builder.delete('data/sub');
    // Based on v1 while latest is v2: quilt3 refuses that without force (PackageConflictError here).
    await expect(builder.push(reg.registry, 'team/dataset', { message: 'improved' })).rejects.toThrow(
      PackageConflictError,
    );
    const improved = await builder.push(reg.registry, 'team/dataset', { message: 'improved', force: true });
    const reread = await Package.browse(`team/dataset@${improved.topHash}`, { registry: reg.url });
    expect(reread.getMetadata('table.csv')).toEqual({ rows: 3, checked: true });
    expect(reread.meta).toEqual({ owner: 'ml-team', version: 2 });
    expect(reread.keys()).toEqual(['README.md', 'data/one.txt', 'labels.json', 'table.csv']);
    expect(await (reread.get('labels.json') as PackageEntry).json()).toEqual({ cat: 1 });
  });

  it('7. store a workspace: add "." with .quiltignore, push data and manifest in one call', async () => {
    const workspace = fresh('workspace');
    await writeTree(workspace, {
      '.quiltignore': '*.tmp\nbuild/\n',
      'train.py': 'print(1)\n',
      'scratch.tmp': 'ignore me',
      'build/out.o': 'ignored',
      'notes/a.md': 'notes',
    });
    const builder = new PackageBuilder();
    await builder.setDir('.', workspace);
    const pkg = await builder.push(reg.registry, 'me/workspace', { message: 'snapshot' });
    expect(pkg.keys()).toEqual(['.quiltignore', 'notes/a.md', 'train.py']);
    expect(pkg.meta).toBeNull(); // set_dir at the root writes "user_meta": null, like quilt3
    const installed = fresh('workspace-copy');
    await (await Package.browse('me/workspace', { registry: reg.url })).install(installed);
    expect(await readFile(join(installed, 'train.py'), 'utf8')).toBe('print(1)\n');
  });
});
