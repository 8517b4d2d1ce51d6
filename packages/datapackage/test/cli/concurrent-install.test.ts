/**
 * Two `datapkg install` processes into one new folder at the same time, as two terminals or CI jobs run them. Before
 * the folder lock, 3 of 6 such pairs ended with one failing on ENOTEMPTY and the folder's install record gone. Now both
 * succeed (the second waits for the first), and the folder holds exactly one version, the one its record names.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Package } from '../../src/package.js';
import { publishFolder, snapshotTree, tempDir } from '../helpers.js';
import { spawnCli } from './run-cli.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  work = await tempDir('dp-concurrent-install-');
  env = { MLC_DATAPKG_CACHE_DIR: join(work.path, 'cache'), MLC_DATAPKG_STATE_DIR: join(work.path, 'state') };
  process.env.MLC_DATAPKG_STATE_DIR = env.MLC_DATAPKG_STATE_DIR;
});
afterAll(async () => {
  await work.cleanup();
});

let sources = 0;
const publish = async (registry: string, files: Record<string, string>): Promise<string> =>
  (await publishFolder(join(work.path, `src-${sources++}`), registry, 'team/both', files)).topHash;

it('two install processes into one new folder both succeed, and the folder is whole the version its record names (6 pairs)', async () => {
  const registry = pathToFileURL(join(work.path, 'registry')).href;
  const filesA: Record<string, string> = {};
  const filesB: Record<string, string> = { 'b-only/extra.txt': 'b' };
  for (let i = 0; i < 60; i++) {
    filesA[`d${i % 4}/f${i}.txt`] = `a ${i}`;
    filesB[`d${i % 4}/f${i}.txt`] = `b ${i}`;
  }
  const versions = new Map([
    [await publish(registry, filesA), filesA],
    [await publish(registry, filesB), filesB],
  ]);
  for (let pair = 0; pair < 6; pair++) {
    const dest = join(work.path, `dest-${pair}`);
    await Promise.all(
      [...versions.keys()].map(async (hash) => {
        const { done } = spawnCli(
          ['-q', 'install', `team/both@${hash}`, '--registry', registry, '--dest', dest],
          env,
        );
        const result = await done;
        expect(result.code, result.stderr).toBe(0);
      }),
    );
    // Whichever went second, the folder is exactly its version (nothing of the other left) and its record says so.
    const recorded = (await Package.fromInstalled(dest))?.topHash as string;
    expect(await snapshotTree(dest)).toEqual(versions.get(recorded));
    expect(await readdir(dest)).not.toContain('.datapkg');
  }
}, 120_000);
