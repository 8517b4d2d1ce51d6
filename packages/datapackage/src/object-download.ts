/**
 * Downloads one object to a local file while hashing it with the entry's own hash type; a size or hash mismatch
 * deletes the file and throws `ObjectHashMismatchError` naming the key and both hashes. Nothing is fsynced here: the
 * caller makes a whole batch durable at once (an install before its renames, the object cache through replaceFile).
 */
import type { Stats } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mismatchedBytes, ObjectHashMismatchError, PackageNotBuiltError } from './errors.js';
import { createObjectHasher } from './hashing/object-hash.js';
import { type ManifestEntry, readObjectHash } from './manifest.js';
import type { ObjectSource } from './object-source.js';

/** Objects up to this size are read whole instead of streamed. */
export const SMALL_OBJECT_BYTES = 1024 * 1024;

/**
 * Writes the verified bytes of `entry` to `target` (created, or truncated) and returns the written file's stat, taken
 * before close: a rename keeps size, mtime and inode, so it identifies the file at its final place too.
 */
export async function downloadVerified(
  entry: ManifestEntry,
  source: ObjectSource,
  target: string,
  onBytes?: (bytes: number) => void,
): Promise<Stats> {
  const expected = readObjectHash(entry.hash);
  if (!expected || entry.size === null) {
    throw new PackageNotBuiltError(
      `entry ${JSON.stringify(entry.logicalKey)} has no hash or size to verify against`,
    );
  }
  if (entry.size <= SMALL_OBJECT_BYTES) {
    // One read, one hash, one write: a corrupt object is refused before anything is written.
    const bytes = await source.readAll(entry.physicalKey, entry.size);
    const whole = createObjectHasher(expected.type, entry.size);
    whole.update(bytes);
    const actual = await whole.digest();
    if (actual !== expected.value || bytes.length !== entry.size) {
      throw new ObjectHashMismatchError(
        entry.logicalKey,
        expected.type,
        expected.value,
        mismatchedBytes(actual, bytes.length, entry.size),
        entry.physicalKey,
      );
    }
    try {
      const handle = await open(target, 'w');
      try {
        await handle.writeFile(bytes);
        const written = await handle.stat();
        onBytes?.(bytes.length);
        return written;
      } finally {
        await handle.close();
      }
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    }
  }
  const hasher = createObjectHasher(expected.type, entry.size);
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      // A throw here would escape the stream (an uncaught exception, the download never settling): pass it on.
      try {
        hasher.update(chunk);
        size += chunk.length;
        onBytes?.(chunk.length);
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback(null, chunk);
    },
  });
  try {
    await pipeline(await source.open(entry.physicalKey), tap, createWriteStream(target));
    const actual = await hasher.digest();
    if (actual !== expected.value || size !== entry.size) {
      throw new ObjectHashMismatchError(
        entry.logicalKey,
        expected.type,
        expected.value,
        mismatchedBytes(actual, size, entry.size),
        entry.physicalKey,
      );
    }
    return await stat(target);
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
}
