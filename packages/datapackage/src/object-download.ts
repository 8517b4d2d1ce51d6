/**
 * Downloads one object to a local file while hashing it with the entry's own hash type; a size or hash mismatch
 * deletes the file and throws `ObjectHashMismatchError` naming the key and both hashes.
 */
import { createWriteStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ObjectHashMismatchError, PackageNotBuiltError } from './errors.js';
import { createObjectHasher } from './hashing/object-hash.js';
import { type ManifestEntry, readObjectHash } from './manifest.js';
import type { ObjectSource } from './object-source.js';

/** Objects up to this size are read whole instead of streamed. */
export const SMALL_OBJECT_BYTES = 1024 * 1024;

export async function downloadVerified(
  entry: ManifestEntry,
  source: ObjectSource,
  target: string,
  onBytes?: (bytes: number) => void,
): Promise<void> {
  const expected = readObjectHash(entry.hash);
  if (!expected || entry.size === null) {
    throw new PackageNotBuiltError(
      `entry ${JSON.stringify(entry.logicalKey)} has no hash or size to verify against`,
    );
  }
  if (entry.size <= SMALL_OBJECT_BYTES) {
    // One read, one hash, one write: a corrupt object is refused before anything is written.
    const bytes = await source.readAll(entry.physicalKey);
    const whole = createObjectHasher(expected.type, entry.size);
    whole.update(bytes);
    const actual = await whole.digest();
    if (actual !== expected.value || bytes.length !== entry.size) {
      throw new ObjectHashMismatchError(
        entry.logicalKey,
        expected.type,
        expected.value,
        bytes.length !== entry.size
          ? `${actual} (${bytes.length} bytes, manifest says ${entry.size})`
          : actual,
        entry.physicalKey,
      );
    }
    try {
      // flush: fsync before close, so a verified file is on disk before anything renames it into place.
      await writeFile(target, bytes, { flush: true });
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    }
    onBytes?.(bytes.length);
    return;
  }
  const hasher = createObjectHasher(expected.type, entry.size);
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hasher.update(chunk);
      size += chunk.length;
      onBytes?.(chunk.length);
      callback(null, chunk);
    },
  });
  try {
    // flush: fsync before close, so a verified file is on disk before anything renames it into place.
    await pipeline(await source.open(entry.physicalKey), tap, createWriteStream(target, { flush: true }));
    const actual = await hasher.digest();
    if (actual !== expected.value || size !== entry.size) {
      throw new ObjectHashMismatchError(
        entry.logicalKey,
        expected.type,
        expected.value,
        size !== entry.size ? `${actual} (${size} bytes, manifest says ${entry.size})` : actual,
        entry.physicalKey,
      );
    }
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
}
