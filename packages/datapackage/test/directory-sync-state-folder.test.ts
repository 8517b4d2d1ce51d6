/**
 * Installs into folders whose state folder (`.datapkg/`) is there before the install: one holding an earlier
 * version's record next to the user's files is not taken for an empty folder; a record that cannot be prepared in
 * the user's state folder fails the install before the folder changes; an install without a record that fails
 * reports its own error.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ObjectHashMismatchError } from '../src/errors.js';
import { STATE_DIR } from '../src/state-dir.js';
import { computeTopHash } from '../src/top-hash.js';
import { snapshotTree, writeTree } from './helpers.js';
import { useSyncWorkspace, v1, version } from './sync-helpers.js';

const { fresh, install } = useSyncWorkspace('dp-directory-sync-state-');

describe('a destination with its state folder already there', () => {
  it('holding an earlier version’s record and files: new files go into the folders that exist', async () => {
    const dir = fresh('dest');
    await writeTree(dir, {
      [`${STATE_DIR}/installed.json`]: '{"topHash":"legacy"}',
      'data/mine.csv': 'my own',
    });
    const pkg = await version(v1);
    await install(pkg, dir);
    const files = await snapshotTree(dir);
    expect(files).toMatchObject({ ...v1, 'data/mine.csv': 'my own' });
  });

  it('a record that cannot be prepared fails the install and leaves the folder as it was', async () => {
    const dir = fresh('dest');
    await writeTree(dir, { 'a.txt': 'old a' });
    const blocked = fresh('state-is-a-file');
    await writeFile(blocked, 'not a folder');
    const pkg = await version(v1);
    const record = {
      registry: 's3://bucket',
      name: 'team/pkg',
      topHash: computeTopHash(pkg.manifest),
      installedAt: '2026-11-30T12:00:00.000Z',
    };
    await expect(install(pkg, dir, { record, stateDir: blocked })).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(await snapshotTree(dir)).toEqual({ 'a.txt': 'old a' });
  });

  it('an install without a record that fails reports its own error', async () => {
    const dir = fresh('dest');
    const pkg = await version(v1);
    await pkg.store.put('objects/a.txt', 'tampered');
    await expect(install(pkg, dir)).rejects.toThrow(ObjectHashMismatchError);
    expect(existsSync(dir)).toBe(false); // the folder this install made is gone again
  });
});
