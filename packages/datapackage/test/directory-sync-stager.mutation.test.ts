/**
 * ObjectStager, which stages an install's objects batch by batch while its manifest is still being read (the fresh
 * install into an empty folder): objects added in several batches, downloaded or copied from local files, all land
 * and are answered in the order added; `stop` (the manifest turned out bad) lets the copy already running finish but
 * starts nothing else, ignores later batches, and `settle` reports the stop's error; a copy that fails first keeps
 * its own error.
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ObjectStager } from '../src/directory-sync.js';
import { ObjectHashMismatchError } from '../src/errors.js';
import { FileHasher } from '../src/hashing/file-hasher.js';
import { hashBytes } from '../src/hashing/object-hash.js';
import { type ManifestEntry, makeHashValue, type ObjectHash, readObjectHash } from '../src/manifest.js';
import { tempDir } from './helpers.js';
import { version } from './sync-helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let hasher: FileHasher;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);
beforeAll(async () => {
  work = await tempDir('dp-directory-sync-stager-');
  hasher = new FileHasher({ workers: 1 });
});
afterAll(async () => {
  await hasher.close();
  await work.cleanup();
});

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
    entries.push({
      logicalKey: key,
      physicalKey: pathToFileURL(path).href,
      size: Buffer.byteLength(text),
      hash: makeHashValue({ type: 'sha2-256-chunked', value: await hashBytes(Buffer.from(text)) }),
      meta: new Map(),
    });
  }
  return entries;
}

const hashesOf = (entries: ManifestEntry[]) => entries.map((e) => readObjectHash(e.hash) as ObjectHash);

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
    const stager = new ObjectStager(source, hasher, 2, () => undefined);
    stager.add(first, hashesOf(first), firstTargets);
    stager.add(second, hashesOf(second), secondTargets);
    const written = await stager.settle();
    const targets = [...firstTargets, ...secondTargets];
    expect(written).toHaveLength(4);
    for (const [i, target] of targets.entries()) {
      const info = await lstat(target);
      expect(written[i], target).toEqual({ size: info.size, mtimeMs: info.mtimeMs, ino: info.ino });
    }
    expect(stager.stopped).toBe(false);
  });

  it('stop: the running download finishes, nothing else starts, a later batch is ignored, settle reports the error', async () => {
    const { source, entries } = await stored({ 'a.txt': 'alpha', 'b.txt': 'bravo', 'c.txt': 'charlie' });
    const later = await local({ 'late.txt': 'added after the stop' });
    const targets = await targetsFor(entries);
    const laterTargets = await targetsFor(later);
    // The first download waits until the stop has happened.
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const readAll = source.readAll.bind(source);
    const reads = vi.spyOn(source, 'readAll').mockImplementation(async (key, size) => {
      started();
      await gate;
      return readAll(key, size);
    });
    const stager = new ObjectStager(source, hasher, 1, () => undefined);
    stager.add(entries, hashesOf(entries), targets);
    await running;
    expect(stager.stopped).toBe(false);
    const reason = new Error('the manifest is corrupt');
    stager.stop(reason);
    expect(stager.stopped).toBe(true);
    stager.add(later, hashesOf(later), laterTargets);
    release();
    await expect(stager.settle()).rejects.toBe(reason);
    expect(reads).toHaveBeenCalledTimes(1);
    // The running download had finished when settle answered; nothing after it was written.
    expect(existsSync(targets[0] as string)).toBe(true);
    expect([...targets.slice(1), ...laterTargets].filter((t) => existsSync(t))).toEqual([]);
  });

  it('a failed copy stops it, and a later stop does not replace the copy’s error', async () => {
    const copies = await local({ 'good.txt': 'good', 'bad.txt': 'bad' }, ['bad.txt']);
    const { source } = await stored({});
    const stager = new ObjectStager(source, hasher, 2, () => undefined);
    stager.add(copies, hashesOf(copies), await targetsFor(copies));
    const error = await stager.settle().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect((error as Error).message).toContain('bad.txt');
    expect(stager.stopped).toBe(true);
    stager.stop(new Error('later'));
    await expect(stager.settle()).rejects.toBe(error);
  });
});
