import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertValidBlobKey, blobKeyProblem, InvalidBlobKeyError } from '../../src/storage/index.js';

/** Keys built from segments that are often '', '.', '..' or dotted names, so every rule is hit. */
const segment = fc.oneof(
  fc.constantFrom('', '.', '..', '...', '.a', 'a.', '..b', 'b..'),
  fc.stringMatching(/^[A-Za-z0-9._ -]{1,6}$/),
);
const key = fc.array(segment, { minLength: 1, maxLength: 6 }).map((segments) => segments.join('/'));

describe('blob keys', () => {
  it('refuses exactly the keys with an empty, "." or ".." segment, naming the first one', () => {
    fc.assert(
      fc.property(key, (k) => {
        const bad = k.startsWith('/')
          ? undefined
          : k.split('/').find((s) => s === '' || s === '.' || s === '..');
        const problem = blobKeyProblem(k);
        if (k.length === 0) expect(problem).toBe('empty');
        else if (k.startsWith('/')) expect(problem).toBe('must be relative');
        else if (bad === undefined) expect(problem).toBeUndefined();
        else expect(problem).toBe(`segment ${JSON.stringify(bad)} is not allowed`);
      }),
      { numRuns: 2000 },
    );
  });

  it('keys a store accepts and refuses, with the reason in the error', () => {
    for (const ok of ['a', 'a/b.txt', '.hidden/..data/x..', 'a/.../b', '...'])
      expect(blobKeyProblem(ok)).toBeUndefined();
    expect(() => assertValidBlobKey('a//b')).toThrow(InvalidBlobKeyError);
    expect(() => assertValidBlobKey('a/b/')).toThrow('segment "" is not allowed');
    expect(() => assertValidBlobKey('a/./b')).toThrow('segment "." is not allowed');
    expect(() => assertValidBlobKey('../etc/passwd')).toThrow('segment ".." is not allowed');
    expect(() => assertValidBlobKey('/abs')).toThrow('must be relative');
    expect(() => assertValidBlobKey('a\0b')).toThrow('contains NUL');
  });
});
