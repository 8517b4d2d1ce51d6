/**
 * Refusing symbolic links below a root (a registry, an install destination, a cache), with async and sync `lstat`:
 * a link anywhere on the way is refused, naming it; segments that do not exist yet end the check (nothing below them
 * can be a link); paths outside the root and the root itself are not checked; `parentsOnly` spares the last segment.
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSymlinks, assertNoSymlinksSync, SymlinkRefusedError } from '../../src/storage/index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pc-no-follow-'));
  await mkdir(join(root, 'a', 'b'), { recursive: true });
  await mkdir(join(root, 'elsewhere'));
  await symlink(join(root, 'elsewhere'), join(root, 'a', 'link'));
  await symlink(join(root, 'elsewhere'), join(root, '..dots')); // a name starting with two dots is below the root
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const variants = [
  [
    'async',
    (base: string, path: string, parentsOnly = false) => assertNoSymlinks(base, path, { parentsOnly }),
  ],
  // The sync variant has no parentsOnly: it checks every segment (its caller prepares folders).
  ['sync', async (base: string, path: string) => assertNoSymlinksSync(base, path)],
] as const;

describe.each(variants)('assertNoSymlinks (%s)', (_name, check) => {
  it('refuses a link on the way, naming it', async () => {
    const error = await Promise.resolve(check(root, join(root, 'a', 'link', 'x', 'y'))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SymlinkRefusedError);
    expect((error as SymlinkRefusedError).path).toBe(join(root, 'a', 'link'));
    await expect(Promise.resolve(check(root, join(root, 'a', 'link')))).rejects.toThrow(SymlinkRefusedError);
    const dots = await Promise.resolve(check(root, join(root, '..dots', 'evil.txt'))).catch(
      (e: unknown) => e,
    );
    expect((dots as SymlinkRefusedError).path).toBe(join(root, '..dots'));
  });

  it('accepts real folders, folders not made yet, the root itself and paths outside it', async () => {
    await expect(Promise.resolve(check(root, join(root, 'a', 'b')))).resolves.toBeUndefined();
    await expect(
      Promise.resolve(check(root, join(root, 'a', 'b', 'new', 'deeper'))),
    ).resolves.toBeUndefined();
    await expect(Promise.resolve(check(root, root))).resolves.toBeUndefined();
    await expect(
      Promise.resolve(check(join(root, 'a', 'b'), join(root, 'a', 'link'))),
    ).resolves.toBeUndefined();
  });
});

it('parentsOnly leaves the last segment to the caller (it opens that one without following links)', async () => {
  await expect(
    assertNoSymlinks(root, join(root, 'a', 'link'), { parentsOnly: true }),
  ).resolves.toBeUndefined();
  await expect(assertNoSymlinks(root, join(root, 'a', 'link', 'f'), { parentsOnly: true })).rejects.toThrow(
    SymlinkRefusedError,
  );
});
