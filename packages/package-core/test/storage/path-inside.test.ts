import { join, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { relativeInside } from '../../src/storage/index.js';

const root = join(sep, 'srv', 'registry');
/** Path segments a folder walk or a key can produce, including names that merely start with dots. */
const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/).filter((s) => s !== '.' && s !== '..');

describe('relativeInside', () => {
  it('gives the relative path of the root itself and of anything below it', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), (segments) => {
        expect(relativeInside(root, join(root, ...segments))).toBe(segments.join(sep));
      }),
    );
  });

  it('refuses what lies outside: the parent, a sibling, a path that climbs out, another tree', () => {
    expect(relativeInside(root, join(sep, 'srv'))).toBeUndefined();
    expect(relativeInside(root, join(sep, 'srv', 'registry-2', 'x'))).toBeUndefined();
    expect(relativeInside(root, join(root, '..', 'outside'))).toBeUndefined();
    expect(relativeInside(root, join(sep, 'etc', 'passwd'))).toBeUndefined();
  });

  it('keeps a first segment that only starts with two dots inside (..data is not ..)', () => {
    expect(relativeInside(root, join(root, '..data', 'x'))).toBe(join('..data', 'x'));
    expect(relativeInside(root, join(root, '..'))).toBeUndefined();
  });
});
