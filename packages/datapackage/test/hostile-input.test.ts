/**
 * Hostile folders and manifests: symlinks out of a destination, registry or cache; symlink loops in a walked folder;
 * keys under the reserved `.datapkg/`; hash types that would build a path outside the cache; tampered cache files;
 * manifest lines over the record size limit.
 */
import { mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FsBlobStore } from '@mlclients/package-core/storage';
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidLogicalKeyError,
  ManifestFormatError,
  PackageUsageError,
  UnsupportedHashTypeError,
} from '../src/errors.js';
import type { FileHasher } from '../src/hashing/file-hasher.js';
import { LocalStager } from '../src/local-object-copy.js';
import { listLocalFiles } from '../src/local-tree.js';
import { Manifest, makeHashValue } from '../src/manifest.js';
import { readManifest, writeManifest } from '../src/manifest-format.js';
import { ObjectCache } from '../src/object-cache.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import { PackageRegistry } from '../src/registry.js';
import { snapshotTree, useTempWorkspace, writeTree } from './helpers.js';

const workspace = useTempWorkspace('dp-hostile-');
const fresh = workspace.fresh;

/** Publishes `files` as `name` to a fresh local registry. */
async function publish(
  files: Record<string, string>,
  name = 'team/pkg',
): Promise<{ url: string; pkg: Package }> {
  const src = fresh('src');
  await writeTree(src, files);
  const registryDir = fresh('registry');
  const url = pathToFileURL(registryDir).href;
  const builder = new PackageBuilder();
  await builder.setDir('', src);
  const pkg = await builder.push(url, name);
  return { url, pkg };
}

describe('symlinks', () => {
  it('install refuses to write through a symlinked folder in the destination, naming the path', async () => {
    const { pkg } = await publish({ 'data/x.txt': 'package bytes', 'top.txt': 'top' });
    const outside = fresh('outside');
    await writeTree(outside, { 'x.txt': 'precious', 'keep.txt': 'keep me' });
    const dest = fresh('dest');
    await mkdir(dest);
    await symlink(outside, join(dest, 'data'));
    await expect(pkg.install(dest)).rejects.toThrow(/symbolic link.*data/);
    expect(await snapshotTree(outside)).toEqual({ 'x.txt': 'precious', 'keep.txt': 'keep me' });
  });

  it('forceMatch never deletes outside the destination through a symlinked folder', async () => {
    const { pkg } = await publish({ 'top.txt': 'top' });
    const outside = fresh('outside');
    await writeTree(outside, { 'a.txt': 'a', 'sub/b.txt': 'b' });
    const dest = fresh('dest');
    await mkdir(dest);
    await symlink(outside, join(dest, 'linked'));
    await pkg.forceMatch(dest);
    expect(await snapshotTree(outside)).toEqual({ 'a.txt': 'a', 'sub/b.txt': 'b' });
    expect(await readFile(join(dest, 'top.txt'), 'utf8')).toBe('top');
  });

  it('install refuses a symlinked .datapkg state folder', async () => {
    const { pkg } = await publish({ 'top.txt': 'top' });
    const outside = fresh('outside');
    await writeTree(outside, { 'note.txt': 'n' });
    const dest = fresh('dest');
    await mkdir(dest);
    await symlink(outside, join(dest, '.datapkg'));
    await expect(pkg.install(dest)).rejects.toThrow(/symbolic link.*\.datapkg/);
    expect(await snapshotTree(outside)).toEqual({ 'note.txt': 'n' });
  });

  it('folder walks skip symlinked folders (as quilt3) and finish on loops', { timeout: 20_000 }, async () => {
    const dir = fresh('loops');
    await writeTree(dir, { 'a/one.txt': '1', 'b/two.txt': '2' });
    await symlink('..', join(dir, 'a', 'up'));
    await symlink('.', join(dir, 'self'));
    await symlink(join(dir, 'a', 'one.txt'), join(dir, 'file-link.txt'));
    const files = await listLocalFiles(dir);
    expect(files.map((f) => f.logicalKey).sort()).toEqual(['a/one.txt', 'b/two.txt', 'file-link.txt']);
    const builder = new PackageBuilder();
    await builder.setDir('', dir);
    expect(builder.keys().sort()).toEqual(['a/one.txt', 'b/two.txt', 'file-link.txt']);
  });

  it('a local registry refuses to write through a symlinked folder, naming it', async () => {
    const registryDir = fresh('registry');
    const outside = fresh('outside');
    await mkdir(outside);
    await mkdir(registryDir);
    await symlink(outside, join(registryDir, 'team'));
    const src = fresh('src');
    await writeTree(src, { 'f.txt': 'data' });
    const builder = new PackageBuilder();
    await builder.setDir('', src);
    await expect(builder.push(pathToFileURL(registryDir).href, 'team/pkg')).rejects.toThrow(
      /symbolic link.*team/,
    );
    expect(await readdir(outside)).toEqual([]);
  });

  it('pushDir refuses a symlinked folder deep in the registry, below folders it has made ready already', async () => {
    const registryDir = fresh('registry');
    const outside = fresh('outside');
    await mkdir(outside);
    // team/pkg/ exists for real (and takes the first files); team/pkg/sub is planted, pointing outside.
    await mkdir(join(registryDir, 'team', 'pkg'), { recursive: true });
    await symlink(outside, join(registryDir, 'team', 'pkg', 'sub'));
    const src = fresh('src');
    const files: Record<string, string> = { 'sub/z.txt': 'would escape' };
    for (let i = 0; i < 300; i++) files[`a${i}.txt`] = `file ${i}`; // more than one chunk before sub/
    await writeTree(src, files);
    await expect(
      new PackageBuilder().pushDir(pathToFileURL(registryDir).href, 'team/pkg', src),
    ).rejects.toThrow(/symbolic link.*sub/);
    expect(await readdir(outside)).toEqual([]);
  });

  it('a registry folder swapped for a symlink during a push is refused for the folders made after the swap', async () => {
    const registryDir = fresh('registry');
    const outside = fresh('outside');
    await mkdir(outside);
    // The copying itself is not the point here: a stand-in hasher leaves every file out (null result).
    const hasher = { stageFiles: async (items: unknown[]) => items.map(() => null) } as unknown as FileHasher;
    const stager = new LocalStager(new FsBlobStore(registryDir), hasher, 1 << 20, { linkNow: true });
    const add = (key: string) => stager.add({ source: '/dev/null', physicalKey: `file:///${key}`, key });
    for (let i = 0; i < 256; i++) add(`team/pkg/a${i}`); // one chunk: team/pkg is made ready
    // Another process swaps the ready folder for a link pointing outside; the next chunk needs team/pkg/sub.
    await rename(join(registryDir, 'team', 'pkg'), join(registryDir, 'team', 'pkg.old'));
    await symlink(outside, join(registryDir, 'team', 'pkg'));
    for (let i = 0; i < 256; i++) add(`team/pkg/sub/z${i}`);
    await expect(stager.finish()).rejects.toThrow(/symbolic link.*team.pkg/);
    expect(await readdir(outside)).toEqual([]);
  });
});

describe('push prefixes', () => {
  // '' would put objects next to .quilt/, where a file .quilt/named_packages/... would plant another package's
  // pointer; the others leave the prefix's folder or enter the registry's own.
  it.each([
    '/',
    '',
    '.quilt',
    '.QUILT/x',
    '.quilt\\x',
    '.quilt/named_packages',
    'team/../..',
    'a//b',
    './x',
    'C:/evil',
  ])('refuses the prefix %j before anything is written, in pushDir, push and pushData', async (prefix) => {
    const src = fresh('src');
    await writeTree(src, { '.quilt/named_packages/victim/pkg/latest': 'a'.repeat(64), 'f.txt': 'data' });
    for (const attempt of [
      (url: string) => new PackageBuilder().pushDir(url, 'team/pkg', src, { prefix }),
      async (url: string) => (await new PackageBuilder().setDir('', src)).push(url, 'team/pkg', { prefix }),
      async (url: string) => {
        const builder = await new PackageBuilder().setDir('', src);
        await builder.build();
        return builder.pushData(url, { prefix });
      },
    ]) {
      const registryDir = fresh('registry');
      await mkdir(registryDir);
      const error = await attempt(pathToFileURL(registryDir).href).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PackageUsageError);
      expect((error as Error).message).toContain(`invalid push prefix ${JSON.stringify(prefix)}`);
      expect(await readdir(registryDir)).toEqual([]);
    }
  });
});

describe('the reserved .datapkg/ prefix', () => {
  it('is refused in logical keys with a clear error', async () => {
    const file = fresh('f');
    await writeFile(file, 'x');
    const builder = new PackageBuilder();
    expect(() => builder.set('.datapkg/draft.jsonl', file)).toThrow(InvalidLogicalKeyError);
    expect(() => builder.set('.datapkg/draft.jsonl', file)).toThrow(/reserved/);
    expect(() => builder.set('sub/.datapkg/x', file)).not.toThrow();
  });

  it('installing a package with .datapkg/ keys leaves the destination untouched', async () => {
    const { url, pkg } = await publish({ 'ok.txt': 'ok' });
    // A hostile manifest written by hand (quilt3 would accept the key).
    const manifest = pkg.manifest();
    const entry = manifest.get('ok.txt');
    if (!entry) throw new Error('fixture');
    manifest.set({ ...entry, logicalKey: '.datapkg/draft.jsonl' });
    const registry = await PackageRegistry.open(url);
    const topHash = await registry.pushManifest('team/evil', manifest);
    const dest = fresh('dest');
    await writeTree(dest, { '.datapkg/draft.jsonl': 'my draft' });
    const evil = await Package.browse(`team/evil@${topHash}`, { registry: url });
    await expect(evil.install(dest)).rejects.toThrow(/\.datapkg.*reserved/);
    expect(await snapshotTree(dest)).toEqual({ '.datapkg/draft.jsonl': 'my draft' });
  });
});

describe('the object cache', () => {
  const entryWith = (type: string, value: string) => ({
    logicalKey: 'k',
    physicalKey: 'file:///nowhere',
    size: 1,
    hash: makeHashValue({ type, value }),
    meta: new Map(),
  });

  it('builds paths only from supported hash types and well-formed digests', () => {
    const cache = new ObjectCache(fresh('cache'));
    expect(() => cache.pathFor(entryWith('../../../etc', 'ab'))).toThrow(UnsupportedHashTypeError);
    expect(() => cache.pathFor(entryWith('sha2-256-chunked', '../../x'))).toThrow(/digest/);
    expect(() => cache.pathFor(entryWith('sha2-256-chunked', 'ab'))).toThrow(/digest/);
  });

  it('verifies every cache hit: a tampered file of the right size is replaced by the real bytes', async () => {
    const { pkg } = await publish({ 'secret-free.txt': 'the real bytes' });
    const path = await pkg.cache('secret-free.txt');
    await writeFile(path, 'SECRET=hunter2');
    expect('SECRET=hunter2'.length).toBe('the real bytes'.length);
    expect(await pkg.entry('secret-free.txt').text()).toBe('the real bytes');
  });
});

describe('record size limits', () => {
  afterEach(() => {
    delete process.env.QUILT_MANIFEST_MAX_RECORD_SIZE;
  });

  it('a manifest line over the limit is refused on read, naming the line', () => {
    const manifest = new Manifest(new Map([['version', 'v0']]));
    manifest.set({
      logicalKey: 'big',
      physicalKey: 'file:///x',
      size: 1,
      hash: makeHashValue({ type: 'SHA256', value: 'a'.repeat(64) }),
      meta: new Map([['blob', 'x'.repeat(500)]]),
    });
    const text = writeManifest(manifest);
    process.env.QUILT_MANIFEST_MAX_RECORD_SIZE = '400';
    expect(() => writeManifest(manifest)).toThrow(ManifestFormatError);
    expect(() => readManifest(text)).toThrow(/manifest line 2: .*bytes; .*allows 400/);
  });

  it('a push whose manifest has a line over the limit fails naming it, and leaves no manifest, temp file or pointer', async () => {
    const src = workspace.fresh('src');
    await writeTree(src, { 'a.txt': 'a', 'big.txt': 'b' });
    const registry = workspace.fresh('registry');
    const builder = new PackageBuilder();
    await builder.setDir('', src);
    builder.setMeta('big.txt', { blob: 'x'.repeat(500) });
    process.env.QUILT_MANIFEST_MAX_RECORD_SIZE = '400';
    await expect(builder.push(pathToFileURL(registry).href, 'team/p')).rejects.toThrow(
      /manifest line for big\.txt is \d+ bytes; quilt3 allows 400/,
    );
    expect(await readdir(join(registry, '.quilt', 'packages'))).toEqual([]);
    await expect(readdir(join(registry, '.quilt', 'named_packages'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
