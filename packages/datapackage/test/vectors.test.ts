import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkSizeFor } from '../src/hashing/chunk-size.js';
import { FileHasher } from '../src/hashing/file-hasher.js';
import {
  CHUNKED_SHA256,
  CRC64NVME,
  combineChunkDigests,
  hashBytes,
  LEGACY_SHA256,
  s3ChecksumToChunkedSha256,
} from '../src/hashing/object-hash.js';
import { readManifest, writeManifest } from '../src/manifest-format.js';
import { computeTopHash } from '../src/top-hash.js';
import { expected, fixturePath, objectVectorBytes } from './fixtures.js';

describe('top-hash vectors (test/fixtures/quilt/expected.json)', () => {
  for (const vector of expected.top_hash_vectors) {
    it(`${vector.file} hashes to ${vector.top_hash.slice(0, 12)}…`, () => {
      const bytes = readFileSync(fixturePath(vector.file));
      if (!vector.quilt3_loads) {
        expect(() => readManifest(bytes)).toThrow(/has no 'meta'/);
        expect(computeTopHash(readManifest(bytes, { lenient: true }))).toBe(vector.top_hash);
        return;
      }
      const manifest = readManifest(bytes);
      expect(computeTopHash(manifest)).toBe(vector.top_hash);
      // Written back and read again, it still hashes the same.
      expect(computeTopHash(readManifest(writeManifest(manifest)))).toBe(vector.top_hash);
    });
  }
});

describe('rewrite in quilt3 format', () => {
  // The fixture files use compact separators (quilt-rs output); quilt3 writes ", " and ": ". Writing any of them gives
  // quilt3's format, which must then be a fixed point: read + write reproduces it byte for byte.
  for (const vector of expected.top_hash_vectors.filter((v) => v.quilt3_loads)) {
    it(`${vector.file}: written once, rewritten byte for byte, same hash`, () => {
      const once = writeManifest(readManifest(readFileSync(fixturePath(vector.file))));
      expect(once).toMatch(/^\{"/);
      expect(once.endsWith('\n')).toBe(true);
      expect(writeManifest(readManifest(once))).toBe(once);
      expect(computeTopHash(readManifest(once))).toBe(vector.top_hash);
    });
  }
});

describe('quilt3-written lines are reproduced byte for byte', () => {
  it('top_hash_test_manifest.jsonl (written by quilt3): same entry lines, tree order, obsolete top_hash dropped', () => {
    const original = readFileSync(fixturePath('quilt3/top_hash_test_manifest.jsonl'), 'utf8');
    const [header, ...entries] = original.trimEnd().split('\n');
    const rewritten = writeManifest(readManifest(original)).trimEnd().split('\n');
    expect(header).toContain('"top_hash"');
    expect(rewritten[0]).toBe('{"version": "v0"}');
    // Same bytes per entry line (raw UTF-8 Cyrillic, Python separators); tree order puts 'b/…' before 'к…'.
    expect(rewritten.slice(1)).toEqual([entries[1], entries[0]]);
  });
});

describe('object-hash vectors', () => {
  for (const vector of expected.object_hash_vectors) {
    const bytes = objectVectorBytes(vector);
    it(`${vector.content.slice(0, 50)}`, async () => {
      expect(bytes, 'vector content understood').toBeDefined();
      const data = bytes as Buffer;
      expect(data.length).toBe(vector.size);
      expect(await hashBytes(data, CHUNKED_SHA256)).toBe(vector['sha2-256-chunked']);
      expect(await hashBytes(data, LEGACY_SHA256)).toBe(vector.SHA256);
      if (vector.CRC64NVME) expect(await hashBytes(data, CRC64NVME)).toBe(vector.CRC64NVME);
    });
  }

  it('hashes the same vectors from files through the worker pool (1 and 2 workers)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dp-vectors-'));
    try {
      const files: { path: string; value: string; sha: string }[] = [];
      let n = 0;
      for (const vector of expected.object_hash_vectors) {
        const path = join(dir, `v${n++}`);
        await writeFile(path, objectVectorBytes(vector) as Buffer);
        files.push({ path, value: vector['sha2-256-chunked'], sha: vector.SHA256 });
      }
      for (const workers of [1, 2]) {
        const hasher = new FileHasher({ workers });
        try {
          const chunked = await hasher.hashFiles(files.map((f) => f.path));
          const legacy = await hasher.hashFiles(
            files.map((f) => f.path),
            LEGACY_SHA256,
          );
          for (const f of files) {
            expect(chunked.get(f.path)?.value).toBe(f.value);
            expect(legacy.get(f.path)?.value).toBe(f.sha);
          }
        } finally {
          await hasher.close();
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('chunk sizes follow quilt3', () => {
    for (const v of expected.chunk_size_vectors) expect(chunkSizeFor(v.file_size)).toBe(v.chunk_size);
  });

  it('converts S3 ChecksumSHA256 values', () => {
    for (const v of expected.s3_checksum_conversion_vectors) {
      expect(s3ChecksumToChunkedSha256(v.s3_ChecksumSHA256)).toBe(v.quilt_sha2_256_chunked);
    }
  });

  it('combines part digests', () => {
    const parts = ['Hello, ', 'World!'].map((s) => createHash('sha256').update(s).digest());
    expect(combineChunkDigests(parts)).toBe(expected.combine_parts_vectors[0]?.['sha2-256-chunked-combine']);
  });
});
