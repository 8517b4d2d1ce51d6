/**
 * The top hash a user compares with quilt3's (`Package.top_hash`): the published vector, what changes it (content,
 * size, metadata, keys, the header) and what does not (where the bytes live, insertion order, a stale `top_hash`
 * field, directory metadata); an unbuilt package is refused by name; short hashes are unique prefixes.
 */
import { readFileSync } from 'node:fs';
import { type JsonObject, type JsonValue, PyNumber } from '@mlclients/package-core/json';
import { describe, expect, it } from 'vitest';
import { PackageNotBuiltError } from '../src/errors.js';
import { Manifest, type ManifestEntry, makeHashValue } from '../src/manifest.js';
import { readManifest } from '../src/manifest-format.js';
import { computeTopHash, shortenTopHash } from '../src/top-hash.js';
import { expected, fixturePath } from './fixtures.js';

const obj = (entries: [string, JsonValue][]): JsonObject => new Map(entries);

function entry(logicalKey: string, over: Partial<ManifestEntry> = {}): ManifestEntry {
  return {
    logicalKey,
    physicalKey: `file:///data/${logicalKey}`,
    size: 3,
    hash: makeHashValue({ type: 'SHA256', value: 'a'.repeat(64) }),
    meta: obj([]),
    ...over,
  };
}

function manifestOf(entries: ManifestEntry[], header?: JsonObject): Manifest {
  const m = new Manifest(header);
  for (const e of entries) m.set(e);
  return m;
}

describe('computeTopHash', () => {
  it('matches the hash quilt3 asserts for its test manifest', () => {
    const vector = expected.top_hash_vectors.find((v) => v.file === 'quilt3/top_hash_test_manifest.jsonl');
    expect(vector).toBeDefined();
    const manifest = readManifest(readFileSync(fixturePath(vector?.file ?? '')));
    expect(computeTopHash(manifest)).toBe(vector?.top_hash);
  });

  it('is a 64-character lowercase hex SHA-256, and the empty package has one too', () => {
    expect(computeTopHash(new Manifest())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on where the bytes live, the order entries were added, or directory metadata', () => {
    const base = computeTopHash(manifestOf([entry('a/x'), entry('b')]));
    expect(computeTopHash(manifestOf([entry('b'), entry('a/x')]))).toBe(base);
    expect(
      computeTopHash(
        manifestOf([entry('a/x', { physicalKey: 's3://bucket/elsewhere?versionId=1' }), entry('b')]),
      ),
    ).toBe(base);
    const withDirMeta = manifestOf([entry('a/x'), entry('b')]);
    withDirMeta.directoryMeta.set('a', obj([['note', 'dir']]));
    expect(computeTopHash(withDirMeta)).toBe(base);
  });

  it("ignores an obsolete top_hash in the header (and leaves the manifest's header untouched)", () => {
    const plain = computeTopHash(manifestOf([entry('k')]));
    const header = obj([
      ['version', 'v0'],
      [
        'top_hash',
        obj([
          ['alg', 'v0'],
          ['value', 'f'.repeat(64)],
        ]),
      ],
    ]);
    const stale = manifestOf([entry('k')], header);
    expect(computeTopHash(stale)).toBe(plain);
    expect(stale.header.has('top_hash')).toBe(true);
  });

  it('changes with the content hash, the size, the metadata, the key and the header', () => {
    const base = computeTopHash(manifestOf([entry('k')]));
    const variants = [
      manifestOf([entry('k', { hash: makeHashValue({ type: 'SHA256', value: 'b'.repeat(64) }) })]),
      manifestOf([entry('k', { size: 4 })]),
      manifestOf([entry('k', { meta: obj([['user_meta', obj([['x', PyNumber.int(1)]])]]) })]),
      manifestOf([entry('k2')]),
      manifestOf(
        [entry('k')],
        obj([
          ['version', 'v0'],
          ['message', 'hello'],
        ]),
      ),
      manifestOf([entry('k'), entry('l')]),
    ];
    const hashes = variants.map(computeTopHash);
    expect(new Set([base, ...hashes]).size).toBe(variants.length + 1);
  });

  it('an entry without a hash or a size is refused, naming the entry and what is missing', () => {
    expect(() => computeTopHash(manifestOf([entry('ok'), entry('data/raw.csv', { hash: null })]))).toThrow(
      new PackageNotBuiltError(
        'cannot compute the top hash: entry "data/raw.csv" has no hash (build the package first)',
      ),
    );
    const noSize = () => computeTopHash(manifestOf([entry('big.bin', { size: null })]));
    expect(noSize).toThrow(PackageNotBuiltError);
    expect(noSize).toThrow('entry "big.bin" has no size (build the package first)');
  });
});

describe('shortenTopHash', () => {
  const h = (prefix: string) => prefix.padEnd(64, '0');

  it('is 7 characters when no other hash shares them', () => {
    expect(shortenTopHash(h('abcdef12'), [h('abcdef12'), h('1234567'), h('abcdeg')])).toBe('abcdef1');
    expect(shortenTopHash(h('abcdef12'), [])).toBe('abcdef1');
  });

  it('grows until it is unique among the others', () => {
    expect(shortenTopHash(h('abcdef123'), [h('abcdef124')])).toBe('abcdef123');
    expect(shortenTopHash(h('abcdef1234'), [h('abcdef1299'), h('abcdef1235')])).toBe('abcdef1234');
    expect(shortenTopHash(h('abcdef12'), [h('abcdef11')])).toBe('abcdef12');
  });

  it('is the whole hash when another hash starts with all of it', () => {
    const full = 'abcdef1234';
    expect(shortenTopHash(full, [`${full}5`])).toBe(full);
  });

  it('does not count the hash itself as a collision', () => {
    const full = h('abcdef12');
    expect(shortenTopHash(full, [full, full])).toBe('abcdef1');
  });
});
