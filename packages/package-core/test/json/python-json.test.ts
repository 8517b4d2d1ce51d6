/**
 * Python `json` compatibility of the lossless reader/writer: float repr, exact ints, the two encodings quilt3 uses
 * (canonical for the top hash, manifest lines), checked against what Python prints.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson, dumpManifestJson, parseJson, pythonFloatRepr } from '../../src/json/index.js';

describe('Python float repr (quilt3 re-serialises floats with repr)', () => {
  const cases: [string, string][] = [
    ['1.0', '1.0'],
    ['1.50', '1.5'],
    ['1E2', '100.0'],
    ['1e16', '1e+16'],
    ['1e-5', '1e-05'],
    ['0.0001', '0.0001'],
    ['-0.0', '-0.0'],
    ['1000000000000000.0', '1000000000000000.0'],
    ['1.5e300', '1.5e+300'],
    ['123456789.125', '123456789.125'],
    ['2.5e-7', '2.5e-07'],
  ];
  for (const [input, repr] of cases) {
    it(`${input} -> ${repr}`, () => expect(pythonFloatRepr(Number(input))).toBe(repr));
  }

  it('ints stay exact, beyond 2^53, and -0 becomes 0', () => {
    expect(canonicalJson(parseJson('[12345678901234567890123, -0, 7]'))).toBe(
      '[12345678901234567890123,0,7]',
    );
  });
});

describe('canonical JSON (the top-hash input)', () => {
  it('sorts keys by code point, not UTF-16 units, and escapes non-ASCII as lowercase \\u', () => {
    // U+FF01 sorts before U+1F600 in code-point order; UTF-16 order would put the surrogate pair first.
    const value = parseJson('{"\uFF01": 1, "\uD83D\uDE00": 2, "é": "куилт", "del\u007F": null}');
    expect(canonicalJson(value)).toBe(
      '{"del\\u007f":null,"\\u00e9":"\\u043a\\u0443\\u0438\\u043b\\u0442","\\uff01":1,"\\ud83d\\ude00":2}',
    );
  });

  it('manifest lines keep raw UTF-8, insertion order and Python separators', () => {
    const value = parseJson('{"b": [1, 2.0], "a": {"ü": "x/y\\n"}}');
    expect(dumpManifestJson(value)).toBe('{"b": [1, 2.0], "a": {"ü": "x/y\\n"}}');
  });

  it('refuses NaN in a manifest line but hashes it like Python', () => {
    const value = parseJson('{"x": NaN}');
    expect(canonicalJson(value)).toBe('{"x":NaN}');
    expect(() => dumpManifestJson(value)).toThrow(/NaN/);
  });
});
