/**
 * Logical keys a user may put in a package: what quilt3 allows stays allowed; whatever could write outside the
 * install folder on some OS (a drive letter, '..' between backslashes, an absolute path) or into datapkg's own state
 * is refused before anything is written, with the reason in the message. Directory keys normalise; tree order is
 * quilt3's.
 */
import { describe, expect, it } from 'vitest';
import { InvalidLogicalKeyError } from '../src/errors.js';
import {
  compareTreeOrder,
  normalizeDirectoryKey,
  parentDirectories,
  validateLogicalKey,
} from '../src/logical-key.js';

function problem(key: unknown): string | undefined {
  try {
    validateLogicalKey(key as string);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidLogicalKeyError);
    return (err as Error).message;
  }
}

describe('validateLogicalKey', () => {
  it('accepts what quilt3 accepts, and returns the key unchanged', () => {
    for (const key of [
      'a',
      'a/b/c.csv',
      'a\\b',
      'name with spaces',
      '.hidden',
      'a/.b',
      'x..y',
      'a/b..',
      'C',
      'ab:c',
      '1:x',
      'é/ü',
    ]) {
      expect(validateLogicalKey(key)).toBe(key);
    }
  });

  it('refuses drive-letter keys (C:x, c:\\x, z:/x)', () => {
    for (const key of ['C:x', 'c:\\windows', 'z:/etc', 'C:']) {
      expect(problem(key)).toBe(
        `invalid logical key ${JSON.stringify(key)}: drive-letter paths are not allowed`,
      );
    }
  });

  it("refuses '..' between backslashes or mixed separators", () => {
    for (const key of ['a\\..\\b', '..\\x', 'x\\..', 'a/..\\b', 'a\\../b']) {
      expect(problem(key)).toBe(
        `invalid logical key ${JSON.stringify(key)}: '..' between backslashes is not allowed`,
      );
    }
  });

  it("refuses '..', '.', empty segments, absolute keys and NUL, whatever the separator", () => {
    for (const key of ['../x', 'a/../b', 'a/./b', 'a//b', '/etc/passwd', 'a\0b', '']) {
      expect(problem(key)).toMatch(/^invalid logical key /);
    }
  });

  it('refuses a key ending in / (a directory, not a file)', () => {
    expect(problem('data/')).toBe('invalid logical key "data/": it names a directory, not a file');
    expect(problem('/data/')).not.toContain('names a directory');
  });

  it("refuses keys inside the install folder's state directory, and only there", () => {
    expect(problem('.datapkg/install.json')).toBe(
      `invalid logical key ".datapkg/install.json": '.datapkg/' is reserved for datapkg's own state`,
    );
    expect(problem('.datapkg')).toContain('reserved');
    expect(validateLogicalKey('a/.datapkg/x')).toBe('a/.datapkg/x');
    expect(validateLogicalKey('.datapkg2/x')).toBe('.datapkg2/x');
  });

  it('refuses a non-string key', () => {
    expect(problem(42)).toBe('invalid logical key "42": it is not a string');
  });
});

describe('normalizeDirectoryKey', () => {
  it("maps '', '.', '/' and './' style roots to ''", () => {
    for (const key of ['', '.', '/', '//', '/./'.slice(0, 2)]) expect(normalizeDirectoryKey(key)).toBe('');
  });

  it('strips leading and trailing slashes and validates the rest', () => {
    expect(normalizeDirectoryKey('/a/b/')).toBe('a/b');
    expect(normalizeDirectoryKey('a//')).toBe('a');
    expect(normalizeDirectoryKey('//a/b//')).toBe('a/b');
    expect(() => normalizeDirectoryKey('a/../b/')).toThrow(InvalidLogicalKeyError);
    expect(() => normalizeDirectoryKey('C:/dir')).toThrow(InvalidLogicalKeyError);
  });
});

describe('compareTreeOrder', () => {
  const sorted = (keys: string[]) => [...keys].sort(compareTreeOrder);

  it("walks segment by segment, so 'a/b' sorts before 'a-c' (plain string order says the opposite)", () => {
    expect(sorted(['a-c', 'a/b'])).toEqual(['a/b', 'a-c']);
    expect('a-c' < 'a/b').toBe(true);
  });

  it('puts a parent before its children and shorter paths first on a tie', () => {
    expect(compareTreeOrder('a', 'a/b')).toBeLessThan(0);
    expect(compareTreeOrder('a/b', 'a')).toBeGreaterThan(0);
    expect(compareTreeOrder('a/b', 'a/b')).toBe(0);
    expect(sorted(['b', 'a/b/c', 'a/b', 'a', 'a/a'])).toEqual(['a', 'a/a', 'a/b', 'a/b/c', 'b']);
  });

  it('compares by code point (uppercase before lowercase, astral after U+FFFF)', () => {
    expect(sorted(['b', 'B', 'a'])).toEqual(['B', 'a', 'b']);
    expect(sorted(['\u{1F600}', '\uFFFD'])).toEqual(['\uFFFD', '\u{1F600}']);
  });
});

describe('parentDirectories', () => {
  it('lists every enclosing directory, outermost first', () => {
    expect(parentDirectories('a/b/c')).toEqual(['a', 'a/b']);
    expect(parentDirectories('top')).toEqual([]);
  });
});
