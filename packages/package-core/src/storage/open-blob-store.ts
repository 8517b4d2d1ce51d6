/**
 * `openBlobStore(url)`: file:// URLs and plain paths -> FsBlobStore, memory://name -> MemoryBlobStore, http(s) ->
 * UrlBlobStore (read-only), s3://bucket[/prefix] -> S3BlobStore (which loads the optional AWS SDK on first use).
 * A URL is never echoed with its `user:password@` part.
 */
import { fileURLToPath } from 'node:url';
import type { BlobStore } from './blob-store.js';
import { FsBlobStore } from './fs.js';
import { MemoryBlobStore } from './memory.js';
import { S3BlobStore } from './s3.js';
import { UrlBlobStore } from './url.js';

/** A store URL of a scheme `openBlobStore` does not know. */
export class UnsupportedStoreUrlError extends Error {
  override name = 'UnsupportedStoreUrlError';
}

/** `url` with any `user:password@` replaced, for messages. */
function urlForMessage(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

/**
 * The blob store a URL names: a plain path or `file://` -> {@link FsBlobStore}, `memory://name` ->
 * {@link MemoryBlobStore}, `http(s)://` -> {@link UrlBlobStore} (read-only), `s3://bucket[/prefix]` ->
 * {@link S3BlobStore}.
 *
 * @param env Where an S3 store reads its endpoint, region and credentials (`AWS_*`, `MLC_S3_ENDPOINT`).
 * @throws {@link UnsupportedStoreUrlError} for any other scheme.
 */
export async function openBlobStore(url: string, env: NodeJS.ProcessEnv = process.env): Promise<BlobStore> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case undefined:
      return new FsBlobStore(url);
    case 'file':
      return new FsBlobStore(fileURLToPath(url));
    case 'memory':
      return MemoryBlobStore.named(url.slice('memory://'.length).replace(/\/+$/, ''));
    case 'http':
    case 'https':
      return new UrlBlobStore(url);
    case 's3':
      return S3BlobStore.fromUrl(url, env);
    default:
      throw new UnsupportedStoreUrlError(
        `unsupported store URL ${JSON.stringify(urlForMessage(url))}: use a path, file://, s3://, memory:// or http(s)://`,
      );
  }
}
