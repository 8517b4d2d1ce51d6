/**
 * The manifest writer's shortcut for the usual `{type, value}` hash: every hash object, usual or not, is written as
 * the generic Python-compatible encoder writes it (quilt3's bytes), and a written manifest reads back the same.
 */
import { dumpManifestJson, type JsonObject, type JsonValue } from '@mlclients/package-core/json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Manifest } from '../src/manifest.js';
import { readManifest, writeManifest } from '../src/manifest-format.js';

/** Strings with the characters an encoder must escape: quotes, backslashes, controls, non-ASCII, astral. */
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('sha2-256-chunked', 'SHA256', '"', '\\', '\n\t', 'é', '\u2028', '😀', '\u0000', ''),
);
const hashObject: fc.Arbitrary<JsonObject> = fc.oneof(
  fc.tuple(text, text).map(
    ([type, value]) =>
      new Map<string, JsonValue>([
        ['type', type],
        ['value', value],
      ]),
  ),
  fc.tuple(text, text).map(
    ([type, value]) =>
      new Map<string, JsonValue>([
        ['value', value],
        ['type', type],
      ]),
  ),
  fc.tuple(text, fc.integer()).map(
    ([type, n]) =>
      new Map<string, JsonValue>([
        ['type', type],
        ['value', String(n)],
        ['extra', null],
      ]),
  ),
  fc.tuple(text, fc.boolean()).map(
    ([type, b]) =>
      new Map<string, JsonValue>([
        ['type', type],
        ['value', b],
      ]),
  ),
  fc.constant(new Map<string, JsonValue>([['type', 'sha2-256-chunked']])),
);

describe('writing entry hashes', () => {
  it('writes every hash object as the generic encoder does, in its own key order', () => {
    fc.assert(
      fc.property(hashObject, (hash) => {
        const manifest = new Manifest();
        manifest.set({ logicalKey: 'a.txt', physicalKey: 'file:///a.txt', size: 1, hash, meta: new Map() });
        const line = writeManifest(manifest).split('\n')[1] as string;
        expect(line).toContain(`"hash": ${dumpManifestJson(hash)}, "meta": {}}`);
      }),
      { numRuns: 500 },
    );
  });

  it('a manifest written with usual hashes reads back with the same hashes and ends with one newline', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), text), { minLength: 1, maxLength: 20 }),
        (rows) => {
          const manifest = new Manifest();
          rows.forEach(([name, value], i) => {
            manifest.set({
              logicalKey: `${name}${i}`,
              physicalKey: `file:///x/${name}${i}`,
              size: i,
              hash: new Map<string, JsonValue>([
                ['type', 'sha2-256-chunked'],
                ['value', value],
              ]),
              meta: new Map(),
            });
          });
          const written = writeManifest(manifest);
          expect(written.endsWith('}\n')).toBe(true);
          const again = readManifest(written);
          for (const entry of manifest.entries())
            expect(again.get(entry.logicalKey)?.hash).toEqual(entry.hash);
        },
      ),
      { numRuns: 200 },
    );
  });
});
