/**
 * Pushes racing each other on one local registry, and pushes whose files changed after they were hashed: an object
 * key is never overwritten with other bytes, every listed version stays installable, and a push whose bytes do not
 * match its manifest fails before any pointer is written.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BlobExistsError, FsBlobStore, MemoryBlobStore } from '@mlclients/package-core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectHashMismatchError } from '../src/errors.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import { PackageRegistry } from '../src/registry.js';
import { tempDir, writeTree } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);
beforeAll(async () => {
  work = await tempDir('dp-concurrent-');
  process.env.MLC_DATAPKG_CACHE_DIR = join(work.path, 'cache');
});
afterAll(async () => {
  await work.cleanup();
});

/** A builder over a fresh folder of `count` files whose content depends on `variant` (same sizes across variants). */
async function builderFor(variant: string, count: number): Promise<PackageBuilder> {
  const dir = fresh(`src-${variant}`);
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++)
    files[`data/file-${String(i).padStart(3, '0')}.txt`] = `${variant}:${i}`.repeat(50);
  await writeTree(dir, files);
  const builder = new PackageBuilder();
  await builder.setDir('', dir);
  return builder;
}

describe('create-only puts', () => {
  it.each([
    ['FsBlobStore', async () => new FsBlobStore(fresh('store'))],
    ['MemoryBlobStore', async () => new MemoryBlobStore()],
  ])('%s: of concurrent creators exactly one wins, and its bytes stay', async (_name, open) => {
    const store = await open();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => store.put('a/b.bin', `writer ${i}`, { ifNoneMatch: '*' })),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(BlobExistsError);
    expect(Buffer.from(await store.getBytes('a/b.bin')).toString()).toBe(`writer ${won[0]}`);
    const keys: string[] = [];
    for await (const info of store.list('')) keys.push(info.key);
    expect(keys).toEqual(['a/b.bin']); // no temp file left behind
  });
});

describe('concurrent pushes to one local registry', () => {
  it('two pushes of different content to the same name leave every version installable (8 tries)', {
    timeout: 120_000,
  }, async () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const url = pathToFileURL(fresh('registry')).href;
      const [left, right] = await Promise.all([builderFor(`L${attempt}`, 12), builderFor(`R${attempt}`, 12)]);
      const pushed = await Promise.all([left.push(url, 'team/race'), right.push(url, 'team/race')]);
      const registry = await PackageRegistry.open(url);
      const listed = (await registry.listVersions('team/race')).map((v) => v.topHash);
      const topHashes = new Set([...listed, ...pushed.map((p) => p.topHash)]);
      expect(topHashes.size).toBe(2);
      for (const topHash of topHashes) {
        const pkg = await Package.browse(`team/race@${topHash}`, { registry: url });
        const dest = fresh('dest');
        await pkg.install(dest);
        expect((await pkg.verify(dest)).matches).toBe(true);
      }
    }
  });

  it('a file edited after it was hashed fails the push before any pointer is written', async () => {
    const dir = fresh('src');
    await writeTree(dir, { 'a.txt': 'original', 'b.txt': 'stays' });
    const builder = new PackageBuilder();
    await builder.setDir('', dir);
    await builder.build();
    await writeFile(join(dir, 'a.txt'), 'ORIGINAL'); // same size, other bytes
    const url = pathToFileURL(fresh('registry')).href;
    const error = await builder.push(url, 'team/edited').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect(String(error)).toMatch(/"a\.txt"/);
    const registry = await PackageRegistry.open(url);
    expect(await registry.listVersions('team/edited')).toEqual([]);
    // The object that did not match was not left behind under the name the next push would trust.
    expect(await registry.store.exists('team/edited/a.txt')).toBe(false);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('ORIGINAL');
  });
});
