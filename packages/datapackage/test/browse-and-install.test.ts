/**
 * `Package.browseAndInstall` (what `datapkg install` runs) installs exactly what browse + install does, and every
 * failure (a manifest that does not hash to the version asked for, a corrupt object, a key that leaves the folder)
 * leaves the folder as it was, no staging folder and no install record. A tampered manifest is found before any
 * object is fetched: none of its physical keys is ever read.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ObjectHashMismatchError, TopHashMismatchError } from '../src/errors.js';
import { readInstallRecord } from '../src/install-record.js';
import { readManifest } from '../src/manifest-format.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import { computeTopHash } from '../src/top-hash.js';
import { snapshotTree, useTempWorkspace, writeTree } from './helpers.js';

const workspace = useTempWorkspace('dp-browse-install-');
const fresh = workspace.fresh;

/** Files at the top and in folders, enough for several batches on the hashing workers. */
function manyFiles(count: number, tag = ''): Record<string, string> {
  const files: Record<string, string> = { 'README.md': `readme${tag}`, 'top.txt': `top${tag}` };
  for (let i = 0; i < count; i++)
    files[`d${i % 7}/sub${i % 3}/f${i}.txt`] = `file ${i}${tag}\n`.repeat(1 + (i % 5));
  return files;
}

/** Pushes `files` to a new local registry; returns its folder, URL and the pushed package. */
async function pushed(files: Record<string, string>) {
  const src = fresh('src');
  await writeTree(src, files);
  const registryDir = fresh('registry');
  const registry = pathToFileURL(registryDir).href;
  const builder = new PackageBuilder();
  await builder.setDir('', src);
  const pkg = await builder.push(registry, 'team/fresh');
  return { registryDir, registry, pkg, manifestFile: join(registryDir, '.quilt/packages', pkg.topHash) };
}

/** Writes a manifest text into the registry under the hash it really has; returns that hash. */
async function addManifest(registryDir: string, text: string): Promise<string> {
  const topHash = computeTopHash(readManifest(text));
  await writeFile(join(registryDir, '.quilt/packages', topHash), text);
  return topHash;
}

/** The state of a folder after a failed install: its files, and whether a record or staging folder exists. */
async function afterFailure(dest: string) {
  return {
    exists: existsSync(dest),
    files: existsSync(dest) ? await snapshotTree(dest) : undefined,
    record: await readInstallRecord(dest),
  };
}

describe('browseAndInstall into an empty folder', () => {
  it('installs what browse then install does: the same files, result, record and status', async () => {
    const files = manyFiles(600);
    const { registry, pkg } = await pushed(files);
    const streamedDest = fresh('dest'); // does not exist yet
    const emptyDest = fresh('dest');
    await mkdir(join(emptyDest, '.datapkg'), { recursive: true }); // only the state folder: still empty
    const progress: number[] = [];
    const { package: installed, result } = await Package.browseAndInstall('team/fresh', streamedDest, {
      registry,
      onProgress: (p) => progress.push(p.filesDone),
    });
    const second = await Package.browseAndInstall('team/fresh', emptyDest, { registry });
    const sequentialDest = fresh('dest');
    const sequential = await (await Package.browse('team/fresh', { registry })).install(sequentialDest);

    expect(installed.topHash).toBe(pkg.topHash);
    expect(installed.manifestText()).toBe(pkg.manifestText());
    expect(result).toEqual(sequential);
    expect(second.result).toEqual(sequential);
    expect(await snapshotTree(streamedDest)).toEqual(files);
    expect(await snapshotTree(emptyDest)).toEqual(files);
    expect(Math.max(...progress)).toBe(Object.keys(files).length);
    for (const dest of [streamedDest, emptyDest]) {
      const record = await readInstallRecord(dest);
      expect(record?.record).toMatchObject({ registry, name: 'team/fresh', topHash: pkg.topHash });
      expect((await Package.fromInstalled(dest))?.topHash).toBe(pkg.topHash);
      expect((await installed.verify(dest)).matches).toBe(true);
    }
  });

  it('a manifest that does not hash to the version asked for: the top hash error before any copy; nothing left', async () => {
    const { registry, manifestFile, pkg } = await pushed(manyFiles(1500));
    // Valid JSON with valid entries, but not the manifest of this top hash: every object would copy fine.
    const text = await readFile(manifestFile, 'utf8');
    await writeFile(manifestFile, text.replace('{"version": "v0"', '{"version": "v0", "tampered": true'));
    const absent = fresh('dest');
    const empty = fresh('dest');
    await mkdir(empty);
    for (const dest of [absent, empty]) {
      let filesCopied = 0;
      const error = await Package.browseAndInstall(`team/fresh@${pkg.topHash}`, dest, {
        registry,
        onProgress: (p) => {
          filesCopied = p.filesDone;
        },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TopHashMismatchError);
      expect(String(error)).toContain(pkg.topHash);
      expect(filesCopied).toBe(0); // nothing a manifest names is read before it is known to be the version's
      expect(await afterFailure(dest)).toEqual(
        dest === absent
          ? { exists: false, files: undefined, record: undefined }
          : { exists: true, files: {}, record: undefined },
      );
      if (dest === empty) expect(await readdir(dest)).toEqual([]); // no staging or state folder either
    }
  });

  it('one corrupt object among many: the hash mismatch naming its key; nothing left', async () => {
    const { registry, registryDir } = await pushed(manyFiles(400));
    const corrupt = join(registryDir, 'team/fresh/d3/sub1/f388.txt');
    const original = await readFile(corrupt, 'utf8');
    await writeFile(corrupt, original.toUpperCase()); // same size, other bytes
    const dest = fresh('dest');
    const error = await Package.browseAndInstall('team/fresh', dest, { registry }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect(String(error)).toMatch(/"d3\/sub1\/f388\.txt"/);
    expect(await afterFailure(dest)).toEqual({ exists: false, files: undefined, record: undefined });
  });

  it('a failed install into nested folders that did not exist removes the ones it made, not the parent that was there', async () => {
    const { registry, registryDir } = await pushed(manyFiles(20));
    await writeFile(join(registryDir, 'team/fresh/top.txt'), 'TOP'); // same size, other bytes
    const parent = fresh('parent');
    await mkdir(parent);
    const error = await Package.browseAndInstall('team/fresh', join(parent, 'a', 'b', 'dest'), {
      registry,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect(await readdir(parent)).toEqual([]);
  });

  it('a wrong top hash and a corrupt object: the top hash is what is reported (the object only follows from it)', async () => {
    const { registry, registryDir, manifestFile, pkg } = await pushed(manyFiles(300));
    await writeFile(join(registryDir, 'team/fresh/README.md'), 'READM'); // listed first
    const text = await readFile(manifestFile, 'utf8');
    await writeFile(manifestFile, text.replace('{"version": "v0"', '{"version": "v0", "tampered": true'));
    const dest = fresh('dest');
    const error = await Package.browseAndInstall(`team/fresh@${pkg.topHash}`, dest, { registry }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TopHashMismatchError);
    expect(existsSync(dest)).toBe(false);
  });

  it('a key that would leave the folder (in a manifest that hashes right): refused, nothing written anywhere', async () => {
    const { registry, registryDir, manifestFile } = await pushed(manyFiles(300));
    const text = await readFile(manifestFile, 'utf8');
    // The last entry escapes the folder; every entry before it is a good one.
    const lines = text.trimEnd().split('\n');
    lines[lines.length - 1] = (lines.at(-1) as string).replace(
      /"logical_key": "[^"]*"/,
      '"logical_key": "../escaped.txt"',
    );
    const topHash = await addManifest(registryDir, `${lines.join('\n')}\n`);
    const parent = fresh('parent');
    const dest = join(parent, 'dest');
    await mkdir(dest, { recursive: true });
    const error = await Package.browseAndInstall(`team/fresh@${topHash}`, dest, { registry }).catch(
      (e: unknown) => e,
    );
    expect(String(error)).toContain('../escaped.txt');
    expect(await snapshotTree(parent)).toEqual({});
    expect(await readdir(dest)).toEqual([]);
    expect(await readInstallRecord(dest)).toBeUndefined();
  });

  it('with a path, installs that folder of the version as install({ path }) does', async () => {
    const files = manyFiles(40);
    const { registry, pkg } = await pushed(files);
    const dest = fresh('dest');
    const { package: version, result } = await Package.browseAndInstall('team/fresh', dest, {
      registry,
      path: 'd2',
    });
    const expected = Object.fromEntries(
      Object.entries(files)
        .filter(([key]) => key.startsWith('d2/'))
        .map(([key, text]) => [key.slice(3), text]),
    );
    expect(version.topHash).toBe(pkg.topHash);
    expect(await snapshotTree(dest)).toEqual(expected);
    expect([...result.transferred].sort()).toEqual(Object.keys(expected).sort());
    // forceMatch with a path makes the folder exactly that part of the version, as install with a path fills it.
    await writeFile(join(dest, 'mine.txt'), 'user file');
    const forced = await version.forceMatch(dest, { path: 'd2' });
    expect(forced.removed).toEqual(['mine.txt']);
    expect(await snapshotTree(dest)).toEqual(expected);
  });

  it('a folder with files is compared and synced: user files kept, the previous install’s dropped files removed', async () => {
    const v1Files = manyFiles(50, ' v1');
    const { registry, registryDir } = await pushed(v1Files);
    const dest = fresh('dest');
    await Package.browseAndInstall('team/fresh', dest, { registry });
    await writeFile(join(dest, 'mine.txt'), 'user file');
    // v2 in the same registry: one file dropped, one changed, one added.
    const v2Files: Record<string, string> = { ...v1Files, 'top.txt': 'top v2', 'new/added.txt': 'added' };
    delete v2Files['d0/sub0/f0.txt'];
    const src = fresh('src');
    await writeTree(src, v2Files);
    const builder = new PackageBuilder();
    await builder.setDir('', src);
    const v2 = await builder.push(pathToFileURL(registryDir).href, 'team/fresh', { force: true });
    const { result } = await Package.browseAndInstall('team/fresh', dest, { registry });
    expect(result.removed).toEqual(['d0/sub0/f0.txt']);
    expect([...result.transferred].sort()).toEqual(['new/added.txt', 'top.txt']);
    expect(await snapshotTree(dest)).toEqual({ ...v2Files, 'mine.txt': 'user file' });
    expect((await readInstallRecord(dest))?.record.topHash).toBe(v2.topHash);
    // forceMatch also removes the user's file.
    const forced = await Package.browseAndInstall('team/fresh', dest, { registry, forceMatch: true });
    expect(forced.result.removed).toEqual(['mine.txt']);
    expect(await snapshotTree(dest)).toEqual(v2Files);
  });
});
