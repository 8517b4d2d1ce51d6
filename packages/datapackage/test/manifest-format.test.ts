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
import { Manifest, makeHashValue } from '../src/manifest.js';
import { readManifest, writeManifest } from '../src/manifest-format.js';
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
