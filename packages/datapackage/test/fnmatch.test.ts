/**
 * src/fnmatch.ts as Python's `fnmatch.fnmatchcase`: properties over arbitrary names (the Python-decided cases are in
 * quilt3-parity.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnmatchMatcher } from '../src/fnmatch.js';

const name = fc.string({ unit: 'grapheme-composite', maxLength: 30 });
const SPECIAL = new Set(['*', '?', '[']);

/** A pattern matching exactly `text`: special characters go in a one-character set, as in Python (`[*]`). */
function literal(text: string): string {
  return [...text].map((c) => (SPECIAL.has(c) ? `[${c}]` : c)).join('');
}

describe('fnmatch properties', () => {
  it('a literal pattern matches its text and nothing longer or shorter', () => {
    fc.assert(
      fc.property(name, fc.string({ minLength: 1, maxLength: 3 }), (text, extra) => {
        const matches = fnmatchMatcher(literal(text));
        expect(matches(text)).toBe(true);
        expect(matches(text + extra)).toBe(false);
        if (text.length > 0) expect(matches([...text].slice(0, -1).join(''))).toBe(false);
      }),
    );
  });

  it("'*' matches everything, '/' and newlines included; '?' exactly one code point", () => {
    fc.assert(
      fc.property(name, (text) => {
        expect(fnmatchMatcher('*')(text)).toBe(true);
        const points = [...text];
        expect(fnmatchMatcher('?'.repeat(points.length))(text)).toBe(true);
        expect(fnmatchMatcher('?'.repeat(points.length + 1))(text)).toBe(false);
      }),
    );
  });

  it('a prefix + star + suffix pattern matches exactly the names with that prefix and suffix', () => {
    fc.assert(
      fc.property(name, name, name, (prefix, middle, suffix) => {
        const matches = fnmatchMatcher(`${literal(prefix)}*${literal(suffix)}`);
        expect(matches(prefix + middle + suffix)).toBe(true);
        // Any name: a match needs the prefix, the suffix, and room for both (code points, no overlap).
        const candidate = prefix + middle;
        const room = [...candidate].length >= [...prefix].length + [...suffix].length;
        expect(matches(candidate)).toBe(candidate.startsWith(prefix) && candidate.endsWith(suffix) && room);
      }),
    );
  });

  it('sets: ranges, negation, a leading ^ is literal, out-of-order ranges match nothing of theirs', () => {
    expect(fnmatchMatcher('[a-c]')('b')).toBe(true);
    expect(fnmatchMatcher('[!a-c]')('b')).toBe(false);
    expect(fnmatchMatcher('[!a-c]')('/')).toBe(true);
    expect(fnmatchMatcher('[^a]')('^')).toBe(true);
    expect(fnmatchMatcher('[^a]')('b')).toBe(false);
    expect(fnmatchMatcher('[z-a]')('m')).toBe(false);
    expect(fnmatchMatcher('[]]')(']')).toBe(true);
    expect(fnmatchMatcher('[a\\]')('\\')).toBe(true);
    expect(fnmatchMatcher('[a')('[a')).toBe(true);
    expect(fnmatchMatcher('[!]')('[!]')).toBe(true);
    expect(fnmatchMatcher('a[-]b')('a-b')).toBe(true);
  });
});
