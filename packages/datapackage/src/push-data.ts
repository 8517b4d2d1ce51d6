/**
 * Copies a package's objects into a registry's store and repoints the entries there. Entries already in the
 * registry are left alone. The target key is `<prefix>/<logical key>`; if an object is already there:
 * - same bytes (checked by hash): reused, nothing uploaded ("skip what is already there");
 * - different bytes on a versioned store: a new version is written and pinned by versionId;
 * - different bytes on a store without versions: the old object still backs older manifests and must not change,
 *   so the new bytes go to the content-addressed key `.quilt/objects/<type>/<hex digest>` instead.
 * Objects are written atomically by the stores, so a crash leaves whole objects or none; and create-only (exclusive
 * create locally, S3 `If-None-Match: *`), so of two pushes racing for one key the loser sees the winner's object
 * and treats it as above instead of overwriting it. A store that can only emulate create-only (an S3 server without
 * conditional writes) and keeps no versions gets every new object at its content-addressed key, as no name there can
 * be claimed without a race. Every uploaded object is hashed while it streams; the caller
 * writes the manifest and pointers only after this returns, so bytes that disagree with the manifest fail the push
 * before anything points at them.
 */
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { BlobExistsError, type BlobInfo, FsBlobStore } from '@mlclients/package-core/storage';
import pLimit from 'p-limit';
import type { TransferProgress } from './directory-sync.js';
import {
  InvalidLogicalKeyError,
  mismatchedBytes,
  ObjectHashMismatchError,
  PackageNotBuiltError,
  PackageUsageError,
  shownPhysicalKey,
  UntrustedSourceError,
} from './errors.js';
import type { FileHasher } from './hashing/file-hasher.js';
import {
  CHUNKED_SHA256,
  createObjectHasher,
  hashStream,
  LEGACY_SHA256,
  s3ChecksumToChunkedSha256,
} from './hashing/object-hash.js';
import type { CopyOutcome } from './hashing/worker-pool.js';
import { copyIntoLocalStore, makeDurable, type StagedObjects } from './local-object-copy.js';
import { validateLogicalKey } from './logical-key.js';
import { type Manifest, type ManifestEntry, type ObjectHash, readObjectHash } from './manifest.js';
import { SMALL_OBJECT_BYTES } from './object-download.js';
import type { ObjectSource } from './object-source.js';
import { canonicalPathPhysicalKey, isLocalPhysicalKey, parsePhysicalKey } from './physical-key.js';
import type { PackageRegistry } from './registry.js';
import { settleAll } from './settle-all.js';

/** What a copy of objects into a registry did: the logical keys uploaded and skipped. */
export interface PushDataResult {
  uploaded: string[];
  skipped: string[];
  bytesUploaded: number;
}

export const CONTENT_ADDRESSED_PREFIX = '.quilt/objects/';

/**
 * What a push puts before a logical key to make its object's store key: `<prefix>/` (slashes around the prefix
 * dropped; worked out once for a push's 10,000 keys). Refuses,
 * before anything is written, a prefix that is no folder of its own in the registry: empty (objects would sit next to
 * `.quilt/`, where a key `.quilt/named_packages/...` would plant another package's pointer), under `.quilt/`, or
 * with segments a logical key may not have ('..', '.', empty, a drive letter, '..' between backslashes).
 */
export function objectKeyBase(prefix: string): string {
  const base = prefix.replace(/^\/+|\/+$/g, '');
  const refuse = (why: string) =>
    new PackageUsageError(`invalid push prefix ${JSON.stringify(prefix)}: ${why}`);
  if (base === '') throw refuse('it names no folder (objects would share the registry root with .quilt/)');
  // Any case (case-insensitive file systems), and '\\' too (a separator on Windows).
  if (base.split(/[/\\]/)[0]?.toLowerCase() === '.quilt')
    throw refuse("'.quilt/' holds the registry's own manifests and pointers");
  try {
    validateLogicalKey(base);
  } catch (error) {
    throw refuse(error instanceof InvalidLogicalKeyError ? error.reason : String(error));
  }
  return `${base}/`;
}

/** 'local' for file:// keys (and plain paths), 'url' for http(s)://, undefined for stores (s3://, memory://). */
export function readableSourceKind(physicalKey: string): 'local' | 'url' | undefined {
  if (isLocalPhysicalKey(physicalKey)) return 'local';
  return /^https?:\/\//i.test(physicalKey) ? 'url' : undefined;
}

export interface SourcePolicy {
  /** True for a physical key that came from someone else's manifest rather than from this user. */
  isForeign(physicalKey: string): boolean;
  /** Read foreign file:// keys (`--allow-local`). @default false */
  allowLocal?: boolean;
  /** Read foreign http(s):// keys (`--allow-url`). @default false */
  allowUrl?: boolean;
}

/**
 * Refuses, before anything is read or written, entries whose bytes would come from a local file or a URL named by
 * someone else's manifest, unless the user opted in: pushing a browsed package must not publish `file:///home/me/.env`
 * or an internal URL's answer because the package said so.
 */
export function assertSourcesAllowed(entries: Iterable<ManifestEntry>, policy: SourcePolicy): void {
  for (const entry of entries) {
    const kind = readableSourceKind(entry.physicalKey);
    if (kind === undefined || !policy.isForeign(entry.physicalKey)) continue;
    if (kind === 'local' && policy.allowLocal) continue;
    if (kind === 'url' && policy.allowUrl) continue;
    const [flag, option] = kind === 'local' ? ['--allow-local', 'allowLocal'] : ['--allow-url', 'allowUrl'];
    throw new UntrustedSourceError(
      `refusing to read ${JSON.stringify(entry.logicalKey)} from ${shownPhysicalKey(entry.physicalKey)}: that ${kind === 'local' ? 'local file' : 'URL'} comes from another package's manifest, not from you. Pass ${flag} (API: { ${option}: true }) to copy it anyway.`,
    );
  }
}

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
  options: {
    prefix: string;
    onProgress?: (progress: TransferProgress) => void;
    /** Parallel uploads of small objects (large ones: at most 4). @default 16 */
    concurrency?: number;
    /** Which local files and URLs may be read (see assertSourcesAllowed). @default every one */
    sources?: SourcePolicy;
    /** Objects staged into this (local) registry while they were hashed: taken (or linked) instead of copied. */
    staged?: StagedObjects;
    /**
     * The caller's own work to do while a local registry's new objects are flushed to disk (a wait on another
     * process), rather than after it; it runs even if the push failed.
     */
    whileFlushing?: () => Promise<void>;
  },
): Promise<PushDataResult> {
  const keyBase = objectKeyBase(options.prefix); // a prefix that is no folder of its own fails here, first
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
  if (options.sources) assertSourcesAllowed(pending, options.sources);
  const progress: TransferProgress = {
    bytesDone: 0,
    bytesTotal: pending.reduce((sum, e) => sum + (e.size ?? 0), 0),
    filesDone: 0,
    filesTotal: pending.length,
  };
  const report = () => options.onProgress?.({ ...progress });
  const result: PushDataResult = { uploaded: [], skipped: [], bytesUploaded: 0 };

  /**
   * Streams one object to `key`, hashing the bytes on the way. Create-only unless `overwrite` (a new version on a
   * versioned store), so a concurrent push's object is never replaced: that push's bytes make the put fail with
   * `BlobExistsError`. Bytes that do not hash to the manifest's value (a file edited after it was hashed) fail the
   * push with `ObjectHashMismatchError` before any pointer is written, and the object this put created is removed.
   */
  const upload = async (
    entry: ManifestEntry,
    key: string,
    hash: ObjectHash,
    overwrite = false,
  ): Promise<string> => {
    const size = entry.size as number;
    const mode = overwrite ? {} : { ifNoneMatch: '*' as const };
    if (size <= SMALL_OBJECT_BYTES) {
      // Read whole and hashed before the put: bytes that disagree with the manifest are never written.
      const bytes = await source.readAll(entry.physicalKey);
      const whole = createObjectHasher(hash.type, size);
      whole.update(bytes);
      const actual = await whole.digest();
      if (actual !== hash.value || bytes.length !== size) {
        throw new ObjectHashMismatchError(
          entry.logicalKey,
          hash.type,
          hash.value,
          mismatchedBytes(actual, bytes.length, size),
          entry.physicalKey,
        );
      }
      const put = await registry.store.put(key, bytes, mode);
      progress.bytesDone += size;
      report();
      result.bytesUploaded += size;
      result.uploaded.push(entry.logicalKey);
      return registry.physicalKeyOf(key, put?.versionId);
    }
    const hasher = createObjectHasher(hash.type, size);
    let sent = 0;
    const input = isLocalPhysicalKey(entry.physicalKey)
      ? createReadStream(parsePhysicalKey(entry.physicalKey).path)
      : await source.open(entry.physicalKey);
    const body = input.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hasher.update(chunk);
          sent += chunk.length;
          progress.bytesDone += chunk.length;
          report();
          callback(null, chunk);
        },
      }),
    );
    input.on('error', (error: Error) => body.destroy(error));
    let put: Awaited<ReturnType<typeof registry.store.put>>;
    try {
      put = await registry.store.put(key, body, mode);
    } catch (error) {
      progress.bytesDone -= sent;
      throw error;
    }
    const actual = await hasher.digest();
    if (actual !== hash.value || sent !== size) {
      if (!overwrite) await registry.store.delete(key);
      throw new ObjectHashMismatchError(
        entry.logicalKey,
        hash.type,
        hash.value,
        mismatchedBytes(actual, sent, size),
        entry.physicalKey,
      );
    }
    result.bytesUploaded += sent;
    result.uploaded.push(entry.logicalKey);
    return registry.physicalKeyOf(key, put?.versionId);
  };

  /** An object already at `key` (another push's): reused when it holds the entry's bytes. */
  const holdsSameBytes = async (key: string, existing: BlobInfo, entry: ManifestEntry, hash: ObjectHash) =>
    existing.size === entry.size &&
    (await hashOfExisting(registry, key, existing, hash.type, hasher)) === hash.value;

  const skip = (entry: ManifestEntry) => {
    result.skipped.push(entry.logicalKey);
    progress.bytesTotal -= entry.size ?? 0;
  };

  // Local objects reused from another push (or an earlier, failed one) may not be on disk yet: they are flushed with
  // this push's own before the manifest can name them.
  const reused: string[] = [];
  const reuse = (key: string) => {
    if (registry.store instanceof FsBlobStore) reused.push(registry.store.pathOf(key));
  };

  /** Create-only upload; if the key appeared meanwhile, undefined and what is there now. */
  const create = async (entry: ManifestEntry, key: string, hash: ObjectHash) => {
    try {
      return { physicalKey: await upload(entry, key, hash) };
    } catch (error) {
      if (!(error instanceof BlobExistsError)) throw error;
      return { existing: await registry.store.head(key) };
    }
  };

  // Objects go under their logical names only where a racing push cannot replace them: create-only puts that are
  // atomic, or a versioned store (each put pins its own version). Elsewhere (S3 servers without conditional writes,
  // such as Swift's s3api, on an unversioned bucket) new objects go straight to their content-addressed key, whose
  // bytes are the same whoever writes them.
  const guarantees = (await registry.store.writeGuarantees?.()) ?? {
    atomicCreateOnly: false,
    versioned: false,
  };
  const namedKeysSafe = guarantees.atomicCreateOnly || guarantees.versioned;

  const keyOf = (entry: ManifestEntry) => keyBase + entry.logicalKey;

  const place = async (entry: ManifestEntry, hash: ObjectHash): Promise<string> => {
    const key = keyOf(entry);
    // A small object is tried create-only straight away (a lost race or a re-push costs one small read); a large one
    // is looked up first, so that bytes already there are not streamed again.
    const small = (entry.size as number) <= SMALL_OBJECT_BYTES;
    let existing = namedKeysSafe && small ? undefined : await registry.store.head(key);
    if (!existing && namedKeysSafe) {
      const created = await create(entry, key, hash);
      if (created.physicalKey) return created.physicalKey;
      existing = created.existing;
    }
    return placeBeside(entry, hash, key, existing);
  };

  /** The entry's key is taken (by `existing`, if it is still there): reuse it, add a version, or go content-addressed. */
  const placeBeside = async (
    entry: ManifestEntry,
    hash: ObjectHash,
    key: string,
    existing: BlobInfo | undefined,
  ): Promise<string> => {
    if (existing && (await holdsSameBytes(key, existing, entry, hash))) {
      skip(entry);
      reuse(key);
      return registry.physicalKeyOf(key, existing.versionId);
    }
    if (existing?.versionId !== undefined) return upload(entry, key, hash, true);
    // Other bytes under the name on a store without versions (they back older manifests and must not change), or a
    // store where the name cannot be claimed safely: the content-addressed key.
    const digest = /^[0-9a-f]{64}$/.test(hash.value)
      ? hash.value
      : Buffer.from(hash.value, 'base64').toString('hex');
    const addressed = `${CONTENT_ADDRESSED_PREFIX}${hash.type}/${digest}`;
    const there = await registry.store.head(addressed);
    const created = there ? { existing: there } : await create(entry, addressed, hash);
    if (created.physicalKey) return created.physicalKey;
    if (created.existing && (await holdsSameBytes(addressed, created.existing, entry, hash))) {
      skip(entry);
      reuse(addressed);
      return registry.physicalKeyOf(addressed);
    }
    throw new ObjectHashMismatchError(
      entry.logicalKey,
      hash.type,
      hash.value,
      'something else: the content-addressed object there holds other bytes',
      registry.physicalKeyOf(addressed),
    );
  };

  // Small objects are mostly per-file latency, so many go at once; large ones hold upload buffers (S3 multipart parts),
  // so few do.
  const smallLimit = pLimit(options.concurrency ?? 16);
  const largeLimit = pLimit(Math.min(options.concurrency ?? 4, 4));
  const limitFor = (entry: ManifestEntry) =>
    (entry.size as number) <= SMALL_OBJECT_BYTES ? smallLimit : largeLimit;
  // Entries are pointed at their objects at the end (see the `finally` below): in a local registry only after the
  // flush (a failed flush leaves every entry naming its source, so a retry copies and flushes again); elsewhere an
  // object is durable once its put has returned.
  const placements: ManifestEntry[] = [];
  const placed = (entry: ManifestEntry, physicalKey: string) => {
    placements.push({ ...entry, physicalKey });
    progress.filesDone++;
    report();
  };
  const applyPlacements = () => {
    for (const entry of placements.splice(0)) manifest.set(entry);
  };

  // Small local files into a local registry: copied in batches on the workers, made durable at once at the end.
  const store = registry.store;
  const batched = store instanceof FsBlobStore && namedKeysSafe ? pending.filter(copiesInBatch) : [];
  const created: string[] = [];
  // The caller's work to do while objects are flushed, started at the first flush waited for (and only once).
  let own: Promise<void> | undefined;
  const startOwn = () => {
    own ??= options.whileFlushing?.() ?? Promise.resolve();
    return own;
  };
  try {
    if (store instanceof FsBlobStore && batched.length > 0) {
      // Entries staged while they were hashed: created at their keys already (their outcome known), or their bytes in
      // temp files to link now; the others copied.
      const links: { temp: string; target: string }[] = [];
      const toLink: ManifestEntry[] = [];
      const alreadyLinked: ManifestEntry[] = [];
      const alreadyLinkedOutcomes: CopyOutcome[] = [];
      const copied: ManifestEntry[] = [];
      const targets = new Map<ManifestEntry, string>();
      for (const entry of batched) {
        const hash = readObjectHash(entry.hash) as ObjectHash;
        const object = options.staged?.take(
          entry.physicalKey,
          keyOf(entry),
          hash.value,
          entry.size as number,
        );
        if (object === undefined) {
          copied.push(entry);
          continue;
        }
        targets.set(entry, object.target);
        if (object.temp === undefined) {
          alreadyLinked.push(entry);
          alreadyLinkedOutcomes.push({ outcome: object.outcome });
        } else {
          links.push({ temp: object.temp, target: object.target });
          toLink.push(entry);
        }
      }
      const linkOutcomes = (await hasher.linkFiles(links)).map((outcome) => ({ outcome }));
      for (const entry of [...alreadyLinked, ...toLink]) progress.bytesDone += entry.size as number;
      const copyTargets = copied.map((entry) => store.pathOf(keyOf(entry)));
      copied.forEach((entry, i) => {
        targets.set(entry, copyTargets[i] as string);
      });
      const copyOutcomes = await copyIntoLocalStore(
        store,
        hasher,
        copied.map((entry) => {
          const hash = readObjectHash(entry.hash) as ObjectHash;
          const source = parsePhysicalKey(entry.physicalKey).path;
          return { source, key: keyOf(entry), size: entry.size as number, ...hash };
        }),
        (bytes) => {
          progress.bytesDone += bytes;
          report();
        },
      );
      // Objects created while staging are flushed by the staging's own makeDurable (staged.flushing), and on disk
      // before any entry points at them: a failed flush fails the push with every entry still naming its local file.
      if (alreadyLinked.length > 0 && options.staged?.flushing) {
        startOwn().catch(() => undefined); // awaited (and its error raised) in the finally below
        await options.staged.flushing;
      }
      const entries = [...alreadyLinked, ...toLink, ...copied];
      const outcomes: CopyOutcome[] = [...alreadyLinkedOutcomes, ...linkOutcomes, ...copyOutcomes];
      const taken: ManifestEntry[] = [];
      outcomes.forEach((outcome, i) => {
        const entry = entries[i] as ManifestEntry;
        if (outcome.outcome === 'created') {
          const target = targets.get(entry) as string;
          if (i >= alreadyLinked.length) created.push(target); // not flushed by the staging yet
          result.bytesUploaded += entry.size as number;
          result.uploaded.push(entry.logicalKey);
          placed(entry, canonicalPathPhysicalKey(target)); // registry.physicalKeyOf(key) of a local store
        } else if (outcome.outcome === 'exists') {
          taken.push(entry);
        } else {
          const hash = readObjectHash(entry.hash) as ObjectHash;
          throw new ObjectHashMismatchError(
            entry.logicalKey,
            hash.type,
            hash.value,
            mismatchedBytes(outcome.actual, outcome.size, entry.size),
            entry.physicalKey,
          );
        }
      });
      await Promise.all(
        taken.map((entry) =>
          smallLimit(async () => {
            const key = keyOf(entry);
            const hash = readObjectHash(entry.hash) as ObjectHash;
            placed(entry, await placeBeside(entry, hash, key, await store.head(key)));
          }),
        ),
      );
    }
    const inBatch = new Set(batched);
    await Promise.all(
      pending
        .filter((entry) => !inBatch.has(entry))
        .map((entry) =>
          limitFor(entry)(async () =>
            placed(entry, await place(entry, readObjectHash(entry.hash) as ObjectHash)),
          ),
        ),
    );
  } finally {
    // Also after a failure: what was created is durable before anything can point at it (a failed flush throws here,
    // and no entry is pointed at an object). The objects placed before a failure keep their entries: a retry skips them.
    if (store instanceof FsBlobStore)
      // The earlier flush (of objects staging created) and the caller's own work settle too; flush errors first.
      await settleAll([
        options.staged?.flushing,
        makeDurable(store.root, reused.length === 0 ? created : [...created, ...reused]),
        options.whileFlushing ? startOwn() : undefined,
      ]);
    applyPlacements();
  }
  return result;
}

/** Entries whose bytes the workers copy in batches: small local files with a hash type they compute. */
function copiesInBatch(entry: ManifestEntry): boolean {
  const type = readObjectHash(entry.hash)?.type;
  return (
    (entry.size as number) <= SMALL_OBJECT_BYTES &&
    (type === CHUNKED_SHA256 || type === LEGACY_SHA256) &&
    isLocalPhysicalKey(entry.physicalKey)
  );
}
