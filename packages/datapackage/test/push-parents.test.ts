/**
 * What a CLI push remembers about the folder it pushed from (the base of the next push's conflict check): records of
 * different folders written at the same moment must all survive.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addFolderParents, recordPush } from '../src/cli/push-parents.js';
import type { PackageBuilder } from '../src/package-builder.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir('push-parents-');
  vi.stubEnv('MLC_DATAPKG_CACHE_DIR', join(work.path, 'cache'));
  // No local registry: only the recorded pushes count as parents here.
  vi.stubEnv('XDG_DATA_HOME', join(work.path, 'data'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await work.cleanup();
});

/** The parents `addFolderParents` gives a push of `name` from `dir`. */
async function parentsOf(dir: string, name: string): Promise<string[]> {
  const parents: string[] = [];
  const builder = { addParent: (_: string, hash: string) => parents.push(hash) } as unknown as PackageBuilder;
  await addFolderParents(builder, dir, name);
  return parents;
}

const hash = (i: number) => i.toString(16).padStart(64, '0');

describe('push records', () => {
  it('keeps the record of every folder when pushes from 12 folders finish at once', async () => {
    const dirs = Array.from({ length: 12 }, (_, i) => join(work.path, `folder-${i}`));
    await Promise.all(dirs.map((d) => mkdir(d, { recursive: true })));
    await Promise.all(dirs.map((d, i) => recordPush(d, 'team/data', hash(i + 1))));
    for (const [i, d] of dirs.entries()) expect(await parentsOf(d, 'team/data')).toEqual([hash(i + 1)]);
  });

  it('keeps one record per package name of a folder, the last push of each', async () => {
    const dir = join(work.path, 'multi');
    await mkdir(dir, { recursive: true });
    await recordPush(dir, 'team/a', hash(1));
    await recordPush(dir, 'team/b', hash(2));
    await recordPush(dir, 'team/a', hash(3));
    expect(await parentsOf(dir, 'team/a')).toEqual([hash(3)]);
    expect(await parentsOf(dir, 'team/b')).toEqual([hash(2)]);
    expect(await parentsOf(join(work.path, 'never-pushed'), 'team/a')).toEqual([]);
  });

  it("still finds a folder's parent in the shared push-parents.json that earlier versions wrote", async () => {
    const dir = join(work.path, 'pushed-before-upgrade');
    await mkdir(dir, { recursive: true });
    await mkdir(join(work.path, 'cache'), { recursive: true });
    const shared = join(work.path, 'cache', 'push-parents.json');
    await writeFile(shared, JSON.stringify({ [dir]: { 'team/old': hash(7) } }));
    expect(await parentsOf(dir, 'team/old')).toEqual([hash(7)]);
    // The next push writes the folder's own record, keeping what the shared file said.
    await recordPush(dir, 'team/new', hash(8));
    expect(await parentsOf(dir, 'team/old')).toEqual([hash(7)]);
    expect(await parentsOf(dir, 'team/new')).toEqual([hash(8)]);
  });
});
