/**
 * The copy path of a push to a local registry (FileHasher.copyFiles, stageFiles, linkFiles on the hash workers), as
 * the registry relies on it: an object is written only when its bytes hash to the manifest's value (else the actual
 * hash and size come back and nothing is written), an existing object is never replaced, no temp file is left
 * behind, answers line up with the items however many batches they take, and staged files are known to the stat cache.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNKED_SHA256, hashBytes, LEGACY_SHA256 } from '../src/hashing/object-hash.js';
import type { CopyItem } from '../src/hashing/worker-pool.js';
import { useTempWorkspace } from './helpers.js';

const workspace = useTempWorkspace('dp-file-copy-', { hasherWorkers: 2 });
const fresh = workspace.fresh;

/** A source file with `text`, and a fresh store folder for its object. */
async function source(text: string): Promise<{ path: string; store: string }> {
  const path = fresh('src');
  await writeFile(path, text);
  const store = fresh('store');
  await mkdir(store);
  return { path, store };
}

async function copyItem(text: string, type = CHUNKED_SHA256, claimed = text): Promise<CopyItem> {
  const { path, store } = await source(text);
  return {
    source: path,
    target: join(store, 'object'),
    size: Buffer.byteLength(claimed),
    type,
    value: await hashBytes(Buffer.from(claimed), type),
  };
}

describe('copyFiles', () => {
  it('writes each object whose bytes hash to its value (either hash type), leaving no temp file', async () => {
    const items = [await copyItem('chunked bytes'), await copyItem('legacy bytes', LEGACY_SHA256)];
    expect(await workspace.hasher.copyFiles(items)).toMatchObject([
      { outcome: 'created' },
      { outcome: 'created' },
    ]);
    expect(await readFile(items[0]?.target as string, 'utf8')).toBe('chunked bytes');
    expect(await readFile(items[1]?.target as string, 'utf8')).toBe('legacy bytes');
    for (const item of items) expect(await readdir(dirname(item.target))).toEqual(['object']);
  });

  it('writes nothing for bytes that are not what the manifest says, and says what they are', async () => {
    const edited = await copyItem('edited after build', CHUNKED_SHA256, 'EDITED AFTER BUILD'); // same size
    const legacy = await copyItem('legacy, edited', LEGACY_SHA256, 'LEGACY, EDITED');
    const grown = await copyItem('what was built, and more', CHUNKED_SHA256, 'what was built'); // not even read
    const outcomes = await workspace.hasher.copyFiles([edited, legacy, grown]);
    expect(outcomes.slice(0, 2)).toEqual([
      { outcome: 'mismatch', actual: await hashBytes(Buffer.from('edited after build')), size: 18 },
      {
        outcome: 'mismatch',
        actual: await hashBytes(Buffer.from('legacy, edited'), LEGACY_SHA256),
        size: 14,
      },
    ]);
    expect(outcomes[2]).toMatchObject({ outcome: 'mismatch', size: 24 });
    for (const item of [edited, legacy, grown]) {
      expect(await readdir(dirname(item.target))).toEqual([]);
    }
  });

  it('never replaces an existing object (another push wrote it): "exists", its bytes untouched', async () => {
    const item = await copyItem('new bytes');
    await writeFile(item.target, 'already there');
    expect(await workspace.hasher.copyFiles([item])).toEqual([{ outcome: 'exists' }]);
    expect(await readFile(item.target, 'utf8')).toBe('already there');
    expect(await readdir(dirname(item.target))).toEqual(['object']);
  });

  it('hundreds of items (several batches): each outcome lines up with its item; progress counts every file read', async () => {
    const items: CopyItem[] = [];
    for (let i = 0; i < 300; i++)
      items.push(
        await copyItem(`object ${i}`, CHUNKED_SHA256, i % 100 === 7 ? `OBJECT ${i}` : `object ${i}`),
      );
    const seen = { bytes: 0, files: 0 };
    const outcomes = await workspace.hasher.copyFiles(items, (bytes, files) => {
      seen.bytes += bytes;
      seen.files += files;
    });
    outcomes.forEach((outcome, i) => {
      expect(outcome.outcome, `item ${i}`).toBe(i % 100 === 7 ? 'mismatch' : 'created');
    });
    expect(seen).toEqual({
      bytes: items.reduce((sum, _, i) => sum + Buffer.byteLength(`object ${i}`), 0),
      files: 300,
    });
    expect(await readFile(items[299]?.target as string, 'utf8')).toBe('object 299');
  });

  it('an unreadable source fails the call with its error', async () => {
    const item = await copyItem('x');
    await expect(
      workspace.hasher.copyFiles([{ ...item, source: join(workspace.path, 'missing') }]),
    ).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('creates the target exclusively and answers its identity (mtime, inode), never over a file', async () => {
    const good = await copyItem('in place');
    const bad = await copyItem('in place', CHUNKED_SHA256, 'IN PLACE');
    const [created, mismatch] = await workspace.hasher.copyFiles([good, bad]);
    const info = await stat(good.target);
    expect(created).toEqual({ outcome: 'created', mtimeMs: info.mtimeMs, ino: info.ino });
    expect(mismatch).toMatchObject({ outcome: 'mismatch', size: 8 });
    expect(await readFile(good.target, 'utf8')).toBe('in place');
    expect(await readdir(dirname(good.target))).toEqual(['object']);
    expect(existsSync(bad.target)).toBe(false);
    // A file there already (another push's object, or a leftover): reported, never replaced.
    await writeFile(good.target, 'someone else');
    expect(await workspace.hasher.copyFiles([good])).toEqual([{ outcome: 'exists' }]);
    expect(await readFile(good.target, 'utf8')).toBe('someone else');
  });

  it('no items, no work', async () => {
    expect(await workspace.hasher.copyFiles([])).toEqual([]);
  });
});

describe('stageFiles and linkFiles', () => {
  it('stages each file once with its hash and identity, known to the stat cache; then links it without replacing', async () => {
    const a = await source('staged a');
    const b = await source('staged b');
    const items = [
      { source: a.path, temp: join(a.store, '.a.tmp') },
      { source: b.path, temp: join(b.store, '.b.tmp') },
    ];
    const staged = await workspace.hasher.stageFiles(items, 1024);
    expect(staged[0]).toMatchObject({ value: await hashBytes(Buffer.from('staged a')), size: 8 });
    expect(staged[1]).toMatchObject({ value: await hashBytes(Buffer.from('staged b')), size: 8 });
    expect(await readFile(items[0]?.temp as string, 'utf8')).toBe('staged a');
    // Hashing the source now reads nothing: staging recorded it.
    expect(await workspace.hasher.hashFile(a.path)).toEqual({
      value: await hashBytes(Buffer.from('staged a')),
      size: 8,
      cached: true,
    });
    await writeFile(join(b.store, 'b'), 'someone else');
    expect(
      await workspace.hasher.linkFiles([
        { temp: items[0]?.temp as string, target: join(a.store, 'a') },
        { temp: items[1]?.temp as string, target: join(b.store, 'b') },
      ]),
    ).toEqual(['created', 'exists']);
    expect(await readFile(join(a.store, 'a'), 'utf8')).toBe('staged a');
    expect(await readFile(join(b.store, 'b'), 'utf8')).toBe('someone else');
    expect(await readdir(a.store)).toEqual(['a']);
    expect(await readdir(b.store)).toEqual(['b']);
  });

  it('with a target instead of a temp: written straight to it, created exclusively, never over a file', async () => {
    const a = await source('direct a');
    const b = await source('direct b');
    await writeFile(join(b.store, 'b'), 'someone else');
    const staged = await workspace.hasher.stageFiles(
      [
        { source: a.path, target: join(a.store, 'a') },
        { source: b.path, target: join(b.store, 'b') },
      ],
      1024,
    );
    expect(staged[0]).toMatchObject({
      value: await hashBytes(Buffer.from('direct a')),
      size: 8,
      outcome: 'created',
    });
    expect(staged[1]).toMatchObject({
      value: await hashBytes(Buffer.from('direct b')),
      size: 8,
      outcome: 'exists',
    });
    expect(await readFile(join(a.store, 'a'), 'utf8')).toBe('direct a');
    expect(await readFile(join(b.store, 'b'), 'utf8')).toBe('someone else');
    expect(await readdir(a.store)).toEqual(['a']);
    expect(await readdir(b.store)).toEqual(['b']);
  });

  it('a file larger than the limit by now is left out (null), with no temp file', async () => {
    const big = await source('more than ten bytes');
    const small = await source('tiny');
    const staged = await workspace.hasher.stageFiles(
      [
        { source: big.path, temp: join(big.store, '.big.tmp') },
        { source: small.path, temp: join(small.store, '.small.tmp') },
      ],
      10,
    );
    expect(staged[0]).toBeNull();
    expect(staged[1]).toMatchObject({ size: 4 });
    expect(await readdir(big.store)).toEqual([]);
  });
});
