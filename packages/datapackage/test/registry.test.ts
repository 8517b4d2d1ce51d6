/** Registry behaviours on every target: hash resolution, pointers, refusals before writing, legacy hashes. */
import { createHash } from 'node:crypto';
import { readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FsBlobStore } from '@mlclients/package-core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AmbiguousTopHashError,
  InvalidLogicalKeyError,
  ObjectHashMismatchError,
  PackageNotFoundError,
} from '../src/errors.js';
import { FileHasher } from '../src/hashing/file-hasher.js';
import { StatCache } from '../src/hashing/stat-cache.js';
import { Manifest, makeHashValue } from '../src/manifest.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import { formatPhysicalKey, localPhysicalKey, parsePhysicalKey } from '../src/physical-key.js';
import { PackageRegistry } from '../src/registry.js';
import { computeTopHash } from '../src/top-hash.js';
import { expected } from './fixtures.js';
import { tempDir, writeTree } from './helpers.js';
import { type OpenRegistry, registryTargets } from './targets.js';

let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir('dp-registry-tests-');
  process.env.MLC_DATAPKG_CACHE_DIR = join(work.path, 'cache');
});
afterAll(async () => {
  await work.cleanup();
});

const hello = expected.object_hash_vectors.find((v) => v.content === 'ascii "Hello, World!"');

describe('physical keys (fact sheet §5 examples)', () => {
  it('formats S3 and file URLs with Python quote and form-encoded versionId', () => {
    expect(formatPhysicalKey('s3', 'b', 'a b/ü+#?.txt', 'v1/x y')).toBe(
      's3://b/a%20b/%C3%BC%2B%23%3F.txt?versionId=v1%2Fx+y',
    );
    expect(formatPhysicalKey('s3', 'bucket', 'foo/x/y.txt', 'null')).toBe(
      's3://bucket/foo/x/y.txt?versionId=null',
    );
    expect(localPhysicalKey('/data/a b/ü.txt')).toBe('file:///data/a%20b/%C3%BC.txt');
    expect(parsePhysicalKey('s3://b/a%20b/%C3%BC%2B%23%3F.txt?versionId=v1%2Fx+y')).toEqual({
      scheme: 's3',
      authority: 'b',
      path: 'a b/ü+#?.txt',
      versionId: 'v1/x y',
    });
    expect(() => parsePhysicalKey('s3://b/k?foo=1')).toThrow(/unexpected query string/);
  });
});

describe('objects inside a local registry', () => {
  it('are recognised by their physical keys, also for a registry at the file system root', () => {
    for (const [root, inside, outside] of [
      ['/', 'file:///team/pkg/a%20b.txt', undefined],
      [
        join(work.path, 'reg'),
        `file://${join(work.path, 'reg')}/team/pkg/a%20b.txt`,
        `file://${join(work.path, 'reg-2')}/x`,
      ],
    ] as const) {
      const registry = new PackageRegistry(new FsBlobStore(root));
      expect(registry.keyOfPhysicalKey(inside)).toEqual({ key: 'team/pkg/a b.txt' });
      if (outside) expect(registry.keyOfPhysicalKey(outside)).toBeUndefined();
      expect(registry.keyOfPhysicalKey('s3://bucket/team/pkg/a.txt')).toBeUndefined();
    }
  });
});

describe('stat cache', () => {
  it('answers an unchanged file without reading it, and notices a change', async () => {
    const dir = join(work.path, 'statcache');
    await writeTree(dir, { 'a.txt': 'Hello, World!', 'b.txt': 'b' });
    const hasher = new FileHasher({ workers: 1, statCache: StatCache.inMemory() });
    try {
      const paths = [join(dir, 'a.txt'), join(dir, 'b.txt')];
      const first = await hasher.hashFiles(paths);
      expect(first.get(paths[0] as string)).toEqual({
        value: hello?.['sha2-256-chunked'],
        size: 13,
        cached: false,
      });
      const again = await hasher.hashFiles(paths);
      expect([...again.values()].every((r) => r.cached)).toBe(true);
      await writeFile(paths[1] as string, 'a');
      const future = new Date(Date.now() + 5000);
      await utimes(paths[1] as string, future, future);
      const changed = await hasher.hashFiles(paths);
      expect(changed.get(paths[1] as string)).toMatchObject({
        cached: false,
        value: 'v106/7c+/S7Gw2rTES3ZM+/tY8Thy//PqI4nWcFE8tg=',
      });
    } finally {
      await hasher.close();
    }
  });
});

describe.each(registryTargets())('registry on the $name target', (target) => {
  let reg: OpenRegistry;
  beforeAll(async () => {
    reg = await target.open();
  });
  afterAll(async () => {
    await reg.cleanup();
  });

  /** Publishes a manifest whose objects are written straight into the registry (bypassing the builder). */
  async function publish(
    name: string,
    files: Record<string, { bytes: string; type: 'SHA256' | 'sha2-256-chunked'; hash: string }>,
    message: string,
  ) {
    const manifest = new Manifest();
    manifest.header.set('message', message);
    for (const [key, file] of Object.entries(files)) {
      const storeKey = `raw/${message}/${key}`;
      await reg.registry.store.put(storeKey, file.bytes);
      manifest.set({
        logicalKey: key,
        physicalKey: reg.registry.physicalKeyOf(storeKey),
        size: Buffer.byteLength(file.bytes),
        hash: makeHashValue({ type: file.type, value: file.hash }),
        meta: new Map(),
      });
    }
    return reg.registry.pushManifest(name, manifest, { tags: ['t1'] });
  }

  it('legacy SHA256 objects are verified on install', async () => {
    const top = await publish(
      'legacy/pkg',
      { 'hello.txt': { bytes: 'Hello, World!', type: 'SHA256', hash: hello?.SHA256 as string } },
      'legacy',
    );
    const dest = join(work.path, `${target.name}-legacy`);
    await (await Package.browse('legacy/pkg', { registry: reg.registry })).install(dest);
    expect((await stat(join(dest, 'hello.txt'))).size).toBe(13);

    const bad = await publish(
      'legacy/bad',
      { 'hello.txt': { bytes: 'Hello, World?', type: 'SHA256', hash: hello?.SHA256 as string } },
      'bad',
    );
    const badDest = join(work.path, `${target.name}-legacy-bad`);
    const error = await (await Package.browse(`legacy/bad@${bad}`, { registry: reg.registry }))
      .install(badDest)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect(error.message).toContain(hello?.SHA256);
    expect(error.message).toContain(createHash('sha256').update('Hello, World?').digest('hex'));
    expect(top).not.toBe(bad);
  });

  it('resolves full hashes, unique prefixes, tags and latest; refuses zero or several matches', async () => {
    const top = await reg.registry.resolveTopHash('legacy/pkg');
    expect(await reg.registry.resolveTopHash('legacy/pkg', { tag: 't1' })).toBe(top);
    expect(await reg.registry.resolveTopHash('legacy/pkg', { hash: top.slice(0, 7) })).toBe(top);
    await expect(
      reg.registry.resolveTopHash('legacy/pkg', { hash: 'ffffff' === top.slice(0, 6) ? 'eeeeee' : 'ffffff' }),
    ).rejects.toThrow(PackageNotFoundError);
    await expect(reg.registry.resolveTopHash('legacy/pkg', { tag: 'nope' })).rejects.toThrow(
      /no package legacy\/pkg:nope/,
    );
    // A second manifest sharing the prefix (a pointer-less decoy under a crafted name) makes it ambiguous.
    await reg.registry.store.put(reg.registry.manifestKey(`${top.slice(0, 10)}${'0'.repeat(54)}`), 'decoy');
    const ambiguous = reg.registry.resolveTopHash('legacy/pkg', { hash: top.slice(0, 10) });
    await expect(ambiguous).rejects.toThrow(AmbiguousTopHashError);
    await expect(ambiguous).rejects.toThrow(/Found multiple matches/);
    expect((await reg.registry.listVersions('legacy/pkg')).map((v) => v.pointer)).toContain('t1');
  });

  it('refuses a manifest that would write outside the install folder, before writing anything', async () => {
    const manifest = new Manifest();
    manifest.header.set('message', 'evil');
    await reg.registry.store.put('raw/evil', 'x');
    manifest.set({
      logicalKey: '../escape.txt',
      physicalKey: reg.registry.physicalKeyOf('raw/evil'),
      size: 1,
      hash: makeHashValue({ type: 'sha2-256-chunked', value: 'unused' }),
      meta: new Map(),
    });
    const top = await reg.registry.pushManifest('evil/pkg', manifest);
    expect(top).toBe(computeTopHash(manifest));
    const parent = join(work.path, `${target.name}-evil`);
    const dest = join(parent, 'dest');
    const error = await (await Package.browse('evil/pkg', { registry: reg.registry }))
      .install(dest)
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidLogicalKeyError);
    expect(error.message).toMatch(/"\.\.\/escape\.txt"/);
    expect(await readdir(parent).catch(() => [])).toEqual([]); // not even the destination folder was created
  });
});

describe('install conflicts are found before the folder changes', () => {
  it('a file of the user where the package has a folder stops install, and forceMatch replaces it', async () => {
    const source = join(work.path, 'conflict-src');
    await writeTree(source, { 'a/b.txt': 'b', 'c.txt': 'c' });
    const builder = new PackageBuilder();
    await builder.setDir('', source);
    await builder.build();
    const pkg = builder.toPackage({ allowLocalFiles: true, allowLocalManifest: true });
    const dest = join(work.path, 'conflict-dest');
    await writeTree(dest, { a: 'a user file named like the package folder' });
    await expect(pkg.install(dest)).rejects.toThrow(/"a" is a file there/);
    expect(await readdir(dest)).toEqual(['a']); // untouched: c.txt was not written either
    await pkg.forceMatch(dest);
    expect((await pkg.verify(dest)).matches).toBe(true);
  });
});
