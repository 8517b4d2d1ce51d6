/**
 * DataLocation -> blob store, as spacer's `storage_factory` does: s3 (`bucket_name`) -> package-core's S3BlobStore,
 * filesystem (a path) -> FsBlobStore on its folder, memory -> one process-wide MemoryBlobStore (spacer's memory
 * storage is process-global too), url -> the read-only SpacerUrlStore. `storeMsg`/`loadMsg` write and read messages
 * as spacer's `DataClass.store`/`load` do (UTF-8 `json.dumps`).
 */
import { basename, dirname, resolve } from 'node:path';
import {
  type BlobStore,
  FsBlobStore,
  MemoryBlobStore,
  S3BlobStore,
  type S3BlobStoreOptions,
} from '@mlclients/package-core/storage';
import type { MessageCodec } from '../codec/codec.js';
import type { SpacerConfig } from '../config.js';
import type { DataLocation } from '../messages/data-location.js';
import { SpacerUrlStore, URL_TIMEOUT_MS } from './url-store.js';

/** Options of {@link SpacerStorage}. */
export interface SpacerStorageOptions {
  /** Credentials and region for s3 locations (spacer's AWS_* settings). Without it, the AWS SDK's chain applies. */
  config?: SpacerConfig;
  /** Extra S3 options for every bucket: an `endpoint` for S3-compatible servers, a ready `client`, ... */
  s3?: Omit<S3BlobStoreOptions, 'bucket' | 'prefix'>;
  /** The store of an s3 bucket, instead of an S3BlobStore (tests without S3, or a store built elsewhere). */
  bucketStore?: (bucket: string) => BlobStore;
  /** The store behind memory locations. @default MemoryBlobStore.named('spacer') */
  memory?: BlobStore;
  /** fetch for url locations. */
  fetch?: typeof fetch;
  /** @default 20 000 (spacer's URLStorage.TIMEOUT) */
  urlTimeoutMs?: number;
}

/** The blob store a DataLocation lives in, and its key there. */
export interface OpenedLocation {
  store: BlobStore;
  key: string;
}

/** Reads and writes the bytes of DataLocations (s3, filesystem, memory, url), as spacer's `storage_factory` does. */
export class SpacerStorage {
  readonly #options: SpacerStorageOptions;
  readonly #s3 = new Map<string, BlobStore>();
  readonly #memory: BlobStore;
  readonly #url: SpacerUrlStore;

  /**
   * Creates a `SpacerStorage`.
   *
   * @param options S3 credentials and options, the memory store, the fetch and timeout of url locations.
   */
  constructor(options: SpacerStorageOptions = {}) {
    this.#options = options;
    this.#memory = options.memory ?? MemoryBlobStore.named('spacer');
    this.#url = new SpacerUrlStore(options.fetch, options.urlTimeoutMs ?? URL_TIMEOUT_MS);
  }

  /** The blob store and key a location names. */
  open(loc: DataLocation): OpenedLocation {
    switch (loc.storage_type) {
      case 's3':
        return { store: this.#bucket(loc.bucket_name as string), key: loc.key };
      case 'filesystem': {
        const path = resolve(loc.key);
        return { store: new FsBlobStore(dirname(path)), key: basename(path) };
      }
      case 'memory':
        return { store: this.#memory, key: loc.key };
      case 'url':
        return { store: this.#url, key: loc.key };
    }
  }

  #bucket(bucket: string): BlobStore {
    let store = this.#s3.get(bucket);
    if (!store && this.#options.bucketStore) {
      store = this.#options.bucketStore(bucket);
      this.#s3.set(bucket, store);
    }
    if (!store) {
      const config = this.#options.config;
      const credentials = config?.awsCredentials();
      const region = config?.get('AWS_REGION');
      store = new S3BlobStore({
        bucket,
        ...(credentials ? { credentials } : {}),
        ...(region ? { region } : {}),
        ...this.#options.s3,
      });
      this.#s3.set(bucket, store);
    }
    return store;
  }

  /** The bytes at a location. */
  async load(loc: DataLocation): Promise<Uint8Array> {
    const { store, key } = this.open(loc);
    return store.getBytes(key);
  }

  /** Write bytes (or UTF-8 text) at a location (url locations are read-only). */
  async store(loc: DataLocation, data: Uint8Array | string): Promise<void> {
    const { store, key } = this.open(loc);
    await store.put(key, data);
  }

  /** Whether something is stored at a location. */
  async exists(loc: DataLocation): Promise<boolean> {
    const { store, key } = this.open(loc);
    return store.exists(key);
  }

  /** Delete what is at a location (nothing there is not an error). */
  async delete(loc: DataLocation): Promise<void> {
    const { store, key } = this.open(loc);
    await store.delete(key);
  }
}

/** `msg.store(loc)`: the message's `json.dumps` bytes at `loc`. */
export async function storeMsg<T>(
  storage: SpacerStorage,
  codec: MessageCodec<T>,
  msg: T,
  loc: DataLocation,
): Promise<void> {
  await storage.store(loc, codec.encodeBytes(msg));
}

/** `Cls.load(loc)`: read and decode the message at `loc`. */
export async function loadMsg<T>(
  storage: SpacerStorage,
  codec: MessageCodec<T>,
  loc: DataLocation,
): Promise<T> {
  return codec.decode(await storage.load(loc));
}
