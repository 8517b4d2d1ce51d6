/**
 * The parts of an install's transaction that install-transaction.test.ts leaves to the install tests (written for the
 * datapackage/install-transaction mutation area, whose tests must stay unit-level): the install record in the state
 * folder and an earlier version's record in `<dest>/.datapkg/` are part of the all-or-nothing change (written on
 * commit, as they were after a failure or a killed install); an install killed right after writing its journal, before
 * any change, is recovered without error; a staging folder whose name holds no real pid is a dead install's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstallRollBackError } from '../src/errors.js';
import type { RecordChange } from '../src/install-record.js';
import {
  commitStaged,
  type Journal,
  recoverInterruptedInstalls,
  stagedPath,
  stagingName,
} from '../src/install-transaction.js';
import { STATE_DIR } from '../src/state-dir.js';
import { snapshotTree, tempDir, writeTree } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let stateDir: string;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);
let deadPid: number;
beforeAll(async () => {
  work = await tempDir('dp-install-transaction-record-');
  stateDir = join(work.path, 'state');
  deadPid = spawnSync(process.execPath, ['-e', '']).pid as number;
});
afterAll(async () => {
  await work.cleanup();
});

const recordText = (topHash: string) => `${JSON.stringify({ name: 'team/pkg', topHash })}\n`;
const legacyFiles = { 'installed.json': '{"topHash":"legacy"}', 'installed.jsonl': '{"version":"v0"}\n' };

/**
 * A destination with one file to replace, an earlier version's record in `.datapkg/`, and a staged install that
 * replaces the file, moves the legacy record out and writes a new record (the record folder as install makes it:
 * `<state>/installs/<id>`).
 */
async function stagedWithRecord(before: string | null) {
  const dir = fresh('dest');
  await writeTree(dir, { 'data.txt': 'old' });
  for (const [name, text] of Object.entries(legacyFiles))
    await writeTree(join(dir, STATE_DIR), { [name]: text });
  const folder = join(stateDir, 'installs', `folder-${n++}`);
  await mkdir(folder, { recursive: true });
  if (before !== null) await writeFile(join(folder, 'installed.json'), before);
  const record: RecordChange = { folder, before, after: recordText('new') };
  const staging = join(dir, STATE_DIR, stagingName(`rec${n++}`));
  await mkdir(join(staging, 'new'), { recursive: true });
  await writeFile(stagedPath(staging, 0), 'new');
  const journal: Journal = {
    put: [{ key: 'data.txt', hadOld: true }],
    remove: [],
    record,
    legacy: Object.keys(legacyFiles),
  };
  return { dir, staging, journal, folder, staged: { files: [stagedPath(staging, 0)], folders: [] } };
}

const recordOf = (folder: string) => readFile(join(folder, 'installed.json'), 'utf8').catch(() => null);
const legacyOf = async (dir: string) => {
  const out: Record<string, string> = {};
  for (const name of Object.keys(legacyFiles)) {
    const path = join(dir, STATE_DIR, name);
    if (existsSync(path)) out[name] = await readFile(path, 'utf8');
  }
  return out;
};

async function asKilled(staging: string): Promise<string> {
  const killed = join(dirname(staging), `staging-${deadPid}-${n++}`);
  await rename(staging, killed);
  return killed;
}

describe('the install record inside the transaction', () => {
  it('a commit writes the new record and moves the earlier version’s record out of the folder', async () => {
    const { dir, staging, journal, folder, staged } = await stagedWithRecord(recordText('old'));
    await commitStaged(dir, staging, journal, staged);
    expect(await readFile(join(dir, 'data.txt'), 'utf8')).toBe('new');
    expect(await recordOf(folder)).toBe(recordText('new'));
    expect(await legacyOf(dir)).toEqual({});
  });

  it.each([
    ['an earlier record', recordText('old')],
    ['no record', null],
  ])('a commit that fails leaves the record as it was (%s) and the legacy record in place', async (_what, before) => {
    const { dir, staging, journal, folder, staged } = await stagedWithRecord(before);
    await rm(stagedPath(staging, 0)); // the put cannot be done
    await expect(commitStaged(dir, staging, journal, staged)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(dir, 'data.txt'), 'utf8')).toBe('old');
    expect(await recordOf(folder)).toBe(before);
    expect(await legacyOf(dir)).toEqual(legacyFiles);
  });

  it('an install killed before its marker gets its record and the legacy record back on recovery', async () => {
    const { dir, staging, journal, folder, staged } = await stagedWithRecord(recordText('old'));
    await commitStaged(dir, staging, journal, staged);
    await rm(join(staging, 'committed'));
    await asKilled(staging);
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await readFile(join(dir, 'data.txt'), 'utf8')).toBe('old');
    expect(await recordOf(folder)).toBe(recordText('old'));
    expect(await legacyOf(dir)).toEqual(legacyFiles);
    expect(await readdir(join(dir, STATE_DIR))).toEqual(Object.keys(legacyFiles).sort());
  });
});

describe('the record write failing', () => {
  it('a record that cannot be written fails the commit and puts the files back', async () => {
    const { dir, staging, journal, staged } = await stagedWithRecord(null);
    const blocker = fresh('not-a-folder');
    await writeFile(blocker, 'a file where the record folder should be');
    const record = { ...(journal.record as RecordChange), folder: join(blocker, 'installs') };
    const error = await commitStaged(dir, staging, { ...journal, record }, staged).catch((e: unknown) => e);
    // Putting the record back fails the same way, so the error says the undo was not whole, and why it failed.
    expect(error).toBeInstanceOf(InstallRollBackError);
    expect((error as InstallRollBackError).cause).toMatchObject({ code: 'ENOTDIR' });
    expect(await readFile(join(dir, 'data.txt'), 'utf8')).toBe('old');
    expect(await legacyOf(dir)).toEqual(legacyFiles);
  });

  it('after a commit the record folder keeps only the new version’s manifest', async () => {
    const { dir, staging, journal, folder, staged } = await stagedWithRecord(recordText('old'));
    await writeFile(join(folder, 'old.jsonl'), '{}\n');
    await writeFile(join(folder, 'new.jsonl'), '{}\n');
    await commitStaged(dir, staging, journal, staged);
    expect((await readdir(folder)).sort()).toEqual(['installed.json', 'new.jsonl']);
  });
});

describe('recovery', () => {
  it('an install killed right after writing its journal (nothing moved yet) is recovered without error', async () => {
    const { dir, staging, journal } = await stagedWithRecord(recordText('old'));
    const { record: _record, ...withoutRecord } = journal;
    await writeTree(dir, { 'drop.txt': 'to be removed' });
    await mkdir(join(staging, 'old'), { recursive: true });
    await writeFile(
      join(staging, 'journal.json'),
      JSON.stringify({ ...withoutRecord, remove: ['drop.txt'] }),
    );
    await asKilled(staging);
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await snapshotTree(dir)).toEqual({
      'data.txt': 'old',
      'drop.txt': 'to be removed',
      ...Object.fromEntries(Object.entries(legacyFiles).map(([k, v]) => [`${STATE_DIR}/${k}`, v])),
    });
  });

  it('a hostile journal naming other files as the earlier version’s record moves nothing out of its staging', async () => {
    // Two levels inside a folder of its own: a file that escaped lands there, never in the shared temp folder.
    const outer = fresh('outer');
    const dir = join(outer, 'inner', 'dest');
    await writeTree(dir, { 'a.txt': 'a' });
    const staging = join(dir, STATE_DIR, stagingName(`hostile${n++}`));
    // Files an attacker placed in the staging folder, and names that reach them from `old/legacy-<name>`.
    await writeTree(staging, { 'old/planted': 'p', escaped: 'e' });
    const legacy = ['../planted', '../../../escaped'];
    await writeFile(join(staging, 'journal.json'), JSON.stringify({ put: [], remove: [], legacy }));
    await asKilled(staging);
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await snapshotTree(dir)).toEqual({ 'a.txt': 'a' });
    expect(existsSync(join(outer, 'escaped'))).toBe(false);
  });

  it('a journal cut short with nothing moved aside is a kill before any change: the staging folder is removed', async () => {
    const dir = fresh('dest');
    await writeTree(dir, { 'a.txt': 'a' });
    const staging = join(dir, STATE_DIR, `staging-${deadPid}-cut${n++}`);
    await writeTree(staging, { 'journal.json': '{"put":[{"key":"a.t', 'new/0': 'new a' });
    await mkdir(join(staging, 'old'));
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await snapshotTree(dir)).toEqual({ 'a.txt': 'a' });
  });

  it('an unreadable journal beside files moved aside stops recovery, naming the staging folder, which is kept', async () => {
    const dir = fresh('dest');
    await writeTree(dir, { 'b.txt': 'b' });
    const staging = join(dir, STATE_DIR, `staging-${deadPid}-damaged${n++}`);
    await writeTree(staging, { 'journal.json': 'not json', 'old/f0': 'the only copy of a.txt' });
    const error = await recoverInterruptedInstalls(dir, stateDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstallRollBackError);
    expect((error as Error).message).toContain(staging);
    expect((error as Error).message).toContain('1 file(s) were moved aside');
    expect(await readFile(join(staging, 'old', 'f0'), 'utf8')).toBe('the only copy of a.txt');
  });

  it('a staging folder named with pid 0 (no process has it) is a dead install’s: removed', async () => {
    const dir = fresh('dest');
    await writeTree(dir, { 'a.txt': 'a' });
    await mkdir(join(dir, STATE_DIR, 'staging-0-x', 'new'), { recursive: true });
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await readdir(join(dir, STATE_DIR))).toEqual([]);
    expect(await snapshotTree(dir)).toEqual({ 'a.txt': 'a' });
  });
});
