/** Paths and vectors of the quilt fixtures in test/fixtures/quilt (never computed by the code under test). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Copied from the project's shared fixtures (see fixtures/README.md), so a clone without `../shared` runs them. */
export const QUILT_FIXTURES = resolve(here, 'fixtures/quilt');

export interface TopHashVector {
  file: string;
  top_hash: string;
  kind: string;
  quilt3_loads: boolean;
}

export interface ObjectHashVector {
  content: string;
  size: number;
  SHA256: string;
  'sha2-256-chunked': string;
  CRC64NVME?: string;
}

export interface ExpectedVectors {
  top_hash_vectors: TopHashVector[];
  object_hash_vectors: ObjectHashVector[];
  chunk_size_vectors: { file_size: number; chunk_size: number }[];
  s3_checksum_conversion_vectors: { s3_ChecksumSHA256: string; quilt_sha2_256_chunked: string }[];
  combine_parts_vectors: { 'sha2-256-chunked-combine': string }[];
}

export const expected = JSON.parse(
  readFileSync(join(QUILT_FIXTURES, 'expected.json'), 'utf8'),
) as ExpectedVectors;

export function fixturePath(relative: string): string {
  return join(QUILT_FIXTURES, relative);
}

/** Rebuilds the bytes an object-hash vector describes from its `content` text. */
export function objectVectorBytes(vector: ObjectHashVector): Buffer | undefined {
  const content = vector.content;
  let match = /^ascii "(.*)"$/.exec(content);
  if (match) return Buffer.from(match[1] as string, 'ascii');
  if (content.startsWith('empty')) return Buffer.alloc(0);
  match = /^"(.*)" repeated (\d+) times/.exec(content);
  if (match) return Buffer.from((match[1] as string).repeat(Number(match[2])), 'ascii');
  match = /^(\d+) zero bytes/.exec(content);
  if (match) return Buffer.alloc(Number(match[1]));
  match = /^file (\S+)/.exec(content);
  if (match) return readFileSync(fixturePath(match[1] as string));
  return undefined;
}
