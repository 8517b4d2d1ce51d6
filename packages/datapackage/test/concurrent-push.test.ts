/**
 * Pushes racing each other on one local registry, and pushes whose files changed after they were hashed: an object
 * key is never overwritten with other bytes, every listed version stays installable, and a push whose bytes do not
 * match its manifest fails before any pointer is written.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BlobExistsError, FsBlobStore, MemoryBlobStore } from '@mlclients/package-core/storage';
import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { ObjectHashMismatchError } from '../src/errors.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import { PackageRegistry } from '../src/registry.js';
import { useTempWorkspace, writeTree } from './helpers.js';
import { registryTargets, s3TestEnvironment } from './targets.js';

const workspace = useTempWorkspace('dp-concurrent-');
const fresh = workspace.fresh;

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

describe('CI runs the S3 variants', () => {
  // In CI (.ci/run starts tools/s3-local) a missing S3 environment is a broken setup, not a reason to skip.
  it.runIf(process.env.CI)('the S3 server of tools/s3-local is configured', () => {
    expect(s3TestEnvironment()).toBe(true);
  });
});

// Each registry's races at the same time as the others' (they mostly wait on the S3 server).
describe.concurrent.each(registryTargets())('concurrent pushes on the $name registry', (target) => {
  it('two pushes of different content to the same name leave every listed version installable (20 tries)', {
    timeout: 600_000,
  }, async () => {
    let lostPointers = 0;
    // One race per try; four tries at a time (each on its own fresh registry) keep the S3 runs short.
    const race = async (attempt: number) => {
      const open = await target.open();
      try {
        const [left, right] = await Promise.all([builderFor(`L${attempt}`, 8), builderFor(`R${attempt}`, 8)]);
        // force: both start from an empty name, so the second to publish would otherwise be refused as a conflict.
        const pushed = await Promise.all([
          left.push(open.url, 'team/race', { force: true }),
          right.push(open.url, 'team/race', { force: true }),
        ]);
        const listed = (await open.registry.listVersions('team/race')).map((v) => v.topHash);
        const topHashes = new Set([...listed, ...pushed.map((p) => p.topHash)]);
        expect(topHashes.size).toBe(2);
        // Both timestamp pointers survive even when the pushes land in the same second, where the store can create
        // a key atomically (an S3 server without conditional writes only narrows that race, see registry.ts).
        const timestamps = (await open.registry.listVersions('team/race')).filter((v) =>
          /^\d+$/.test(v.pointer),
        );
        if ((await open.registry.store.writeGuarantees?.())?.atomicCreateOnly)
          expect(new Set(timestamps.map((v) => v.topHash))).toEqual(topHashes);
        else lostPointers += topHashes.size - new Set(timestamps.map((v) => v.topHash)).size;
        for (const topHash of topHashes) {
          const pkg = await Package.browse(`team/race@${topHash}`, { registry: open.url });
          const dest = fresh('dest');
          await pkg.install(dest);
          expect((await pkg.verify(dest)).matches).toBe(true);
        }
      } finally {
        await open.cleanup();
      }
    };
    const limit = pLimit(4);
    await Promise.all(Array.from({ length: 20 }, (_, attempt) => limit(() => race(attempt))));
    if (lostPointers > 0)
      console.warn(`${target.name}: ${lostPointers} timestamp pointer(s) lost in 20 tries`);
  });
});

describe('pushes whose files changed', () => {
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
