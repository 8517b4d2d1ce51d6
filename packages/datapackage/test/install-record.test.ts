/**
 * Where `install` keeps what it installed: outside the destination (the folder holds only the package's files, so
 * quilt3's verify finds nothing extra), in the user's state folder keyed by the folder; a folder installed by an
 * earlier version (record in `<dest>/.datapkg/`) is still recognised and the next install moves its record out; a
 * folder deleted and made again at the same path is not taken for the installed one.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeManifest } from '../src/manifest-format.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import { snapshotTree, useTempWorkspace, writeTree } from './helpers.js';

const workspace = useTempWorkspace('dp-install-record-');
const fresh = workspace.fresh;
/** Memory registries get a new name per test. */
let registries = 0;

/** Publishes `files` (each from a short-named temp file, so keys may be longer than a file name can be). */
async function publish(files: Record<string, string>, registry: string, name = 'team/rec'): Promise<Package> {
  const builder = new PackageBuilder();
  for (const [key, content] of Object.entries(files)) {
    const path = fresh('file');
    await writeFile(path, content);
    builder.set(key, path);
  }
  return builder.push(registry, name, { force: true });
}

const noQuilt3 = { quilt3Registry: false } as const;

describe('install record', () => {
  it('the destination holds only the package files; status finds the install through the state folder', async () => {
    const registry = pathToFileURL(fresh('registry')).href;
    const pkg = await publish({ 'a.txt': 'a', 'sub/b.txt': 'b', 'sub/deep/c.txt': 'c' }, registry);
    const dest = fresh('dest');
    await pkg.install(dest);
    expect(await snapshotTree(dest)).toEqual({ 'a.txt': 'a', 'sub/b.txt': 'b', 'sub/deep/c.txt': 'c' });
    // quilt3's verify(dest) without extra_files_ok: no extra file.
    expect(await pkg.verify(dest, { extraFilesOk: false })).toMatchObject({ extra: [], matches: true });
    const installed = await Package.fromInstalled(dest, noQuilt3);
    expect(installed?.topHash).toBe(pkg.topHash);
    expect(installed?.name).toBe('team/rec');
    const stateDir = process.env.MLC_DATAPKG_STATE_DIR as string;
    expect(await readdir(join(stateDir, 'installs'))).not.toHaveLength(0);
  });

  it('another stateDir setting sees no record; the same one does', async () => {
    const registry = pathToFileURL(fresh('registry')).href;
    const stateDir = fresh('state');
    const pkg = await Package.browse('team/rec', {
      registry: (await publish({ 'x.txt': 'x' }, registry)).origin?.registry as string,
      stateDir,
    });
    const dest = fresh('dest');
    await pkg.install(dest);
    expect((await Package.fromInstalled(dest, { stateDir, ...noQuilt3 }))?.topHash).toBe(pkg.topHash);
    expect(
      await Package.fromInstalled(dest, { stateDir: fresh('other-state'), ...noQuilt3 }),
    ).toBeUndefined();
  });

  it('a folder deleted and made again at the same path is not the installed one', async () => {
    const registry = pathToFileURL(fresh('registry')).href;
    const pkg = await publish({ 'a.txt': 'a' }, registry);
    const dest = fresh('dest');
    await pkg.install(dest);
    await rm(dest, { recursive: true });
    await mkdir(dest);
    await writeFile(join(dest, 'a.txt'), 'my own a');
    expect(await Package.fromInstalled(dest, noQuilt3)).toBeUndefined();
    // So a new install does not take the user's files for the old version's and keeps them.
    const other = await publish({ 'b.txt': 'b' }, registry, 'team/other');
    await other.install(dest);
    expect(await snapshotTree(dest)).toEqual({ 'a.txt': 'my own a', 'b.txt': 'b' });
  });

  it('a folder installed by an earlier version (.datapkg/installed.json) is read, and the next install moves it out', async () => {
    const registry = pathToFileURL(fresh('registry')).href;
    const v1 = await publish({ 'a.txt': 'a1', 'gone.txt': 'v1 only' }, registry);
    const dest = fresh('dest');
    await writeTree(dest, { 'a.txt': 'a1', 'gone.txt': 'v1 only', 'mine.txt': 'mine' });
    // What earlier versions wrote into the folder.
    await writeTree(dest, {
      '.datapkg/installed.json': `${JSON.stringify({ registry, name: 'team/rec', topHash: v1.topHash, installedAt: '2026-01-01T00:00:00.000Z' }, null, 2)}\n`,
      '.datapkg/installed.jsonl': writeManifest(v1.manifest()),
    });
    const legacy = await Package.fromInstalled(dest, noQuilt3);
    expect(legacy?.topHash).toBe(v1.topHash);
    expect((await legacy?.verify(dest, { extraFilesOk: true }))?.matches).toBe(true);

    const v2 = await publish({ 'a.txt': 'a2' }, registry);
    await v2.install(dest);
    // v1's file the new version lacks is removed (the legacy record said v1 put it there); the user's file stays.
    expect(await snapshotTree(dest)).toEqual({ 'a.txt': 'a2', 'mine.txt': 'mine' });
    expect((await Package.fromInstalled(dest, noQuilt3))?.topHash).toBe(v2.topHash);
  });

  it('an install failing half-way through its renames puts the legacy record back', async () => {
    const registry = `memory://install-record-${registries++}`; // a local registry cannot hold the too-long name either
    const v1 = await publish({ 'a.txt': 'a1' }, registry);
    const dest = fresh('dest');
    const record = `${JSON.stringify({ registry, name: 'team/rec', topHash: v1.topHash, installedAt: 'x' })}\n`;
    await writeTree(dest, {
      'a.txt': 'a1',
      'z/keep.txt': 'mine',
      '.datapkg/installed.json': record,
      '.datapkg/installed.jsonl': writeManifest(v1.manifest()),
    });
    const before = await snapshotTree(dest);
    // A new folder (renamed whole), a changed file, and a name too long for the file system in an existing folder.
    const v2 = await publish(
      { 'a.txt': 'a2', 'fresh/n.txt': 'n', [`z/${'x'.repeat(300)}`]: 'long' },
      registry,
    );
    await expect(v2.install(dest)).rejects.toThrow(/ENAMETOOLONG/);
    expect(await snapshotTree(dest)).toEqual(before);
    expect((await Package.fromInstalled(dest, noQuilt3))?.topHash).toBe(v1.topHash);
  });

  it("records a version read from a registry as the registry's manifest file, byte for byte; a part of it as written", async () => {
    const pkg = await publish({ 'a.txt': 'a', 'sub/b.txt': 'b' }, pathToFileURL(fresh('registry')).href);
    // The same manifest with CRLF line ends, as another writer could leave it: same entries, same top hash.
    const file = join(fileURLToPath(pkg.origin?.registry as string), '.quilt', 'packages', pkg.topHash);
    const crlf = (await readFile(file, 'utf8')).replaceAll('\n', '\r\n');
    await writeFile(file, crlf);
    const stateDir = fresh('state');
    const browsed = await Package.browse('team/rec', { registry: pkg.origin?.registry as string, stateDir });
    const dest = fresh('dest');
    await browsed.install(dest);
    const [folder] = await readdir(join(stateDir, 'installs'));
    const recorded = join(stateDir, 'installs', folder as string, `${pkg.topHash}.jsonl`);
    expect(await readFile(recorded, 'utf8')).toBe(crlf);
    const installed = await Package.fromInstalled(dest, { stateDir, ...noQuilt3 });
    expect(installed?.topHash).toBe(pkg.topHash);
    expect(installed?.manifestText()).toBe(pkg.manifestText());
    // A part of the version is another manifest: written from the model.
    const part = fresh('part');
    await browsed.install(part, { path: 'sub' });
    const sub = browsed.subPackage('sub');
    const partFolder = (await readdir(join(stateDir, 'installs'))).find((name) => name !== folder);
    expect(
      await readFile(join(stateDir, 'installs', partFolder as string, `${sub.topHash}.jsonl`), 'utf8'),
    ).toBe(sub.manifestText());
  });
});
