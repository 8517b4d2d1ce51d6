/**
 * Flushes started while staging: a push into a local registry flushes the objects it has created so far while the
 * workers copy the next ones, so that the flush at the end is short. Every object is still covered by exactly one
 * flush, and a failure of an early flush fails the staging's flush (a write-back error is reported once).
 */
import { join } from 'node:path';
import { FsBlobStore } from '@mlclients/package-core/storage';
import { describe, expect, it, vi } from 'vitest';
import type { FileHasher } from '../src/hashing/file-hasher.js';
import { useTempWorkspace } from './helpers.js';

const flushes = vi.hoisted(() => ({ batches: [] as string[][], failFirst: false }));
vi.mock('../src/durable-batch.js', async (original) => {
  const real = await original<typeof import('../src/durable-batch.js')>();
  return {
    ...real,
    syncBatch: async (batch: import('../src/durable-batch.js').DurableBatch) => {
      const first = flushes.batches.push([...batch.files]) === 1;
      await new Promise((resolve) => setTimeout(resolve, 5)); // a flush takes a while: the next chunks go on meanwhile
      if (flushes.failFirst && first)
        throw Object.assign(new Error('write-back failed (simulated)'), { code: 'EIO' });
    },
  };
});
const { LocalStager } = await import('../src/local-object-copy.js');

const workspace = useTempWorkspace('dp-early-flush-');

/** A stand-in hasher that "creates" every object (the flushes, not the copying, are the point here). */
const creatingHasher = {
  stageFiles: async (items: unknown[]) =>
    items.map(() => ({ value: 'v', size: 1, mtimeMs: 0, ino: 0, outcome: 'created' })),
} as unknown as FileHasher;

async function stage(count: number, flushEvery: number) {
  const store = new FsBlobStore(join(workspace.fresh('registry')));
  const stager = new LocalStager(store, creatingHasher, 1 << 20, { linkNow: true, flushEvery });
  for (let i = 0; i < count; i++) stager.add({ source: `/src/f${i}`, key: `team/p/d${i % 3}/f${i}` });
  const { staged } = await stager.finish();
  return { store, flushing: staged.flushing };
}

describe('flushes while staging', () => {
  it('start once enough objects are created, and together with the last one cover each object exactly once', async () => {
    flushes.batches = [];
    flushes.failFirst = false;
    const { store, flushing } = await stage(700, 200);
    await flushing;
    expect(flushes.batches.length).toBeGreaterThan(1); // at least one started before the end
    expect(flushes.batches[0]?.length).toBeGreaterThanOrEqual(200);
    const flushed = flushes.batches.flat();
    const expected = Array.from({ length: 700 }, (_, i) => store.pathOf(`team/p/d${i % 3}/f${i}`));
    expect(flushed.sort()).toEqual(expected.sort());
  });

  it('a failed early flush fails the staging flush, though the last one succeeds', async () => {
    flushes.batches = [];
    flushes.failFirst = true;
    const { flushing } = await stage(700, 200);
    await expect(flushing).rejects.toThrow('write-back failed');
    expect(flushes.batches.length).toBeGreaterThan(1);
  });

  it('fewer objects than the threshold: one flush at the end', async () => {
    flushes.batches = [];
    flushes.failFirst = false;
    const { flushing } = await stage(150, 200);
    await flushing;
    expect(flushes.batches.map((batch) => batch.length)).toEqual([150]);
  });
});
