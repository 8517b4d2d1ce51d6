/** quilt3 `get_checksum_chunksize`: 8 MiB, doubled while the object would need more than 10,000 chunks (S3's part limit). */
export const MIN_CHUNK_SIZE = 8 * 1024 * 1024;
export const MAX_CHUNKS = 10_000;

/** The chunk size quilt3 uses for an object of `size` bytes. */
export function chunkSizeFor(size: number): number {
  let chunk = MIN_CHUNK_SIZE;
  while (Math.ceil(size / chunk) > MAX_CHUNKS) chunk *= 2;
  return chunk;
}
