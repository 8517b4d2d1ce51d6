/**
 * Copies a package's objects into a registry's store and repoints the entries there. Entries already in the
 * registry are left alone. The target key is `<prefix>/<logical key>`; if an object is already there:
 * - same bytes (checked by hash): reused, nothing uploaded ("skip what is already there");
 * - different bytes on a versioned store: a new version is written and pinned by versionId;
 * - different bytes on a store without versions: the old object still backs older manifests and must not change,
 *   so the new bytes go to the content-addressed key `.quilt/objects/<sha256 hex>` instead.
 * Objects are written atomically by the stores, so a crash leaves whole objects or none.
 */
import { createReadStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import type { BlobInfo } from '@mlclients/package-core/storage';
import { FsBlobStore } from '@mlclients/package-core/storage';
import pLimit from 'p-limit';
import type { TransferProgress } from './directory-sync.js';
import { PackageNotBuiltError } from './errors.js';
import type { FileHasher } from './hashing/file-hasher.js';
import { CHUNKED_SHA256, hashStream, s3ChecksumToChunkedSha256 } from './hashing/object-hash.js';
import { type Manifest, type ManifestEntry, readObjectHash } from './manifest.js';
import type { ObjectSource } from './object-source.js';
import { isLocalPhysicalKey, parsePhysicalKey } from './physical-key.js';
import type { PackageRegistry } from './registry.js';

export interface PushDataResult {
  uploaded: string[];
  skipped: string[];
  bytesUploaded: number;
}

export const CONTENT_ADDRESSED_PREFIX = '.quilt/objects/';

async function hashOfExisting(
  registry: PackageRegistry,
  key: string,
  info: BlobInfo,
  type: string,
  hasher: FileHasher,
): Promise<string> {
  if (type === CHUNKED_SHA256 && info.checksumSha256) return s3ChecksumToChunkedSha256(info.checksumSha256);
  if (registry.store instanceof FsBlobStore)
    return (await hasher.hashFile(registry.store.pathOf(key), type)).value;
  return hashStream(await registry.store.get(key), type, info.size);
}

export async function pushPackageData(
  manifest: Manifest,
  registry: PackageRegistry,
  source: ObjectSource,
  hasher: FileHasher,
  options: { prefix: string; onProgress?: (progress: TransferProgress) => void; concurrency?: number },
): Promise<PushDataResult> {
  const prefix = options.prefix.replace(/^\/+|\/+$/g, '');
  const pending = manifest
    .sortedEntries()
    .filter((e) => registry.keyOfPhysicalKey(e.physicalKey) === undefined);
  for (const entry of pending) {
    if (!readObjectHash(entry.hash) || entry.size === null) {
      throw new PackageNotBuiltError(
        `entry ${JSON.stringify(entry.logicalKey)} has no hash yet: build before pushing`,
      );
    }
  }
  const progress: TransferProgress = {
    bytesDone: 0,
    bytesTotal: pending.reduce((sum, e) => sum + (e.size ?? 0), 0),
    filesDone: 0,
    filesTotal: pending.length,
  };
  const report = () => options.onProgress?.({ ...progress });
  const result: PushDataResult = { uploaded: [], skipped: [], bytesUploaded: 0 };

  const openBody = async (entry: ManifestEntry): Promise<Readable> => {
    const stream = isLocalPhysicalKey(entry.physicalKey)
      ? createReadStream(parsePhysicalKey(entry.physicalKey).path)
      : await source.open(entry.physicalKey);
    return stream.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          progress.bytesDone += chunk.length;
          result.bytesUploaded += chunk.length;
          report();
          callback(null, chunk);
        },
      }),
    );
  };

  const upload = async (entry: ManifestEntry, key: string): Promise<string> => {
    const put = await registry.store.put(key, await openBody(entry));
    result.uploaded.push(entry.logicalKey);
    return registry.physicalKeyOf(key, put?.versionId);
  };

  const limit = pLimit(options.concurrency ?? 4);
  await Promise.all(
    pending.map((entry) =>
      limit(async () => {
        const hash = readObjectHash(entry.hash) as { type: string; value: string };
        const key = prefix === '' ? entry.logicalKey : `${prefix}/${entry.logicalKey}`;
        const existing = await registry.store.head(key);
        let physicalKey: string;
        if (!existing) {
          physicalKey = await upload(entry, key);
        } else if (
          existing.size === entry.size &&
          (await hashOfExisting(registry, key, existing, hash.type, hasher)) === hash.value
        ) {
          physicalKey = registry.physicalKeyOf(key, existing.versionId);
          result.skipped.push(entry.logicalKey);
          progress.bytesTotal -= entry.size ?? 0;
        } else if (existing.versionId !== undefined) {
          physicalKey = await upload(entry, key);
        } else {
          const digest = /^[0-9a-f]{64}$/.test(hash.value)
            ? hash.value
            : Buffer.from(hash.value, 'base64').toString('hex');
          const addressed = `${CONTENT_ADDRESSED_PREFIX}${hash.type}/${digest}`;
          if (await registry.store.exists(addressed)) {
            physicalKey = registry.physicalKeyOf(addressed);
            result.skipped.push(entry.logicalKey);
            progress.bytesTotal -= entry.size ?? 0;
          } else {
            physicalKey = await upload(entry, addressed);
          }
        }
        manifest.set({ ...entry, physicalKey });
        progress.filesDone++;
        report();
      }),
    ),
  );
  return result;
}
