/**
 * The BlobStore conformance suite: the same behaviours checked against every store (memory, fs, S3, ...).
 *
 *   describeBlobStore('FsBlobStore', async () => new FsBlobStore(await mkdtemp(...)));
 *
 * `makeStore` is called before every test and must return an EMPTY store (a fresh directory, a fresh S3 prefix), so
 * tests can list everything they wrote. This file imports nothing from the stores, only the interface.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { BlobNotFoundError, type BlobStore } from '../../src/storage/blob-store.js';

export interface BlobStoreConformanceOptions {
  /** Size of the object streamed in and out by the large-object test, in bytes. @default 12 MiB */
  largeObjectBytes?: number;
  /** How many keys the listing test writes (make it exceed the store's page size to test pagination). @default 30 */
  listKeyCount?: number;
  /** Strings that must never appear in `url` or error messages (credentials). */
  secrets?: string[];
  /** Called after every test with the store it used (delete a temp dir, ...). */
  cleanup?: (store: BlobStore) => Promise<void> | void;
}

const MiB = 1024 * 1024;

async function streamToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function listAll(store: BlobStore, prefix: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for await (const info of store.list(prefix)) {
    expect(found.has(info.key), `listed twice: ${info.key}`).toBe(false);
    found.set(info.key, info.size);
  }
  return found;
}

/** Deterministic pseudo-random bytes, generated chunk by chunk (never the whole object in memory). */
function* patternChunks(total: number, chunkSize = 256 * 1024): Generator<Buffer> {
  let seed = 0x9e3779b9;
  for (let offset = 0; offset < total; offset += chunkSize) {
    const chunk = Buffer.allocUnsafe(Math.min(chunkSize, total - offset));
    for (let i = 0; i < chunk.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      chunk[i] = seed >>> 24;
    }
    yield chunk;
  }
}

/** A stream that yields some data, then fails: a connection or disk failing mid-upload. */
function failingStream(): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.from('partial data that must never become visible');
      throw new Error('source stream failed');
    })(),
  );
}

export function describeBlobStore(
  name: string,
  makeStore: () => BlobStore | Promise<BlobStore>,
  options: BlobStoreConformanceOptions = {},
): void {
  const largeObjectBytes = options.largeObjectBytes ?? 12 * MiB;
  const listKeyCount = options.listKeyCount ?? 30;

  describe(`BlobStore conformance: ${name}`, () => {
    let store: BlobStore;

    beforeEach(async () => {
      store = await makeStore();
      return async () => {
        await options.cleanup?.(store);
      };
    });

    it('has a url without credentials, and logging the store does not show them', async () => {
      expect(typeof store.url).toBe('string');
      expect(store.url.length).toBeGreaterThan(0);
      await store.exists('any'); // stores that create clients lazily have one now
      for (const secret of options.secrets ?? []) {
        expect(store.url).not.toContain(secret);
        expect(inspect(store, { depth: 20 })).not.toContain(secret);
      }
    });

    it('round-trips a string, as bytes and as a stream', async () => {
      await store.put('a/hello.txt', 'hello, wörld\n');
      expect(Buffer.from(await store.getBytes('a/hello.txt')).toString('utf8')).toBe('hello, wörld\n');
      expect((await streamToBuffer(await store.get('a/hello.txt'))).toString('utf8')).toBe('hello, wörld\n');
    });

    it('round-trips binary bytes (every byte value)', async () => {
      const bytes = new Uint8Array(512).map((_, i) => i % 256);
      await store.put('bin/all-bytes', bytes);
      expect(Buffer.from(await store.getBytes('bin/all-bytes')).equals(Buffer.from(bytes))).toBe(true);
    });

    it('round-trips a multi-chunk stream', async () => {
      const parts = ['one,', 'two,', 'three'].map((s) => Buffer.from(s));
      await store.put('stream/x', Readable.from(parts));
      expect(Buffer.from(await store.getBytes('stream/x')).toString()).toBe('one,two,three');
    });

    it('stores an empty object', async () => {
      await store.put('empty', '');
      expect((await store.getBytes('empty')).length).toBe(0);
      expect((await streamToBuffer(await store.get('empty'))).length).toBe(0);
      expect((await store.head('empty'))?.size).toBe(0);
      expect(await store.exists('empty')).toBe(true);
    });

    it('stores an empty stream', async () => {
      await store.put('empty-stream', Readable.from([]));
      expect((await store.getBytes('empty-stream')).length).toBe(0);
    });

    it('overwrites an existing key', async () => {
      await store.put('k', 'first version, longer');
      await store.put('k', 'second');
      expect(Buffer.from(await store.getBytes('k')).toString()).toBe('second');
      expect((await store.head('k'))?.size).toBe(6);
    });

    it('reports metadata with head', async () => {
      await store.put('dir/meta.bin', new Uint8Array(1234));
      const info = await store.head('dir/meta.bin');
      expect(info).toBeDefined();
      expect(info!.key).toBe('dir/meta.bin');
      expect(info!.size).toBe(1234);
      if (info!.lastModified !== undefined) {
        expect(info!.lastModified).toBeInstanceOf(Date);
        expect(Number.isNaN(info!.lastModified.getTime())).toBe(false);
      }
    });

    it('reports a missing key: head -> undefined, exists -> false, get/getBytes -> BlobNotFoundError', async () => {
      await store.put('present', 'x');
      expect(await store.head('missing/key')).toBeUndefined();
      expect(await store.exists('missing/key')).toBe(false);
      for (const read of [() => store.get('missing/key'), () => store.getBytes('missing/key')]) {
        const error = await read().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(BlobNotFoundError);
        expect((error as BlobNotFoundError).name).toBe('BlobNotFoundError');
        expect((error as BlobNotFoundError).key).toBe('missing/key');
        // inspect shows the message, the stack and the `cause` chain: what a logger would print.
        for (const secret of options.secrets ?? [])
          expect(inspect(error, { depth: 20 })).not.toContain(secret);
      }
    });

    it('does not treat a key prefix as an object', async () => {
      await store.put('folder/file', 'x');
      expect(await store.exists('folder')).toBe(false);
      await expect(store.getBytes('folder')).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it('deletes, and deleting a missing key is not an error', async () => {
      await store.put('gone/soon', 'bye');
      await store.delete('gone/soon');
      expect(await store.exists('gone/soon')).toBe(false);
      await expect(store.getBytes('gone/soon')).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.delete('gone/soon')).resolves.toBeUndefined();
      await expect(store.delete('never/existed')).resolves.toBeUndefined();
    });

    it('keeps keys with spaces, unicode and URL-special characters', async () => {
      const keys = [
        'sp ace/file name.txt',
        'ünï/cødé-✓.json',
        'special/a+b=c&d;e,f@g$h!.txt',
        'pct/100%25 done#1?q',
        'plus/a+b a%2Bb',
        // Control characters: XML cannot carry them, so S3 listings must be URL-encoded to survive them.
        'ctl/tab\there bell\u0007',
      ];
      for (const [i, key] of keys.entries()) await store.put(key, `value ${i}`);
      for (const [i, key] of keys.entries()) {
        expect(Buffer.from(await store.getBytes(key)).toString()).toBe(`value ${i}`);
        expect(await store.exists(key)).toBe(true);
      }
      expect([...(await listAll(store, '')).keys()].sort()).toEqual([...keys].sort());
    });

    it('lists by prefix: relative keys, sizes, nested folders, partial segments', async () => {
      const objects: Record<string, string> = {
        '.quilt/packages/aaa': 'manifest-a',
        '.quilt/packages/abc': 'manifest-abc',
        '.quilt/named_packages/user/pkg/latest': 'aaa',
        '.quilt/named_packages/user/pkg/1700000000': 'aaa',
        '.quilt/named_packages/user/pkg2/latest': 'abc',
        'user/pkg/data.csv': 'a,b\n1,2\n',
      };
      for (const [key, value] of Object.entries(objects)) await store.put(key, value);

      const everything = await listAll(store, '');
      expect(Object.fromEntries(everything)).toEqual(
        Object.fromEntries(Object.entries(objects).map(([k, v]) => [k, Buffer.byteLength(v)])),
      );
      expect([...(await listAll(store, '.quilt/named_packages/')).keys()].sort()).toEqual([
        '.quilt/named_packages/user/pkg/1700000000',
        '.quilt/named_packages/user/pkg/latest',
        '.quilt/named_packages/user/pkg2/latest',
      ]);
      // A prefix is a string prefix, not a folder: 'pkg' also matches 'pkg2'.
      expect([...(await listAll(store, '.quilt/named_packages/user/pkg')).keys()].length).toBe(3);
      expect([...(await listAll(store, '.quilt/packages/a')).keys()].sort()).toEqual([
        '.quilt/packages/aaa',
        '.quilt/packages/abc',
      ]);
      expect((await listAll(store, 'nothing/here/')).size).toBe(0);

      await store.delete('user/pkg/data.csv');
      expect((await listAll(store, 'user/')).size).toBe(0);
    });

    it(`lists every key of a larger folder (${listKeyCount} keys)`, async () => {
      const keys = Array.from({ length: listKeyCount }, (_, i) => `many/${String(i).padStart(4, '0')}`);
      // A few at a time: fast, and still in parallel like a registry push.
      for (let i = 0; i < keys.length; i += 8) {
        await Promise.all(keys.slice(i, i + 8).map((key) => store.put(key, key)));
      }
      const listed = await listAll(store, 'many/');
      expect([...listed.keys()].sort()).toEqual(keys);
      for (const key of keys) expect(listed.get(key)).toBe(Buffer.byteLength(key));
    });

    it('rejects invalid keys on put', async () => {
      for (const key of ['', '/absolute', 'a//b', '../escape', 'a/./b', 'a/../b']) {
        await expect(store.put(key, 'x'), `key ${JSON.stringify(key)}`).rejects.toThrow();
      }
      expect((await listAll(store, '')).size).toBe(0);
    });

    it('never exposes a partial object when a stream put fails', async () => {
      await store.put('atomic/existing', 'old complete value');
      await expect(store.put('atomic/existing', failingStream())).rejects.toThrow();
      expect(Buffer.from(await store.getBytes('atomic/existing')).toString()).toBe('old complete value');

      await expect(store.put('atomic/new', failingStream())).rejects.toThrow();
      expect(await store.exists('atomic/new')).toBe(false);
      expect([...(await listAll(store, 'atomic/')).keys()]).toEqual(['atomic/existing']);
    });

    it(`streams a large object (${(largeObjectBytes / MiB).toFixed(1)} MiB) in and out intact`, async () => {
      const expected = createHash('sha256');
      for (const chunk of patternChunks(largeObjectBytes)) expected.update(chunk);
      await store.put('large/object.bin', Readable.from(patternChunks(largeObjectBytes)));

      expect((await store.head('large/object.bin'))?.size).toBe(largeObjectBytes);
      const actual = createHash('sha256');
      let size = 0;
      for await (const chunk of await store.get('large/object.bin')) {
        actual.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      expect(size).toBe(largeObjectBytes);
      expect(actual.digest('hex')).toBe(expected.digest('hex'));
    });

    it('handles concurrent puts and reads of different keys', async () => {
      const keys = Array.from({ length: 12 }, (_, i) => `concurrent/${i}`);
      await Promise.all(keys.map((key) => store.put(key, Readable.from([Buffer.from(key)]))));
      const values = await Promise.all(
        keys.map(async (key) => Buffer.from(await store.getBytes(key)).toString()),
      );
      expect(values).toEqual(keys);
    });
  });
}
