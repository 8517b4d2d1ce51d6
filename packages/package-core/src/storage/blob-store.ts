/**
 * One small blob-store interface that every registry (local directory, S3, read-only URL, memory) is built on.
 * Keys are '/'-separated relative paths with no leading slash ('.quilt/packages/<hash>').
 */
import type { Readable } from 'node:stream';

export interface BlobInfo {
  key: string;
  /** Size in bytes. */
  size: number;
  /** Last modification time, when the store knows it. */
  lastModified?: Date;
  /** S3 version id, when the store is versioned. */
  versionId?: string;
}

export interface PutOptions {
  /** Content type recorded with the object, where the store keeps one. */
  contentType?: string;
}

export interface BlobStore {
  /** A URL-ish description for messages ('s3://bucket/prefix', 'file:///tmp/reg'). Never contains credentials. */
  readonly url: string;
  /** Stream the object's bytes. Rejects with a `BlobNotFoundError` when it does not exist. */
  get(key: string): Promise<Readable>;
  /** Whole object in memory (small objects only: manifests, pointers). */
  getBytes(key: string): Promise<Uint8Array>;
  /** Writes atomically: readers see the old object or the complete new one, never a partial one. */
  put(key: string, body: Readable | Uint8Array | string, options?: PutOptions): Promise<void>;
  /** Metadata, or undefined when the key does not exist. */
  head(key: string): Promise<BlobInfo | undefined>;
  exists(key: string): Promise<boolean>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in no particular order. */
  list(prefix: string): AsyncIterable<BlobInfo>;
}

/** Thrown by `get`/`getBytes` for a key that does not exist. */
export class BlobNotFoundError extends Error {
  override readonly name = 'BlobNotFoundError';
  constructor(
    readonly store: string,
    readonly key: string,
  ) {
    super(`${store}: no object at '${key}'`);
  }
}
