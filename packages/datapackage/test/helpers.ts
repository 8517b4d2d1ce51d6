import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temp folder per test file, removed by the returned cleanup. */
export async function tempDir(prefix = 'dp-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Writes `{ 'a/b.txt': 'content' }` under `root`. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [key, content] of Object.entries(files)) {
    const path = join(root, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}
