/**
 * Installing from objects in local files (a local registry): small objects are copied by the hashing workers, each
 * checked against the manifest before it is kept. A tampered object fails the install naming the key, the expected
 * hash and, when its size is off too, both sizes; a missing object fails it naming the path; the folder is left as it was.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TransferProgress } from '../src/directory-sync.js';
import { ObjectHashMismatchError } from '../src/errors.js';
import { hashBytes } from '../src/hashing/object-hash.js';
import { Manifest, makeHashValue } from '../src/manifest.js';
import { ObjectSource } from '../src/object-source.js';
import { snapshotTree, writeTree } from './helpers.js';
import { useSyncWorkspace, type Version } from './sync-helpers.js';

const { fresh, install, verify } = useSyncWorkspace('dp-directory-sync-local-');

/** A version whose objects are files in a folder of their own (`file://` physical keys). */
async function localVersion(
  files: Record<string, string>,
): Promise<Version & { objects: Record<string, string> }> {
  const folder = fresh('objects');
  await mkdir(folder, { recursive: true });
  const manifest = new Manifest();
  const objects: Record<string, string> = {};
  let i = 0;
  for (const [key, text] of Object.entries(files)) {
    const path = join(folder, `o${i++}`);
    await writeFile(path, text);
    objects[key] = path;
    manifest.set({
      logicalKey: key,
      physicalKey: pathToFileURL(path).href,
      size: Buffer.byteLength(text),
      hash: makeHashValue({ type: 'sha2-256-chunked', value: await hashBytes(Buffer.from(text)) }),
      meta: new Map(),
    });
  }
  return { manifest, source: new ObjectSource(), store: undefined as never, objects };
}

const files = { 'a.txt': 'alpha', 'data/b.csv': 'b,1\n', 'z.txt': 'zed' };

describe('install from local objects', () => {
  it('copies every object, and the copies are known to the stat cache', async () => {
    const pkg = await localVersion(files);
    const dir = fresh('dest');
    await install(pkg, dir);
    expect(await snapshotTree(dir)).toEqual(files);
    // The copies are known to the stat cache: checking the folder reads none of them again.
    const reports: TransferProgress[] = [];
    expect((await verify(pkg, dir, { onProgress: (p) => reports.push(p) })).matches).toBe(true);
    expect(reports.every((p) => p.filesDone === 0)).toBe(true);
  });

  it('a tampered object of another size: the error names the key, the expected hash and both sizes', async () => {
    const pkg = await localVersion(files);
    await writeFile(pkg.objects['data/b.csv'] as string, 'b,1,tampered\n');
    const dir = fresh('dest');
    await writeTree(dir, { 'mine.txt': 'mine' });
    const error = (await install(pkg, dir).catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect(error.message).toContain('data/b.csv');
    expect(error.message).toContain(await hashBytes(Buffer.from('b,1\n'))); // the manifest's
    expect(error.message).toContain('(13 bytes, manifest says 4)');
    expect(await snapshotTree(dir)).toEqual({ 'mine.txt': 'mine' });
  });

  it('a tampered object of the right size: the error names the key and the expected hash', async () => {
    const pkg = await localVersion(files);
    await writeFile(pkg.objects['z.txt'] as string, 'zzz');
    const error = (await install(pkg, fresh('dest')).catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(ObjectHashMismatchError);
    expect(error.message).toContain('z.txt');
    expect(error.message).toContain(await hashBytes(Buffer.from('zed')));
    expect(error.message).not.toContain('bytes, manifest says');
  });

  it('a missing object fails the install naming its path, the folder unchanged', async () => {
    const pkg = await localVersion(files);
    await rm(pkg.objects['a.txt'] as string);
    const dir = fresh('dest');
    await writeTree(dir, { 'mine.txt': 'mine' });
    const error = (await install(pkg, dir).catch((e: NodeJS.ErrnoException) => e)) as NodeJS.ErrnoException;
    expect(error).toMatchObject({ code: 'ENOENT' });
    expect(error.message).toContain(pkg.objects['a.txt'] as string);
    expect(await snapshotTree(dir)).toEqual({ 'mine.txt': 'mine' });
  });
});
