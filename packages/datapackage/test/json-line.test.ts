/**
 * The fast manifest-line parser must be indistinguishable from the lossless one: the same Maps, key order and
 * PyNumbers (kind and source text) for every line, and the same error for every line that is not JSON. Checked on the
 * cases where a plain `JSON.parse` would lose something, then on generated lines.
 */
import { JsonSyntaxError, PyNumber, parseJson } from '@mlclients/package-core/json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linesWithInexactNumbers, parseJsonLine } from '../src/json-line.js';

const same = (line: string) => expect(parseJsonLine(line)).toEqual(parseJson(line));

describe('parseJsonLine', () => {
  it('reads a manifest entry line as the lossless parser does', () => {
    const line =
      '{"logical_key": "d0/f0.txt", "physical_keys": ["file:///r/d0/f0.txt"], "size": 200, "hash": {"type": "sha2-256-chunked", "value": "XTFQI4XXEeuU39LfY0EyBd1ksuANg8VjDMTdr2HN3E4="}, "meta": {}}';
    same(line);
    const value = parseJsonLine(line) as Map<string, unknown>;
    expect([...value.keys()]).toEqual(['logical_key', 'physical_keys', 'size', 'hash', 'meta']);
    expect(value.get('size')).toEqual(new PyNumber('200', 'int'));
  });

  it.each([
    ['a float keeps its text and kind', '{"x": 1.0, "y": 1.50, "z": 1e5, "w": 2E-3}'],
    ['-0 stays an int written -0', '{"x": -0}'],
    ['an int beyond 2^53 stays exact', '{"x": 12345678901234567890, "y": -9007199254740993}'],
    ['15 and 16 digits', '[123456789012345, 1234567890123456]'],
    ['integer-like keys keep their order', '{"b": 1, "10": 2, "a": 3, "2": 4}'],
    ['a duplicate key: first position, last value', '{"a": 1, "b": 2, "a": 3}'],
    ['__proto__ is a key like any other', '{"__proto__": {"x": 1}, "y": [1, 2]}'],
    ['digits, dots and exponents inside strings', '{"k1.5e3": "-0 1.0 1e9", "n": 7, "q": "\\"2.5\\""}'],
    ["Python's NaN and Infinity", '{"x": NaN, "y": -Infinity, "z": Infinity}'],
    ['escapes and lone surrogates', '{"s": "\\u00e9\\ud800\\n\\t\\/", "t": "é😀"}'],
    ['deep nesting', `${'['.repeat(200)}1${']'.repeat(200)}`],
    ['scalars', '"just a string"'],
  ])('%s', (_name, line) => same(line));

  it.each([
    ['{"a": 1,}'],
    ['{"a": 01}'],
    ['{"a": 1} x'],
    ['{"a": "\u0001"}'],
    ['{"a": nan}'],
    [''],
    [`${'['.repeat(1002)}${']'.repeat(1002)}`],
  ])('refuses %j with the lossless parser’s error', (line) => {
    let expected: unknown;
    try {
      parseJson(line);
    } catch (error) {
      expected = error;
    }
    expect(expected).toBeInstanceOf(JsonSyntaxError);
    expect(() => parseJsonLine(line)).toThrow((expected as Error).message);
  });

  it('agrees with the lossless parser on generated JSON (any values, any spacing)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 1), (value, indent) => {
        same(JSON.stringify(value, null, indent));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees on generated lines of number tokens Python writes (floats, exponents, -0, big ints)', () => {
    const token = fc.oneof(
      fc.integer().map(String),
      fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n)),
      fc.constantFrom('-0', '0.0', '1.0', '1E+2', '-5e-1', 'NaN', 'Infinity', '-Infinity'),
    );
    const key = fc.oneof(fc.string(), fc.nat().map(String));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, token), { maxLength: 6 }), (pairs) => {
        same(`{${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`);
      }),
      { numRuns: 500 },
    );
  });

  it('a scan of many lines finds, for every JSON line, what a scan of that line alone finds (other lines whatever)', () => {
    const number = fc.constantFrom('1', '-0', '1.5', '2e3', '12345678901234567', '0');
    const jsonLine = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.tuple(fc.string(), number).map(([k, n]) => `{${JSON.stringify(k)}: ${n}, "s": "1.5 \\" 2e3"}`),
    );
    // Not JSON: unbalanced quotes and stray backslashes must not change how the next lines are read.
    const brokenLine = fc.constantFrom('{"a": "1.5', '{"a": "x\\', '"', '\\', '{"a": 1.5 "b', 'x"\\"', '');
    const lines = fc.array(
      fc.oneof(
        jsonLine.map((t) => ({ t, json: true })),
        brokenLine.map((t) => ({ t, json: false })),
      ),
      {
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(lines, (all) => {
        const found = linesWithInexactNumbers(all.map((l) => l.t).join('\n'));
        all.forEach((line, i) => {
          if (line.json) expect(found.has(i)).toBe(linesWithInexactNumbers(line.t).size > 0);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('on any text (JSON or not), finds what a character-by-character scan finds', () => {
    // The scan's definition, one character at a time: strings end at an unescaped quote or at their line's end.
    const reference = (text: string): Set<number> => {
      const found = new Set<number>();
      let line = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') {
          for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++)
            if (text[i] === '\\' && text[i + 1] !== '\n') i++;
          if (text[i] === '\n') line++;
        } else if (c === '\n') line++;
        else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
          const token = /^[-0-9.eE+]+/.exec(text.slice(i))?.[0] as string;
          i += token.length - 1;
          if (!/^(?:0|-?[1-9][0-9]{0,14})$/.test(token)) found.add(line);
        }
      }
      return found;
    };
    const text = fc.string({
      unit: fc.constantFrom('a', '1', '0', '.', '-', 'e', '"', '\\', '\n', ' ', '{', ':'),
    });
    fc.assert(
      fc.property(text, (t) => {
        expect(linesWithInexactNumbers(t)).toEqual(reference(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('numbersExact from such a scan gives the same value as a line scanned alone', () => {
    for (const line of ['{"a": 1.5}', '{"a": 1}', '{"a": "1.5"}']) {
      const exact = linesWithInexactNumbers(line).size === 0;
      expect(parseJsonLine(line, exact)).toEqual(parseJson(line));
    }
  });

  it('the scan flags a JSON line exactly when one of its number tokens (outside strings) is not an exact int', () => {
    // The definition, with regular expressions: strings blanked, then every number token checked.
    const oracle = (line: string) =>
      (line.replace(/"[^"\\]*(?:\\.[^"\\]*)*"/g, '""').match(/-?[0-9][0-9.eE+-]*/g) ?? []).some(
        (token) => !/^(?:0|-?[1-9][0-9]{0,14})$/.test(token),
      );
    const token = fc.oneof(
      fc.integer().map(String),
      fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
      fc.constantFrom(
        '-0',
        '0',
        '0.0',
        '1.0',
        '1E+2',
        '-5e-1',
        '999999999999999',
        '1000000000000000',
        '-1',
        '10',
      ),
    );
    const text = fc.string({ unit: fc.constantFrom('a', '1', '.', '-', 'e', '"', '\\', '\n', ' ') });
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            token,
            text.map((t) => JSON.stringify(t)),
          ),
          { maxLength: 6 },
        ),
        (items) => {
          const line = `[${items.join(', ')}]`;
          expect(linesWithInexactNumbers(line).size > 0).toBe(oracle(line));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
