/**
 * An install whose undo fails part way: every other step of the roll back still runs (the other files, the removed
 * files and the install record come back), the error says both why the install failed and what could not be undone,
 * and the staging folder, which holds the only copy of what was not put back, is kept until a later install (from
 * another process) finishes the undo. A rename that fails for one path is the injected fault (a disk error, EIO).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InstallRollBackError } from '../src/errors.js';
import type { RecordChange } from '../src/install-record.js';
import {
  commitStaged,
  type Journal,
  recoverInterruptedInstalls,
  removeStaging,
  stagedPath,
  stagingName,
} from '../src/install-transaction.js';
import { STATE_DIR } from '../src/state-dir.js';
import { snapshotTree, tempDir, writeTree } from './helpers.js';

/** `rename` as the transaction sees it: the real one, unless a test makes one source path fail. */
let failingSource: string | undefined;
/** A file system without hard links (FAT): every link(2) refused. */
let noHardLinks = false;
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      if (from === failingSource)
        throw Object.assign(new Error(`EIO: i/o error, rename '${from}'`), { code: 'EIO' });
      return actual.rename(from, to);
    },
    link: async (from: string, to: string) => {
      if (noHardLinks)
        throw Object.assign(new Error(`EPERM: operation not permitted, link '${from}'`), { code: 'EPERM' });
      return actual.link(from, to);
    },
  };
});

let work: Awaited<ReturnType<typeof tempDir>>;
let stateDir: string;
let n = 0;
let deadPid: number;
beforeAll(async () => {
  work = await tempDir('dp-install-rollback-');
  stateDir = join(work.path, 'state');
  deadPid = spawnSync(process.execPath, ['-e', '']).pid as number;
});
afterEach(() => {
  failingSource = undefined;
  noHardLinks = false;
});
afterAll(async () => {
  await work.cleanup();
});

const recordText = (topHash: string) => `${JSON.stringify({ name: 'team/pkg', topHash })}\n`;
const legacyFiles = { 'installed.json': '{"topHash":"legacy"}' };
const before = {
  'a.txt': 'old a',
  'gone.txt': 'dropped by the new version',
  [`${STATE_DIR}/installed.json`]: legacyFiles['installed.json'],
};

/**
 * A destination and a staged install of a new version that replaces `a.txt`, adds `sub/<300 x>`, drops `gone.txt`,
 * moves the earlier version's record out and writes a new install record. The file system refuses the long name
 * (ENAMETOOLONG), so the commit fails after the other steps.
 */
async function failingInstall() {
  const dir = join(work.path, `dest-${n++}`);
  await writeTree(dir, before);
  const folder = join(stateDir, 'installs', `folder-${n++}`);
  await writeTree(folder, { 'installed.json': recordText('old') });
  const record: RecordChange = { folder, before: recordText('old'), after: recordText('new') };
  const staging = join(dir, STATE_DIR, stagingName(`rb${n++}`));
  await writeTree(staging, { 'new/0': 'new a', 'new/1': 'new b' });
  const journal: Journal = {
    put: [
      { key: 'a.txt', hadOld: true },
      { key: `sub/${'x'.repeat(300)}`, hadOld: false },
    ],
    remove: ['gone.txt'],
    record,
    legacy: Object.keys(legacyFiles),
  };
  const staged = { files: [stagedPath(staging, 0), stagedPath(staging, 1)], folders: [join(staging, 'new')] };
  return { dir, staging, journal, staged, folder };
}

/** The destination's files, without any staging folder inside its `.datapkg/`. */
async function filesOf(dir: string): Promise<Record<string, string>> {
  const all = await snapshotTree(dir);
  return Object.fromEntries(Object.entries(all).filter(([key]) => !key.startsWith(`${STATE_DIR}/staging-`)));
}

const recordOf = (folder: string) => fs.readFile(join(folder, 'installed.json'), 'utf8');

async function asKilled(staging: string): Promise<string> {
  const killed = join(dirname(staging), `staging-${deadPid}-${n++}`);
  await fs.rename(staging, killed);
  return killed;
}

describe('a roll back step that fails', () => {
  it('the other steps still run, the error names both failures, and the staging folder is kept', async () => {
    const { dir, staging, journal, staged, folder } = await failingInstall();
    failingSource = join(staging, 'old', 'f0'); // a.txt's old version cannot be put back
    const error = await commitStaged(dir, staging, journal, staged).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InstallRollBackError);
    const rollBackError = error as InstallRollBackError;
    expect(rollBackError.cause).toMatchObject({ code: 'ENAMETOOLONG' }); // why the install failed: the refused name
    expect(rollBackError.failures).toEqual([expect.objectContaining({ code: 'EIO' })]);
    expect(rollBackError.staging).toBe(staging);
    expect(rollBackError.message).toContain('ENAMETOOLONG');
    expect(rollBackError.message).toContain('EIO');
    expect(rollBackError.message).toContain(staging);
    // Everything else is as before the install: the dropped file, the earlier version's record, the install record.
    expect(await filesOf(dir)).toEqual({ ...before, 'a.txt': 'new a' });
    expect(await recordOf(folder)).toBe(recordText('old'));

    // The old a.txt exists only in the staging folder: removing the staging (as install does after a failure) keeps it.
    await removeStaging(staging);
    expect(await fs.readFile(join(staging, 'old', 'f0'), 'utf8')).toBe('old a');

    // The next install, from another process, finishes the undo and removes the staging folder.
    failingSource = undefined;
    await asKilled(staging);
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await filesOf(dir)).toEqual(before);
    expect(await recordOf(folder)).toBe(recordText('old'));
    expect(await fs.readdir(join(dir, STATE_DIR))).toEqual(['installed.json']); // no staging folder left
  });

  it('a commit whose roll back succeeds rethrows its own error, and its staging folder can be removed', async () => {
    const { dir, staging, journal, staged, folder } = await failingInstall();
    const error = await commitStaged(dir, staging, journal, staged).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(InstallRollBackError);
    expect(error).toMatchObject({ code: 'ENAMETOOLONG' });
    expect(await filesOf(dir)).toEqual(before);
    expect(await recordOf(folder)).toBe(recordText('old'));
    await removeStaging(staging);
    expect(existsSync(staging)).toBe(false);
  });

  it('recovering a killed install: a step that fails leaves the others done and the staging folder for next time', async () => {
    const { dir, staging, journal, staged, folder } = await failingInstall();
    // Killed after every step, before the marker: a commit (of a name the file system takes), then made to look killed.
    journal.put[1] = { key: 'sub/b.txt', hadOld: false };
    await commitStaged(dir, staging, journal, staged);
    await fs.rm(join(staging, 'committed'));
    const killed = await asKilled(staging);

    failingSource = join(killed, 'old', 'r0'); // gone.txt cannot be put back
    const error = await recoverInterruptedInstalls(dir, stateDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstallRollBackError);
    expect((error as InstallRollBackError).cause).toBeUndefined();
    expect((error as InstallRollBackError).failures).toEqual([expect.objectContaining({ code: 'EIO' })]);
    const { 'gone.txt': _gone, ...rest } = before;
    expect(await filesOf(dir)).toEqual(rest);
    expect(await recordOf(folder)).toBe(recordText('old'));
    expect(await fs.readFile(join(killed, 'old', 'r0'), 'utf8')).toBe(before['gone.txt']);

    failingSource = undefined;
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await filesOf(dir)).toEqual(before);
    expect(existsSync(killed)).toBe(false);
  });
});

describe('a roll back run again', () => {
  it('once finished, is not run again by this process, and never removes a folder made since at a new folder’s key', async () => {
    const dir = join(work.path, `dest-${n++}`);
    await writeTree(dir, { 'a.txt': 'old a' });
    const staging = join(dir, STATE_DIR, stagingName(`again${n++}`));
    await writeTree(staging, { 'new/0': 'new a', 'new/1': 'x', 'tree/fresh/f.txt': 'f' });
    const journal: Journal = {
      // The second put's name is refused (ENAMETOOLONG): the commit fails once the rest is in place.
      put: [
        { key: 'a.txt', hadOld: true },
        { key: `z/${'x'.repeat(300)}`, hadOld: false },
      ],
      trees: ['fresh'],
      remove: [],
    };
    // Its undo cannot move the new folder back (EIO): the staging folder is kept, as after a disk error.
    failingSource = join(dir, 'fresh');
    const files = [stagedPath(staging, 0), stagedPath(staging, 1)];
    await expect(commitStaged(dir, staging, journal, { files, folders: [] })).rejects.toBeInstanceOf(
      InstallRollBackError,
    );
    failingSource = undefined;
    await removeStaging(staging); // what the failed install does: kept, for the next recovery
    expect(existsSync(staging)).toBe(true);

    await recoverInterruptedInstalls(dir, stateDir); // finishes the undo and removes the staging folder
    expect(await filesOf(dir)).toEqual({ 'a.txt': 'old a' });
    expect(existsSync(staging)).toBe(false);

    // A folder of the new folder's name, made since: a later recovery has nothing to run again.
    await writeTree(dir, { 'fresh/mine.txt': 'mine' });
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await filesOf(dir)).toEqual({ 'a.txt': 'old a', 'fresh/mine.txt': 'mine' });
  });
});

describe('a file system without hard links', () => {
  it('new files are renamed into place, and a killed install’s undo removes them, not a file put there since', async () => {
    noHardLinks = true;
    const dir = join(work.path, `dest-${n++}`);
    await writeTree(dir, { 'a.txt': 'old a', 'sub/keep.txt': 'k' });
    const staging = join(dir, STATE_DIR, stagingName(`nolinks${n++}`));
    await writeTree(staging, { 'new/0': 'new b', 'new/1': 'new c' });
    const journal: Journal = {
      put: [
        { key: 'sub/b.txt', hadOld: false },
        { key: 'sub/c.txt', hadOld: false },
      ],
      remove: [],
    };
    await commitStaged(dir, staging, journal, {
      files: [stagedPath(staging, 0), stagedPath(staging, 1)],
      folders: [],
    });
    expect(await filesOf(dir)).toEqual({
      'a.txt': 'old a',
      'sub/keep.txt': 'k',
      'sub/b.txt': 'new b',
      'sub/c.txt': 'new c',
    });
    await fs.rm(join(staging, 'committed'));
    // c.txt replaced by someone since (another size): theirs.
    await fs.rm(join(dir, 'sub/c.txt'));
    await fs.writeFile(join(dir, 'sub/c.txt'), 'their c, longer');
    await asKilled(staging);
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await filesOf(dir)).toEqual({
      'a.txt': 'old a',
      'sub/keep.txt': 'k',
      'sub/c.txt': 'their c, longer',
    });
  });
});
