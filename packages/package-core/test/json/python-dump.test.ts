/** `dumpPythonJson` against bytes printed by CPython 3.11's `json.dumps` (Debian 12 /usr/bin/python3). */
import { describe, expect, it } from 'vitest';
import { PyNumber } from '../../src/json/json-value.js';
import { parseJson } from '../../src/json/parse-json.js';
import { fromPlainJson } from '../../src/json/plain-json.js';
import { dumpPythonJson } from '../../src/json/python-dump.js';

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
