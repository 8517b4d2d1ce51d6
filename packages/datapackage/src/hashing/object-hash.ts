/**
 * Object hashes, streamed: `sha2-256-chunked` (quilt3's default: base64 of SHA-256 over the SHA-256 of each chunk),
 * legacy `SHA256` (hex of the whole object) and `CRC64NVME` (verify only). Memory stays at one chunk digest per
 * chunk, whatever the object size.
 */
import { createHash, type Hash } from 'node:crypto';
import { createRequire } from 'node:module';
// The AWS SDK's CRC-64/NVME (slicing-by-8; 3-7x the table-per-byte version this package had, same values). Loaded on
// first use (it is the slowest module to load of those `datapkg hash` needs, and only CRC64NVME entries use it).
import type { Crc64Nvme as Crc64NvmeClass } from '@aws-sdk/crc64-nvme';
import { UnsupportedHashTypeError } from '../errors.js';
import { chunkSizeFor } from './chunk-size.js';

/** quilt3's default hash type: SHA-256 over chunk digests (as S3's composite checksums). */
export const CHUNKED_SHA256 = 'sha2-256-chunked';
/** The hash type of older quilt3 manifests: SHA-256 of the whole object. */
export const LEGACY_SHA256 = 'SHA256';
/** CRC-64/NVME of the whole object (S3's full-object checksum). */
export const CRC64NVME = 'CRC64NVME';
export const SUPPORTED_HASH_TYPES: readonly string[] = [CHUNKED_SHA256, LEGACY_SHA256, CRC64NVME];

/** An incremental hasher of one object. */
export interface ObjectHasher {
  /** Feed the next bytes of the object. */
  update(data: Uint8Array): void;
  /** The hash value as stored in the manifest (a promise: the AWS SDK's CRC-64/NVME digests asynchronously). */
  digest(): Promise<string>;
}

/** Incremental `sha2-256-chunked`; the chunk size depends on the total size, so it must be known up front. */
export class ChunkedSha256Hasher implements ObjectHasher {
  private readonly chunkSize: number;
  private chunk: Hash = createHash('sha256');
  private chunkFill = 0;
  private readonly outer = createHash('sha256');

  constructor(totalSize: number) {
    this.chunkSize = chunkSizeFor(totalSize);
  }

  update(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      const take = Math.min(this.chunkSize - this.chunkFill, data.length - offset);
      this.chunk.update(data.subarray(offset, offset + take));
      this.chunkFill += take;
      offset += take;
      if (this.chunkFill === this.chunkSize) this.finishChunk();
    }
  }

  private finishChunk(): void {
    this.outer.update(this.chunk.digest());
    this.chunk = createHash('sha256');
    this.chunkFill = 0;
  }

  async digest(): Promise<string> {
    if (this.chunkFill > 0) this.finishChunk();
    // Zero chunks (empty data): the outer hash of nothing, i.e. base64(sha256("")).
    return this.outer.digest('base64');
  }
}

/** Combines raw 32-byte chunk digests (in order) into a `sha2-256-chunked` value. */
export function combineChunkDigests(digests: Iterable<Uint8Array>): string {
  const outer = createHash('sha256');
  for (const digest of digests) outer.update(digest);
  return outer.digest('base64');
}

/** An incremental hasher of `type` for an object of `totalSize` bytes. */
export function createObjectHasher(type: string, totalSize: number): ObjectHasher {
  switch (type) {
    case CHUNKED_SHA256:
      return new ChunkedSha256Hasher(totalSize);
    case LEGACY_SHA256: {
      const hash = createHash('sha256');
      return { update: (d) => hash.update(d), digest: async () => hash.digest('hex') };
    }
    case CRC64NVME: {
      const { Crc64Nvme } = createRequire(import.meta.url)('@aws-sdk/crc64-nvme') as {
        Crc64Nvme: typeof Crc64NvmeClass;
      };
      const crc = new Crc64Nvme();
      return {
        update: (d) => crc.update(d),
        digest: async () => Buffer.from(await crc.digest()).toString('base64'),
      };
    }
    default:
      throw new UnsupportedHashTypeError(type);
  }
}

/** Hashes a stream (a Readable or any async iterable of byte chunks) of `size` bytes: the chunk size depends on it. */
export async function hashStream(
  stream: AsyncIterable<unknown>,
  type: string,
  size: number,
  onChunk?: (bytes: number) => void,
): Promise<string> {
  const hasher = createObjectHasher(type, size);
  for await (const chunk of stream) {
    hasher.update(chunk as Uint8Array);
    onChunk?.((chunk as Uint8Array).length);
  }
  return hasher.digest();
}

/** The hash value of bytes in memory. */
export function hashBytes(data: Uint8Array, type = CHUNKED_SHA256): Promise<string> {
  const hasher = createObjectHasher(type, data.length);
  hasher.update(data);
  return hasher.digest();
}

/**
 * S3 `ChecksumSHA256` -> `sha2-256-chunked` (quilt3 `_simple_s3_to_quilt_checksum`): a single-part checksum is hashed
 * once more, except the empty object's; a multipart composite `X-N` already is the chunked value X.
 */
export function s3ChecksumToChunkedSha256(checksum: string): string {
  const dash = checksum.lastIndexOf('-');
  if (dash > 0) return checksum.slice(0, dash);
  const emptyDigest = createHash('sha256').digest('base64');
  if (checksum === emptyDigest) return checksum;
  return createHash('sha256').update(Buffer.from(checksum, 'base64')).digest('base64');
}
