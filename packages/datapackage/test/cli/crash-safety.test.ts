/**
 * Crash safety through the real CLI: `datapkg push` is SIGKILLed at random points in 20 runs; after every kill the
 * registry must list only packages whose manifest and objects are all present and intact, and a final run must
 * complete. Then a corrupted object must make `install` fail naming the key and both hashes, leaving the
 * destination as it was (on a versioned bucket, where objects are pinned by versionId, the overwrite cannot reach the
 * pinned version and install must succeed). Runs on every registry target.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readObjectHash } from '../../src/manifest.js';
import type { PackageRegistry } from '../../src/registry.js';
import { tempDir, writeTree } from '../helpers.js';
import { type OpenRegistry, registryTargets } from '../targets.js';
import { runCli, spawnCli } from './run-cli.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  work = await tempDir('dp-crash-');
  env = { MLC_DATAPKG_CACHE_DIR: join(work.path, 'cache') };
});
afterAll(async () => {
  await work.cleanup();
});

/** Every pointer of every listed package names a readable manifest whose objects all exist with the right size. */
async function assertRegistryConsistent(registry: PackageRegistry): Promise<number> {
  // Sizes from one listing of the registry (what a HEAD of each key returns): the registry grows every run, and a
  // HEAD per object of every version made the 20 runs on S3 cost thousands of requests.
  const sizes = new Map<string, number>();
  for await (const info of registry.store.list('')) sizes.set(info.key, info.size);
  let versions = 0;
  for (const name of await registry.listPackages()) {
    for (const version of await registry.listVersions(name)) {
      const manifest = await registry.fetchManifest(version.topHash); // throws if missing or not matching its hash
      for (const entry of manifest.entries()) {
        const location = registry.keyOfPhysicalKey(entry.physicalKey);
        expect(location, `${entry.logicalKey} lives in the registry`).toBeDefined();
        const size = sizes.get(location?.key as string);
        expect(size, `object of ${entry.logicalKey} in ${name}:${version.pointer}`).toBe(entry.size);
      }
      versions++;
    }
  }
  return versions;
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string, prefix: string) => {
    for (const dirent of await readdir(d, { withFileTypes: true })) {
      const key = prefix ? `${prefix}/${dirent.name}` : dirent.name;
      if (dirent.isDirectory()) await walk(join(d, dirent.name), key);
      else out[key] = (await readFile(join(d, dirent.name))).toString('base64');
    }
  };
  await walk(dir, '');
  return out;
}

// The registries are independent: their suites run at the same time (mostly waiting on children and the S3 server),
// while the tests of one registry run in order (the tampered manifest is the corrupted package's).
describe.concurrent.each(registryTargets())('crash safety on the $name registry', (target) => {
  let reg: OpenRegistry;
  beforeAll(async () => {
    reg = await target.open();
  });
  afterAll(async () => {
    await reg.cleanup();
  });

  it.sequential('SIGKILL during push at random points in 20 runs never leaves a listed package incomplete; a re-run completes', async () => {
    const ws = join(work.path, `${target.name}-ws`);
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 30; i++) files[`part-${i}.bin`] = Buffer.alloc(64 * 1024 + i, i);
    await writeTree(ws, files);
    // --force: a run killed after publishing `latest` never recorded it as the folder's parent (conflict check).
    const push = () => ['-q', 'push', 'team/crash', '--dir', ws, '--registry', reg.url, '--force'];

    // One complete run first, to learn how long a push takes on this machine.
    const started = Date.now();
    const first = await runCli(push(), env);
    expect(first.code, first.stderr).toBe(0);
    const duration = Date.now() - started;

    // Kill points spread over the whole run (start-up, hashing, uploads, publishing), reproducible by seed.
    const delays = fc.sample(
      fc.integer({ min: Math.floor(duration * 0.2), max: Math.floor(duration * 1.1) }),
      {
        numRuns: 20,
        seed: 20261122,
      },
    );
    let killed = 0;
    for (const [run, delay] of delays.entries()) {
      // New content each run, so every run has new objects and a new manifest to publish.
      await writeFile(join(ws, `part-${run % 30}.bin`), Buffer.alloc(64 * 1024 + run, 200 + run));
      await writeFile(join(ws, `run-${run}.txt`), `run ${run}\n`);
      const { child, done } = spawnCli(push(), env);
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const result = await done;
      clearTimeout(timer);
      if (result.signal === 'SIGKILL') killed++;
      else expect(result.code, result.stderr).toBe(0);
      await assertRegistryConsistent(reg.registry);
    }
    expect(killed).toBeGreaterThan(0);

    const final = await runCli(['--json', ...push()], env);
    expect(final.code, final.stderr).toBe(0);
    const { topHash } = JSON.parse(final.stdout) as { topHash: string };
    expect(await reg.registry.resolveTopHash('team/crash')).toBe(topHash);
    expect(await assertRegistryConsistent(reg.registry)).toBeGreaterThan(1);

    const dest = join(work.path, `${target.name}-installed`);
    expect((await runCli(['install', 'team/crash', '--registry', reg.url, '--dest', dest], env)).code).toBe(
      0,
    );
    const status = await runCli(['status', dest], env);
    expect(status.stdout).toBe('Data matches manifest\n');
    const workspace = await snapshot(ws);
    const installed = await snapshot(dest);
    delete installed['.datapkg/installed.json'];
    delete installed['.datapkg/installed.jsonl'];
    expect(installed).toEqual(workspace);
  }, 600_000); // 20 pushes on each registry at once: a busy machine needs more than 5 minutes

  it.sequential('a corrupted object: install fails naming the key and both hashes and leaves the destination as it was', async () => {
    const ws = join(work.path, `${target.name}-corrupt-ws`);
    await writeTree(ws, { 'good.txt': 'good', 'victim.txt': 'the original bytes' });
    const v1 = await runCli(['--json', 'push', 'team/corrupt', '--dir', ws, '--registry', reg.url], env);
    expect(v1.code, v1.stderr).toBe(0);
    const dest = join(work.path, `${target.name}-corrupt-dest`);
    expect((await runCli(['install', 'team/corrupt', '--registry', reg.url, '--dest', dest], env)).code).toBe(
      0,
    );

    // v2 changes both files; then the registry copy of victim.txt is damaged.
    await writeTree(ws, { 'good.txt': 'good v2', 'victim.txt': 'the new bytes, v2' });
    const v2 = await runCli(['--json', 'push', 'team/corrupt', '--dir', ws, '--registry', reg.url], env);
    const v2Hash = JSON.parse(v2.stdout).topHash as string;
    const manifest = await reg.registry.fetchManifest(v2Hash);
    const victim = manifest.get('victim.txt');
    const location = reg.registry.keyOfPhysicalKey(victim?.physicalKey as string);
    const corrupt = Buffer.from('THE NEW BYTES, V2'); // same size, different bytes
    await reg.registry.store.put(location?.key as string, corrupt);

    const before = await snapshot(dest);
    const result = await runCli(['install', 'team/corrupt', '--registry', reg.url, '--dest', dest], env);
    if (location?.versionId !== undefined) {
      // A versioned bucket cannot be corrupted in place: the put made a new version, the manifest pins the old one.
      expect(result.code, result.stderr).toBe(0);
      expect(await readFile(join(dest, 'victim.txt'), 'utf8')).toBe('the new bytes, v2');
      return;
    }
    expect(result.code).toBe(1);
    const expectedHash = readObjectHash(victim?.hash ?? null)?.value as string;
    const actualHash = createHash('sha256')
      .update(createHash('sha256').update(corrupt).digest())
      .digest('base64');
    expect(result.stderr).toContain('"victim.txt"');
    expect(result.stderr).toContain(expectedHash);
    expect(result.stderr).toContain(actualHash);
    expect(await snapshot(dest)).toEqual(before);
  }, 120_000);

  it.sequential('a tampered manifest is refused: it no longer hashes to the requested top hash', async () => {
    const hash = await reg.registry.resolveTopHash('team/corrupt');
    const key = reg.registry.manifestKey(hash);
    const text = new TextDecoder().decode(await reg.registry.store.getBytes(key));
    await reg.registry.store.put(key, text.replace('"good.txt"', '"evil.txt"'));
    const dest = join(work.path, `${target.name}-tampered`);
    const result = await runCli(['install', 'team/corrupt', '--registry', reg.url, '--dest', dest], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`requested top hash ${hash}, content hashes to [0-9a-f]{64}`));
  }, 60_000);
});
