/**
 * Durability of reused objects: a push that finds its objects already in a local registry (another push's, or its own
 * from an earlier try whose flush failed) must flush them before its manifest names them, or a power loss could
 * leave a manifest naming objects that were never on disk.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { useTempWorkspace } from './helpers.js';

const flushes = vi.hoisted(() => ({ fail: false, files: [] as string[] }));
vi.mock('../src/durable-batch.js', async (original) => {
  const real = await original<typeof import('../src/durable-batch.js')>();
  return {
    ...real,
    syncBatch: async (...args: Parameters<typeof real.syncBatch>) => {
      flushes.files.push(...args[0].files);
      if (flushes.fail) throw Object.assign(new Error('flush failed (simulated)'), { code: 'EIO' });
      return real.syncBatch(...args);
    },
  };
});
const { PackageBuilder } = await import('../src/package-builder.js');

const workspace = useTempWorkspace('dp-push-flush-');

describe('a push reusing objects already in the registry', () => {
  it('after a failed flush, the retry flushes every object its manifest names', async () => {
    const src = join(workspace.path, 'src');
    for (let i = 0; i < 20; i++) {
      await mkdir(join(src, `d${i % 2}`), { recursive: true });
      await writeFile(join(src, `d${i % 2}`, `f${i}.txt`), `bytes ${i}`);
    }
    const registry = join(workspace.path, 'registry');
    const builder = new PackageBuilder();
    flushes.fail = true;
    await expect(builder.pushDir(pathToFileURL(registry).href, 'team/p', src)).rejects.toThrow(
      'flush failed',
    );
    // Nothing points at objects that may not be on disk: each entry names its local file again.
    const left = [...builder.manifest().entries()].map((entry) => entry.physicalKey);
    expect(left).toHaveLength(20);
    expect(left.filter((key) => !key.startsWith(`${pathToFileURL(src).href}/`))).toEqual([]);
    flushes.fail = false;
    flushes.files = [];
    const pkg = await builder.pushDir(pathToFileURL(registry).href, 'team/p', src);
    const named = [...pkg.manifest().entries()].map((entry) => entry.physicalKey);
    expect(named).toHaveLength(20);
    const flushed = new Set(flushes.files.map((path) => pathToFileURL(path).href));
    expect(named.filter((key) => !flushed.has(key))).toEqual([]);
  });

  it('a failed flush in the data step leaves every entry naming its local file', async () => {
    const src = join(workspace.path, 'data-step');
    for (let i = 0; i < 5; i++) {
      await mkdir(src, { recursive: true });
      await writeFile(join(src, `f${i}.txt`), `data ${i}`);
    }
    const builder = new PackageBuilder();
    await builder.setDir('', src);
    flushes.fail = true;
    try {
      await expect(
        builder.pushData(pathToFileURL(join(workspace.path, 'registry-2')).href, { name: 'team/p' }),
      ).rejects.toThrow('flush failed');
    } finally {
      flushes.fail = false;
    }
    const keys = [...builder.manifest().entries()].map((entry) => entry.physicalKey);
    expect(keys).toHaveLength(5);
    expect(keys.filter((key) => !key.startsWith(`${pathToFileURL(src).href}/`))).toEqual([]);
  });

  it('a push that fails on a key conflict after staging waits for the flush, and a failed one leaves the entries local', async () => {
    const src = join(workspace.path, 'conflict');
    for (let i = 0; i < 6; i++) {
      await mkdir(join(src, 'd'), { recursive: true });
      await writeFile(join(src, 'd', `f${i}.txt`), `conflict ${i}`);
    }
    await mkdir(join(src, 'z'), { recursive: true });
    await writeFile(join(src, 'z', 'x.txt'), 'x');
    const builder = new PackageBuilder();
    builder.set('z', join(src, 'd', 'f0.txt')); // a file where the folder has a folder: the entries cannot all go in
    flushes.fail = true;
    try {
      await expect(
        builder.pushDir(pathToFileURL(join(workspace.path, 'registry-3')).href, 'team/p', src),
      ).rejects.toThrow(/"z" is a file, not a directory/);
    } finally {
      flushes.fail = false;
    }
    const keys = [...builder.manifest().entries()].map((entry) => entry.physicalKey);
    expect(keys.length).toBeGreaterThan(1);
    expect(keys.filter((key) => !key.startsWith(`${pathToFileURL(src).href}/`))).toEqual([]);
  });
});
