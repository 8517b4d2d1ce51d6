/**
 * Object hashes as a manifest stores them: `sha2-256-chunked` (quilt3's default), legacy `SHA256` and `CRC64NVME` give
 * the same value however the bytes arrive (whole, byte by byte, in pieces across the 8 MiB chunk edge), the chunk size
 * follows quilt3 at its edges, an unknown hash type is refused by name, and S3 checksums convert as quilt3 converts
 * them. The oracle for chunked values is written out here from the definition (SHA-256 over each chunk's SHA-256).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnsupportedHashTypeError } from '../src/errors.js';
import { chunkSizeFor, MAX_CHUNKS, MIN_CHUNK_SIZE } from '../src/hashing/chunk-size.js';
import {
  CHUNKED_SHA256,
  CRC64NVME,
  combineChunkDigests,
  createObjectHasher,
  hashBytes,
  hashStream,
  LEGACY_SHA256,
  SUPPORTED_HASH_TYPES,
  s3ChecksumToChunkedSha256,
} from '../src/hashing/object-hash.js';

const MiB = 1024 * 1024;
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

/** sha2-256-chunked by its definition: base64 SHA-256 over the SHA-256 of each chunk of `chunkSize` bytes. */
function chunkedOracle(data: Uint8Array, chunkSize = MIN_CHUNK_SIZE): string {
  const outer = createHash('sha256');
  for (let start = 0; start < data.length; start += chunkSize)
    outer.update(sha256(data.subarray(start, start + chunkSize)));
  return outer.digest('base64');
}

/** Feeds `data` to a fresh hasher in pieces cut at `cuts` (sorted offsets). */
async function hashInPieces(type: string, data: Uint8Array, cuts: number[]): Promise<string> {
  const hasher = createObjectHasher(type, data.length);
  let previous = 0;
  for (const cut of [...cuts, data.length]) {
    hasher.update(data.subarray(previous, cut));
    previous = cut;
  }
  return hasher.digest();
}

/** Bytes that differ from chunk to chunk (a repeated pattern would hide chunks swapped or merged). */
function patterned(length: number): Uint8Array {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (i * 7 + (i >>> 13)) & 0xff;
  return data;
}

describe('sha2-256-chunked', () => {
  it('of the empty object is the SHA-256 of nothing (quilt3: no chunk at all)', async () => {
    expect(await hashBytes(new Uint8Array(0))).toBe(createHash('sha256').digest('base64'));
  });

  it('of one chunk or less is the SHA-256 of its SHA-256, whatever the pieces', async () => {
    const data = patterned(1000);
    const expected = createHash('sha256').update(sha256(data)).digest('base64');
    expect(await hashBytes(data)).toBe(expected);
    expect(await hashInPieces(CHUNKED_SHA256, data, [1, 2, 500])).toBe(expected);
  });

  it('is the default hash type', async () => {
    const data = patterned(10);
    expect(await hashBytes(data)).toBe(await hashBytes(data, CHUNKED_SHA256));
  });

  it('cuts at 8 MiB however the bytes arrive: exactly one chunk, two full chunks, a chunk and a bit', async () => {
    for (const length of [MIN_CHUNK_SIZE, 2 * MIN_CHUNK_SIZE, MIN_CHUNK_SIZE + 3]) {
      const data = patterned(length);
      const expected = chunkedOracle(data);
      expect(await hashBytes(data), `${length} bytes whole`).toBe(expected);
      // A piece that ends exactly on the chunk edge, one that straddles it, and a one-byte piece after it.
      const cuts = [5, MIN_CHUNK_SIZE - 1, MIN_CHUNK_SIZE, Math.min(MIN_CHUNK_SIZE + 1, length)];
      expect(await hashInPieces(CHUNKED_SHA256, data, cuts), `${length} bytes in pieces`).toBe(expected);
      expect(
        await hashInPieces(CHUNKED_SHA256, data, [MIN_CHUNK_SIZE - 2]),
        `${length} bytes, one piece over the edge`,
      ).toBe(expected);
    }
  });

  it('one update that spans several chunks is cut into each of them', async () => {
    const data = patterned(2 * MIN_CHUNK_SIZE + 10);
    const hasher = createObjectHasher(CHUNKED_SHA256, data.length);
    hasher.update(data);
    expect(await hasher.digest()).toBe(chunkedOracle(data));
  });

  it('combineChunkDigests of the chunk digests in order is the value of the whole object', () => {
    const data = patterned(MIN_CHUNK_SIZE + 100);
    const digests = [sha256(data.subarray(0, MIN_CHUNK_SIZE)), sha256(data.subarray(MIN_CHUNK_SIZE))];
    expect(combineChunkDigests(digests)).toBe(chunkedOracle(data));
    expect(combineChunkDigests([...digests].reverse())).not.toBe(chunkedOracle(data));
  });
});

describe('every hash type, however the bytes arrive', () => {
  it('split anywhere, the value is that of the whole (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(300)),
        fc.constantFrom(...SUPPORTED_HASH_TYPES),
        async (data, rawCuts, type) => {
          const cuts = [...new Set(rawCuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
          expect(await hashInPieces(type, data, cuts)).toBe(await hashBytes(data, type));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('SHA256 is the hex SHA-256 of the whole object', async () => {
    const data = patterned(4321);
    expect(await hashBytes(data, LEGACY_SHA256)).toBe(sha256(data).toString('hex'));
  });

  it('CRC64NVME is the base64 of the 8-byte CRC-64/NVME (check value of "123456789": ae8b14860a799888)', async () => {
    expect(await hashBytes(Buffer.from('123456789'), CRC64NVME)).toBe(
      Buffer.from('ae8b14860a799888', 'hex').toString('base64'),
    );
  });

  it('the three types are the ones a manifest may use', () => {
    expect([...SUPPORTED_HASH_TYPES].sort()).toEqual(['CRC64NVME', 'SHA256', 'sha2-256-chunked']);
  });

  it('an unknown type is refused, naming it and what is supported', () => {
    expect(() => createObjectHasher('MD5', 1)).toThrow(UnsupportedHashTypeError);
    expect(() => createObjectHasher('sha256', 1)).toThrow(
      'unsupported hash type "sha256" (supported: sha2-256-chunked, SHA256, CRC64NVME)',
    );
  });
});

describe('hashStream', () => {
  it('hashes a stream of chunks with the size given up front, reporting each chunk as it is read', async () => {
    const data = patterned(MIN_CHUNK_SIZE + 50);
    const pieces = [
      data.subarray(0, 1),
      data.subarray(1, MIN_CHUNK_SIZE + 1),
      data.subarray(MIN_CHUNK_SIZE + 1),
    ];
    const seen: number[] = [];
    const value = await hashStream(Readable.from(pieces), CHUNKED_SHA256, data.length, (n) => seen.push(n));
    expect(value).toBe(chunkedOracle(data));
    expect(seen).toEqual(pieces.map((p) => p.length));
  });

  it('works without a progress callback and for every type', async () => {
    const data = patterned(100);
    for (const type of SUPPORTED_HASH_TYPES) {
      expect(await hashStream(Readable.from([data]), type, data.length)).toBe(await hashBytes(data, type));
    }
  });
});

describe('chunk size (quilt3 get_checksum_chunksize)', () => {
  it('is 8 MiB up to 10,000 chunks of it, then doubles until 10,000 chunks suffice', () => {
    expect(MIN_CHUNK_SIZE).toBe(8 * MiB);
    expect(MAX_CHUNKS).toBe(10_000);
    expect(chunkSizeFor(0)).toBe(8 * MiB);
    expect(chunkSizeFor(1)).toBe(8 * MiB);
    expect(chunkSizeFor(10_000 * 8 * MiB)).toBe(8 * MiB);
    expect(chunkSizeFor(10_000 * 8 * MiB + 1)).toBe(16 * MiB);
    expect(chunkSizeFor(10_000 * 16 * MiB)).toBe(16 * MiB);
    expect(chunkSizeFor(10_000 * 16 * MiB + 1)).toBe(32 * MiB);
    expect(chunkSizeFor(5 * 1024 * 1024 * MiB)).toBe(1024 * MiB); // 5 TiB, S3's object limit
  });

  it('a hasher told a size over 10,000 chunks cuts at the doubled size', async () => {
    // Only the declared size picks the chunk size: 16 MiB of data declared as 80 GB + 1 is one 16 MiB chunk.
    const data = patterned(16 * MiB);
    const hasher = createObjectHasher(CHUNKED_SHA256, 10_000 * 8 * MiB + 1);
    hasher.update(data);
    expect(await hasher.digest()).toBe(chunkedOracle(data, 16 * MiB));
  });
});

describe('S3 ChecksumSHA256 -> sha2-256-chunked (quilt3 _simple_s3_to_quilt_checksum)', () => {
  it('a single-part checksum is hashed once more (it is one chunk digest)', () => {
    const data = patterned(3000);
    const s3 = sha256(data).toString('base64');
    expect(s3ChecksumToChunkedSha256(s3)).toBe(chunkedOracle(data));
  });

  it("a multipart composite 'X-N' already is the chunked value X", () => {
    const data = patterned(MIN_CHUNK_SIZE + 9);
    const composite = `${chunkedOracle(data)}-2`;
    expect(s3ChecksumToChunkedSha256(composite)).toBe(chunkedOracle(data));
  });

  it("the empty object's checksum is its chunked value as it is", () => {
    const empty = createHash('sha256').digest('base64');
    expect(s3ChecksumToChunkedSha256(empty)).toBe(empty);
  });
});
