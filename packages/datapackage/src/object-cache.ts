/**
 * A content-addressed cache of downloaded objects: `<cacheDir>/objects/<hash type>/<hex digest>`. The path is built
 * only from a supported hash type and a well-formed digest, so a manifest cannot name a file outside the cache.
 * Objects are verified on the way in, and every hit is hashed again before it is used (a cached file may have been
 * changed or replaced since): a bad or linked file is downloaded afresh. Shared by all packages.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertNoSymlinks, openNoFollow, replaceFile } from '@mlclients/package-core/storage';
import { ObjectHashMismatchError, PackageNotBuiltError, UnsupportedHashTypeError } from './errors.js';
import { CHUNKED_SHA256, CRC64NVME, hashStream, LEGACY_SHA256 } from './hashing/object-hash.js';
import { type ManifestEntry, readObjectHash } from './manifest.js';
import { downloadVerified } from './object-download.js';
import type { ObjectSource } from './object-source.js';

/** Digest bytes of each hash type, and how the manifest writes them. */
const DIGESTS: Record<string, { bytes: number; encoding: 'hex' | 'base64' }> = {
  [CHUNKED_SHA256]: { bytes: 32, encoding: 'base64' },
  [LEGACY_SHA256]: { bytes: 32, encoding: 'hex' },
  [CRC64NVME]: { bytes: 8, encoding: 'base64' },
};

/** The hex digest of a hash value, refusing anything that is not exactly what its type writes. */
function hexDigest(entry: ManifestEntry, type: string, value: string): string {
  const format = DIGESTS[type];
  if (!format) throw new UnsupportedHashTypeError(type, entry.logicalKey);
  const bytes = Buffer.from(value, format.encoding);
  if (bytes.length !== format.bytes || bytes.toString(format.encoding) !== value) {
    throw new ObjectHashMismatchError(
      entry.logicalKey,
      type,
      value,
      `nothing: the manifest's digest is not a ${format.bytes}-byte ${format.encoding} value`,
    );
  }
  return bytes.toString('hex');
}

export class ObjectCache {
  constructor(readonly directory: string) {}

  pathFor(entry: ManifestEntry): string {
    const hash = readObjectHash(entry.hash);
    if (!hash)
      throw new PackageNotBuiltError(`entry ${JSON.stringify(entry.logicalKey)} has no hash to cache it by`);
    return join(this.directory, 'objects', hash.type, hexDigest(entry, hash.type, hash.value));
  }

  /** The local path of the object's verified bytes, downloading them when absent or not what the manifest says. */
  async fetch(entry: ManifestEntry, source: ObjectSource): Promise<string> {
    const path = this.pathFor(entry);
    await assertNoSymlinks(this.directory, path, { parentsOnly: true });
    if (await this.holdsVerified(path, entry)) return path;
    await mkdir(dirname(path), { recursive: true });
    await replaceFile(path, async (temp) => {
      await downloadVerified(entry, source, temp);
    });
    return path;
  }

  async evict(entry: ManifestEntry): Promise<void> {
    await rm(this.pathFor(entry), { force: true });
  }

  /** True when `path` is a regular file (not a link) whose bytes hash to the entry's hash. */
  private async holdsVerified(path: string, entry: ManifestEntry): Promise<boolean> {
    const hash = readObjectHash(entry.hash);
    if (!hash || entry.size === null) return false;
    let handle: Awaited<ReturnType<typeof openNoFollow>>;
    try {
      handle = await openNoFollow(path);
    } catch {
      return false; // missing, or a link: replaced by a fresh download (rename replaces the link, not its target)
    }
    try {
      const info = await handle.stat();
      if (!info.isFile() || info.size !== entry.size) return false;
      return (
        (await hashStream(handle.createReadStream({ autoClose: false }), hash.type, entry.size)) ===
        hash.value
      );
    } finally {
      await handle.close();
    }
  }
}
