/**
 * The install record's functions one by one (install-record.test.ts covers them through install): the record and
 * the installed manifest come back as written; the record lives in the user's state folder, keyed by the folder's
 * real path, so a link to the folder finds it and the folder itself holds only the package; a folder deleted and made
 * again at the same path is not the installed one; an earlier version's `.datapkg/installed.json[l]` is still read;
 * only the installed version's manifest is kept; an undone change restores the record as it was.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type JsonValue, PyNumber } from '@mlclients/package-core/json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyRecordText,
  type InstallRecord,
  prepareRecordChange,
  pruneRecordManifests,
  readInstallRecord,
} from '../src/install-record.js';
import { Manifest, makeHashValue } from '../src/manifest.js';
import { writeManifest } from '../src/manifest-format.js';
import { STATE_DIR } from '../src/state-dir.js';
import { computeTopHash } from '../src/top-hash.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);
beforeAll(async () => {
  work = await tempDir('dp-install-record-');
});
afterAll(async () => {
  await work.cleanup();
});

function manifestOf(text: string): Manifest {
  const manifest = new Manifest(
    new Map<string, JsonValue>([
      ['version', 'v0'],
      ['message', text],
    ]),
  );
  manifest.set({
    logicalKey: 'data/file.txt',
    physicalKey: 's3://bucket/data/file.txt?versionId=1',
    size: 3,
    hash: makeHashValue({ type: 'SHA256', value: 'a'.repeat(64) }),
    meta: new Map([['user_meta', new Map([['n', PyNumber.int(1)]])]]),
  });
  return manifest;
}

function recordOf(manifest: Manifest): InstallRecord {
  return {
    registry: 's3://bucket',
    name: 'team/pkg',
    topHash: computeTopHash(manifest),
    installedAt: '2026-11-30T06:00:00.000Z',
  };
}

/** Records `manifest` as installed in `dest`, as an install's transaction does. */
async function record(stateDir: string, dest: string, manifest: Manifest) {
  const change = await prepareRecordChange(stateDir, dest, recordOf(manifest), manifest);
  await applyRecordText(change.folder, change.after);
  await pruneRecordManifests(change);
  return change;
}

describe('an install record', () => {
  it('reads back as written: the record without the folder identity, and the manifest byte for byte', async () => {
    const stateDir = fresh('state');
    const dest = fresh('dest');
    await mkdir(dest);
    const manifest = manifestOf('v1');
    await record(stateDir, dest, manifest);
    const read = await readInstallRecord(dest, stateDir);
    expect(read?.record).toEqual(recordOf(manifest));
    expect(writeManifest(read?.manifest as Manifest)).toBe(writeManifest(manifest));
    // Nothing is written into the folder itself.
    expect(await readdir(dest)).toEqual([]);
  });

  it('is found through a link to the folder, and not for another folder', async () => {
    const stateDir = fresh('state');
    const dest = fresh('dest');
    await mkdir(dest);
    await record(stateDir, dest, manifestOf('v1'));
    const link = fresh('link');
    await symlink(dest, link);
    expect((await readInstallRecord(link, stateDir))?.record.name).toBe('team/pkg');
    const other = fresh('other');
    await mkdir(other);
    expect(await readInstallRecord(other, stateDir)).toBeUndefined();
    expect(await readInstallRecord(fresh('absent'), stateDir)).toBeUndefined();
  });

  it('a folder deleted and made again at the same path is not the installed one', async () => {
    const stateDir = fresh('state');
    const dest = fresh('dest');
    await mkdir(dest);
    await record(stateDir, dest, manifestOf('v1'));
    await rm(dest, { recursive: true });
    await mkdir(dest);
    expect(await readInstallRecord(dest, stateDir)).toBeUndefined();
  });

  it('a new version replaces the record and only its manifest is kept', async () => {
    const stateDir = fresh('state');
    const dest = fresh('dest');
    await mkdir(dest);
    await record(stateDir, dest, manifestOf('v1'));
    const v2 = manifestOf('v2');
    const change = await record(stateDir, dest, v2);
    expect((await readInstallRecord(dest, stateDir))?.record.topHash).toBe(computeTopHash(v2));
    expect((await readdir(change.folder)).filter((name) => name.endsWith('.jsonl'))).toEqual([
      `${computeTopHash(v2)}.jsonl`,
    ]);
  });

  it('a change that is undone (its text before applied) leaves the previous record; none before means none', async () => {
    const stateDir = fresh('state');
    const dest = fresh('dest');
    await mkdir(dest);
    const first = await prepareRecordChange(stateDir, dest, recordOf(manifestOf('v1')), manifestOf('v1'));
    expect(first.before).toBeNull();
    await applyRecordText(first.folder, first.after);
    const second = await prepareRecordChange(stateDir, dest, recordOf(manifestOf('v2')), manifestOf('v2'));
    expect(second.before).toBe(first.after);
    await applyRecordText(second.folder, second.after);
    await applyRecordText(second.folder, second.before);
    expect((await readInstallRecord(dest, stateDir))?.record.topHash).toBe(computeTopHash(manifestOf('v1')));
    await applyRecordText(first.folder, first.before);
    expect(await readInstallRecord(dest, stateDir)).toBeUndefined();
  });

  it('undoing a change that was never applied (no record yet) is fine; so is pruning a record folder that is gone', async () => {
    const stateDir = fresh('state');
    const dest = fresh('dest');
    await mkdir(dest);
    const change = await prepareRecordChange(stateDir, dest, recordOf(manifestOf('v1')), manifestOf('v1'));
    await expect(applyRecordText(change.folder, change.before)).resolves.toBeUndefined();
    expect(await readInstallRecord(dest, stateDir)).toBeUndefined();
    await rm(change.folder, { recursive: true });
    await expect(pruneRecordManifests(change)).resolves.toBeUndefined();
  });

  it('a record without the identity of its folder (not written by install) is not trusted', async () => {
    const stateDir = fresh('state');
    const dest = fresh('dest');
    await mkdir(dest);
    const change = await record(stateDir, dest, manifestOf('v1'));
    const { folder: _identity, ...bare } = JSON.parse(change.after) as Record<string, unknown>;
    await applyRecordText(change.folder, JSON.stringify(bare));
    expect(await readInstallRecord(dest, stateDir)).toBeUndefined();
  });

  it('a folder whose .datapkg is a file has no record', async () => {
    const dest = fresh('dest');
    await mkdir(dest);
    await writeFile(join(dest, STATE_DIR), 'not a folder');
    expect(await readInstallRecord(dest, fresh('state'))).toBeUndefined();
  });

  it("preparing writes the coming version's manifest once and leaves an existing one alone", async () => {
    const stateDir = fresh('state');
    const dest = fresh('dest');
    await mkdir(dest);
    const manifest = manifestOf('v1');
    const change = await prepareRecordChange(stateDir, dest, recordOf(manifest), manifest);
    const file = join(change.folder, `${computeTopHash(manifest)}.jsonl`);
    expect(existsSync(file)).toBe(true);
    await writeFile(file, writeManifest(manifest)); // same bytes, new mtime: not rewritten below
    await prepareRecordChange(stateDir, dest, recordOf(manifest), manifest);
    expect(existsSync(file)).toBe(true);
  });

  it("the coming version's manifest is written as writeManifest writes it, however many lines", async () => {
    const stateDir = fresh('state');
    const dest = fresh('dest');
    await mkdir(dest);
    const manifest = manifestOf('many');
    for (let i = 0; i < 2500; i++) {
      manifest.set({
        logicalKey: `d${i % 7}/f${i}.txt`,
        physicalKey: `s3://bucket/d/f${i}.txt`,
        size: i,
        hash: makeHashValue({ type: 'SHA256', value: i.toString(16).padStart(64, '0') }),
        meta: new Map(),
      });
    }
    const change = await prepareRecordChange(stateDir, dest, recordOf(manifest), manifest);
    const file = join(change.folder, `${computeTopHash(manifest)}.jsonl`);
    expect(await readFile(file, 'utf8')).toBe(writeManifest(manifest));
  });

  it('a folder installed by an earlier version (.datapkg/installed.json and .jsonl) is still read', async () => {
    const stateDir = fresh('state');
    const dest = fresh('dest');
    const manifest = manifestOf('legacy');
    await mkdir(join(dest, STATE_DIR), { recursive: true });
    await writeFile(join(dest, STATE_DIR, 'installed.json'), JSON.stringify(recordOf(manifest)));
    await writeFile(join(dest, STATE_DIR, 'installed.jsonl'), writeManifest(manifest));
    const read = await readInstallRecord(dest, stateDir);
    expect(read?.record).toEqual(recordOf(manifest));
    expect(computeTopHash(read?.manifest as Manifest)).toBe(computeTopHash(manifest));
    // A record in the state folder for this very folder wins over the old files.
    const v2 = manifestOf('v2');
    await record(stateDir, dest, v2);
    expect((await readInstallRecord(dest, stateDir))?.record.topHash).toBe(computeTopHash(v2));
  });

  it('a record file that cannot be read for another reason than absence is an error, not "not installed"', async () => {
    const stateDir = fresh('state');
    const dest = fresh('dest');
    await mkdir(dest);
    const change = await record(stateDir, dest, manifestOf('v1'));
    await rm(join(change.folder, 'installed.json'));
    await mkdir(join(change.folder, 'installed.json')); // EISDIR on read
    await expect(readInstallRecord(dest, stateDir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
