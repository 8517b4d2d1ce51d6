/**
 * `verify` lists the files a folder has beyond the package in sorted order, whatever order the file system lists
 * them in (files created out of order, in several folders), so its report reads the same on every machine.
 */
import { describe, expect, it } from 'vitest';
import { writeTree } from './helpers.js';
import { useSyncWorkspace, version } from './sync-helpers.js';

const { fresh, install, verify } = useSyncWorkspace('dp-directory-verify-extras-');

describe('verify: the extra files', () => {
  it('are listed sorted', async () => {
    const pkg = await version({ 'keep.txt': 'k' });
    const dir = fresh('dest');
    await install(pkg, dir);
    // Created out of order: a file system may list them in creation order, its reverse, or hash order.
    for (const key of ['z.txt', 'b/y.txt', 'm.txt', 'a.txt', 'b/c.txt', 'q/r.txt', 'c.txt'])
      await writeTree(dir, { [key]: key });
    const result = await verify(pkg, dir);
    expect(result.extra).toEqual(['a.txt', 'b/c.txt', 'b/y.txt', 'c.txt', 'm.txt', 'q/r.txt', 'z.txt']);
    expect(result.matches).toBe(false);
  });
});
