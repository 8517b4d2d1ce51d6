/**
 * `datapkg install` SIGKILLed at random points in 20 runs (downloading, committing, recording): once the next run has
 * cleaned up after it, the folder holds exactly the old version or exactly the new one (the user's own file
 * untouched either way), its install record names that version, and no staging folder is left.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recoverInterruptedInstalls } from '../../src/install-transaction.js';
import { Package } from '../../src/package.js';
import { publishFolder, tempDir, writeTree } from '../helpers.js';
import { runCli, spawnCli } from './run-cli.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  work = await tempDir('dp-install-kill-');
  env = { MLC_DATAPKG_CACHE_DIR: join(work.path, 'cache') };
  process.env.MLC_DATAPKG_CACHE_DIR = join(work.path, 'cache-api');
});
afterAll(async () => {
  await work.cleanup();
});

/** The folder's files with their content; the state folder apart. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string, prefix: string) => {
    for (const dirent of await readdir(d, { withFileTypes: true })) {
      if (prefix === '' && dirent.name === '.datapkg') continue;
      const key = prefix ? `${prefix}/${dirent.name}` : dirent.name;
      if (dirent.isDirectory()) await walk(join(d, dirent.name), key);
      else out[key] = await readFile(join(d, dirent.name), 'latin1');
    }
  };
  await walk(dir, '');
  return out;
}

let sources = 0;
const publish = async (registry: string, files: Record<string, Buffer>): Promise<string> =>
  (await publishFolder(join(work.path, `src-${sources++}`), registry, 'team/kill', files)).topHash;

/**
 * Kill points spread over one install's run time here: a complete run of `scratchArgv` first measures how long an
 * install takes, then `runs` delays from 30 % to 105 % of it (seeded, so a failure replays).
 */
async function killDelays(scratchArgv: string[], runs: number, seed: number): Promise<number[]> {
  const started = Date.now();
  const timing = await runCli(scratchArgv, env);
  expect(timing.code, timing.stderr).toBe(0);
  const duration = Date.now() - started;
  return fc.sample(fc.integer({ min: Math.floor(duration * 0.3), max: Math.floor(duration * 1.05) }), {
    numRuns: runs,
    seed,
  });
}

/** Runs the CLI with `argv` and SIGKILLs it after `delay` ms unless it ended first; true when it was killed. */
async function runKilledAfter(argv: string[], delay: number): Promise<boolean> {
  const { child, done } = spawnCli(argv, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), delay);
  const result = await done;
  clearTimeout(timer);
  if (result.signal === 'SIGKILL') return true;
  expect(result.code, result.stderr).toBe(0);
  return false;
}

it('SIGKILL during install at random points in 20 runs leaves the old or the new version, never a mix', async () => {
  const registry = pathToFileURL(join(work.path, 'registry')).href;
  const v1Files: Record<string, Buffer> = {};
  const v2Files: Record<string, Buffer> = {};
  for (let i = 0; i < 30; i++) {
    v1Files[`d${i % 3}/part-${i}.bin`] = Buffer.alloc(32 * 1024 + i, i);
    if (i % 4 !== 0)
      v2Files[`d${i % 3}/part-${i}.bin`] = Buffer.alloc(32 * 1024 + i, i % 2 === 0 ? i : 100 + i);
    v2Files[`new/n-${i}.bin`] = Buffer.alloc(16 * 1024, 50 + i);
    // New files in folders the old version has: each linked into place on its own (a kill between link and unlink).
    if (i % 5 === 0) v2Files[`d${i % 3}/added-${i}.bin`] = Buffer.alloc(8 * 1024, 200 - i);
  }
  const v1 = await publish(registry, v1Files);
  const v2 = await publish(registry, v2Files);
  const install = (hash: string, dest: string) => [
    '-q',
    'install',
    `team/kill@${hash}`,
    '--registry',
    registry,
    '--dest',
    dest,
  ];
  const dest = join(work.path, 'dest');
  const reset = async () => {
    const result = await runCli(install(v1, dest), env);
    expect(result.code, result.stderr).toBe(0);
  };
  await reset();
  await writeTree(dest, { 'mine.txt': 'the user file' });
  const old = await snapshot(dest);
  const fresh = { ...Object.fromEntries(Object.entries(v2Files).map(([k, v]) => [k, v.toString('latin1')])) };
  fresh['mine.txt'] = 'the user file';

  const delays = await killDelays(install(v2, join(work.path, 'scratch')), 20, 20261130);
  let killed = 0;
  for (const delay of delays) {
    if (await runKilledAfter(install(v2, dest), delay)) killed++;
    await recoverInterruptedInstalls(dest); // what the next install does first
    const now = await snapshot(dest);
    expect([old, fresh]).toContainEqual(now);
    // The install record is committed with the files: it names the version the folder holds.
    const recorded = (await Package.fromInstalled(dest))?.topHash;
    expect(recorded).toBe(now['new/n-0.bin'] === undefined ? v1 : v2);
    const state = await readdir(join(dest, '.datapkg')).catch(() => []);
    expect(state.filter((name) => name.startsWith('staging-'))).toEqual([]);
    if (now['new/n-0.bin'] !== undefined) await reset();
  }
  expect(killed).toBeGreaterThan(0);
}, 300_000);

it('SIGKILL during a first install (into a folder that does not exist yet) in 12 runs leaves nothing or all of it', async () => {
  const registry = pathToFileURL(join(work.path, 'registry-first')).href;
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 600; i++) files[`d${i % 7}/f-${i}.bin`] = Buffer.alloc(1024 + i, i % 251);
  files['top.bin'] = Buffer.alloc(2048, 7);
  const version = await publish(registry, files);
  const expected = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.toString('latin1')]));
  const install = (dest: string) => [
    '-q',
    'install',
    `team/kill@${version}`,
    '--registry',
    registry,
    '--dest',
    dest,
  ];
  const delays = await killDelays(install(join(work.path, 'first-scratch')), 12, 20261201);
  let killed = 0;
  for (const [i, delay] of delays.entries()) {
    const dest = join(work.path, `first-${i}`); // a new folder each time: every run is a first install
    if (await runKilledAfter(install(dest), delay)) killed++;
    await recoverInterruptedInstalls(dest); // what the next install does first
    const now = await snapshot(dest).catch(() => ({})); // killed before the folder was made
    expect([{}, expected]).toContainEqual(now);
    const recorded = (await Package.fromInstalled(dest).catch(() => undefined))?.topHash;
    expect(recorded).toBe(Object.keys(now).length === 0 ? undefined : version);
    const state = await readdir(join(dest, '.datapkg')).catch(() => []);
    expect(state.filter((name) => name.startsWith('staging-'))).toEqual([]);
  }
  expect(killed).toBeGreaterThan(0);
}, 300_000);
