/** Package names (quilt3 PACKAGE_NAME_FORMAT with Unicode \w, without Python's `$`-before-newline quirk) and specs. */
import { describe, expect, it } from 'vitest';
import { InvalidPackageNameError, PackageUsageError } from '../src/errors.js';
import { parsePackageSpec, validatePackageName } from '../src/package-name.js';

describe('package names', () => {
  it.each(['user/pkg', 'José/paquete', 'a_b/c-d', 'u1/2'])('accepts %s', (name) => {
    expect(validatePackageName(name)).toBe(name);
  });
  it.each(['a/b/c', 'a/', '/b', 'b', 'a.b/c', 'a/b c', 'a/b\n', ''])('refuses %j', (name) => {
    expect(() => validatePackageName(name)).toThrow(InvalidPackageNameError);
  });
});

describe('package specs', () => {
  it('parses name, name:tag and name@hash', () => {
    expect(parsePackageSpec('team/data')).toEqual({ name: 'team/data' });
    expect(parsePackageSpec('team/data:v1.2')).toEqual({ name: 'team/data', tag: 'v1.2' });
    expect(parsePackageSpec('team/data:1700000000')).toEqual({ name: 'team/data', tag: '1700000000' });
    expect(parsePackageSpec('team/data@abcdef12')).toEqual({ name: 'team/data', hash: 'abcdef12' });
  });
  it('refuses a tag and a hash together, and malformed hashes', () => {
    expect(() => parsePackageSpec('team/data:v1@abcdef')).toThrow(PackageUsageError);
    expect(() => parsePackageSpec('team/data@ABCDEF')).toThrow(/6 to 64 lowercase hex digits/);
    expect(() => parsePackageSpec('team/data@abc')).toThrow(/6 to 64 lowercase hex digits/);
    expect(() => parsePackageSpec('team/data:../x')).toThrow(/invalid tag/);
  });
});
