/**
 * Reading entry lines in quilt3's usual shape with one regular expression (readManifest's fast path) gives the entry
 * the general path (JSON.parse, then the lossless parser where needed) gives for the same line: checked by reading
 * each manifest twice, as written and with its entry lines re-spaced so that no line has that shape.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManifestFormatError } from '../src/errors.js';
import { Manifest, type ManifestEntry } from '../src/manifest.js';
import { quilt3Entry, readManifest, writeManifest } from '../src/manifest-format.js';

/** An entry line with Python's separators replaced by compact ones: the same JSON, read by the general path only. */
function respaced(line: string): string {
  return JSON.stringify(JSON.parse(line));
}

/** The same manifest text, every entry line read by the general path. */
function generalPathText(text: string): string {
  const [header, ...lines] = text.split('\n');
  return [header, ...lines.map((line) => (line === '' ? line : respaced(line)))].join('\n');
}

const plainEntries = (manifest: Manifest) =>
  manifest.sortedEntries().map((e: ManifestEntry) => ({
    logicalKey: e.logicalKey,
    physicalKey: e.physicalKey,
    size: e.size,
    hash: e.hash && [...e.hash],
    meta: [...e.meta],
  }));

/** Strings with what a JSON string must escape (quotes, backslashes, controls) and what it need not (DEL, non-ASCII). */
const text = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('"', '\\', '\u007f', '\u0000', '\u001f', '\t', '\u00e9', '\u2028', '\ud83d\ude00'),
);
const size = fc.oneof(
  fc.constantFrom(0, 1, 999_999_999_999_999, 1_000_000_000_000_000, Number.MAX_SAFE_INTEGER),
  fc.nat(),
);

describe('reading quilt3-shaped entry lines', () => {
  it('gives the entry the general path gives, whatever the keys, hashes and sizes hold (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(text, text, size, text, text, fc.boolean()), {
          selector: ([key]) => key.replaceAll('/', '_'),
          minLength: 1,
          maxLength: 6,
        }),
        (rows) => {
          const manifest = new Manifest();
          for (const [key, physical, bytes, type, value, withMeta] of rows) {
            manifest.set({
              logicalKey: `k${key.replaceAll('/', '_')}`,
              physicalKey: `file:///${physical}`,
              size: bytes,
              hash: new Map([
                ['type', type],
                ['value', value],
              ]),
              meta: withMeta ? new Map([['user_meta', value]]) : new Map(),
            });
          }
          const written = writeManifest(manifest);
          const fast = readManifest(written);
          expect(plainEntries(fast)).toEqual(plainEntries(readManifest(generalPathText(written))));
          expect(plainEntries(fast)).toEqual(plainEntries(manifest));
          expect(writeManifest(fast)).toBe(written);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lines near the shape read as the general path reads them: escapes, long or odd numbers, other fields', () => {
    const hash = '{"type": "sha2-256-chunked", "value": "v="}';
    const lines = [
      `{"logical_key": "a\\"b", "physical_keys": ["file:///x"], "size": 1, "hash": ${hash}, "meta": {}}`,
      `{"logical_key": "a\\u00e9", "physical_keys": ["file:///x"], "size": 1, "hash": ${hash}, "meta": {}}`,
      `{"logical_key": "a", "physical_keys": ["file:///x"], "size": 1234567890123456, "hash": ${hash}, "meta": {}}`,
      `{"logical_key": "a", "physical_keys": ["file:///x"], "size": 1.0, "hash": ${hash}, "meta": {}}`,
      `{"logical_key": "a", "physical_keys": ["file:///x"], "size": null, "hash": null, "meta": {}}`,
      `{"logical_key": "a", "physical_keys": ["file:///x", "file:///y"], "size": 1, "hash": ${hash}, "meta": {}}`,
      `{"logical_key": "a", "physical_keys": ["file:///x"], "size": 1, "hash": ${hash}, "meta": {"k": 1}}`,
      `{"logical_key": "a", "physical_keys": ["file:///x"], "size": 1, "hash": {"value": "v=", "type": "t"}, "meta": {}}`,
      `{"logical_key": "a", "physical_keys": ["file:///x"], "size": 1, "hash": ${hash}, "meta": {}} `,
    ];
    for (const line of lines) {
      const text = `{"version": "v0"}\n${line}\n`;
      expect(plainEntries(readManifest(text)), line).toEqual(
        plainEntries(readManifest(`{"version": "v0"}\n${respaced(line)}\n`)),
      );
    }
  });

  it('a line in the shape whose size has a leading zero or a sign is not JSON and is refused', () => {
    for (const bad of ['01', '-1', '+1']) {
      const line = `{"logical_key": "a", "physical_keys": ["file:///x"], "size": ${bad}, "hash": {"type": "t", "value": "v"}, "meta": {}}`;
      const read = () => readManifest(`{"version": "v0"}\n${line}\n`);
      if (bad === '-1') expect(read).toThrow(/size/);
      else expect(read).toThrow(ManifestFormatError);
    }
  });

  it('duplicate keys among fast-path lines are refused with their line number', () => {
    const line = `{"logical_key": "a", "physical_keys": ["file:///x"], "size": 1, "hash": {"type": "t", "value": "v"}, "meta": {}}`;
    expect(() => readManifest(`{"version": "v0"}\n${line}\n${line}\n`)).toThrow(
      /duplicate logical key "a".*3|line 3/,
    );
  });
});

describe('the fast path is taken', () => {
  it('for the entry lines datapkg and quilt3 write most often (else every test above would pass without it)', () => {
    const manifest = new Manifest();
    const entry: ManifestEntry = {
      logicalKey: 'data/f1.txt',
      physicalKey: 'file:///registry/team/p/data/f1.txt',
      size: 4096,
      hash: new Map([
        ['type', 'sha2-256-chunked'],
        ['value', 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg='],
      ]),
      meta: new Map(),
    };
    manifest.set(entry);
    const line = writeManifest(manifest).split('\n')[1] as string;
    expect(quilt3Entry(line)).toEqual(entry);
    expect(quilt3Entry(JSON.stringify(JSON.parse(line)))).toBeUndefined(); // compact separators: the general path
  });
});
