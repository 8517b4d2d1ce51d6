/**
 * The derived cases of the fact sheet (tree order, numbers, Unicode, directory metadata, the push --dir header),
 * checked against hand-written expectations, plus fast-check round trips. (Python float repr and the two JSON
 * encodings on their own: package-core's test/json.)
 */
import { createHash } from 'node:crypto';
import {
  canonicalJson,
  dumpManifestJson,
  type JsonValue,
  PyNumber,
  pythonFloatRepr,
} from '@mlclients/package-core/json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidLogicalKeyError, ManifestFormatError } from '../src/errors.js';
import { compareTreeOrder, validateLogicalKey } from '../src/logical-key.js';
import { Manifest, makeHashValue, sortInTreeOrder } from '../src/manifest.js';
import { manifestPieces, readManifest, writeManifest } from '../src/manifest-format.js';
import { computeTopHash } from '../src/top-hash.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const HASH = '{"type": "sha2-256-chunked", "value": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}';

describe('tree order and the top hash', () => {
  it("walks segment by segment: 'a/b' before 'a-c' (a flat sort gives the wrong hash)", () => {
    const text = `{"version": "v0", "message": null}
{"logical_key": "a-c", "physical_keys": ["s3://b/a-c"], "size": 0, "hash": ${HASH}, "meta": {}}
{"logical_key": "a/b", "physical_keys": ["s3://b/a/b"], "size": 0, "hash": ${HASH}, "meta": {}}
`;
    const manifest = readManifest(text);
    const part = (key: string) =>
      `{"hash":{"type":"sha2-256-chunked","value":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},"logical_key":"${key}","meta":{},"size":0}`;
    const header = '{"message":null,"version":"v0"}';
    expect(computeTopHash(manifest)).toBe(sha256(header + part('a/b') + part('a-c')));
    expect(computeTopHash(manifest)).not.toBe(sha256(header + part('a-c') + part('a/b')));
    // And the writer emits tree order too.
    expect(writeManifest(manifest).split('\n')[1]).toContain('"a/b"');
  });

  it('directory metadata and physical keys are not hashed; directory lines are written in tree order', () => {
    const text = `{"version": "v0", "message": null}
{"logical_key": "d/", "meta": {"split": "train"}}
{"logical_key": "d/x", "physical_keys": ["file:///x"], "size": 0, "hash": ${HASH}, "meta": {}}
`;
    const withMeta = readManifest(text);
    const without = readManifest(
      text
        .replace('{"logical_key": "d/", "meta": {"split": "train"}}\n', '')
        .replace('file:///x', 's3://b/x'),
    );
    expect(computeTopHash(withMeta)).toBe(computeTopHash(without));
    expect(writeManifest(withMeta)).toBe(text);
  });

  it('the `quilt3 push --dir` header has user_meta null, which differs from an absent user_meta', () => {
    const pushDir = new Manifest(new Map<string, never>());
    pushDir.header.set('version', 'v0');
    pushDir.header.set('user_meta', null);
    pushDir.header.set('message', null);
    expect(writeManifest(pushDir)).toBe('{"version": "v0", "user_meta": null, "message": null}\n');
    expect(computeTopHash(pushDir)).toBe(sha256('{"message":null,"user_meta":null,"version":"v0"}'));
    // The quilt-rs vector for an empty build without user_meta: 2a5a6715…
    const empty = readManifest('{"version": "v0", "message": null}\n');
    expect(computeTopHash(empty)).toBe('2a5a67156ca9238c14d12042db51c5b52260fdd5511b61ea89b58929d6e1769b');
  });

  it('writes entry keys in quilt3 order with meta always present', () => {
    const manifest = new Manifest();
    manifest.header.set('message', 'hi');
    manifest.set({
      logicalKey: 'ü/a b.txt',
      physicalKey: 's3://b/%C3%BC/a%20b.txt?versionId=v1',
      size: 3,
      hash: makeHashValue({ type: 'SHA256', value: 'ab' }),
      meta: new Map([['user_meta', new Map([['n', new PyNumber('1.0', 'float')]])]]),
    });
    expect(writeManifest(manifest)).toBe(
      '{"version": "v0", "message": "hi"}\n' +
        '{"logical_key": "ü/a b.txt", "physical_keys": ["s3://b/%C3%BC/a%20b.txt?versionId=v1"], "size": 3, "hash": {"type": "SHA256", "value": "ab"}, "meta": {"user_meta": {"n": 1.0}}}\n',
    );
  });
});

describe('reading refuses what quilt3 refuses, naming the line', () => {
  const header = '{"version": "v0"}\n';
  const entry = (key: string) =>
    `{"logical_key": "${key}", "physical_keys": ["s3://b/k"], "size": 0, "hash": ${HASH}, "meta": {}}\n`;
  it('duplicate keys', () => {
    expect(() => readManifest(header + entry('a') + entry('a'))).toThrow(/line 3: duplicate logical key "a"/);
  });
  it('blank lines and a BOM', () => {
    expect(() => readManifest(`${header}\n${entry('a')}`)).toThrow(/line 2: blank line/);
    expect(() => readManifest(`\uFEFF${header}`)).toThrow(ManifestFormatError);
    // The same manifest as bytes, as a registry gives it.
    expect(() => readManifest(Buffer.from(`\uFEFF${header}`, 'utf8'))).toThrow(
      /line 1: starts with a byte-order mark/,
    );
  });
  it('invalid JSON', () => {
    expect(() => readManifest(`${header}{"logical_key": }\n`)).toThrow(/line 2: unexpected/);
  });
  it('a file where a directory is', () => {
    expect(() => readManifest(header + entry('a') + entry('a/b'))).toThrow(/line 3/);
  });
});

describe('logical keys (property tests)', () => {
  const segment = fc
    .string({ minLength: 1, maxLength: 8 })
    .filter((s) => !s.includes('/') && !s.includes('\0') && s !== '.' && s !== '..' && !s.includes('\\'));
  it('accepts keys made of ordinary segments', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const key = segments.join('/');
        fc.pre(!/^[A-Za-z]:/.test(key));
        expect(validateLogicalKey(key)).toBe(key);
      }),
    );
  });

  it("refuses any key containing a '..' segment, '//', NUL, or a leading '/'", () => {
    const poison = fc.constantFrom('..', '', '\0', 'x\0y');
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 3 }),
        poison,
        fc.array(segment, { maxLength: 3 }),
        (before, bad, after) => {
          const key = [...before, bad, ...after].join('/');
          expect(() => validateLogicalKey(key)).toThrow(InvalidLogicalKeyError);
        },
      ),
    );
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), (segments) => {
        expect(() => validateLogicalKey(`/${segments.join('/')}`)).toThrow(InvalidLogicalKeyError);
      }),
    );
  });

  it('tree order is a total order consistent with segment comparison', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')),
          { maxLength: 20 },
        ),
        (keys) => {
          const sorted = [...keys].sort(compareTreeOrder);
          for (let i = 1; i < sorted.length; i++)
            expect(compareTreeOrder(sorted[i - 1] as string, sorted[i] as string)).toBeLessThanOrEqual(0);
        },
      ),
    );
  });
});

describe('round trip (property): random packages write -> read -> same top hash and same bytes', () => {
  const jsonLeaf = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.string(),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => new PyNumber(n.toString(), 'int')),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => new PyNumber(pythonFloatRepr(d), 'float')),
  );
  const jsonValue = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      jsonLeaf,
      fc.array(tie('value'), { maxLength: 3 }),
      tie('object'),
    ),
    object: fc
      .array(fc.tuple(fc.string({ maxLength: 6 }), tie('value')), { maxLength: 4 })
      .map((pairs) => new Map(pairs)),
  }));
  const key = fc
    .array(
      fc.string({ minLength: 1, maxLength: 5 }).filter((s) => !s.includes('/') && s !== '.' && s !== '..'),
      { minLength: 1, maxLength: 3 },
    )
    .map((s) => s.join('/'));

  it('holds', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { maxLength: 8 }),
        fc.option(jsonValue.value, { nil: undefined }),
        fc.array(jsonValue.object, { minLength: 8, maxLength: 8 }),
        (keys, userMeta, metas) => {
          const manifest = new Manifest();
          if (userMeta !== undefined) manifest.header.set('user_meta', userMeta as never);
          manifest.header.set('message', 'm');
          keys.forEach((k, i) => {
            try {
              manifest.set({
                logicalKey: k,
                physicalKey: `s3://bucket/${i}`,
                size: i,
                hash: makeHashValue({ type: 'sha2-256-chunked', value: `v${i}` }),
                meta: new Map([['user_meta', metas[i] as never]]),
              });
            } catch {
              // file/directory conflicts between random keys are skipped
            }
          });
          const written = writeManifest(manifest);
          const reread = readManifest(written);
          expect(computeTopHash(reread)).toBe(computeTopHash(manifest));
          expect(writeManifest(reread)).toBe(written);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the fast encoders agree with the generic ones (property)', () => {
  // Keys with '/', characters below '/', non-ASCII, astral characters (surrogate pairs), lone surrogates and U+E000+.
  const char = fc.oneof(
    fc.constantFrom(
      '/',
      '-',
      '.',
      ' ',
      '!',
      'a',
      'Z',
      '\u007f',
      '\u00e9',
      '\ue000',
      '\uffff',
      '\ud800',
      '\udfff',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  const key = fc
    .array(char, { minLength: 1, maxLength: 8 })
    .map((chars) => chars.join(''))
    .filter((k) => !k.startsWith('/') && !k.endsWith('/') && !k.includes('//'));
  const size = fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 53 - 1, 2 ** 53, 2 ** 60, 1e21));
  const meta = fc.oneof(
    fc.constant(new Map<string, JsonValue>()),
    fc.string().map((s) => new Map<string, JsonValue>([['user_meta', new Map([['note', s]])]])),
  );
  const hash = fc.oneof(
    fc.string().map((v) => makeHashValue({ type: 'sha2-256-chunked', value: v })),
    fc.string().map(
      (v) =>
        new Map<string, JsonValue>([
          ['value', v],
          ['type', 'SHA256'],
        ]),
    ),
    fc.string().map(
      (v) =>
        new Map<string, JsonValue>([
          ['type', 'CRC64NVME'],
          ['value', v],
          ['extra', PyNumber.int(1)],
        ]),
    ),
  );

  it('sortInTreeOrder is compareTreeOrder on keys already in order, one swap away from it, or in any order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 12 }), fc.nat(), (keys, swapAt) => {
        const sorted = [...keys].sort(compareTreeOrder);
        const swapped = [...sorted];
        const i = swapAt % Math.max(1, swapped.length - 1);
        if (swapped.length > 1)
          [swapped[i], swapped[i + 1]] = [swapped[i + 1] as string, swapped[i] as string];
        for (const order of [sorted, swapped, keys]) expect(sortInTreeOrder([...order])).toEqual(sorted);
      }),
      { numRuns: 1000 },
    );
    // In code-unit order but not in tree order ('/' sorts below '-', ' ' and '!'), and a prefix before its extension.
    expect(sortInTreeOrder(['a-c', 'a/b'])).toEqual(['a/b', 'a-c']);
    expect(sortInTreeOrder(['d e', 'd!', 'd/x', 'd'])).toEqual(['d', 'd/x', 'd e', 'd!']);
    expect(sortInTreeOrder(['ab', 'a'])).toEqual(['a', 'ab']);
  });

  it('tree order, top hash and manifest bytes are those of compareTreeOrder, canonicalJson and dumpManifestJson', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, size, meta, hash), { selector: (e) => e[0], maxLength: 12 }),
        (rows) => {
          const manifest = new Manifest();
          for (const [k, s, m, h] of rows) {
            try {
              manifest.set({ logicalKey: k, physicalKey: `file:///d/${k}`, size: s, hash: h, meta: m });
            } catch {
              // file/directory conflicts between random keys are skipped
            }
          }
          const entries = [...manifest.entries()].sort((a, b) =>
            compareTreeOrder(a.logicalKey, b.logicalKey),
          );
          expect(manifest.sortedEntries().map((e) => e.logicalKey)).toEqual(entries.map((e) => e.logicalKey));

          const top = createHash('sha256').update(canonicalJson(manifest.header));
          const lines = [dumpManifestJson(manifest.header)];
          for (const e of entries) {
            const fields: [string, JsonValue][] = [
              ['hash', e.hash],
              ['logical_key', e.logicalKey],
              ['meta', e.meta],
              ['size', PyNumber.int(e.size as number)],
            ];
            top.update(canonicalJson(new Map(fields)));
            lines.push(
              dumpManifestJson(
                new Map<string, JsonValue>([
                  ['logical_key', e.logicalKey],
                  ['physical_keys', [e.physicalKey]],
                  ['size', PyNumber.int(e.size as number)],
                  ['hash', e.hash],
                  ['meta', e.meta],
                ]),
              ),
            );
          }
          expect(computeTopHash(manifest)).toBe(top.digest('hex'));
          expect(writeManifest(manifest)).toBe(`${lines.join('\n')}\n`);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('reading entry lines (property): the JSON.parse path for ordinary lines reads what the general path reads', () => {
  // Raw JSON text for each field, ordinary or not: floats, -0, big ints, integer-like keys, wrong types, nulls.
  const jsonText = fc.oneof(
    fc.constantFrom(
      'null',
      'true',
      '""',
      '"x"',
      '[]',
      '{}',
      '0',
      '-0',
      '1.0',
      '1e3',
      '12345678901234567890',
      '[1, 2]',
    ),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    fc.constantFrom(
      '{"10": 1, "a": 2}',
      '{"a": {"b": [1.5, -0]}}',
      '{"user_meta": {"n": 1, "f": 2.50}}',
      '-1',
      `${'['.repeat(1001)}${']'.repeat(1001)}`, // deeper than the lossless parser accepts
    ),
  );
  // An ordinary line (what quilt3 writes, with varied values), then at most one change: a field replaced by other
  // JSON, a field dropped, or one more field.
  const ordinaryFields = fc.tuple(
    fc.constantFrom('"a"', '"b/c"', '"d/e/f"', '"a/x"', '"dir/"', '"\\u00e9"'),
    fc.constantFrom('["s3://b/k"]', '["file:///r/k", "s3://b/k"]'),
    fc.oneof(fc.nat().map(String), fc.constant('null')),
    fc.constantFrom(HASH, 'null', '{"value": "ab", "type": "SHA256"}'),
    fc.constantFrom('{}', 'null', '{"user_meta": {"k": "v", "n": [1, {"z": null}]}}'),
  );
  const NAMES = ['logical_key', 'physical_keys', 'size', 'hash', 'meta'];
  const change = fc.oneof(
    fc.constant(undefined),
    fc.tuple(fc.constant('replace'), fc.nat(4), jsonText),
    fc.tuple(fc.constant('drop'), fc.nat(4), fc.constant('')),
    fc.tuple(fc.constant('add'), fc.constantFrom('"extra"', '"__proto__"', '"size"', '"10"'), jsonText),
  );
  const entryLine = fc.tuple(ordinaryFields, change).map(([values, edit]) => {
    const fields: string[] = values.map((text, i) => `"${NAMES[i]}": ${text}`);
    if (edit?.[0] === 'replace') fields[edit[1] as number] = `"${NAMES[edit[1] as number]}": ${edit[2]}`;
    if (edit?.[0] === 'drop') fields.splice(edit[1] as number, 1);
    if (edit?.[0] === 'add') fields.push(`${edit[1]}: ${edit[2]}`);
    return fields;
  });

  it('the same manifest, or the same error, with or without a field that sends every line the general way', () => {
    fc.assert(
      fc.property(fc.array(entryLine, { minLength: 1, maxLength: 4 }), fc.boolean(), (lines, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = (general: boolean) =>
          `{"version": "v0"}${eol}${lines.map((fields) => `{${[...fields, ...(general ? ['"_": 0.5'] : [])].join(', ')}}${eol}`).join('')}`;
        const read = (general: boolean) => {
          try {
            const manifest = readManifest(text(general), { lenient: false });
            return { manifest, bytes: writeManifest(manifest) };
          } catch (error) {
            return { error: (error as Error).message };
          }
        };
        const fast = read(false);
        const general = read(true);
        expect(fast).toEqual(general);
      }),
      { numRuns: 500 },
    );
  });

  it('an ordinary line reads as its Maps and numbers, wherever floats are in the manifest', () => {
    const text = `{"version": "v0", "user_meta": {"f": 1.5}}\n{"logical_key": "a", "physical_keys": ["s3://b/k"], "size": 12, "hash": ${HASH}, "meta": {"user_meta": {"n": 7}}}\n`;
    const manifest = readManifest(text);
    expect(manifest.header.get('user_meta')).toEqual(new Map([['f', new PyNumber('1.5', 'float')]]));
    const entry = manifest.get('a');
    expect(entry?.size).toBe(12);
    expect(entry?.meta).toEqual(new Map([['user_meta', new Map([['n', new PyNumber('7', 'int')]])]]));
    expect(writeManifest(manifest)).toBe(text);
  });
});

describe('manifestPieces (how a local registry writes a manifest)', () => {
  it('joined, the pieces are the manifest bytes; each ends a line and is at least the piece length but the last', () => {
    const key = fc
      .array(fc.constantFrom('a', 'b', 'é', '日', ' ', '"', '\\'), { minLength: 1, maxLength: 6 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 600 }),
        (keys, pieceLength) => {
          const manifest = new Manifest(new Map([['version', 'v0']]));
          keys.forEach((k, i) => {
            manifest.set({
              logicalKey: `d/${k}`,
              physicalKey: `file:///src/${i}`,
              size: i,
              hash: makeHashValue({ type: 'sha2-256-chunked', value: `v${i}` }),
              meta: i % 3 === 0 ? new Map([['user_meta', k]]) : new Map(),
            });
          });
          const pieces = [...manifestPieces(manifest, pieceLength)];
          expect(pieces.join('')).toBe(writeManifest(manifest));
          for (const piece of pieces) expect(piece.endsWith('\n')).toBe(true);
          for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(pieceLength);
        },
      ),
    );
  });
});
