/**
 * ObjectStager's failures: an onWritten that throws fails the stage only once every copy has finished
 * (nothing writes into the staging folder after `settle` rejects); the error reported is the first by position
 * whether it came from a copy on the workers or a download, and whatever ended first; a worker's error on one object
 * of a batch does not hide an earlier mismatch in that batch.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ObjectStager } from '../src/directory-sync.js';
import { ObjectHashMismatchError } from '../src/errors.js';
import type { FileHasher } from '../src/hashing/file-hasher.js';
import type { ManifestEntry } from '../src/manifest.js';
import { ObjectSource } from '../src/object-source.js';
import { useTempWorkspace } from './helpers.js';
import { hashesOf, localObjectEntry, settled, stagingError } from './sync-helpers.js';

const workspace = useTempWorkspace('dp-stager-failures-', { hasherWorkers: 1 });
const fresh = workspace.fresh;

// Over SMALL_OBJECT_BYTES: downloaded on the main thread, not copied on the workers. Its corrupt or missing file fails
// at once, long before the copies end.
const BIG = 2 * 1024 * 1024;

/**
 * Entries f00000, f00001... of objects in local files, with the text `textOf(i)`; `bad(i)` gives other bytes for
 * the file, or 'missing' for none.
 */
async function local(
  count: number,
  bad: (i: number) => string | 'missing' | undefined,
  textOf: (i: number) => string = (i) => `content ${i} `.repeat(20),
): Promise<ManifestEntry[]> {
  const folder = fresh('objects');
  await mkdir(folder);
  const entries: ManifestEntry[] = [];
  for (let i = 0; i < count; i++) {
    const text = textOf(i);
    const path = join(folder, `o${i}`);
    const other = bad(i);
    if (other !== 'missing') await writeFile(path, other ?? text);
    entries.push(await localObjectEntry(`f${String(i).padStart(5, '0')}`, path, text));
  }
  return entries;
}

/** A staging folder, and a target in it per entry. */
async function staging(entries: ManifestEntry[]): Promise<{ folder: string; targets: string[] }> {
  const folder = fresh('staging');
  await mkdir(folder);
  return { folder, targets: entries.map((e) => join(folder, e.logicalKey)) };
}

/** Stages `entries` (no onWritten) into a fresh staging folder; the error settle rejects with, and the targets. */
async function stageInto(entries: ManifestEntry[]): Promise<{ error: unknown; targets: string[] }> {
  const { targets } = await staging(entries);
  return { error: await stagingError(workspace.hasher, entries, targets), targets };
}

describe('ObjectStager failures', () => {
  it('onWritten throwing: every slice has finished (and been reported) when settle rejects with its error', async () => {
    const entries = await local(1500, () => undefined); // six slices
    const { folder, targets } = await staging(entries);
    const told = new Set<number>();
    const stager = new ObjectStager(
      new ObjectSource(),
      workspace.hasher,
      2,
      () => undefined,
      (index) => {
        told.add(index);
        if (told.size === 1) throw new Error('onWritten failed');
      },
    );
    stager.add(entries, hashesOf(entries), targets);
    const error = await settled(stager);
    expect((error as Error).message).toBe('onWritten failed');
    // Every copy has written its file, and the rest of the failing slice's outcomes were still reported.
    expect((await readdir(folder)).length).toBe(entries.length);
    expect(told.size).toBe(entries.length);
  });

  for (const large of ['corrupt', 'missing'] as const) {
    it(`a corrupt small copy before a ${large} large download: the copy's mismatch, first by position, is reported`, async () => {
      const last = 1199;
      const entries = await local(
        last + 1,
        (i) => (i === 3 ? 'tampered' : i === last ? (large === 'missing' ? 'missing' : 'short') : undefined),
        (i) => (i === last ? 'x'.repeat(BIG) : `content ${i} `.repeat(20)),
      );
      const { error } = await stageInto(entries);
      expect(error).toBeInstanceOf(ObjectHashMismatchError);
      expect((error as Error).message).toContain('"f00003"');
    });
  }

  it('a download before a corrupt copy: the download failure, first by position, is reported', async () => {
    const entries = await local(
      300,
      (i) => (i === 0 ? 'missing' : i === 299 ? 'tampered' : undefined),
      (i) => (i === 0 ? 'x'.repeat(BIG) : `content ${i} `.repeat(20)),
    );
    const { error } = await stageInto(entries);
    expect(error).not.toBeInstanceOf(ObjectHashMismatchError);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('a missing object after a mismatch in the same slice: the mismatch is reported, and no later object is copied', async () => {
    const entries = await local(20, (i) => (i === 5 ? 'tampered' : i === 12 ? 'missing' : undefined));
    const { error, targets } = await stageInto(entries);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect((error as Error).message).toContain('"f00005"');
    // Copied before the worker's error: there; the mismatch and the objects after the missing one: not copied.
    expect(targets.map((target) => existsSync(target))).toEqual(entries.map((_, i) => i < 12 && i !== 5));
  });

  it('a missing object before a failed download, in a slice that ends after it: the missing object is reported', async () => {
    const entries = await local(
      120,
      (i) => (i === 3 || i === 100 ? 'missing' : undefined),
      (i) => (i === 100 ? 'x'.repeat(BIG) : `content ${i} `.repeat(20)),
    );
    const { error, targets } = await stageInto(entries);
    expect((error as NodeJS.ErrnoException).message).toContain(
      fileURLToPath((entries[3] as ManifestEntry).physicalKey),
    );
    // Copied before the worker's error: there; the missing object and those after it: not copied.
    expect(targets.map((target) => existsSync(target))).toEqual(entries.map((_, i) => i < 3));
  });

  it("a worker's error that does not happen again when each object is copied on its own still fails the stage", async () => {
    const entries = await local(20, () => undefined);
    const { targets } = await staging(entries);
    let calls = 0;
    const flaky = {
      copyFiles: (...args: Parameters<FileHasher['copyFiles']>) =>
        calls++ === 0 ? Promise.reject(new Error('worker lost')) : workspace.hasher.copyFiles(...args),
    } as unknown as FileHasher;
    const stager = new ObjectStager(new ObjectSource(), flaky, 2, () => undefined);
    stager.add(entries, hashesOf(entries), targets);
    const error = await settled(stager);
    expect((error as Error).message).toBe('worker lost');
    expect(calls).toBe(1 + entries.length); // each copied again on its own
    expect(targets.every((target) => existsSync(target))).toBe(true);
  });
});
