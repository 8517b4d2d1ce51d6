/**
 * The all-or-nothing step of an install (commitStaged) and the recovery after a killed one, as a user relies on them:
 * a commit replaces, adds and removes files and folders; a commit that fails half-way puts everything back; a
 * staging folder left by a dead install is rolled back when it had not committed and only removed when it had; the
 * staging of a running install is left alone; a journal read back from disk cannot make recovery touch files outside
 * the destination and the user's record folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageKeyConflictError } from '../src/errors.js';
import {
  commitStaged,
  type Journal,
  recoverInterruptedInstalls,
  removeEmptyParents,
  stagedPath,
  stagedTreePath,
  stagingName,
} from '../src/install-transaction.js';
import { STATE_DIR } from '../src/state-dir.js';
import { snapshotTree, tempDir, writeTree } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let stateDir: string;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);
/** The pid of a process that has exited: its staging folder is a killed install's. */
let deadPid: number;
beforeAll(async () => {
  work = await tempDir('dp-install-transaction-');
  stateDir = join(work.path, 'state');
  process.env.MLC_DATAPKG_STATE_DIR = stateDir;
  deadPid = spawnSync(process.execPath, ['-e', '']).pid as number;
});
afterAll(async () => {
  await work.cleanup();
});

const before = {
  'keep.txt': 'keep',
  'replace.txt': 'old',
  'drop/me.txt': 'dropped',
  'drop2.txt': 'gone too',
};
const after = { 'keep.txt': 'keep', 'replace.txt': 'new', 'added/deep/x.txt': 'x', 'tree/a/b.txt': 'b' };

/**
 * A destination holding `before` and a staging folder holding what turns it into `after`: replace.txt replaced,
 * added/deep/x.txt put (its folders made), tree/ staged whole, drop/me.txt and drop2.txt removed.
 */
async function staged(): Promise<{
  dir: string;
  staging: string;
  journal: Journal;
  files: string[];
  folders: string[];
}> {
  const dir = fresh('dest');
  await writeTree(dir, before);
  const staging = join(dir, STATE_DIR, stagingName(`test${n++}`));
  const journal: Journal = {
    put: [
      { key: 'replace.txt', hadOld: true },
      { key: 'added/deep/x.txt', hadOld: false },
    ],
    trees: ['tree'],
    remove: ['drop/me.txt', 'drop2.txt'],
  };
  await mkdir(join(staging, 'new'), { recursive: true });
  await writeFile(stagedPath(staging, 0), 'new');
  await writeFile(stagedPath(staging, 1), 'x');
  await mkdir(dirname(stagedTreePath(staging, 'tree/a/b.txt')), { recursive: true });
  await writeFile(stagedTreePath(staging, 'tree/a/b.txt'), 'b');
  return {
    dir,
    staging,
    journal,
    files: [stagedPath(staging, 0), stagedPath(staging, 1), stagedTreePath(staging, 'tree/a/b.txt')],
    folders: [join(staging, 'new'), stagedTreePath(staging, 'tree'), stagedTreePath(staging, 'tree/a')],
  };
}

/** The destination's files, without the state folder. */
async function dataOf(dir: string): Promise<Record<string, string>> {
  const tree = await snapshotTree(dir);
  return Object.fromEntries(Object.entries(tree).filter(([key]) => !key.startsWith(`${STATE_DIR}/`)));
}

/** Renames a staging folder to what a killed process would have left (its pid dead). */
async function asKilled(staging: string): Promise<string> {
  const killed = join(dirname(staging), `staging-${deadPid}-${n++}`);
  await rename(staging, killed);
  return killed;
}

describe('commitStaged', () => {
  it('turns the folder into the new version: replaced, added, whole new folders, removed (and their empty folders)', async () => {
    const { dir, staging, journal, files, folders } = await staged();
    await commitStaged(dir, staging, journal, { files, folders });
    expect(await dataOf(dir)).toEqual(after);
    expect(existsSync(join(dir, 'drop'))).toBe(false);
    // What it replaced or removed is kept in the staging folder until the caller removes it.
    expect(existsSync(join(staging, 'committed'))).toBe(true);
  });

  it('a step that fails half-way puts everything back and reports the real error', async () => {
    const { dir, staging, journal, files, folders } = await staged();
    await rm(stagedTreePath(staging, 'tree'), { recursive: true }); // the last step cannot be done
    const error = await commitStaged(dir, staging, journal, { files, folders }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENOENT' });
    expect(await dataOf(dir)).toEqual(before);
    expect(existsSync(join(dir, 'added'))).toBe(false);
    expect(existsSync(join(staging, 'committed'))).toBe(false);
  });

  it('a put that fails (a name the file system refuses) undoes the removals and the other puts', async () => {
    const { dir, staging, journal, files, folders } = await staged();
    const long = `z/${'x'.repeat(300)}`;
    journal.put.push({ key: long, hadOld: false });
    await writeFile(stagedPath(staging, 2), 'too long a name');
    await expect(
      commitStaged(dir, staging, journal, { files: [...files, stagedPath(staging, 2)], folders }),
    ).rejects.toMatchObject({ code: 'ENAMETOOLONG' });
    expect(await dataOf(dir)).toEqual(before);
    expect(existsSync(join(dir, 'z'))).toBe(false);
  });

  it('a file that appeared at a new key since the install looked is kept: the commit fails naming it, all undone', async () => {
    const { dir, staging, journal, files, folders } = await staged();
    await writeTree(dir, { 'added/deep/x.txt': 'written meanwhile' });
    const error = await commitStaged(dir, staging, journal, { files, folders }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageKeyConflictError);
    expect((error as Error).message).toContain('"added/deep/x.txt"');
    expect(await dataOf(dir)).toEqual({ ...before, 'added/deep/x.txt': 'written meanwhile' });
    expect(existsSync(join(dir, 'tree'))).toBe(false);
  });

  it('a staged new file that is gone fails the commit before anything changes', async () => {
    const { dir, staging, journal, files, folders } = await staged();
    await rm(stagedPath(staging, 1));
    await expect(commitStaged(dir, staging, journal, { files, folders })).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await dataOf(dir)).toEqual(before);
    expect(existsSync(join(staging, 'journal.json'))).toBe(false);
  });

  it("the caller's work during the flush runs before any file moves; its failure fails the commit with nothing changed", async () => {
    const ok = await staged();
    let seen: Record<string, string> | undefined;
    await commitStaged(
      ok.dir,
      ok.staging,
      ok.journal,
      { files: ok.files, folders: ok.folders },
      {
        duringFlush: async () => {
          seen = await dataOf(ok.dir);
        },
      },
    );
    expect(seen).toEqual(before);
    expect(await dataOf(ok.dir)).toEqual(after);

    const failing = await staged();
    await expect(
      commitStaged(
        failing.dir,
        failing.staging,
        failing.journal,
        { files: failing.files, folders: failing.folders },
        { duringFlush: () => Promise.reject(new Error('cache folder not writable')) },
      ),
    ).rejects.toThrow('cache folder not writable');
    expect(await dataOf(failing.dir)).toEqual(before);
    expect(existsSync(join(failing.staging, 'committed'))).toBe(false);
  });
});

describe('recoverInterruptedInstalls', () => {
  it('an install killed after its changes but before its committed marker is rolled back', async () => {
    const { dir, staging, journal, files, folders } = await staged();
    await commitStaged(dir, staging, journal, { files, folders });
    await rm(join(staging, 'committed'));
    await asKilled(staging);
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await dataOf(dir)).toEqual(before);
    expect(existsSync(join(dir, 'tree'))).toBe(false);
    expect(existsSync(join(dir, 'added'))).toBe(false);
    expect(await readdir(join(dir, STATE_DIR))).toEqual([]);
  });

  it("a killed install's undo keeps a file someone put at one of its new keys before it got there", async () => {
    const { dir, staging, journal } = await staged();
    await writeFile(join(staging, 'journal.json'), JSON.stringify(journal)); // killed before its first change
    await writeTree(dir, { 'added/deep/x.txt': 'theirs' });
    await asKilled(staging);
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await dataOf(dir)).toEqual({ ...before, 'added/deep/x.txt': 'theirs' });
  });

  it("a killed install's undo removes the new file it placed, and never another file standing at that key", async () => {
    // Placed: the journal names the file the commit linked in (its staged name already gone).
    const placed = await staged();
    await commitStaged(placed.dir, placed.staging, placed.journal, {
      files: placed.files,
      folders: placed.folders,
    });
    await rm(join(placed.staging, 'committed'));
    const journal = JSON.parse(await readFile(join(placed.staging, 'journal.json'), 'utf8')) as Journal;
    expect(journal.put[1]?.file).toBeTruthy(); // the journal names the placed file
    await asKilled(placed.staging);
    await recoverInterruptedInstalls(placed.dir, stateDir);
    expect(await dataOf(placed.dir)).toEqual(before);
    // Replaced since by someone else's file (another size and mtime; its inode may be a reused one): kept.
    const other = await staged();
    await commitStaged(other.dir, other.staging, other.journal, {
      files: other.files,
      folders: other.folders,
    });
    await rm(join(other.staging, 'committed'));
    await rm(join(other.dir, 'added/deep/x.txt'));
    await writeFile(join(other.dir, 'added/deep/x.txt'), 'theirs');
    await asKilled(other.staging);
    await recoverInterruptedInstalls(other.dir, stateDir);
    expect(await dataOf(other.dir)).toEqual({ ...before, 'added/deep/x.txt': 'theirs' });
  });

  it('an install killed after its marker keeps the new version; its staging folder is removed', async () => {
    const { dir, staging, journal, files, folders } = await staged();
    await commitStaged(dir, staging, journal, { files, folders });
    await asKilled(staging);
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await dataOf(dir)).toEqual(after);
    expect(await readdir(join(dir, STATE_DIR))).toEqual([]);
  });

  it('an install killed while downloading (no journal yet) changed nothing: its staging is just removed', async () => {
    const { dir, staging } = await staged();
    await asKilled(staging);
    await mkdir(join(dir, STATE_DIR, 'staging-no-pid'), { recursive: true });
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await dataOf(dir)).toEqual(before);
    expect(await readdir(join(dir, STATE_DIR))).toEqual([]);
  });

  it("the staging folder of this process's running install is left alone; another's is a dead install's, whatever its pid", async () => {
    const { dir, staging } = await staged();
    // Only one install at a time holds the folder (install-lock.ts): a staging folder naming a live pid is one left by
    // a killed install whose pid is in use again (a restarted container's pid 1).
    const reused = join(dirname(staging), `staging-${process.ppid}-abc`);
    await mkdir(reused);
    await writeFile(join(reused, 'journal.json'), JSON.stringify({ put: [], remove: [] }));
    await recoverInterruptedInstalls(dir, stateDir);
    expect(existsSync(staging)).toBe(true);
    expect(existsSync(reused)).toBe(false);
    // Other names in the state folder are not staging folders.
    await writeFile(join(dir, STATE_DIR, 'draft.jsonl'), '{}');
    await recoverInterruptedInstalls(dir, stateDir);
    expect(existsSync(join(dir, STATE_DIR, 'draft.jsonl'))).toBe(true);
  });

  it('a folder without a state folder has nothing to recover', async () => {
    const dir = fresh('plain');
    await writeTree(dir, { 'a.txt': 'a' });
    await recoverInterruptedInstalls(dir, stateDir);
    await recoverInterruptedInstalls(fresh('absent'), stateDir);
    expect(await snapshotTree(dir)).toEqual({ 'a.txt': 'a' });
  });

  it('a hostile journal cannot make recovery write outside the destination or the record folders', async () => {
    const { dir, staging } = await staged();
    const outside = fresh('outside');
    await writeTree(outside, { 'installed.json': 'precious' });
    const journal = {
      put: [],
      remove: [],
      record: { folder: outside, before: null, after: 'x' }, // rolling back would delete installed.json there
      legacy: ['../../../outside-name'],
    };
    await writeFile(join(staging, 'journal.json'), JSON.stringify(journal));
    await asKilled(staging);
    await recoverInterruptedInstalls(dir, stateDir);
    expect(await snapshotTree(outside)).toEqual({ 'installed.json': 'precious' });
    expect(await dataOf(dir)).toEqual(before);
  });
});

describe('removeEmptyParents', () => {
  it('removes the empty folders above a key up to the destination, and stops at the first that is not empty', async () => {
    const dir = fresh('dir');
    await mkdir(join(dir, 'a', 'b', 'c'), { recursive: true });
    await writeFile(join(dir, 'a', 'keep.txt'), 'k');
    await removeEmptyParents(dir, 'a/b/c/file.txt');
    expect(existsSync(join(dir, 'a', 'b'))).toBe(false);
    expect(existsSync(join(dir, 'a', 'keep.txt'))).toBe(true);
    await rm(join(dir, 'a', 'keep.txt'));
    await removeEmptyParents(dir, 'a/x.txt');
    expect(existsSync(join(dir, 'a'))).toBe(false);
    expect(existsSync(dir)).toBe(true);
  });
});
