/**
 * `datapkg hash <dir>` (hashDirectory): the top hash a folder's package has now. A plain folder hashes as pushing it
 * with `setDir` would (`.quiltignore` honoured); an installed folder, unchanged, hashes to the installed top hash, and
 * after an edit to the top hash of the installed package with that file replaced: the header, entry metadata,
 * directory metadata and each entry's own hash type are kept, and every file counts (no `.quiltignore`).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type JsonValue, PyNumber } from '@mlclients/package-core/json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashDirectory } from '../src/directory-hash.js';
import { FileHasher } from '../src/hashing/file-hasher.js';
import { hashBytes, LEGACY_SHA256 } from '../src/hashing/object-hash.js';
import { Manifest, makeHashValue } from '../src/manifest.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import { localPhysicalKey } from '../src/physical-key.js';
import { computeTopHash } from '../src/top-hash.js';
import { tempDir, writeTree } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let hasher: FileHasher;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);
beforeAll(async () => {
  work = await tempDir('dp-directory-hash-');
  process.env.MLC_DATAPKG_CACHE_DIR = join(work.path, 'cache');
  process.env.MLC_DATAPKG_STATE_DIR = join(work.path, 'state');
  hasher = new FileHasher({ workers: 1 });
});
afterAll(async () => {
  await hasher.close();
  await work.cleanup();
});

const tree = {
  'README.md': '# data\n',
  'data/a.csv': 'x,y\n1,2\n',
  'data/nested/b.bin': 'b'.repeat(3000),
  'empty.txt': '',
};

async function builtFrom(dir: string): Promise<string> {
  const builder = new PackageBuilder({ persistStatCache: false });
  await builder.setDir('', dir);
  return builder.build();
}

describe('a folder nothing was installed into', () => {
  it('hashes to the top hash of pushing it as a folder (quilt3 push --dir)', async () => {
    const dir = fresh('plain');
    await writeTree(dir, tree);
    expect(await hashDirectory(dir, hasher)).toBe(await builtFrom(dir));
  });

  it('honours .quiltignore: an ignored file does not change the hash, any other file does', async () => {
    const dir = fresh('plain');
    await writeTree(dir, { ...tree, '.quiltignore': '*.log\ntmp/\n' });
    const before = await hashDirectory(dir, hasher);
    expect(before).toBe(await builtFrom(dir));
    await writeTree(dir, { 'debug.log': 'noise', 'tmp/x': 'scratch' });
    expect(await hashDirectory(dir, hasher)).toBe(before);
    await writeTree(dir, { 'new.txt': 'counts' });
    expect(await hashDirectory(dir, hasher)).not.toBe(before);
  });

  it('reports progress of the files it hashes', async () => {
    const dir = fresh('plain');
    await writeTree(dir, tree);
    const done: number[] = [];
    const coldHasher = new FileHasher({ workers: 1 }); // an empty stat cache: every file is read
    try {
      await hashDirectory(dir, coldHasher, (p) => done.push(p.bytesDone));
    } finally {
      await coldHasher.close();
    }
    expect(done.at(-1)).toBe(Object.values(tree).reduce((sum, text) => sum + text.length, 0));
  });
});

describe('an installed folder', () => {
  async function installed(): Promise<{ dir: string; pkg: Package; sources: string }> {
    const sources = fresh('sources');
    await writeTree(sources, { ...tree, '.quiltignore': '*.log\n' });
    const builder = new PackageBuilder({ meta: { project: 'p' } });
    await builder.setDir('', sources);
    builder.setMeta('data', { about: 'the data' });
    builder.setMeta('data/a.csv', { rows: 1 });
    const pkg = await builder.push(`memory://directory-hash-${n++}`, 'team/pkg', { message: 'v1' });
    const dir = fresh('installed');
    await pkg.install(dir);
    return { dir, pkg, sources };
  }

  it('unchanged, hashes to the installed top hash (header, entry and directory metadata kept)', async () => {
    const { dir, pkg } = await installed();
    expect(await hashDirectory(dir, hasher)).toBe(pkg.topHash);
  });

  it('after an edit, hashes to the installed package with that file replaced', async () => {
    const { dir, pkg } = await installed();
    await writeFile(join(dir, 'data', 'a.csv'), 'x,y\n3,4\n');
    const edited = pkg.manifest();
    const entry = edited.get('data/a.csv');
    if (!entry) throw new Error('the package has data/a.csv');
    edited.set({
      ...entry,
      hash: makeHashValue({ type: 'sha2-256-chunked', value: await hashBytes(Buffer.from('x,y\n3,4\n')) }),
    });
    expect(await hashDirectory(dir, hasher)).toBe(computeTopHash(edited));
  });

  it('every file counts, even one its .quiltignore names (it is the package, not a source folder)', async () => {
    const { dir, pkg } = await installed();
    await writeFile(join(dir, 'debug.log'), 'noise');
    expect(await hashDirectory(dir, hasher)).not.toBe(pkg.topHash);
  });

  it('a file keeps the hash type its entry has (legacy SHA256); a new file gets sha2-256-chunked', async () => {
    const sources = fresh('sources');
    await writeTree(sources, { 'old.txt': 'hashed the old way' });
    const manifest = new Manifest(
      new Map<string, JsonValue>([
        ['version', 'v0'],
        ['message', 'legacy'],
      ]),
    );
    const legacy = await hashBytes(Buffer.from('hashed the old way'), LEGACY_SHA256);
    manifest.set({
      logicalKey: 'old.txt',
      physicalKey: localPhysicalKey(join(sources, 'old.txt')),
      size: 18,
      hash: makeHashValue({ type: LEGACY_SHA256, value: legacy }),
      meta: new Map([['user_meta', new Map([['n', PyNumber.int(1)]])]]),
    });
    const pkg = Package.fromManifest(
      manifest,
      { persistStatCache: false },
      { registry: 'x', name: 'team/old' },
    );
    const dir = fresh('installed');
    await pkg.install(dir);
    expect(await hashDirectory(dir, hasher)).toBe(pkg.topHash);
    await writeFile(join(dir, 'new.txt'), 'new');
    const grown = pkg.manifest();
    grown.set({
      logicalKey: 'new.txt',
      physicalKey: localPhysicalKey(join(dir, 'new.txt')),
      size: 3,
      hash: makeHashValue({ type: 'sha2-256-chunked', value: await hashBytes(Buffer.from('new')) }),
      meta: new Map(),
    });
    expect(await hashDirectory(dir, hasher)).toBe(computeTopHash(grown));
  });
});
