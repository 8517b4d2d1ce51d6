/**
 * The manifest's tree rules as a package author meets them: a key is a file or a directory, never both; deleting the
 * last file of a directory leaves no directory behind; deleting a directory removes its files and its metadata;
 * copies are independent.
 */
import { type JsonObject, type JsonValue, PyNumber } from '@mlclients/package-core/json';
import { describe, expect, it } from 'vitest';
import { PackageKeyConflictError, PackageKeyNotFoundError } from '../src/errors.js';
import { cloneEntry, Manifest, type ManifestEntry, makeHashValue, readObjectHash } from '../src/manifest.js';

const obj = (entries: [string, JsonValue][] = []): JsonObject => new Map(entries);

function entry(logicalKey: string, size: number | null = 1): ManifestEntry {
  return {
    logicalKey,
    physicalKey: `file:///d/${logicalKey}`,
    size,
    hash: makeHashValue({ type: 'SHA256', value: logicalKey }),
    meta: obj([['user_meta', obj([['k', logicalKey]])]]),
  };
}

function manifestOf(...keys: string[]): Manifest {
  const m = new Manifest();
  for (const k of keys) m.set(entry(k));
  return m;
}

describe('a key is a file or a directory, never both', () => {
  it('a file cannot be added where a directory exists', () => {
    const m = manifestOf('data/a.csv');
    expect(() => m.set(entry('data'))).toThrow(PackageKeyConflictError);
    expect(() => m.set(entry('data'))).toThrow('cannot add file "data": a directory with that name exists');
    expect(m.has('data')).toBe(false);
    expect(m.size).toBe(1);
  });

  it('a file cannot be added where an (empty) directory with metadata exists', () => {
    const m = new Manifest();
    m.directoryMeta.set('docs', obj([['title', 'x']]));
    expect(() => m.set(entry('docs'))).toThrow(PackageKeyConflictError);
  });

  it('a file cannot be added below a file, at any depth', () => {
    const m = manifestOf('a');
    expect(() => m.set(entry('a/b'))).toThrow('cannot add "a/b": "a" is a file, not a directory');
    const deep = manifestOf('a/b');
    expect(() => deep.set(entry('a/b/c/d'))).toThrow('"a/b" is a file, not a directory');
    expect(deep.keysUnder('')).toEqual(['a/b']);
  });

  it('isDirectory: the root always, a prefix of a file, a directory with metadata; a file is not one', () => {
    const m = manifestOf('a/b/c');
    m.directoryMeta.set('meta-only', obj());
    expect(m.isDirectory('')).toBe(true);
    expect(m.isDirectory('a')).toBe(true);
    expect(m.isDirectory('a/b')).toBe(true);
    expect(m.isDirectory('meta-only')).toBe(true);
    expect(m.isDirectory('a/b/c')).toBe(false);
    expect(m.isDirectory('a/b/c/d')).toBe(false);
    expect(m.isDirectory('b')).toBe(false);
  });
});

describe('deleting', () => {
  it('the last file of a directory takes the directory with it, so a file may take its name', () => {
    const m = manifestOf('a/b/c');
    expect(m.delete('a/b/c')).toEqual(['a/b/c']);
    expect(m.isDirectory('a')).toBe(false);
    expect(m.isDirectory('a/b')).toBe(false);
    m.set(entry('a'));
    expect(m.get('a')?.logicalKey).toBe('a');
  });

  it('a directory stays while it still holds a file', () => {
    const m = manifestOf('a/x', 'a/y', 'a/sub/z');
    m.delete('a/x');
    expect(m.isDirectory('a')).toBe(true);
    m.delete('a/sub/z');
    expect(m.isDirectory('a/sub')).toBe(false);
    expect(m.isDirectory('a')).toBe(true);
    m.delete('a/y');
    expect(m.isDirectory('a')).toBe(false);
  });

  it('replacing a file does not count it twice: one delete empties its directory', () => {
    const m = manifestOf('a/x');
    m.set({ ...entry('a/x', 2) });
    expect(m.get('a/x')?.size).toBe(2);
    expect(m.size).toBe(1);
    m.delete('a/x');
    expect(m.isDirectory('a')).toBe(false);
    expect(() => m.set(entry('a'))).not.toThrow();
  });

  it('a directory (with or without trailing slash) goes with its files and the metadata of it and its subdirectories', () => {
    const m = manifestOf('a/x', 'a/b/y', 'ab/z', 'c');
    m.directoryMeta.set('a', obj([['t', 't1']]));
    m.directoryMeta.set('a/b', obj([['t', 't2']]));
    m.directoryMeta.set('ab', obj([['t', 't3']]));
    expect(m.delete('a/').sort()).toEqual(['a/b/y', 'a/x']);
    expect(m.keysUnder('')).toEqual(['ab/z', 'c']);
    expect([...m.directoryMeta.keys()]).toEqual(['ab']);
    expect(m.isDirectory('a')).toBe(false);
    expect(m.isDirectory('a/b')).toBe(false);
  });

  it('a nested directory named with trailing slashes is deleted whole, its parent kept', () => {
    const m = manifestOf('x/y/1', 'x/y/z/2', 'x/keep');
    expect(m.delete('x/y//').sort()).toEqual(['x/y/1', 'x/y/z/2']);
    expect(m.keysUnder('x')).toEqual(['x/keep']);
    expect(m.isDirectory('x/y')).toBe(false);
    expect(m.isDirectory('x')).toBe(true);
  });

  it('a directory that only has metadata can be deleted', () => {
    const m = new Manifest();
    m.directoryMeta.set('empty', obj());
    expect(m.delete('empty')).toEqual([]);
    expect(m.isDirectory('empty')).toBe(false);
  });

  it('deleting what is not there names the key', () => {
    const m = manifestOf('a/x');
    expect(() => m.delete('nope')).toThrow(PackageKeyNotFoundError);
    expect(() => m.delete('a/x/y')).toThrow('no entry "a/x/y" in package');
    expect(() => m.delete('a/')).not.toThrow();
  });
});

describe('reading a manifest', () => {
  it('keysUnder lists files of a directory in tree order, not files of a sibling sharing the prefix', () => {
    const m = manifestOf('b/2', 'a-c', 'a/z', 'a/b/1', 'ab/3');
    expect(m.keysUnder('')).toEqual(['a/b/1', 'a/z', 'a-c', 'ab/3', 'b/2']);
    expect(m.keysUnder('a')).toEqual(['a/b/1', 'a/z']);
    expect(m.sortedEntries().map((e) => e.logicalKey)).toEqual(['a/b/1', 'a/z', 'a-c', 'ab/3', 'b/2']);
    expect([...m.entries()].map((e) => e.logicalKey)).toEqual(['b/2', 'a-c', 'a/z', 'a/b/1', 'ab/3']);
  });

  it('totalBytes sums known sizes; an unbuilt entry counts 0', () => {
    const m = new Manifest();
    m.set(entry('a', 10));
    m.set(entry('b', null));
    m.set(entry('c', 5));
    expect(m.totalBytes()).toBe(15);
    expect(new Manifest().totalBytes()).toBe(0);
  });

  it('a new manifest has the v0 header; a given header is kept', () => {
    expect([...new Manifest().header]).toEqual([['version', 'v0']]);
    const header = obj([
      ['version', 'v0'],
      ['message', 'm'],
    ]);
    expect(new Manifest(header).header).toBe(header);
  });

  it('readObjectHash reads {type, value} and nothing malformed', () => {
    expect(readObjectHash(makeHashValue({ type: 'SHA256', value: 'ab' }))).toEqual({
      type: 'SHA256',
      value: 'ab',
    });
    expect(readObjectHash(null)).toBeUndefined();
    expect(readObjectHash(obj([['type', 'SHA256']]))).toBeUndefined();
    expect(readObjectHash(obj([['value', 'ab']]))).toBeUndefined();
    expect(
      readObjectHash(
        obj([
          ['type', PyNumber.int(1)],
          ['value', 'ab'],
        ]),
      ),
    ).toBeUndefined();
  });
});

describe('copies are independent', () => {
  it('clone: changing the copy (entries, metadata, directory metadata, header) leaves the original alone', () => {
    const m = manifestOf('a/x', 'b');
    m.directoryMeta.set('a', obj([['t', 't1']]));
    const copy = m.clone();
    copy.set(entry('c'));
    copy.delete('a/x');
    (copy.get('b')?.meta as JsonObject).set('extra', true);
    (copy.directoryMeta.get('a') as JsonObject | undefined)?.set('t', 't2');
    copy.header.set('message', 'changed');
    expect(m.keysUnder('')).toEqual(['a/x', 'b']);
    expect(m.get('b')?.meta.has('extra')).toBe(false);
    expect((m.directoryMeta.get('a') as JsonObject).get('t')).toBe('t1');
    expect(m.header.has('message')).toBe(false);
    expect(copy.isDirectory('a')).toBe(true);
  });

  it('cloneEntry copies hash and meta; an unbuilt entry keeps its null hash', () => {
    const e = entry('k');
    const c = cloneEntry(e);
    expect(c).toEqual(e);
    (c.hash as JsonObject).set('value', 'other');
    expect(e.hash?.get('value')).toBe('k');
    expect(cloneEntry({ ...e, hash: null }).hash).toBeNull();
  });
});
