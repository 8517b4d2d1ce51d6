/**
 * Downloading one object for an install or the cache (downloadVerified): the bytes written are exactly the object's,
 * whatever its size, hash type or store; an object that does not hash to its manifest entry, or has another size, is
 * refused with an error naming the key, both hashes, the sizes and where it came from, and leaves no file behind; an
 * entry that was never built is refused before anything is read.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryBlobStore } from '@mlclients/package-core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectHashMismatchError, PackageNotBuiltError } from '../src/errors.js';
import { CHUNKED_SHA256, CRC64NVME, hashBytes, LEGACY_SHA256 } from '../src/hashing/object-hash.js';
import { type ManifestEntry, makeHashValue } from '../src/manifest.js';
import { downloadVerified, SMALL_OBJECT_BYTES } from '../src/object-download.js';
import { ObjectSource } from '../src/object-source.js';
import { localPhysicalKey } from '../src/physical-key.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);
beforeAll(async () => {
  work = await tempDir('dp-object-download-');
});
afterAll(async () => {
  await work.cleanup();
});

function bytesOf(length: number, seed: number): Buffer {
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) data[i] = (i * 31 + seed) & 0xff;
  return data;
}

/** An entry for `data` stored at `physicalKey`, hashed with `type`. */
async function entryFor(
  data: Uint8Array,
  physicalKey: string,
  type = CHUNKED_SHA256,
  over: Partial<ManifestEntry> = {},
): Promise<ManifestEntry> {
  return {
    logicalKey: 'data/object.bin',
    physicalKey,
    size: data.length,
    hash: makeHashValue({ type, value: await hashBytes(data, type) }),
    meta: new Map(),
    ...over,
  };
}

/** A memory store with `objects`, registered on a fresh source under `memory://<name>`. */
function memorySource(objects: Record<string, Uint8Array>): { source: ObjectSource; url: string } {
  const url = `memory://download-${n++}`;
  const store = new MemoryBlobStore(url);
  for (const [key, data] of Object.entries(objects)) void store.put(key, data);
  const source = new ObjectSource();
  source.register(url, store);
  return { source, url };
}

// The two ways an object is fetched: read whole (up to SMALL_OBJECT_BYTES) and streamed (larger).
const sizes = [0, 1, 5000, SMALL_OBJECT_BYTES, SMALL_OBJECT_BYTES + 1, 3 * SMALL_OBJECT_BYTES + 7];

describe('a good object', () => {
  it.each(sizes)('of %i bytes is written byte for byte, its bytes reported as they arrive', async (size) => {
    const data = bytesOf(size, size);
    const { source, url } = memorySource({ 'k/obj': data });
    const target = fresh('target');
    const reported: number[] = [];
    await downloadVerified(await entryFor(data, `${url}/k/obj`), source, target, (b) => reported.push(b));
    expect((await readFile(target)).equals(data)).toBe(true);
    expect(reported.reduce((sum, b) => sum + b, 0)).toBe(size);
  });

  it('is verified with the hash type its entry has (SHA256, CRC64NVME), from a local file too', async () => {
    for (const size of [100, SMALL_OBJECT_BYTES + 100]) {
      const data = bytesOf(size, 3);
      const file = fresh('local');
      await writeFile(file, data);
      for (const type of [LEGACY_SHA256, CRC64NVME]) {
        const target = fresh('target');
        await downloadVerified(
          await entryFor(data, localPhysicalKey(file), type),
          new ObjectSource(),
          target,
        );
        expect((await readFile(target)).equals(data)).toBe(true);
      }
    }
  });

  it.skipIf(process.platform !== 'linux')('leaves no file open, whatever the size', async () => {
    const openFiles = () => readdirSync('/proc/self/fd').length;
    for (const size of [10, SMALL_OBJECT_BYTES + 10]) {
      const data = bytesOf(size, 11);
      const { source, url } = memorySource({ obj: data });
      const entry = await entryFor(data, `${url}/obj`);
      await downloadVerified(entry, source, fresh('target')); // warm up (lazy loads)
      const before = openFiles();
      for (let i = 0; i < 10; i++) await downloadVerified(entry, source, fresh('target'));
      expect(openFiles()).toBe(before);
    }
  });

  it('works without a progress callback', async () => {
    for (const size of [10, SMALL_OBJECT_BYTES + 10]) {
      const data = bytesOf(size, 4);
      const { source, url } = memorySource({ obj: data });
      const target = fresh('target');
      await downloadVerified(await entryFor(data, `${url}/obj`), source, target);
      expect((await readFile(target)).length).toBe(size);
    }
  });
});

describe('a bad object', () => {
  it.each([
    100,
    SMALL_OBJECT_BYTES + 100,
  ])('of %i bytes with other content of the same size: the key, both hashes and the source are named, no file is left', async (size) => {
    const good = bytesOf(size, 5);
    const bad = bytesOf(size, 6);
    const { source, url } = memorySource({ obj: bad });
    const target = fresh('target');
    const entry = await entryFor(good, `${url}/obj`);
    const error = await downloadVerified(entry, source, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect(error).toMatchObject({
      logicalKey: 'data/object.bin',
      hashType: CHUNKED_SHA256,
      expected: await hashBytes(good),
      actual: await hashBytes(bad),
      source: `${url}/obj`,
    });
    expect(String(error)).toContain('"data/object.bin"');
    expect(existsSync(target)).toBe(false);
  });

  it.each([
    [100, 101],
    [100, 99],
    [SMALL_OBJECT_BYTES + 100, SMALL_OBJECT_BYTES + 101],
    [SMALL_OBJECT_BYTES + 100, SMALL_OBJECT_BYTES + 99],
  ])('of %i bytes in the manifest but %i stored: both sizes are named, no file is left', async (expected, stored) => {
    const object = bytesOf(stored, 7);
    const { source, url } = memorySource({ obj: object });
    const target = fresh('target');
    // The manifest's hash is that of the stored bytes: only the size disagrees.
    const entry = await entryFor(object, `${url}/obj`, CHUNKED_SHA256, { size: expected });
    const error = await downloadVerified(entry, source, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect((error as ObjectHashMismatchError).actual).toBe(
      `${await hashBytes(object)} (${stored} bytes, manifest says ${expected})`,
    );
    expect(existsSync(target)).toBe(false);
  });

  it('a local file that grew by one byte since the manifest was made is refused', async () => {
    const data = bytesOf(1000, 8);
    const file = fresh('local');
    await writeFile(file, data);
    const entry = await entryFor(data, localPhysicalKey(file));
    await writeFile(file, Buffer.concat([data, Buffer.from('!')]));
    const target = fresh('target');
    await expect(downloadVerified(entry, new ObjectSource(), target)).rejects.toThrow(
      /1001 bytes, manifest says 1000/,
    );
    expect(existsSync(target)).toBe(false);
  });

  it('a target that cannot be written fails with the file-system error and leaves nothing', async () => {
    for (const size of [10, SMALL_OBJECT_BYTES + 10]) {
      const data = bytesOf(size, 9);
      const { source, url } = memorySource({ obj: data });
      const target = join(fresh('missing-folder'), 'target');
      await expect(
        downloadVerified(await entryFor(data, `${url}/obj`), source, target),
      ).rejects.toMatchObject({
        code: 'ENOENT',
      });
      expect(existsSync(target)).toBe(false);
    }
  });

  it("a write that fails reports the write's own error, whatever the size", async () => {
    // A target that names a folder: opening it fails (EISDIR), and there is nothing to clean up.
    for (const size of [10, SMALL_OBJECT_BYTES + 10]) {
      const data = bytesOf(size, 10);
      const { source, url } = memorySource({ obj: data });
      const target = `${join(work.path, `not-a-folder-${n++}`)}/`;
      await expect(
        downloadVerified(await entryFor(data, `${url}/obj`), source, target),
      ).rejects.toMatchObject({
        code: 'EISDIR',
      });
    }
  });
});

describe('an entry that was never built', () => {
  it('without a hash or a size is refused by key before anything is read', async () => {
    const source = new ObjectSource();
    const missing = localPhysicalKey(join(work.path, 'never-read'));
    const base = await entryFor(Buffer.from('x'), missing);
    for (const entry of [
      { ...base, hash: null },
      { ...base, size: null },
    ]) {
      const error = await downloadVerified(entry, source, fresh('target')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PackageNotBuiltError);
      expect(String(error)).toContain('entry "data/object.bin" has no hash or size to verify against');
    }
  });
});
