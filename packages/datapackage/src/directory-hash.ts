/**
 * The top hash a folder's package has now: the installed package's header, directory metadata and entry metadata
 * (or, in a folder nothing was installed into, the header `quilt3 push --dir` writes) over the files as they are.
 * Files keep the hash type their manifest entry has; new files get sha2-256-chunked.
 */
import { resolve } from 'node:path';
import type { JsonValue } from '@mlclients/package-core/json';
import type { FileHasher, HashProgress } from './hashing/file-hasher.js';
import { CHUNKED_SHA256 } from './hashing/object-hash.js';
import { readInstallRecord } from './install-record.js';
import { listLocalFiles } from './local-tree.js';
import { Manifest, makeHashValue, readObjectHash } from './manifest.js';
import { localPhysicalKey } from './physical-key.js';
import { computeTopHash } from './top-hash.js';

export async function hashDirectory(
  dir: string,
  hasher: FileHasher,
  onProgress?: (progress: HashProgress) => void,
): Promise<string> {
  const root = resolve(dir);
  const installed = await readInstallRecord(root);
  const base =
    installed?.manifest ??
    new Manifest(
      new Map<string, JsonValue>([
        ['version', 'v0'],
        ['user_meta', null],
        ['message', null],
      ]),
    );
  const manifest = new Manifest(base.header);
  for (const [directory, meta] of base.directoryMeta) manifest.directoryMeta.set(directory, meta);
  const files = await listLocalFiles(root, { useQuiltignore: !installed });
  const types = files.map(
    (f) => readObjectHash(base.get(f.logicalKey)?.hash ?? null)?.type ?? CHUNKED_SHA256,
  );
  const results = await hasher.hashFilesByType(
    files.map((f, i) => [f.path, types[i] as string] as const),
    onProgress,
  );
  files.forEach((file, i) => {
    const result = results.get(file.path);
    if (!result) return;
    const previous = base.get(file.logicalKey);
    manifest.set({
      logicalKey: file.logicalKey,
      physicalKey: previous?.physicalKey ?? localPhysicalKey(file.path),
      size: result.size,
      hash: makeHashValue({ type: types[i] as string, value: result.value }),
      meta: previous?.meta ?? new Map(),
    });
  });
  return computeTopHash(manifest);
}
