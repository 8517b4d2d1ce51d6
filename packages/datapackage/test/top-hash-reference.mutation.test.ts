/**
 * The top hash is quilt3's definition whatever the manifest holds: SHA-256 over canonicalJson of the header (without
 * `top_hash`) and of `{hash, logical_key, meta, size}` per entry in tree order. Checked against that definition written
 * with the generic encoder, for large manifests (thousands of entries) and for hash objects that are not the usual two
 * ASCII strings (extra fields, numbers, non-ASCII text), which a fast encoder could get wrong.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type JsonObject, type JsonValue, PyNumber } from '@mlclients/package-core/json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Manifest, type ManifestEntry } from '../src/manifest.js';
import { computeTopHash } from '../src/top-hash.js';

/** quilt3's definition, with the generic canonical encoder only. */
function referenceTopHash(manifest: Manifest): string {
  const hasher = createHash('sha256');
  const header = new Map(manifest.header);
  header.delete('top_hash');
  hasher.update(canonicalJson(header));
  for (const e of manifest.sortedEntries()) {
    const hashed: JsonObject = new Map<string, JsonValue>([
      ['hash', e.hash as JsonObject],
      ['logical_key', e.logicalKey],
      ['meta', e.meta],
      ['size', PyNumber.int(e.size as number)],
    ]);
    hasher.update(canonicalJson(hashed));
  }
  return hasher.digest('hex');
}

function entry(logicalKey: string, hash: JsonObject, meta: JsonObject = new Map(), size = 1): ManifestEntry {
  return { logicalKey, physicalKey: `file:///d/${logicalKey}`, size, hash, meta };
}

const sha = (value: string): JsonObject =>
  new Map<string, JsonValue>([
    ['type', 'SHA256'],
    ['value', value],
  ]);

const runs = Number(process.env.MUTATE_FAST_CHECK_RUNS ?? 200);

describe('the top hash is the definition applied to every entry', () => {
  it('a manifest of thousands of entries (far more than one batch of text)', () => {
    for (const count of [1, 700, 3000]) {
      const manifest = new Manifest(
        new Map<string, JsonValue>([
          ['version', 'v0'],
          ['message', 'many'],
        ]),
      );
      for (let i = 0; i < count; i++) {
        const meta =
          i % 3 === 0
            ? new Map<string, JsonValue>([['user_meta', new Map([['i', PyNumber.int(i)]])]])
            : new Map();
        manifest.set(
          entry(`data/part-${String(i).padStart(5, '0')}.csv`, sha(`${i}`.repeat(8)), meta, i * 7),
        );
      }
      expect(computeTopHash(manifest)).toBe(referenceTopHash(manifest));
    }
  });

  it('hash objects with other fields, other value types or non-ASCII text', () => {
    const hashes: JsonObject[] = [
      new Map<string, JsonValue>([
        ['type', 'CRC64NVME'],
        ['value', 'abc='],
        ['extra', 'x'],
      ]),
      new Map<string, JsonValue>([
        ['type', 'SHA256'],
        ['value', PyNumber.int(42)],
      ]),
      new Map<string, JsonValue>([
        ['type', PyNumber.int(7)],
        ['value', 'abc'],
      ]),
      new Map<string, JsonValue>([['value', 'only']]),
      // Two fields, one of them with an empty name: not {type, value}, whatever their values.
      new Map<string, JsonValue>([
        ['', 'SHA256'],
        ['value', 'v'],
      ]),
      new Map<string, JsonValue>([
        ['type', 'SHA256'],
        ['', 'v'],
      ]),
      new Map<string, JsonValue>([
        ['type', 'SHA256'],
        ['value', 'caf\u00e9 \u2603'],
      ]),
      new Map<string, JsonValue>([
        ['type', 't\u00ffpe'],
        ['value', 'v'],
      ]),
    ];
    for (const hash of hashes) {
      const manifest = new Manifest();
      manifest.set(entry('a', hash));
      manifest.set(entry('b', sha('plain')));
      expect(computeTopHash(manifest)).toBe(referenceTopHash(manifest));
    }
  });

  it('logical keys and hash strings with any characters: quotes, backslashes, controls, DEL, non-ASCII (property)', () => {
    // The usual keys and values need no escape and skip the character loop: every other string must be escaped
    // exactly as the generic encoder does.
    const text = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
      fc.constantFrom(
        '"',
        '\\',
        '\u007f',
        '\u0000',
        '\u001f',
        ' ',
        '~',
        '!',
        '#',
        '[',
        ']',
        '\u00e9',
        '\u2028',
        '\ud83d\ude00',
      ),
    );
    const key = fc
      .array(text, { minLength: 1, maxLength: 3 })
      .map((parts) => parts.join('').replaceAll('/', '_'));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, text, text), { selector: ([k]) => k, minLength: 1, maxLength: 4 }),
        (entries) => {
          const manifest = new Manifest();
          for (const [k, type, value] of entries) {
            manifest.set(
              entry(
                k,
                new Map<string, JsonValue>([
                  ['type', type],
                  ['value', value],
                ]),
              ),
            );
          }
          expect(computeTopHash(manifest)).toBe(referenceTopHash(manifest));
        },
      ),
      { numRuns: runs },
    );
  });

  it('any hash object of strings and numbers, any metadata (property)', () => {
    const scalar = fc.oneof(
      fc.string(),
      fc.integer().map((n) => PyNumber.int(n)),
    );
    const hash = fc
      .record({
        type: scalar,
        value: scalar,
        extra: fc.option(fc.tuple(fc.string({ minLength: 1 }), scalar), { nil: undefined }),
      })
      .map(({ type, value, extra }) => {
        const m = new Map<string, JsonValue>([
          ['type', type],
          ['value', value],
        ]);
        if (extra && extra[0] !== 'type' && extra[0] !== 'value') m.set(extra[0], extra[1]);
        return m as JsonObject;
      });
    const meta = fc
      .dictionary(fc.string(), scalar, { maxKeys: 2 })
      .map((d) => new Map<string, JsonValue>(Object.entries(d)) as JsonObject);
    fc.assert(
      fc.property(fc.array(fc.tuple(hash, meta), { minLength: 1, maxLength: 5 }), (entries) => {
        const manifest = new Manifest();
        entries.forEach(([h, m], i) => {
          manifest.set(entry(`k${i}`, h, m, i));
        });
        expect(computeTopHash(manifest)).toBe(referenceTopHash(manifest));
      }),
      { numRuns: runs },
    );
  });
});
