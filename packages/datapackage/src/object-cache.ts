/**
 * A content-addressed cache of downloaded objects: `<cacheDir>/objects/<hash type>/<hex digest>`. Objects are
 * verified on the way in, so a cached file is always the bytes the manifest names; shared by all packages.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { replaceFile } from '@mlclients/package-core/storage';
import { PackageNotBuiltError } from './errors.js';
import { type ManifestEntry, readObjectHash } from './manifest.js';
import { downloadVerified } from './object-download.js';
import type { ObjectSource } from './object-source.js';

export class ObjectCache {
  constructor(readonly directory: string) {}

  pathFor(entry: ManifestEntry): string {
    const hash = readObjectHash(entry.hash);
    if (!hash)
      throw new PackageNotBuiltError(`entry ${JSON.stringify(entry.logicalKey)} has no hash to cache it by`);
    const digest = /^[0-9a-f]+$/.test(hash.value)
      ? hash.value
      : Buffer.from(hash.value, 'base64').toString('hex');
    return join(this.directory, 'objects', hash.type, digest);
  }

  /** The local path of the object's verified bytes, downloading them on first use. */
  async fetch(entry: ManifestEntry, source: ObjectSource): Promise<string> {
    const path = this.pathFor(entry);
    const existing = await stat(path).catch(() => undefined);
    if (existing?.isFile() && existing.size === entry.size) return path;
    await mkdir(dirname(path), { recursive: true });
    await replaceFile(path, (temp) => downloadVerified(entry, source, temp));
    return path;
  }

  async evict(entry: ManifestEntry): Promise<void> {
    await rm(this.pathFor(entry), { force: true });
  }
}
