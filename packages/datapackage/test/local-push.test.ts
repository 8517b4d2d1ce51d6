/**
 * The local-registry push path (local-object-copy.ts): new files are hashed while they are copied (straight to their
 * keys, or to temp files linked after the manifest checks), already-hashed files are copied and verified in batches,
 * and whatever stops a push leaves no temp file in the registry and no entry pointing at its objects.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ObjectHashMismatchError, PackageConflictError, WorkflowValidationError } from '../src/errors.js';
import { makeDurable } from '../src/local-object-copy.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import { useTempWorkspace, writeTree } from './helpers.js';

const workspace = useTempWorkspace('dp-local-push-');
const fresh = workspace.fresh;

/** Every file under `root`, relative, '/'-separated. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

const tree = (variant: string): Record<string, string> => {
  const files: Record<string, string> = { 'empty.txt': '' };
  for (let i = 0; i < 40; i++) files[`d${i % 4}/f${i}.txt`] = `${variant} file ${i}\n`.repeat(1 + (i % 7));
  return files;
};

describe('push to a local registry', () => {
  it('hashes new files while copying them: same top hash as build(), every object holds its bytes, no temp left', async () => {
    const dir = fresh('src');
    const files = tree('one');
    await writeTree(dir, files);
    const expected = await new PackageBuilder().setDir('', dir).then((b) => b.build());
    const registry = fresh('registry');
    const builder = await new PackageBuilder().setDir('', dir);
    const pkg = await builder.push(pathToFileURL(registry).href, 'team/local');
    expect(pkg.topHash).toBe(expected);
    const stored = await filesUnder(join(registry, 'team/local'));
    expect(stored).toEqual(Object.keys(files).sort());
    for (const key of stored)
      expect(await readFile(join(registry, 'team/local', key), 'utf8')).toBe(files[key]);
    expect((await filesUnder(registry)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const dest = fresh('dest');
    const browsed = await Package.browse('team/local', { registry: pathToFileURL(registry).href });
    await browsed.install(dest);
    expect((await browsed.verify(dest)).matches).toBe(true);
  });

  it('the Package a push returns keeps its entries and metadata whatever the builder does next', async () => {
    const dir = fresh('src');
    await writeTree(dir, tree('one'));
    const registry = pathToFileURL(fresh('registry')).href;
    const builder = await new PackageBuilder().setDir('', dir);
    const pkg = await builder.push(registry, 'team/kept', { message: 'v1' });
    const keys = pkg.keys();
    builder.delete('d0').setMeta('', { changed: true }).setMeta('d1/f1.txt', { note: 'later' });
    await builder.setDir('more', dir);
    expect(pkg.keys()).toEqual(keys);
    expect(pkg.meta).toBeNull();
    expect(pkg.manifest().get('d1/f1.txt')?.meta.size).toBe(0);
    expect(pkg.topHash).toBe((await Package.browse('team/kept', { registry })).topHash);
    expect(builder.keys()).not.toContain('d0/f0.txt');
    expect(builder.keys()).toContain('more/d0/f0.txt');
  });

  it('a re-push of an edited file leaves the old version installable and installs the new bytes', async () => {
    const dir = fresh('src');
    await writeTree(dir, tree('one'));
    const registry = pathToFileURL(fresh('registry')).href;
    const first = await new PackageBuilder().setDir('', dir).then((b) => b.push(registry, 'team/edit'));
    await writeFile(join(dir, 'd1/f1.txt'), 'edited\n');
    const builder = (await Package.browse('team/edit', { registry })).asBuilder();
    await builder.setDir('', dir);
    const second = await builder.push(registry, 'team/edit');
    expect(second.topHash).not.toBe(first.topHash);
    const contents: string[] = [];
    for (const pkg of [first, second]) {
      const dest = fresh('dest');
      await pkg.install(dest);
      expect((await pkg.verify(dest)).matches).toBe(true);
      contents.push(await readFile(join(dest, 'd1/f1.txt'), 'utf8'));
    }
    expect(contents).toEqual([tree('one')['d1/f1.txt'], 'edited\n']);
  });

  it('a push refused by the conflict check writes nothing; one stopped by dedupe leaves no temp file', async () => {
    const registryPath = fresh('registry');
    const registry = pathToFileURL(registryPath).href;
    const one = fresh('src');
    await writeTree(one, tree('one'));
    await new PackageBuilder().setDir('', one).then((b) => b.push(registry, 'team/guard'));
    const before = await filesUnder(registryPath);

    const other = fresh('src');
    await writeTree(other, { ...tree('two'), 'new/only-here.txt': 'new' });
    const refused = await new PackageBuilder()
      .setDir('', other)
      .then((b) => b.push(registry, 'team/guard'))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PackageConflictError);
    expect(await filesUnder(registryPath)).toEqual(before);
    expect(await readdir(join(registryPath, 'team/guard'))).not.toContain('new');

    const same = await new PackageBuilder()
      .setDir('', one)
      .then((b) => b.push(registry, 'team/guard', { force: true, dedupe: true }));
    expect(await filesUnder(registryPath)).toEqual(before);
    expect(same.topHash).toBe((await Package.browse('team/guard', { registry })).topHash);
  });

  it('a push the registry workflow refuses leaves nothing in the registry; with a message it goes through', async () => {
    const registryPath = fresh('registry');
    await mkdir(join(registryPath, '.quilt/workflows'), { recursive: true });
    await writeFile(
      join(registryPath, '.quilt/workflows/config.yml'),
      'version: "1"\ndefault_workflow: strict\nworkflows:\n  strict:\n    name: Strict\n    is_message_required: true\n',
    );
    const dir = fresh('src');
    await writeTree(dir, tree('one'));
    const registry = pathToFileURL(registryPath).href;
    const builder = await new PackageBuilder().setDir('', dir);
    await expect(builder.push(registry, 'team/strict')).rejects.toThrow(WorkflowValidationError);
    expect(await filesUnder(registryPath)).toEqual(['.quilt/workflows/config.yml']);
    const pkg = await builder.push(registry, 'team/strict', { message: 'now with a message' });
    expect(await filesUnder(join(registryPath, 'team/strict'))).toEqual(Object.keys(tree('one')).sort());
    expect((await Package.browse('team/strict', { registry })).topHash).toBe(pkg.topHash);
  });

  it('a file edited between build and push fails the push naming it, with no pointer and no temp file', async () => {
    const dir = fresh('src');
    await writeTree(dir, tree('one'));
    const builder = await new PackageBuilder().setDir('', dir);
    await builder.build();
    await writeFile(join(dir, 'd2/f2.txt'), 'changed after build\n');
    const registryPath = fresh('registry');
    const error = await builder.push(pathToFileURL(registryPath).href, 'team/late').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect(String(error)).toMatch(/"d2\/f2\.txt"/);
    const left = await filesUnder(registryPath);
    expect(left.filter((f) => f.startsWith('.quilt/') || f.endsWith('.tmp'))).toEqual([]);
    expect(left).not.toContain('team/late/d2/f2.txt');
  });

  it('a file gone since the listing fails the push with its error, whichever chunk it is in; no temp file, no pointer', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 700; i++) files[`d${i % 7}/f${i}.txt`] = `file ${i}\n`; // three chunks of staging
    for (const dedupe of [false, true]) {
      // Without dedupe the objects are written straight to their keys; with it they wait in temp files.
      const dir = fresh('src');
      await writeTree(dir, files);
      const builder = await new PackageBuilder().setDir('', dir);
      await rm(join(dir, 'd0/f651.txt'));
      const registryPath = fresh('registry');
      const error = await builder
        .push(pathToFileURL(registryPath).href, 'team/gone', { dedupe })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ENOENT' });
      expect(String(error)).toContain('f651.txt');
      const left = await filesUnder(registryPath);
      expect(left.filter((f) => f.startsWith('.quilt/') || f.endsWith('.tmp'))).toEqual([]);
      // No entry was pointed at an object of the failed push: a retry must copy (and verify) every file again.
      const entries = builder.manifest().sortedEntries();
      expect(entries.filter((e) => e.physicalKey.includes(registryPath))).toEqual([]);
    }
  });
});

describe('makeDurable', () => {
  it('flushes new files and their folders (syncfs on Linux, else fsync of each) and accepts an empty list', async () => {
    const root = fresh('durable');
    await writeTree(root, { 'a/b/c.txt': 'c', 'a/d.txt': 'd' });
    await makeDurable(root, []);
    await makeDurable(root, [join(root, 'a/b/c.txt'), join(root, 'a/d.txt')]);
    expect(await filesUnder(root)).toEqual(['a/b/c.txt', 'a/d.txt']);
  });
});
