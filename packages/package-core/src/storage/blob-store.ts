/**
 * One small blob-store interface that every registry (local directory, S3, read-only URL, memory) is built on.
 * Keys are '/'-separated relative paths with no leading slash ('.quilt/packages/<hash>').
 */
import type { Readable } from 'node:stream';

/** What a store knows about one object (`head`, `list`). */
export interface BlobInfo {
  key: string;
  /** Size in bytes. */
  size: number;
  /** Last modification time, when the store knows it. */
  lastModified?: Date;
  /** S3 version id, when the store is versioned. */
  versionId?: string;
  /**
   * S3 `ChecksumSHA256` when the store has one (base64, or `<base64>-<parts>` for multipart uploads). Optional: lets a
   * registry tell whether an existing object already holds the bytes without downloading it.
   */
  checksumSha256?: string;
}

/** Options of `get` and `getBytes`. */
export interface GetOptions {
  /** Read this version of the object (versioned S3 buckets); stores without versions ignore it. */
  versionId?: string;
}

/** What a store reports after a put; every field is optional so `Promise<void>` implementations stay valid. */
export interface PutResult {
  /** The new object's version, when the store is versioned: makes the physical key immutable. */
  versionId?: string;
  /** S3 `ChecksumSHA256` of the stored object, when the store computed one. */
  checksumSha256?: string;
}

/** Options of `put`. */
export interface PutOptions {
  /** Content type recorded with the object, where the store keeps one. */
  contentType?: string;
  /**
   * Create only: when the key already exists the put fails with `BlobExistsError` and the object is unchanged
   * (exclusive create locally, S3 `If-None-Match: *`). Lets concurrent writers never overwrite each other's bytes.
   */
  ifNoneMatch?: '*';
}

/** What a store promises about concurrent writers (see `BlobStore.writeGuarantees`). */
export interface WriteGuarantees {
  /**
   * A create-only put (`ifNoneMatch: '*'`) is atomic: of concurrent creators of one key exactly one wins. When false
   * the store emulates it with a check before the write, and a concurrent writer can slip in between.
   */
  atomicCreateOnly: boolean;
  /** Every put makes a new version (its `versionId`): overwriting a key never changes what an older version holds. */
  versioned: boolean;
}

/** A flat key/value store of byte objects: a local directory, S3, a read-only URL, memory. */
export interface BlobStore {
  /** A URL-ish description for messages ('s3://bucket/prefix', 'file:///tmp/reg'). Never contains credentials. */
  readonly url: string;
  /** Stream the object's bytes. Rejects with a `BlobNotFoundError` when it does not exist. */
  get(key: string, options?: GetOptions): Promise<Readable>;
  /** Whole object in memory (small objects only: manifests, pointers). */
  getBytes(key: string, options?: GetOptions): Promise<Uint8Array>;
  /** Writes atomically: readers see the old object or the complete new one, never a partial one. */
  // biome-ignore lint/suspicious/noConfusingVoidType: stores that report nothing keep their `Promise<void>` signature.
  put(key: string, body: Readable | Uint8Array | string, options?: PutOptions): Promise<PutResult | void>;
  /** Metadata, or undefined when the key does not exist. */
  head(key: string): Promise<BlobInfo | undefined>;
  /** Whether an object exists at the key. */
  exists(key: string): Promise<boolean>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in no particular order. */
  list(prefix: string): AsyncIterable<BlobInfo>;
  /** What concurrent writers can rely on; a store without this method promises neither guarantee. */
  writeGuarantees?(): Promise<WriteGuarantees>;
}

/** Thrown by a `put` with `ifNoneMatch: '*'` when the key already exists (the object was left as it was). */
export class BlobExistsError extends Error {
  override readonly name = 'BlobExistsError';
  /**
   * Creates a `BlobExistsError`.
   *
   * @param store The store's `url`. @param key The key that already exists.
   */
  constructor(
    readonly store: string,
    readonly key: string,
  ) {
    super(`${store}: an object already exists at '${key}'`);
  }
}

/** Thrown by `get`/`getBytes` for a key that does not exist. */
export class BlobNotFoundError extends Error {
  override readonly name = 'BlobNotFoundError';
  /**
   * Creates a `BlobNotFoundError`.
   *
   * @param store The store's `url`. @param key The missing key.
   */
  constructor(
    readonly store: string,
    readonly key: string,
  ) {
    super(`${store}: no object at '${key}'`);
  }
}
