/**
 * ObjectStager, which stages an install's objects: objects added in several batches, downloaded or copied from local
 * files, all land and are answered in the order added; after a failed download nothing else starts, later batches are
 * ignored, and `settle` reports that failure; a failed copy's error is the one reported.
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ObjectStager } from '../src/directory-sync.js';
import { ObjectHashMismatchError } from '../src/errors.js';
import type { ManifestEntry } from '../src/manifest.js';
import type { ObjectSource } from '../src/object-source.js';
import { useTempWorkspace } from './helpers.js';
import { hashesOf, localObjectEntry, stagingError, version } from './sync-helpers.js';

const workspace = useTempWorkspace('dp-directory-sync-stager-', { hasherWorkers: 1 });
const fresh = workspace.fresh;

/** Entries of objects in a memory store (downloaded) and their source. */
async function stored(files: Record<string, string>) {
  const pkg = await version(files);
  return { source: pkg.source, entries: pkg.manifest.sortedEntries() };
}

/** Entries of objects in local files (copied on the hashing workers). */
async function local(files: Record<string, string>, corrupt: string[] = []): Promise<ManifestEntry[]> {
  const folder = fresh('objects');
  await mkdir(folder);
  const entries: ManifestEntry[] = [];
  for (const [key, text] of Object.entries(files)) {
    const path = join(folder, key);
    await writeFile(path, corrupt.includes(key) ? `${text} (tampered)` : text);
    entries.push(await localObjectEntry(key, path, text));
  }
  return entries;
}

/** A stager (2 downloads at a time) that records what onWritten is told, each position at most once. */
function recordingStager(source: ObjectSource): { stager: ObjectStager; reported: Map<number, unknown> } {
  const reported = new Map<number, unknown>();
  const stager = new ObjectStager(
    source,
    workspace.hasher,
    2,
    () => undefined,
    (index, identity) => {
      expect(reported.has(index), `index ${index} reported twice`).toBe(false);
      reported.set(index, identity);
    },
  );
  return { stager, reported };
}

/** onWritten was told of each target, by position, with the identity the file has on disk. */
async function expectReportedOnDisk(reported: Map<number, unknown>, targets: string[]): Promise<void> {
  expect(reported.size).toBe(targets.length);
  for (const [i, target] of targets.entries()) {
    const info = await lstat(target);
    expect(reported.get(i), target).toEqual({ size: info.size, mtimeMs: info.mtimeMs, ino: info.ino });
  }
}

/** The error staging local copies into a fresh staging folder ends with. */
async function failedStaging(copies: ManifestEntry[]): Promise<unknown> {
  return stagingError(workspace.hasher, copies, await targetsFor(copies));
}

/** A staging folder, and a target in it per entry. */
async function targetsFor(entries: ManifestEntry[]): Promise<string[]> {
  const staging = fresh('staging');
  await mkdir(staging);
  return entries.map((e) => join(staging, e.logicalKey));
}

describe('ObjectStager', () => {
  it('stages every batch, downloads and local copies mixed, and answers each file written in the order added', async () => {
    const { source, entries: downloads } = await stored({ 'd1.txt': 'one', 'd2.txt': 'second' });
    const copies = await local({ 'c1.txt': 'copied', 'c2.txt': 'also copied' });
    const first = [downloads[0] as ManifestEntry, copies[0] as ManifestEntry];
    const second = [copies[1] as ManifestEntry, downloads[1] as ManifestEntry];
    const firstTargets = await targetsFor(first);
    const secondTargets = await targetsFor(second);
    const { stager, reported } = recordingStager(source);
    stager.add(first, hashesOf(first), firstTargets);
    stager.add(second, hashesOf(second), secondTargets);
    await stager.settle();
    await expectReportedOnDisk(reported, [...firstTargets, ...secondTargets]);
  });

  it('a failed download: nothing queued after it starts, a later batch is ignored, settle reports the failure', async () => {
    const { source, entries } = await stored({ 'a.txt': 'alpha', 'b.txt': 'bravo', 'c.txt': 'charlie' });
    const later = await local({ 'late.txt': 'added after the failure' });
    const targets = await targetsFor(entries);
    const laterTargets = await targetsFor(later);
    const failure = new Error('the registry went away');
    const reads = vi.spyOn(source, 'readAll').mockRejectedValueOnce(failure);
    const stager = new ObjectStager(source, workspace.hasher, 1, () => undefined);
    stager.add(entries, hashesOf(entries), targets);
    await expect(stager.settle()).rejects.toBe(failure);
    expect(reads).toHaveBeenCalledTimes(1); // b and c were queued behind a: they saw the failure and did not start
    stager.add(later, hashesOf(later), laterTargets);
    await expect(stager.settle()).rejects.toBe(failure);
    expect([...targets, ...laterTargets].filter((t) => existsSync(t))).toEqual([]);
  });

  it('reports each file written to onWritten once, with its identity on disk, across several copy slices', async () => {
    const files = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${i}.txt`, `content ${i}`]));
    const copies = await local(files);
    const { source, entries: downloads } = await stored({ 'd.txt': 'downloaded' });
    const all = [...copies, ...downloads];
    const { stager, reported } = recordingStager(source);
    const targets = await targetsFor(all);
    stager.add(all, hashesOf(all), targets);
    await stager.settle();
    await expectReportedOnDisk(reported, targets);
  });

  it('corrupt objects in several copy slices: the first by position is the error reported', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 600 }, (_, i) => [`f${String(i).padStart(3, '0')}.txt`, `content ${i}`]),
    );
    const error = await failedStaging(await local(files, ['f550.txt', 'f020.txt', 'f300.txt']));
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect((error as Error).message).toContain('f020.txt');
  });

  it('a failed copy: its hash mismatch, naming the key, is the error settle reports', async () => {
    const error = await failedStaging(await local({ 'good.txt': 'good', 'bad.txt': 'bad' }, ['bad.txt']));
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect((error as Error).message).toContain('bad.txt');
  });
});
