/**
 * One install at a time per folder (install-lock.ts). Two installs into one folder used to undo each other: one failed
 * with ENOTEMPTY and its undo removed the other's install record. Now the second waits: both succeed, and the folder
 * holds the version installed last, which its record names. A killed install's lock is taken over at once; a lock of
 * a live owner (or of another host) is waited for, up to the wait given.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { InstallFolderBusyError, PackageUsageError } from '../src/errors.js';
import { InstallFolderBusyError as FromIndex } from '../src/index.js';
import {
  firstFolderMade,
  lockFolder,
  processInfo,
  thisProcess,
  withInstallLock,
} from '../src/install-lock.js';
import { Package } from '../src/package.js';
import { publishFolder, snapshotTree, useTempWorkspace, writeTree } from './helpers.js';

const workspace = useTempWorkspace('dp-install-lock-');
const fresh = workspace.fresh;
let registries = 0;

const publish = (registry: string, files: Record<string, string>): Promise<Package> =>
  publishFolder(fresh('src'), registry, 'team/lock', files);

/** A pid no process has: one of a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

/** A lock file's text for an owner on this machine unless said otherwise. */
function ownerText(owner: {
  pid: number;
  nonce: string;
  host?: string;
  machine?: string;
  thread?: number;
  started?: string;
}): string {
  return JSON.stringify({ ...thisProcess(), ...owner });
}

/** Makes a file look untouched for two minutes (a lock whose owner stopped touching it). */
async function untouched(path: string): Promise<void> {
  const then = (Date.now() - 120_000) / 1000;
  await utimes(path, then, then);
}

/**
 * `callers` concurrent lockFolder calls on `dir`, each holding the lock `holdMs`: never two inside at once, and no
 * lock file left after the last release.
 */
async function expectOneHolderAtATime(dir: string, callers: number, holdMs: number): Promise<void> {
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      const release = await lockFolder(dir, { waitMs: 30_000 });
      inside++;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      inside--;
      await release();
    }),
  );
  expect(most).toBe(1);
  expect(await readdir(join(dir, '.datapkg'))).toEqual([]);
}

async function folderWithLock(owner: string): Promise<string> {
  const dir = fresh('dest');
  await writeTree(dir, { '.datapkg/lock': owner });
  return dir;
}

/** A published one-file package and a folder whose install lock this test holds (`release` frees it). */
async function lockedFolder() {
  const registry = `memory://install-lock-${registries++}`;
  const pkg = await publish(registry, { 'a.txt': 'a' });
  const dest = fresh('dest');
  const release = await lockFolder(dest);
  return { registry, pkg, dest, release };
}

const filesA: Record<string, string> = { 'd/a.txt': 'a', 'd/shared.txt': 'from a', 'only-a.txt': 'a' };
const filesB: Record<string, string> = { 'd/b.txt': 'b', 'd/shared.txt': 'from b', 'e/only-b.txt': 'b' };

describe('installs into one folder', () => {
  it('two concurrent installs of different versions both succeed, one after the other (6 tries)', async () => {
    const registry = `memory://install-lock-${registries++}`;
    const a = await publish(registry, filesA);
    const b = await publish(registry, filesB);
    const expected = new Map([
      [a.topHash, filesA],
      [b.topHash, filesB],
    ]);
    let waits = 0;
    for (let attempt = 0; attempt < 6; attempt++) {
      const dest = fresh('dest');
      const finished: string[] = [];
      // Alternate which starts first; each records when it is done (the later one's version is the folder's).
      const [first, second] = attempt % 2 === 0 ? [a, b] : [b, a];
      await Promise.all(
        [first, second].map((pkg) =>
          pkg.install(dest, { onLockWait: () => waits++ }).then(() => finished.push(pkg.topHash)),
        ),
      );
      const last = finished.at(-1) as string;
      expect(await snapshotTree(dest)).toEqual(expected.get(last));
      expect((await Package.fromInstalled(dest))?.topHash).toBe(last);
      expect(await readdir(dest)).not.toContain('.datapkg');
    }
    expect(waits).toBeGreaterThan(0); // they did overlap: the lock, not luck, kept them apart
  });

  type Locked = Awaited<ReturnType<typeof lockedFolder>>;
  it.each([
    ['install', ({ pkg, dest }: Locked, lockWaitMs: number) => pkg.install(dest, { lockWaitMs })],
    ['forceMatch', ({ pkg, dest }: Locked, lockWaitMs: number) => pkg.forceMatch(dest, { lockWaitMs })],
    ['fetch', ({ pkg, dest }: Locked, lockWaitMs: number) => pkg.fetch(dest, { lockWaitMs })],
    [
      'browseAndInstall (what `datapkg install` runs)',
      ({ pkg, dest, registry }: Locked, lockWaitMs: number) =>
        Package.browseAndInstall(`team/lock@${pkg.topHash}`, dest, { registry, lockWaitMs }),
    ],
  ] as const)('%s waits for the lock only as long as asked, changes nothing meanwhile, and runs once it is free', async (_, run) => {
    const locked = await lockedFolder();
    await expect(run(locked, 100)).rejects.toBeInstanceOf(InstallFolderBusyError);
    // Nothing of the refused call: no file, and the holder's lock as it was.
    expect(await readdir(locked.dest)).toEqual(['.datapkg']);
    expect(await readdir(join(locked.dest, '.datapkg'))).toEqual(['lock']);
    await locked.release();
    await run(locked, 0);
    expect(await readFile(join(locked.dest, 'a.txt'), 'utf8')).toBe('a');
  });

  it('the refusal names the holder and the lock file, and the caller is told once that it waits', async () => {
    const { registry, pkg, dest, release } = await lockedFolder();
    const told: unknown[] = [];
    const error = await Package.browseAndInstall(`team/lock@${pkg.topHash}`, dest, {
      registry,
      lockWaitMs: 150,
      onLockWait: (holder) => told.push(holder),
    }).catch((e: unknown) => e);
    // The class callers catch, from the package's entry point.
    expect(error).toBeInstanceOf(FromIndex);
    expect((error as InstallFolderBusyError).owner).toMatchObject({ pid: process.pid, host: hostname() });
    expect((error as Error).message).toContain(join(dest, '.datapkg', 'lock'));
    expect(told).toEqual([expect.objectContaining({ pid: process.pid })]);
    await release();
  });
});

describe('lockFolder', () => {
  it('hands the lock to one holder at a time, however many ask at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 5 }),
        async (holders, hold) => {
          await expectOneHolderAtATime(fresh('dest'), holders, hold);
        },
      ),
      { numRuns: 8 },
    );
  });

  it("takes over at once the lock of a process that is gone (a killed install's)", async () => {
    const pid = await deadPid();
    const dir = await folderWithLock(ownerText({ pid, nonce: 'killed' }));
    const release = await lockFolder(dir, { waitMs: 0 });
    const owner = JSON.parse(await readFile(join(dir, '.datapkg', 'lock'), 'utf8'));
    expect(owner.pid).toBe(process.pid);
    await release();
    expect(await readdir(join(dir, '.datapkg'))).toEqual([]);
  });

  it('waits for a lock of another host or container (its process cannot be checked), then names it', async () => {
    const pid = await deadPid(); // dead here, but it belongs to another machine
    for (const elsewhere of [{ host: `not-${hostname()}` }, { machine: 'another-boot/pid:[1]' }]) {
      const dir = await folderWithLock(ownerText({ pid, nonce: 'remote', ...elsewhere }));
      const lock = join(dir, '.datapkg', 'lock');
      const error = await lockFolder(dir, { waitMs: 100 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InstallFolderBusyError);
      expect((error as Error).message).toContain(`process ${pid} on ${elsewhere.host ?? hostname()}`);
      expect(JSON.parse(await readFile(lock, 'utf8')).nonce).toBe('remote');
      // Unchanged for as long as it is watched: its owner stopped touching it (a killed container's); taken over.
      const release = await lockFolder(dir, { waitMs: 5_000, abandonedAfterMs: 150 });
      expect(JSON.parse(await readFile(lock, 'utf8')).pid).toBe(process.pid);
      await release();
    }
  });

  it('a lock of another machine that its owner keeps touching is never taken', async () => {
    const remote = await folderWithLock(ownerText({ pid: 1, nonce: 'remote', host: `not-${hostname()}` }));
    const lock = join(remote, '.datapkg', 'lock');
    // Touched every 40 ms, judged abandoned only after 1 s unchanged: a margin a loaded machine keeps.
    const touching = setInterval(() => {
      const now = new Date();
      utimes(lock, now, now).catch(() => undefined);
    }, 40);
    try {
      const error = await lockFolder(remote, { waitMs: 3_000, abandonedAfterMs: 1_000 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InstallFolderBusyError);
    } finally {
      clearInterval(touching);
    }
  }, 10_000);

  // Where /proc tells a live process (elsewhere such a lock is judged like another machine's).
  it.runIf(process.platform === 'linux')(
    "a live owner's lock here is never taken, however old (a suspended install)",
    async () => {
      const here = await folderWithLock(
        ownerText({
          pid: process.ppid,
          started: processInfo(process.ppid)?.started ?? '',
          nonce: 'suspended',
        }),
      );
      await untouched(join(here, '.datapkg', 'lock'));
      const error = await lockFolder(here, { waitMs: 300, abandonedAfterMs: 50 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InstallFolderBusyError);
      expect((error as Error).message).toContain(`process ${process.ppid}`);
    },
  );

  it("another thread's lock is alive while it changes; left unchanged for the watch's minute, it is taken over", async () => {
    const dir = await folderWithLock(
      ownerText({ pid: process.pid, thread: thisProcess().thread + 1, nonce: 'thread' }),
    );
    const busy = await lockFolder(dir, { waitMs: 200, abandonedAfterMs: 5_000 }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(InstallFolderBusyError);
    const release = await lockFolder(dir, { waitMs: 5_000, abandonedAfterMs: 150 });
    expect(JSON.parse(await readFile(join(dir, '.datapkg', 'lock'), 'utf8')).nonce).not.toBe('thread');
    await release();
  });

  it.runIf(process.platform === 'linux')(
    'a live pid that started after the lock was written is another process: taken over',
    async () => {
      // Another process's pid now, or this process's (its lock was written by an earlier process with this pid).
      for (const pid of [process.ppid, process.pid]) {
        const dir = await folderWithLock(ownerText({ pid, started: '1', nonce: 'reused-pid' }));
        const release = await lockFolder(dir, { waitMs: 0 });
        expect(JSON.parse(await readFile(join(dir, '.datapkg', 'lock'), 'utf8')).nonce).not.toBe(
          'reused-pid',
        );
        await release();
      }
    },
  );

  it("another machine's abandoned lock and its killed breaker's lock.break are both taken over", async () => {
    const remote = ownerText({ pid: 1, nonce: 'remote', host: `not-${hostname()}` });
    const dir = await folderWithLock(remote);
    await writeFile(
      join(dir, '.datapkg', 'lock.break'),
      ownerText({ pid: 2, nonce: 'breaker', host: `not-${hostname()}` }),
    );
    const release = await lockFolder(dir, { waitMs: 10_000, abandonedAfterMs: 200 });
    expect(await readdir(join(dir, '.datapkg'))).toEqual(['lock']);
    expect(JSON.parse(await readFile(join(dir, '.datapkg', 'lock'), 'utf8')).pid).toBe(process.pid);
    await release();
  });

  // Where /proc tells a live process (elsewhere a live breaker that stops touching its file is judged like another
  // machine's).
  it.runIf(process.platform === 'linux')(
    "a live breaker's lock.break is waited for: the abandoned lock it is removing is left to it",
    async () => {
      const dir = await folderWithLock(ownerText({ pid: await deadPid(), nonce: 'dead' }));
      const breaker = ownerText({
        pid: process.ppid,
        started: processInfo(process.ppid)?.started ?? '',
        nonce: 'live',
      });
      await writeFile(join(dir, '.datapkg', 'lock.break'), breaker);
      const error = await lockFolder(dir, { waitMs: 300, abandonedAfterMs: 50 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InstallFolderBusyError);
      expect((await readdir(join(dir, '.datapkg'))).sort()).toEqual(['lock', 'lock.break']);
      expect(await readFile(join(dir, '.datapkg', 'lock.break'), 'utf8')).toBe(breaker);
    },
  );

  it("a killed breaker's lock.break is removed, then the abandoned lock it was removing", async () => {
    const dead = ownerText({ pid: await deadPid(), nonce: 'dead' });
    const dir = await folderWithLock(dead);
    await writeFile(join(dir, '.datapkg', 'lock.break'), dead);
    const release = await lockFolder(dir, { waitMs: 5_000 });
    expect(await readdir(join(dir, '.datapkg'))).toEqual(['lock']);
    await release();
  });

  it('the holder touches its lock while it holds it', async () => {
    const dir = fresh('dest');
    const release = await lockFolder(dir, { heartbeatMs: 20 });
    const lock = join(dir, '.datapkg', 'lock');
    await untouched(lock);
    const old = (await stat(lock)).mtimeMs;
    await vi.waitFor(async () => expect((await stat(lock)).mtimeMs).toBeGreaterThan(old), { timeout: 5_000 });
    await release();
  });

  it("a lock naming this process's pid with a nonce it does not hold is a predecessor's (a restarted container)", async () => {
    const dir = await folderWithLock(ownerText({ pid: process.pid, nonce: 'before-restart' }));
    const release = await lockFolder(dir, { waitMs: 0 });
    expect(JSON.parse(await readFile(join(dir, '.datapkg', 'lock'), 'utf8')).nonce).not.toBe(
      'before-restart',
    );
    await release();
  });

  it('says once that it waits, naming the holder', async () => {
    const dir = fresh('dest');
    const release = await lockFolder(dir);
    const seen: unknown[] = [];
    const waiting = lockFolder(dir, { onWait: (owner) => seen.push(owner) });
    await new Promise((resolve) => setTimeout(resolve, 200)); // several tries
    await release();
    await (await waiting)();
    expect(seen).toEqual([expect.objectContaining({ pid: process.pid, host: hostname() })]);
  });

  it('refuses a wait that is not a number of milliseconds, naming the option', async () => {
    for (const waitMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await lockFolder(fresh('dest'), { waitMs }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PackageUsageError);
      expect((error as Error).message).toMatch(/^lockWaitMs: expected/);
    }
  });

  it('an unreadable lock is waited for while its owner may be alive, and taken over once unchanged while watched', async () => {
    const dir = await folderWithLock('not a lock');
    const lock = join(dir, '.datapkg', 'lock');
    const error = await lockFolder(dir, { waitMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstallFolderBusyError);
    expect((error as Error).message).toContain('its lock file cannot be read');
    const release = await lockFolder(dir, { waitMs: 5_000, abandonedAfterMs: 150 });
    expect(JSON.parse(await readFile(lock, 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('removes temp and claimed files of lock callers killed half-way, once old; fresh ones are left', async () => {
    const dir = fresh('dest');
    // Old: two of this code's leftovers, and two names that only contain the pattern (someone else's files).
    const names = [
      'lock.00112233445566aa',
      'lock.00112233445566bb',
      'lock.00112233445566cc.claimed',
      'my-lock.00112233445566dd',
      'lock.00112233445566ee.claimed.bak',
    ];
    await writeTree(dir, Object.fromEntries(names.map((name) => [`.datapkg/${name}`, '{}'])));
    for (const name of [names[0], names[2], names[3], names[4]])
      await untouched(join(dir, '.datapkg', name as string));
    const release = await lockFolder(dir);
    expect((await readdir(join(dir, '.datapkg'))).sort()).toEqual([
      'lock',
      'lock.00112233445566bb',
      'lock.00112233445566ee.claimed.bak',
      'my-lock.00112233445566dd',
    ]);
    await release();
  });

  it("many callers finding a dead owner's lock take it over one at a time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 6 }), async (callers) => {
        const dir = await folderWithLock(ownerText({ pid: await deadPid(), nonce: 'dead' }));
        await expectOneHolderAtATime(dir, callers, 2);
      }),
      { numRuns: 5 },
    );
  });

  it('release leaves a lock that is not its own (one taken over meanwhile)', async () => {
    const dir = fresh('dest');
    const release = await lockFolder(dir);
    const other = ownerText({ pid: process.pid, nonce: 'someone-else' });
    await writeFile(join(dir, '.datapkg', 'lock'), other);
    await release();
    expect(await readFile(join(dir, '.datapkg', 'lock'), 'utf8')).toBe(other);
  });

  it('a write that fails is reported at once, not waited out', async () => {
    const dir = fresh('dest');
    await writeTree(dir, { '.datapkg': 'a file where the state folder goes' });
    // Waiting the minute out would overrun the test's time limit.
    const error = (await lockFolder(dir, { waitMs: 60_000 }).catch(
      (e: unknown) => e,
    )) as NodeJS.ErrnoException;
    expect(error).not.toBeInstanceOf(InstallFolderBusyError);
    expect(error.code).toMatch(/ENOTDIR|EEXIST/);
  }, 20_000);
});

describe('withInstallLock', () => {
  it("takes mkdir's first folder made as a plain path (Windows answers \\\\?\\C:\\...)", () => {
    expect(firstFolderMade('\\\\?\\C:\\work\\dest')).toBe('C:\\work\\dest');
    expect(firstFolderMade('\\\\?\\UNC\\server\\share\\dest')).toBe('\\\\server\\share\\dest');
    expect(firstFolderMade('/work/dest')).toBe('/work/dest');
    expect(firstFolderMade(undefined)).toBeUndefined();
  });

  it('a failure in a folder that did not exist removes the folders it made', async () => {
    const parent = fresh('parent');
    const dir = join(parent, 'a', 'b');
    await expect(withInstallLock(dir, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(stat(join(parent, 'a'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('success keeps the folder (even an empty one) and leaves no state folder', async () => {
    const dir = join(fresh('parent'), 'dest');
    await withInstallLock(dir, async () => undefined);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps a state folder that holds something else (a draft)', async () => {
    const dir = fresh('dest');
    await writeTree(dir, { '.datapkg/draft.jsonl': 'draft', 'a.txt': 'a' });
    await expect(withInstallLock(dir, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await snapshotTree(dir)).toEqual({ '.datapkg/draft.jsonl': 'draft', 'a.txt': 'a' });
  });

  it('refuses a state folder that is a link, writing nothing through it', async () => {
    const dir = fresh('dest');
    const outside = fresh('outside');
    await mkdir(dir, { recursive: true });
    await mkdir(outside, { recursive: true });
    await symlink(outside, join(dir, '.datapkg'));
    await expect(withInstallLock(dir, async () => 'ran')).rejects.toThrow(/link/i);
    expect(await readdir(outside)).toEqual([]);
  });
});
