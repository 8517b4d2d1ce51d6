/**
 * An install that fails leaves the user's state folder as it was: the manifest it wrote into the destination's record
 * folder while staging (`<top hash>.jsonl`) is removed again, while the manifest of the version installed before (the
 * one the record names) stays, also when the failed install was of that same version.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ObjectHashMismatchError } from '../src/errors.js';
import type { InstallRecord } from '../src/install-record.js';
import { readInstallRecord } from '../src/install-record.js';
import { computeTopHash } from '../src/top-hash.js';
import { snapshotTree } from './helpers.js';
import { useSyncWorkspace, type Version, v1, version } from './sync-helpers.js';

const { fresh, install } = useSyncWorkspace('dp-install-failure-record-');
const stateDir = () => process.env.MLC_DATAPKG_STATE_DIR as string;

const recordOf = (v: Version): InstallRecord => ({
  registry: 's3://bucket',
  name: 'team/pkg',
  topHash: computeTopHash(v.manifest),
  installedAt: '2026-11-30T12:00:00.000Z',
});

/** Every file in the state folder's install records, by `<record folder>/<name>` (the folder is a hash: dropped). */
async function recordFiles(): Promise<string[]> {
  const installs = join(stateDir(), 'installs');
  const out: string[] = [];
  for (const folder of await readdir(installs).catch(() => [] as string[]))
    for (const name of await readdir(join(installs, folder))) out.push(name);
  return out.sort();
}

/** A version whose object for `a.txt` was replaced in the store: its install fails while staging. */
async function corrupted(files: Record<string, string>): Promise<Version> {
  const v = await version(files);
  await v.store.put('objects/a.txt', 'tampered');
  return v;
}

describe('the install record after a failed install', () => {
  it('a first install that fails leaves no manifest in the state folder', async () => {
    const bad = await corrupted(v1);
    const dir = fresh('dest');
    await expect(install(bad, dir, { record: recordOf(bad) })).rejects.toThrow(ObjectHashMismatchError);
    expect(await recordFiles()).toEqual([]);
    expect(await readInstallRecord(dir, stateDir())).toBeUndefined();
  });

  it('a new version that fails keeps the installed version’s record and manifest, and only those', async () => {
    const first = await version(v1);
    const dir = fresh('dest');
    await install(first, dir, { record: recordOf(first) });
    const installed = await recordFiles();
    expect(installed).toContain(`${computeTopHash(first.manifest)}.jsonl`);
    const files = await snapshotTree(dir);

    const bad = await corrupted({ ...v1, 'a.txt': 'alpha 2', 'new.txt': 'n' });
    await expect(install(bad, dir, { record: recordOf(bad) })).rejects.toThrow(ObjectHashMismatchError);
    expect(await recordFiles()).toEqual(installed);
    expect((await readInstallRecord(dir, stateDir()))?.record.topHash).toBe(computeTopHash(first.manifest));
    expect(await snapshotTree(dir)).toEqual(files);
  });

  it('reinstalling the installed version, failing, keeps its manifest (the record names it)', async () => {
    const first = await version(v1);
    const dir = fresh('dest');
    await install(first, dir, { record: recordOf(first) });
    const installed = await recordFiles();
    await first.store.put('objects/a.txt', 'tampered');
    await rm(join(dir, 'a.txt')); // a local change the reinstall repairs: it fetches a.txt again
    await expect(install(first, dir, { record: recordOf(first) })).rejects.toThrow(ObjectHashMismatchError);
    expect(await recordFiles()).toEqual(installed);
    expect((await readInstallRecord(dir, stateDir()))?.manifest.get('a.txt')).toBeDefined();
  });
});
