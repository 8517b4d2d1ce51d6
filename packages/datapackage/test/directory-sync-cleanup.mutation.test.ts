/**
 * What a failed install leaves of the destination's own folders: the folders it created for the destination are
 * removed again, up to the first one it made (a folder that was there before stays, even when empty); a destination
 * that existed, empty, stays. A successful install keeps the folder it made, even when the package has no file.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ObjectHashMismatchError } from '../src/errors.js';
import { useSyncWorkspace, version } from './sync-helpers.js';

const { fresh, install } = useSyncWorkspace('dp-directory-sync-cleanup-');

/** A version whose one object is corrupt in its store, so every install of it fails. */
async function corrupt() {
  const pkg = await version({ 'a.txt': 'alpha', 'data/b.csv': 'b,1\n' });
  await pkg.store.put('objects/data/b.csv', 'not the bytes the manifest names');
  return pkg;
}

describe('a failed install', () => {
  it('into nested folders that did not exist removes the ones it made, not the empty parent that was there', async () => {
    const parent = fresh('parent');
    await mkdir(parent);
    const dir = join(parent, 'made', 'also-made', 'dest');
    await expect(install(await corrupt(), dir)).rejects.toBeInstanceOf(ObjectHashMismatchError);
    expect(existsSync(parent)).toBe(true);
    expect(await readdir(parent)).toEqual([]);
  });

  it('into an empty folder that was there keeps it', async () => {
    const dir = fresh('dest');
    await mkdir(dir);
    await expect(install(await corrupt(), dir)).rejects.toBeInstanceOf(ObjectHashMismatchError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('a successful install', () => {
  it('of a package with no file keeps the new folder it made', async () => {
    const dir = join(fresh('parent'), 'dest');
    await install(await version({}), dir);
    expect(await readdir(dir)).toEqual([]);
  });
});
