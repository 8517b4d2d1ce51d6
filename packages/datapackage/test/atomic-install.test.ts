/**
 * Install is all or nothing: a failure while downloading (a corrupt object) or while putting files in place (a name
 * the file system refuses) leaves the destination byte-identical to before, with no staging folder, and reports the
 * real error; staging left by a killed install is cleaned (and its half-done changes undone) by the next run.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InstallRollBackError, ObjectHashMismatchError } from '../src/errors.js';
import { PackageBuilder } from '../src/package-builder.js';
import { snapshotTree, useTempWorkspace, writeTree } from './helpers.js';
import { registryTargets } from './targets.js';

const workspace = useTempWorkspace('dp-atomic-');
const fresh = workspace.fresh;
/** Memory registries get a new name per test. */
let registries = 0;

async function builderOf(files: Record<string, string>): Promise<PackageBuilder> {
  const builder = new PackageBuilder();
  for (const [key, content] of Object.entries(files)) {
    const path = fresh('file');
    await writeFile(path, content);
    builder.set(key, path);
  }
  return builder;
}

describe('atomic install', () => {
  it('a rename that fails half-way (ENAMETOOLONG) leaves the destination as it was', async () => {
    const registry = `memory://atomic-${registries++}`;
    const v1 = await (await builderOf({ 'a.txt': 'a v1', 'm.txt': 'm v1', 'old.txt': 'old' })).push(
      registry,
      'team/pkg',
    );
    const dest = fresh('dest');
    await v1.install(dest);
    await writeFile(join(dest, 'mine.txt'), 'user file');
    const before = await snapshotTree(dest);
    const v2 = await (
      await builderOf({ 'a.txt': 'a v2', 'm.txt': 'm v2', [`z/${'x'.repeat(300)}`]: 'too long a name' })
    ).push(registry, 'team/pkg', { force: true }); // a fresh builder over v1: quilt3 needs force too
    await expect(v2.install(dest)).rejects.toThrow(/ENAMETOOLONG/);
    expect(await snapshotTree(dest)).toEqual(before);
  });

  it('one corrupt object among 30 reports the hash mismatch and changes nothing', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`f${String(i).padStart(2, '0')}.txt`] = `content ${i}`.repeat(100);
    const registryDir = fresh('registry');
    const pkg = await (await builderOf(files)).push(pathToFileURL(registryDir).href, 'team/many');
    await writeFile(join(registryDir, 'team/many/f17.txt'), 'CONTENT 17'.repeat(100)); // same size
    const dest = fresh('dest');
    await writeTree(dest, { 'keep.txt': 'keep' });
    const error = await pkg.install(dest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect(String(error)).toMatch(/"f17\.txt"/);
    expect(await snapshotTree(dest)).toEqual({ 'keep.txt': 'keep' });
  });

  it.each(
    registryTargets().filter((t) => t.name !== 's3-versioned'), // a pinned version cannot be overwritten
  )('one corrupt object among 30 on the $name registry: the hash mismatch, and nothing changed', {
    timeout: 120_000,
  }, async (target) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`f${String(i).padStart(2, '0')}.txt`] = `remote ${i}`.repeat(100);
    const open = await target.open();
    try {
      const pkg = await (await builderOf(files)).push(open.url, 'team/many');
      // Replace the object f17 points at with other bytes of the same size, wherever the push put it.
      const object = open.registry.keyOfPhysicalKey(pkg.manifest().get('f17.txt')?.physicalKey as string);
      expect(object).toBeDefined();
      await open.registry.store.put(object?.key as string, 'REMOTE 17'.repeat(100));
      const dest = fresh('dest');
      await writeTree(dest, { 'keep.txt': 'keep', 'f03.txt': 'user version of f03' });
      const before = await snapshotTree(dest);
      const error = await pkg.install(dest).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ObjectHashMismatchError);
      expect(String(error)).toMatch(/"f17\.txt"/);
      expect(await snapshotTree(dest)).toEqual(before);
    } finally {
      await open.cleanup();
    }
  });

  it('the next install cleans staging left by a killed one', async () => {
    const registry = `memory://atomic-${registries++}`;
    const pkg = await (await builderOf({ 'a.txt': 'a' })).push(registry, 'team/pkg');
    const dest = fresh('dest');
    await mkdir(join(dest, '.datapkg', 'staging-0123456789ab'), { recursive: true });
    await writeFile(join(dest, '.datapkg', 'staging-0123456789ab', '0'), 'half a download');
    await pkg.install(dest);
    expect(await readdir(dest)).toEqual(['a.txt']); // no staging, and no .datapkg/ left
    expect(await readFile(join(dest, 'a.txt'), 'utf8')).toBe('a');
  });

  it('a journal cut short by a kill (nothing changed yet) is cleaned up, not an error', async () => {
    const registry = `memory://atomic-${registries++}`;
    const pkg = await (await builderOf({ 'a.txt': 'a' })).push(registry, 'team/pkg');
    const dest = fresh('dest');
    await writeTree(dest, { 'mine.txt': 'mine' });
    for (const [name, journal] of [
      ['staging-0123456789ab', ''],
      ['staging-0123456789ac', '{"changes":[{"ren'],
    ]) {
      await mkdir(join(dest, '.datapkg', name as string), { recursive: true });
      await writeFile(join(dest, '.datapkg', name as string, 'journal.json'), journal as string);
    }
    await pkg.install(dest);
    expect((await readdir(dest)).sort()).toEqual(['a.txt', 'mine.txt']);
    expect(await readFile(join(dest, 'mine.txt'), 'utf8')).toBe('mine');
  });

  it('an unreadable journal beside files moved aside stops the install and keeps them (damage, not a kill)', async () => {
    const registry = `memory://atomic-${registries++}`;
    const pkg = await (await builderOf({ 'a.txt': 'a' })).push(registry, 'team/pkg');
    const dest = fresh('dest');
    const staging = join(dest, '.datapkg', 'staging-0123456789ad');
    await mkdir(join(staging, 'old'), { recursive: true });
    await writeFile(join(staging, 'old', '0'), 'the only copy of a replaced file');
    await writeFile(join(staging, 'journal.json'), '{"changes":[{"ren');
    const error = await pkg.install(dest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstallRollBackError);
    expect(String(error)).toContain('journal is unreadable');
    expect(await readFile(join(staging, 'old', '0'), 'utf8')).toBe('the only copy of a replaced file');
  });
});
