/**
 * The shared object cache (`pkg.cache(key)`, `datapkg get`): an object is downloaded once and then served from
 * `<cache>/objects/<type>/<hex digest>`; a cached file that was changed, truncated or replaced by a link is
 * downloaded afresh (the link's target left alone); a manifest cannot name a path outside the cache (only supported
 * types and well-formed digests make a path); a corrupt download leaves nothing in the cache.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryBlobStore } from '@mlclients/package-core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectHashMismatchError, PackageNotBuiltError, UnsupportedHashTypeError } from '../src/errors.js';
import { CHUNKED_SHA256, CRC64NVME, hashBytes, LEGACY_SHA256 } from '../src/hashing/object-hash.js';
import { type ManifestEntry, makeHashValue } from '../src/manifest.js';
import { ObjectCache } from '../src/object-cache.js';
import { ObjectSource } from '../src/object-source.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);
beforeAll(async () => {
  work = await tempDir('dp-object-cache-');
});
afterAll(async () => {
  await work.cleanup();
});

/** A source over one memory store that counts how often an object is fetched from it. */
class CountingSource extends ObjectSource {
  fetches = 0;
  readonly url = `memory://cache-${n++}`;
  readonly blobs = new MemoryBlobStore(this.url);

  constructor() {
    super();
    this.register(this.url, this.blobs);
  }

  override async readAll(physicalKey: string, expectedSize?: number): Promise<Uint8Array> {
    this.fetches++;
    return super.readAll(physicalKey, expectedSize);
  }

  override async open(physicalKey: string) {
    this.fetches++;
    return super.open(physicalKey);
  }

  async add(key: string, data: Uint8Array, type = CHUNKED_SHA256): Promise<ManifestEntry> {
    await this.blobs.put(key, data);
    return {
      logicalKey: `pkg/${key}`,
      physicalKey: `${this.url}/${key}`,
      size: data.length,
      hash: makeHashValue({ type, value: await hashBytes(data, type) }),
      meta: new Map(),
    };
  }
}

describe('fetch', () => {
  it('downloads an object once, then serves the verified copy without asking the source', async () => {
    const cache = new ObjectCache(fresh('cache'));
    const source = new CountingSource();
    const entry = await source.add('a.txt', Buffer.from('cached bytes'));
    const path = await cache.fetch(entry, source);
    expect(await readFile(path, 'utf8')).toBe('cached bytes');
    expect(await cache.fetch(entry, source)).toBe(path);
    expect(source.fetches).toBe(1);
  });

  it.skipIf(process.platform !== 'linux')(
    'serving a cached copy leaves no file open, however often',
    async () => {
      const cache = new ObjectCache(fresh('cache'));
      const source = new CountingSource();
      const entry = await source.add('a.txt', Buffer.from('cached bytes'));
      await cache.fetch(entry, source);
      const openFiles = () => readdirSync('/proc/self/fd').length;
      const before = openFiles();
      for (let i = 0; i < 20; i++) await cache.fetch(entry, source);
      expect(openFiles()).toBe(before);
      expect(source.fetches).toBe(1);
    },
  );

  it('keys objects by content: two entries with the same bytes share one file', async () => {
    const cache = new ObjectCache(fresh('cache'));
    const source = new CountingSource();
    const one = await source.add('one', Buffer.from('same'));
    const two = await source.add('two', Buffer.from('same'));
    expect(await cache.fetch(two, source)).toBe(await cache.fetch(one, source));
    expect(source.fetches).toBe(1);
  });

  it.each([
    ['changed in place (same size)', (path: string) => writeFile(path, 'CACHED BYTES')],
    ['truncated', (path: string) => writeFile(path, 'cached')],
  ])('a cached file %s is downloaded afresh', async (_, tamper) => {
    const cache = new ObjectCache(fresh('cache'));
    const source = new CountingSource();
    const entry = await source.add('a.txt', Buffer.from('cached bytes'));
    const path = await cache.fetch(entry, source);
    await tamper(path);
    expect(await readFile(await cache.fetch(entry, source), 'utf8')).toBe('cached bytes');
    expect(source.fetches).toBe(2);
  });

  it('a cached file replaced by a link is downloaded afresh; the link target is never written', async () => {
    const cache = new ObjectCache(fresh('cache'));
    const source = new CountingSource();
    const entry = await source.add('a.txt', Buffer.from('cached bytes'));
    const path = await cache.fetch(entry, source);
    const outside = fresh('outside');
    await writeFile(outside, 'cached bytes'); // even a target with the right bytes is not trusted through a link
    await rm(path);
    await symlink(outside, path);
    const again = await cache.fetch(entry, source);
    expect(again).toBe(path);
    expect(source.fetches).toBe(2);
    expect(await readFile(outside, 'utf8')).toBe('cached bytes');
  });

  it('a folder of the cache replaced by a link is refused, naming it', async () => {
    const dir = fresh('cache');
    const cache = new ObjectCache(dir);
    const source = new CountingSource();
    const entry = await source.add('a.txt', Buffer.from('x'));
    const outside = fresh('outside');
    await mkdir(outside);
    await mkdir(join(dir, 'objects'), { recursive: true });
    await symlink(outside, join(dir, 'objects', CHUNKED_SHA256));
    await expect(cache.fetch(entry, source)).rejects.toThrow(/symbolic link/);
    expect(source.fetches).toBe(0);
  });

  it('a corrupt object is refused by key and leaves nothing in the cache', async () => {
    const cache = new ObjectCache(fresh('cache'));
    const source = new CountingSource();
    const entry = await source.add('a.txt', Buffer.from('good bytes'));
    await source.blobs.put('a.txt', 'evil bytes');
    await expect(cache.fetch(entry, source)).rejects.toThrow(ObjectHashMismatchError);
    expect(existsSync(cache.pathFor(entry))).toBe(false);
  });

  it('large objects (streamed) and every hash type are cached and verified the same way', async () => {
    const cache = new ObjectCache(fresh('cache'));
    const source = new CountingSource();
    const big = Buffer.alloc(2 * 1024 * 1024 + 3, 7);
    for (const type of [CHUNKED_SHA256, LEGACY_SHA256, CRC64NVME]) {
      const entry = await source.add(`big-${type}`, big, type);
      const path = await cache.fetch(entry, source);
      expect((await readFile(path)).equals(big)).toBe(true);
      await cache.fetch(entry, source);
    }
    expect(source.fetches).toBe(3);
  });

  it('evict removes the cached copy (the next fetch downloads again); evicting twice is fine', async () => {
    const cache = new ObjectCache(fresh('cache'));
    const source = new CountingSource();
    const entry = await source.add('a.txt', Buffer.from('bytes'));
    const path = await cache.fetch(entry, source);
    await cache.evict(entry);
    expect(existsSync(path)).toBe(false);
    await cache.evict(entry);
    await cache.fetch(entry, source);
    expect(source.fetches).toBe(2);
  });

  it('an entry with a hash but no size is refused as not built', async () => {
    const cache = new ObjectCache(fresh('cache'));
    const source = new CountingSource();
    const entry = await source.add('a.txt', Buffer.from('bytes'));
    await expect(cache.fetch({ ...entry, size: null }, source)).rejects.toThrow(PackageNotBuiltError);
  });
});

describe('pathFor: only a supported type and a well-formed digest make a path', () => {
  const dir = '/cache';
  const cache = new ObjectCache(dir);
  const entry = (type: string, value: string): ManifestEntry => ({
    logicalKey: 'k',
    physicalKey: 'memory://x/k',
    size: 1,
    hash: makeHashValue({ type, value }),
    meta: new Map(),
  });
  const digest32 = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');

  it('is objects/<type>/<hex digest> for each type', () => {
    expect(cache.pathFor(entry(CHUNKED_SHA256, digest32.toString('base64')))).toBe(
      join(dir, 'objects', CHUNKED_SHA256, digest32.toString('hex')),
    );
    expect(cache.pathFor(entry(LEGACY_SHA256, digest32.toString('hex')))).toBe(
      join(dir, 'objects', LEGACY_SHA256, digest32.toString('hex')),
    );
    expect(cache.pathFor(entry(CRC64NVME, 'AAECAwQFBgc='))).toBe(
      join(dir, 'objects', CRC64NVME, '0001020304050607'),
    );
  });

  it.each([
    [CHUNKED_SHA256, '../../../../etc/passwd', 'a 32-byte base64'],
    [CHUNKED_SHA256, digest32.subarray(0, 31).toString('base64'), 'a 32-byte base64'],
    [CHUNKED_SHA256, `${digest32.toString('base64')}AA==`, 'a 32-byte base64'],
    [CHUNKED_SHA256, digest32.toString('base64').replace('=', ''), 'a 32-byte base64'], // not canonical
    [LEGACY_SHA256, digest32.toString('hex').toUpperCase(), 'a 32-byte hex'], // not how the type writes it
    [LEGACY_SHA256, `${digest32.toString('hex')}/..`, 'a 32-byte hex'],
    [CRC64NVME, 'AAECAwQFBg==', 'a 8-byte base64'],
  ])('%s %j is refused as a malformed digest', (type, value, what) => {
    const error = (() => {
      try {
        cache.pathFor(entry(type, value));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect(String(error)).toContain(`nothing: the manifest's digest is not ${what} value`);
  });

  it('an unknown hash type is refused, naming the entry; an entry without a hash is not built', () => {
    expect(() => cache.pathFor(entry('../x', 'AAAA'))).toThrow(UnsupportedHashTypeError);
    expect(() => cache.pathFor(entry('MD5', 'AAAA'))).toThrow('unsupported hash type "MD5" for "k"');
    expect(() => cache.pathFor({ ...entry(LEGACY_SHA256, 'x'), hash: null })).toThrow(
      new PackageNotBuiltError('entry "k" has no hash to cache it by'),
    );
  });
});
