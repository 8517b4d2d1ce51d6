/**
 * `openBlobStore(url)`: file:// URLs and plain paths -> FsBlobStore, memory://name -> MemoryBlobStore, http(s) ->
 * UrlBlobStore (read-only), s3://bucket[/prefix] -> S3BlobStore, loaded on first use so that @aws-sdk/client-s3 stays
 * an optional peer dependency.
 */
import { fileURLToPath } from 'node:url';
import type { BlobStore } from './blob-store.js';
import { FsBlobStore } from './fs.js';
import { MemoryBlobStore } from './memory.js';
import { UrlBlobStore } from './url.js';

export class UnsupportedStoreUrlError extends Error {
  override name = 'UnsupportedStoreUrlError';
}

interface S3Module {
  S3BlobStore: { fromUrl(url: string, env?: NodeJS.ProcessEnv): BlobStore };
}

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
    case 's3': {
      let module: S3Module;
      try {
        // A variable specifier keeps bundlers and tsc from pulling the S3 store (and the AWS SDK) in eagerly.
        const specifier = './s3.js';
        module = (await import(specifier)) as S3Module;
      } catch (error) {
        throw new UnsupportedStoreUrlError(
          `cannot open ${url}: the S3 store needs the optional dependency @aws-sdk/client-s3 (npm install @aws-sdk/client-s3): ${(error as Error).message}`,
        );
      }
      return module.S3BlobStore.fromUrl(url, env);
    }
    default:
      throw new UnsupportedStoreUrlError(
        `unsupported store URL ${JSON.stringify(url)}: use a path, file://, s3://, memory:// or http(s)://`,
      );
  }
}
