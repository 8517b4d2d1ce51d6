/** The shared BlobStore conformance suite (test/storage/conformance.ts) run against the memory and fs stores. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../src/storage/fs.js';
import { MemoryBlobStore } from '../../src/storage/memory.js';
import { openBlobStore } from '../../src/storage/open-blob-store.js';
import { ReadOnlyBlobStoreError, UrlBlobStore } from '../../src/storage/url.js';
import { describeBlobStore } from './conformance.js';

describeBlobStore(
  'MemoryBlobStore',
  async () => new MemoryBlobStore(`memory://${randomBytes(4).toString('hex')}`),
);

describeBlobStore('FsBlobStore', async () => new FsBlobStore(await mkdtemp(join(tmpdir(), 'dp-fs-store-'))), {
  cleanup: async (store) => rm((store as FsBlobStore).root, { recursive: true, force: true }),
});

describe('openBlobStore', () => {
  it('picks the store from the URL', async () => {
    expect(await openBlobStore('/tmp/x')).toBeInstanceOf(FsBlobStore);
    expect(await openBlobStore('file:///tmp/x')).toBeInstanceOf(FsBlobStore);
    expect(await openBlobStore('memory://same')).toBe(await openBlobStore('memory://same'));
    expect(await openBlobStore('https://example.invalid/base')).toBeInstanceOf(UrlBlobStore);
    await expect(openBlobStore('ftp://host/x')).rejects.toThrow(/unsupported store URL "ftp:\/\/host\/x"/);
  });

  it('never echoes credentials from a URL', async () => {
    for (const url of ['ftp://me:hunter2-secret@host/x', 'https://me:hunter2-secret@data.example/root']) {
      const error = await openBlobStore(url).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error, url).toBeInstanceOf(Error);
      expect(error?.message).not.toContain('hunter2-secret');
      expect(error?.stack).not.toContain('hunter2-secret');
    }
  });

  it('loads the S3 store lazily for s3:// URLs', async () => {
    const store = await openBlobStore('s3://some-bucket/some/prefix', {});
    expect(store.url).toBe('s3://some-bucket/some/prefix');
  });
});

describe('UrlBlobStore', () => {
  it('reads through fetch and refuses writes', async () => {
    const fake = (async (url: string) =>
      url.endsWith('/a%20b/c.txt')
        ? new Response('hello')
        : new Response('nope', { status: 404 })) as unknown as typeof fetch;
    const store = new UrlBlobStore('https://data.example/root/', fake);
    expect(new TextDecoder().decode(await store.getBytes('a b/c.txt'))).toBe('hello');
    await expect(store.getBytes('missing')).rejects.toThrow(/no object at 'missing'/);
    await expect(store.put()).rejects.toThrow(ReadOnlyBlobStoreError);
  });
});
