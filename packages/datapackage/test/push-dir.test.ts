/**
 * PackageBuilder.pushDir (what `datapkg push` runs): into a local registry without a workflow config the files are
 * copied while the folder is walked; the result must be exactly setDir + push (same top hash, same objects, same
 * entries), whatever the folder holds (a linked file, a file over the small-object size, ignored files, metadata), and
 * a refused push (conflict, workflow, a name no package can hold) must behave as setDir + push does.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FsBlobStore } from '@mlclients/package-core/storage';
import { describe, expect, it, vi } from 'vitest';
import { InvalidLogicalKeyError, PackageConflictError, WorkflowValidationError } from '../src/errors.js';
import { FileHasher } from '../src/hashing/file-hasher.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import { PackageRegistry } from '../src/registry.js';
import { useTempWorkspace, writeTree } from './helpers.js';

const workspace = useTempWorkspace('dp-push-dir-');
const fresh = workspace.fresh;

/**
 * Every file under `root` with its bytes, '/'-separated relative paths (timestamp pointers left out), the registry's
 * own path in manifests (their physical keys) written as `<registry>` so that two registries compare.
 */
async function contents(root: string): Promise<Record<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const out: Record<string, string> = {};
  for (const e of entries) {
    if (!e.isFile()) continue;
    const path = relative(root, join(e.parentPath, e.name)).split('\\').join('/');
    if (/^\.quilt\/named_packages\/.*\/\d+$/.test(path)) continue;
    const bytes = await readFile(join(root, path));
    out[path] = path.startsWith('.quilt/packages/')
      ? bytes.toString('utf8').split(root).join('<registry>')
      : createHash('sha256').update(bytes).digest('hex');
  }
  return out;
}

async function folder(): Promise<string> {
  const dir = fresh('src');
  const files: Record<string, string | Buffer> = {
    '.quiltignore': '*.log\n',
    'skip.log': 'ignored',
    'big.bin': Buffer.alloc(1024 * 1024 + 7, 'big'), // over the small-object size: the usual data step
    'empty.txt': '',
  };
  for (let i = 0; i < 600; i++) files[`d${i % 6}/f${i}.txt`] = `file ${i}\n`.repeat(1 + (i % 5));
  await writeTree(dir, files);
  await writeFile(join(workspace.path, 'outside.txt'), 'linked from outside');
  await symlink(join(workspace.path, 'outside.txt'), join(dir, 'link.txt'));
  return dir;
}

describe('pushDir', () => {
  it('gives what setDir + push give: top hash, entries, objects and pointers', async () => {
    const dir = await folder();
    const one = fresh('registry');
    const two = fresh('registry');
    const meta = { source: 'push-dir test' };
    const viaSetDir = await (await new PackageBuilder().setDir('', dir, { meta })).push(
      pathToFileURL(one).href,
      'team/pkg',
      { message: 'm' },
    );
    const viaPushDir = await new PackageBuilder().pushDir(pathToFileURL(two).href, 'team/pkg', dir, {
      meta,
      message: 'm',
    });
    expect(viaPushDir.topHash).toBe(viaSetDir.topHash);
    expect(await contents(two)).toEqual(await contents(one));
    expect(viaPushDir.keys()).toContain('link.txt');
    expect(viaPushDir.keys()).not.toContain('skip.log');
    const browsed = await Package.browse('team/pkg', { registry: pathToFileURL(two).href });
    const dest = fresh('dest');
    await browsed.install(dest);
    expect((await browsed.verify(dest)).matches).toBe(true);
    expect(await readFile(join(dest, 'link.txt'), 'utf8')).toBe('linked from outside');
  });

  // 10 tries of two pushes and two installs, each flushing its objects (syncfs): 20 s alone on a loaded 2-core machine.
  it('two pushDir of different content to one name at once leave every listed version installable (10 tries)', {
    timeout: 90_000,
  }, async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const dirs = await Promise.all(
        ['L', 'R'].map(async (side) => {
          const dir = fresh(`race-${side}`);
          const files: Record<string, string> = {};
          for (let i = 0; i < 8; i++) files[`data/file-${i}.txt`] = `${side}${attempt}:${i}`.repeat(40);
          await writeTree(dir, files);
          return dir;
        }),
      );
      const registry = pathToFileURL(fresh('race-registry')).href;
      // force: both start from an empty name, so the second to publish would otherwise be refused as a conflict.
      const pushed = await Promise.all(
        dirs.map((dir) => new PackageBuilder().pushDir(registry, 'team/race', dir, { force: true })),
      );
      const listed = await new PackageRegistry(new FsBlobStore(fileURLToPath(registry))).listVersions(
        'team/race',
      );
      const topHashes = new Set([...listed.map((v) => v.topHash), ...pushed.map((p) => p.topHash)]);
      expect(topHashes.size).toBe(2);
      for (const topHash of topHashes) {
        const pkg = await Package.browse(`team/race@${topHash}`, { registry });
        const dest = fresh('race-dest');
        await pkg.install(dest);
        expect((await pkg.verify(dest)).matches).toBe(true);
      }
    }
  });

  it('a second push of the folder with one file changed: unchanged objects reused, the changed one beside its old bytes, both versions install', async () => {
    const dir = fresh('repush');
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`d${i % 3}/f${i}.txt`] = `first ${i}\n`;
    await writeTree(dir, files);
    const registry = pathToFileURL(fresh('repush-registry')).href;
    const first = await new PackageBuilder().pushDir(registry, 'team/re', dir);
    await writeFile(join(dir, 'd1/f1.txt'), 'second version of f1\n');
    await writeFile(join(dir, 'new.txt'), 'a new file\n');
    // Each file is read once by the staging: objects found there already are checked, the files not read again.
    const copies = vi.spyOn(FileHasher.prototype, 'copyFiles');
    const second = await new PackageBuilder().pushDir(registry, 'team/re', dir, { force: true });
    expect(copies.mock.calls.flatMap(([items]) => items)).toEqual([]);
    copies.mockRestore();
    expect(second.topHash).toBe(await (await new PackageBuilder().setDir('', dir)).build());
    // The object under the old name still holds the first version's bytes (it backs the first manifest).
    expect(await readFile(join(fileURLToPath(registry), 'team/re/d1/f1.txt'), 'utf8')).toBe('first 1\n');
    const keys = second.manifest().get('d1/f1.txt')?.physicalKey ?? '';
    expect(keys).toContain('/.quilt/objects/sha2-256-chunked/');
    expect(second.manifest().get('d0/f0.txt')?.physicalKey).toBe(
      first.manifest().get('d0/f0.txt')?.physicalKey,
    );
    const installed: string[] = [];
    for (const pkg of [first, second]) {
      const browsed = await Package.browse(`team/re@${pkg.topHash}`, { registry });
      const dest = fresh('repush-dest');
      await browsed.install(dest);
      expect((await browsed.verify(dest)).matches).toBe(true);
      installed.push(await readFile(join(dest, 'd1/f1.txt'), 'utf8'));
    }
    expect(installed).toEqual(['first 1\n', 'second version of f1\n']);
  });

  it('a conflict is refused before anything is written', async () => {
    const dir = await folder();
    const registryPath = fresh('registry');
    const registry = pathToFileURL(registryPath).href;
    await (await new PackageBuilder().setDir('', dir)).push(registry, 'team/taken');
    const before = await contents(registryPath);
    await writeFile(join(dir, 'new.txt'), 'new');
    const error = await new PackageBuilder().pushDir(registry, 'team/taken', dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageConflictError);
    expect(await contents(registryPath)).toEqual(before);
  });

  it('with a workflow config it is setDir + push: a refused push leaves the registry as it was', async () => {
    const dir = await folder();
    const registryPath = fresh('registry');
    await mkdir(join(registryPath, '.quilt/workflows'), { recursive: true });
    await writeFile(
      join(registryPath, '.quilt/workflows/config.yml'),
      'version: "1"\ndefault_workflow: strict\nworkflows:\n  strict:\n    name: Strict\n    is_message_required: true\n',
    );
    const before = await contents(registryPath);
    const registry = pathToFileURL(registryPath).href;
    await expect(new PackageBuilder().pushDir(registry, 'team/strict', dir)).rejects.toThrow(
      WorkflowValidationError,
    );
    expect(await contents(registryPath)).toEqual(before);
    const pkg = await new PackageBuilder().pushDir(registry, 'team/strict', dir, { message: 'with one' });
    expect((await Package.browse('team/strict', { registry })).topHash).toBe(pkg.topHash);
  });

  it('a bad name deep in the folder fails the push with the name, and no version is published', async () => {
    const dir = fresh('src');
    const files: Record<string, string> = {};
    for (let i = 0; i < 1600; i++) files[`d${i % 4}/f${i}.txt`] = `file ${i}\n`;
    await writeTree(dir, files);
    await writeFile(join(dir, 'd2', 'x\\..\\y'), 'a backslash path no package can hold');
    const registryPath = fresh('registry');
    const error = await new PackageBuilder()
      .pushDir(pathToFileURL(registryPath).href, 'team/bad', dir)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidLogicalKeyError);
    // The stager awaited every chunk it had started before pushDir rejected; no version was published.
    const left = Object.keys(await contents(registryPath).catch(() => ({})));
    expect(left.filter((f) => f.startsWith('.quilt/'))).toEqual([]);
  });

  it('a registry inside the pushed folder: the same package as setDir + push, whose listing sees the registry', async () => {
    const make = async () => {
      const dir = fresh('src');
      await writeTree(dir, { 'a.txt': 'a', 'b/c.txt': 'c' });
      return dir;
    };
    const [one, two] = [await make(), await make()];
    for (const round of [1, 2]) {
      const viaSetDir = await (await new PackageBuilder().setDir('', one)).push(
        pathToFileURL(join(one, 'reg')).href,
        'team/in',
        { force: true },
      );
      const viaPushDir = await new PackageBuilder().pushDir(
        pathToFileURL(join(two, 'reg')).href,
        'team/in',
        two,
        {
          force: true,
        },
      );
      // Timestamp pointers are named by the second each push ran in: compared by place, not by name.
      const names = (keys: string[]) => keys.map((k) => k.replace(/\/\d{10}$/, '/<timestamp>'));
      expect(names(viaPushDir.keys()), `round ${round}`).toEqual(names(viaSetDir.keys()));
    }
  });

  it('a folder inside the registry: each push packages the folder as setDir + push does, not its own earlier copies', async () => {
    const registryPath = fresh('registry-around');
    const dir = join(registryPath, 'team');
    const files: Record<string, string> = {};
    for (let i = 0; i < 5; i++) files[`f${i}.txt`] = `inside ${i}`;
    await writeTree(dir, files);
    const counts: number[] = [];
    for (let push = 0; push < 3; push++) {
      const pkg = await new PackageBuilder().pushDir(pathToFileURL(registryPath).href, 'team/p', dir, {
        force: true,
      });
      counts.push(pkg.keys().length);
    }
    expect(counts).toEqual([5, 5, 5]);
  });

  it('a file name no package can hold fails the push with the name, and no version is published', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'C:drive.txt'), 'a drive letter');
    const registryPath = fresh('registry');
    const error = await new PackageBuilder()
      .pushDir(pathToFileURL(registryPath).href, 'team/bad', dir)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidLogicalKeyError);
    expect(String(error)).toContain('C:drive.txt');
    const left = Object.keys(await contents(registryPath).catch(() => ({})));
    expect(left.filter((f) => f.startsWith('.quilt/') || f.endsWith('.tmp'))).toEqual([]);
  });
});
