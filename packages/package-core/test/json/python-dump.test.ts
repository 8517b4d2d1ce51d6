/** `dumpPythonJson` against bytes printed by CPython 3.11's `json.dumps` (Debian 12 /usr/bin/python3). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PyNumber } from '../../src/json/json-value.js';
import { parseJson } from '../../src/json/parse-json.js';
import { fromPlainJson } from '../../src/json/plain-json.js';
import { dumpPythonJson, pythonJsonString } from '../../src/json/python-dump.js';

describe('dumpPythonJson (json.dumps defaults)', () => {
  it('writes separators, numbers, escapes and order as json.dumps does', () => {
    // json.dumps({'a': [1, 2.5, 1e16, 1e-5, nan, inf, -inf, -0.0, 2**64], 'é🐠\x7f': '\u2028"\\\n', 'n': None,
    //             't': True, 'f': False, 'e': {}, 'l': []})
    const python =
      '{"a": [1, 2.5, 1e+16, 1e-05, NaN, Infinity, -Infinity, -0.0, 18446744073709551616], ' +
      '"\\u00e9\\ud83d\\udc20\\u007f": "\\u2028\\"\\\\\\n", "n": null, "t": true, "f": false, "e": {}, "l": []}';
    expect(dumpPythonJson(parseJson(python))).toBe(python);
  });

  it('escapes non-ASCII that arrives unescaped', () => {
    expect(dumpPythonJson(parseJson('["é", {"ü": 1.0}]'))).toBe('["\\u00e9", {"\\u00fc": 1.0}]');
  });

  it('keeps the sign of -0.0 for floats made in JS, as json.dumps(-0.0) does', () => {
    expect(dumpPythonJson(PyNumber.float(-0))).toBe('-0.0');
    expect(dumpPythonJson(fromPlainJson([-0, 0, 2]))).toBe('[-0.0, 0, 2]');
    expect(Object.is(PyNumber.float(-0).toNumber(), -0)).toBe(true);
  });
});

describe('pythonJsonString', () => {
  /** Python's encoder, spelled out: what every code unit becomes. */
  const reference = (value: string, asciiOnly: boolean): string => {
    const short: Record<string, string> = {
      '"': '\\"',
      '\\': '\\\\',
      '\b': '\\b',
      '\f': '\\f',
      '\n': '\\n',
      '\r': '\\r',
      '\t': '\\t',
    };
    let out = '"';
    for (const unit of value.split('')) {
      const c = unit.charCodeAt(0);
      if (short[unit] !== undefined) out += short[unit];
      else if (c < 0x20 || (asciiOnly && c >= 0x7f)) out += `\\u${c.toString(16).padStart(4, '0')}`;
      else out += unit;
    }
    return `${out}"`;
  };
  /** Strings mixing plain ASCII with what must be escaped: quotes, backslashes, controls, DEL, non-ASCII, lone surrogates. */
  const text = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc
      .array(
        fc.constantFrom(
          'a',
          '/',
          '"',
          '\\',
          '\n',
          '\u0000',
          '\u001f',
          '\u007f',
          'é',
          '\u2028',
          '\ud800',
          '😀',
        ),
        { maxLength: 12 },
      )
      .map((units) => units.join('')),
  );

  it('writes every string as Python does, with and without ensure_ascii, and reads back the same', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (value, asciiOnly) => {
        const written = pythonJsonString(value, asciiOnly);
        expect(written).toBe(reference(value, asciiOnly));
        expect(JSON.parse(written)).toBe(value);
        if (asciiOnly) expect(written).toMatch(/^[\x20-\x7e]*$/);
      }),
      { numRuns: 3000 },
    );
  });
});
