/**
 * A read-only blob store over HTTP(S): `https://host/base` + '/' + key, read with fetch. Listing is not possible over
 * plain HTTP, so `list` throws; writes throw `ReadOnlyBlobStoreError`.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { type BlobInfo, BlobNotFoundError, type BlobStore } from './blob-store.js';

/** A write (put, delete, list) asked of a read-only store. */
export class ReadOnlyBlobStoreError extends Error {
  override name = 'ReadOnlyBlobStoreError';
  /**
   * Creates a `ReadOnlyBlobStoreError`.
   *
   * @param store The store's `url`. @param operation What was asked (`put`, `delete`...).
   */
  constructor(store: string, operation: string) {
    super(`${store} is read-only: cannot ${operation}`);
  }
}

/** A read-only blob store over HTTP(S): each key is fetched from `<baseUrl>/<key>`; `list` and writes throw. */
export class UrlBlobStore implements BlobStore {
  readonly url: string;

  /**
   * Creates an `UrlBlobStore`.
   *
   * @param baseUrl Where the keys live (no `user:password@`: pass a `fetchImpl` that adds an Authorization header).
   * @param fetchImpl The fetch to read with.
   */
  constructor(
    baseUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    // fetch refuses such URLs anyway, with an error that quotes them; and `url` is in every message of this store.
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(baseUrl)) {
      throw new TypeError(
        'http(s) store URLs cannot carry credentials (user:password@): pass a fetch that adds an Authorization header',
      );
    }
    this.url = baseUrl.replace(/\/+$/, '');
  }

  private target(key: string): string {
    return `${this.url}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  async get(key: string): Promise<Readable> {
    const response = await this.fetchImpl(this.target(key));
    if (response.status === 404) throw new BlobNotFoundError(this.url, key);
    if (!response.ok || !response.body)
      throw new Error(`${this.url}: GET '${key}' failed with HTTP ${response.status}`);
    return Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const response = await this.fetchImpl(this.target(key));
    if (response.status === 404) throw new BlobNotFoundError(this.url, key);
    if (!response.ok) throw new Error(`${this.url}: GET '${key}' failed with HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    const response = await this.fetchImpl(this.target(key), { method: 'HEAD' });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`${this.url}: HEAD '${key}' failed with HTTP ${response.status}`);
    const modified = response.headers.get('last-modified');
    return {
      key,
      size: Number(response.headers.get('content-length') ?? 0),
      ...(modified ? { lastModified: new Date(modified) } : {}),
    };
  }

  /** Whether an object exists at the key. */
  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async put(): Promise<void> {
    throw new ReadOnlyBlobStoreError(this.url, 'put');
  }

  async delete(): Promise<void> {
    throw new ReadOnlyBlobStoreError(this.url, 'delete');
  }

  // biome-ignore lint/correctness/useYield: listing is impossible over plain HTTP; the generator only throws.
  async *list(): AsyncIterable<BlobInfo> {
    throw new ReadOnlyBlobStoreError(this.url, 'list (HTTP has no listing)');
  }
}
