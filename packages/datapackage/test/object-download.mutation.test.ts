/**
 * A download that fails after its target file was created (here: the caller's progress callback throws, as a
 * progress bar that breaks would) fails with that error and leaves no half-written file behind, read whole or
 * streamed. (Written for the datapackage/object-transfer mutation area: object-download.test.ts only makes the
 * target fail before it exists.)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryBlobStore } from '@mlclients/package-core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNKED_SHA256, hashBytes } from '../src/hashing/object-hash.js';
import { makeHashValue } from '../src/manifest.js';
import { downloadVerified, SMALL_OBJECT_BYTES } from '../src/object-download.js';
import { ObjectSource } from '../src/object-source.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir('dp-object-download-fail-');
});
afterAll(async () => {
  await work.cleanup();
});

describe('a download that fails once its file exists', () => {
  it.each([
    ['read whole', 10],
    ['streamed', SMALL_OBJECT_BYTES + 10],
  ])('%s: the error comes back and no file is left', async (_how, size) => {
    const data = Buffer.alloc(size, 7);
    const url = `memory://download-fail-${size}`;
    const store = new MemoryBlobStore(url);
    await store.put('obj', data);
    const source = new ObjectSource();
    source.register(url, store);
    const entry = {
      logicalKey: 'data/object.bin',
      physicalKey: `${url}/obj`,
      size,
      hash: makeHashValue({ type: CHUNKED_SHA256, value: await hashBytes(data, CHUNKED_SHA256) }),
      meta: new Map(),
    };
    const target = join(work.path, `target-${size}`);
    const broken = new Error('progress display failed');
    await expect(
      downloadVerified(entry, source, target, () => {
        throw broken;
      }),
    ).rejects.toBe(broken);
    expect(existsSync(target)).toBe(false);
  });
});
