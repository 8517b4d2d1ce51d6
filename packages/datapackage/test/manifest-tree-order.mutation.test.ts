/**
 * The order a manifest lists its entries in (the manifest file's order and the top hash's): quilt3's tree order,
 * whatever order the entries were added in, including the keys that are in plain string order but not in tree order
 * ('/' sorts below every other character) and keys that are in tree order already (a manifest read from its file).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTreeOrder } from '../src/logical-key.js';
import { Manifest, type ManifestEntry, makeHashValue } from '../src/manifest.js';

function entry(logicalKey: string): ManifestEntry {
  return {
    logicalKey,
    physicalKey: `file:///d/${logicalKey}`,
    size: 1,
    hash: makeHashValue({ type: 'SHA256', value: logicalKey }),
    meta: new Map(),
  };
}

/** The keys of a manifest whose entries were added in this order, as it lists them. */
function listed(keys: string[]): string[] {
  const manifest = new Manifest();
  for (const key of keys) manifest.set(entry(key));
  return manifest.sortedEntries().map((e) => e.logicalKey);
}

const runs = Number(process.env.MUTATE_FAST_CHECK_RUNS ?? 300);

describe('a manifest lists its entries in tree order', () => {
  it("keys in string order but not tree order are listed with '/' first", () => {
    // Each pair: the first key sorts first by code units, the second first in the tree.
    expect(listed(['a-c', 'a/b'])).toEqual(['a/b', 'a-c']);
    expect(listed(['x.txt', 'x/y'])).toEqual(['x/y', 'x.txt']);
    expect(listed(['d e', 'd!', 'd/x'])).toEqual(['d/x', 'd e', 'd!']);
  });

  it('keys that differ after a common part, or only in length, are listed in order', () => {
    expect(listed(['data/b', 'data/a'])).toEqual(['data/a', 'data/b']);
    expect(listed(['ab', 'a'])).toEqual(['a', 'ab']);
    expect(listed(['a/bc', 'a/b/c'])).toEqual(['a/b/c', 'a/bc']);
    expect(listed(['b', 'a', 'c'])).toEqual(['a', 'b', 'c']);
    // In order except for the last pair, or the first.
    expect(listed(['a', 'b', 'd', 'c'])).toEqual(['a', 'b', 'c', 'd']);
    expect(listed(['b', 'a', 'c', 'd'])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('characters beyond U+FFFF are ordered by code point, not by their UTF-16 units', () => {
    // U+1F600 is stored as the units D83D DE00, which sort below U+FF61's one unit; quilt3 compares code points.
    const smiley = 'x\u{1F600}';
    const halfwidth = 'x\uFF61';
    expect(listed([smiley, halfwidth, 'a'])).toEqual(['a', halfwidth, smiley]);
    expect(listed(['a', smiley, halfwidth])).toEqual(['a', halfwidth, smiley]);
    expect(listed([`d/${smiley}`, 'd-e', `d/${halfwidth}`])).toEqual([
      `d/${halfwidth}`,
      `d/${smiley}`,
      'd-e',
    ]);
  });

  it('keys already in tree order are listed as they are', () => {
    const ordered = ['a/b', 'a-c', 'ab', 'b/c/d', 'b/cd', 'b0'];
    expect(listed(ordered)).toEqual(ordered);
    expect(listed([])).toEqual([]);
    expect(listed(['only'])).toEqual(['only']);
  });

  it('any keys in any order are listed as compareTreeOrder sorts them (property)', () => {
    // Few characters, so that keys share prefixes and differ at '/', '-', '.' and in length.
    const segment = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', ' '), minLength: 1, maxLength: 3 });
    const key = fc
      .array(segment, { minLength: 1, maxLength: 3 })
      .map((segments) => segments.join('/'))
      .filter((k) => !k.split('/').some((s) => s === '.' || s === '..'));
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 8 }), fc.boolean(), (keys, presorted) => {
        // No key may be a folder of another (a file where a directory is): keep the first of each such pair.
        const kept: string[] = [];
        for (const k of keys)
          if (!kept.some((other) => other.startsWith(`${k}/`) || k.startsWith(`${other}/`))) kept.push(k);
        const sorted = [...kept].sort(compareTreeOrder);
        expect(listed(presorted ? sorted : kept)).toEqual(sorted);
      }),
      { numRuns: runs },
    );
  });

  it('the order follows entries added and removed after it was first asked for', () => {
    const manifest = new Manifest();
    manifest.set(entry('b'));
    manifest.set(entry('c'));
    expect(manifest.sortedEntries().map((e) => e.logicalKey)).toEqual(['b', 'c']);
    manifest.set(entry('a'));
    expect(manifest.sortedEntries().map((e) => e.logicalKey)).toEqual(['a', 'b', 'c']);
    manifest.delete('b');
    expect(manifest.sortedEntries().map((e) => e.logicalKey)).toEqual(['a', 'c']);
  });
});
