/**
 * The top hash a folder's package has now: the installed package's header and entry metadata (or, in a folder
 * nothing was installed into, the header `quilt3 push --dir` writes) over the files as they are. Files keep the hash
 * type their manifest entry has; new files get sha2-256-chunked. Directory metadata and physical keys are not part of
 * a top hash, so no manifest is built: the entries are hashed straight from the file list.
 */
import { resolve } from 'node:path';
import type { JsonObject, JsonValue } from '@mlclients/package-core/json';
import type { FileHasher, HashProgress } from './hashing/file-hasher.js';
import { CHUNKED_SHA256 } from './hashing/object-hash.js';
import { readInstallRecord } from './install-record.js';
import { listLocalFiles } from './local-tree.js';
import { makeHashValue, readObjectHash, sortInTreeOrder } from './manifest.js';
import { type HashedEntry, topHashOf } from './top-hash.js';

export async function hashDirectory(
  dir: string,
  hasher: FileHasher,
  onProgress?: (progress: HashProgress) => void,
): Promise<string> {
  const root = resolve(dir);
  hasher.warmUp(); // the workers start while the install record is read and the folder listed
  const installed = await readInstallRecord(root);
  const base = installed?.manifest;
  const header: JsonObject =
    base?.header ??
    new Map<string, JsonValue>([
      ['version', 'v0'],
      ['user_meta', null],
      ['message', null],
    ]);
  const files = await listLocalFiles(root, { useQuiltignore: !installed });
  const types = files.map(
    (f) => readObjectHash(base?.get(f.logicalKey)?.hash ?? null)?.type ?? CHUNKED_SHA256,
  );
  const results = await hasher.hashFilesByType(
    files.map((f, i) => [f.path, types[i] as string] as const),
    onProgress,
  );
  const entries = new Map<string, HashedEntry>();
  files.forEach((file, i) => {
    const result = results.get(file.path);
    if (!result) return;
    entries.set(file.logicalKey, {
      logicalKey: file.logicalKey,
      size: result.size,
      hash: makeHashValue({ type: types[i] as string, value: result.value }),
      meta: base?.get(file.logicalKey)?.meta ?? EMPTY_META,
    });
  });
  return topHashOf(
    header,
    sortInTreeOrder([...entries.keys()]).map((key) => entries.get(key) as HashedEntry),
  );
}

/** The meta of a file no installed entry describes (read only: the entries live only for this hash). */
const EMPTY_META: JsonObject = new Map();
