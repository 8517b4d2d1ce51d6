/**
 * Pushing small local files into a local (file://) registry with few system calls. The generic path (FsBlobStore.put
 * per object) checks every parent for symbolic links, creates the folder, writes and fsyncs a temp file, links it and
 * fsyncs the folder: about 15 system calls and two fsyncs per object, which for 10,000 files of a few KiB is most of
 * a push. Here:
 * - each distinct folder is checked for symbolic links and created once;
 * - files not hashed yet are staged (stageIntoLocalStore): read once on the hashing workers and hashed while they are
 *   written, to temp files next to their keys that are linked to the keys once the push's manifest checks pass, or
 *   (when the checks ran first, as in a CLI push) straight to their keys, created exclusively;
 * - files already hashed are copied on the workers in batches (read once, hashed, and written straight to the key,
 *   created exclusively, only when the bytes hash to the manifest's value);
 * - an existing key is never replaced (another push's object: 'exists', left alone);
 * - durability comes once for the whole batch ({@link makeDurable}) instead of an fsync per object. The caller writes
 *   the manifest and the pointers only after that, so a power loss never leaves a pointer naming lost objects.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { assertNoSymlinks, type FsBlobStore } from '@mlclients/package-core/storage';
import pLimit from 'p-limit';
import { syncBatch } from './durable-batch.js';
import type { FileHasher } from './hashing/file-hasher.js';
import type { CopyItem, CopyOutcome, StageItem, StageResult } from './hashing/worker-pool.js';

/** One object to copy: the local file it comes from, its store key, and what the manifest says about it. */
export interface LocalCopyRequest {
  source: string;
  key: string;
  size: number;
  type: string;
  value: string;
}

/**
 * Copies `requests` into `store` (see the file comment). Outcomes are aligned with `requests`; created objects are
 * not durable until {@link makeDurable} has run on their paths.
 */
export async function copyIntoLocalStore(
  store: FsBlobStore,
  hasher: FileHasher,
  requests: readonly LocalCopyRequest[],
  onProgress?: (bytes: number, files: number) => void,
): Promise<CopyOutcome[]> {
  const targets = await prepareFolders(store, requests);
  const items: CopyItem[] = requests.map((r, i) => ({
    source: r.source,
    target: targets[i] as string,
    size: r.size,
    type: r.type,
    value: r.value,
  }));
  return hasher.copyFiles(items, onProgress);
}

/** A small local file to stage: where it is, its physical key (as the manifest names it) and its store key. */
export interface StageRequest {
  source: string;
  physicalKey: string;
  key: string;
}

/** A staged object: its store key and final path, what it hashed to, and its temp file or what linking it did. */
export type StagedObject = { key: string; target: string; value: string; size: number } & (
  | { temp: string; outcome?: undefined }
  | { temp?: undefined; outcome: 'created' | 'exists' }
);

/**
 * Objects of a push to a local registry whose bytes were hashed while being written to temp files next to their
 * keys (the file read once for both), and either kept in the temp files (linked once the manifest checks pass) or
 * linked at once (when the checks ran first). {@link take} hands one over only for an entry with exactly that key,
 * hash and size, so what is linked to a key is always bytes that hashed to the manifest's value; {@link discard}
 * removes the temp files not taken.
 */
export class StagedObjects {
  readonly #byPhysicalKey = new Map<string, StagedObject>();
  /**
   * The flush (makeDurable) of the objects created by linking while staging, started as soon as staging ended, so
   * that it runs while the push does its bookkeeping; the push awaits it before anything can point at them.
   */
  flushing: Promise<void> | undefined;

  /** @internal */
  add(physicalKey: string, object: StagedObject): void {
    this.#byPhysicalKey.set(physicalKey, object);
  }

  /** The object staged for `physicalKey` at `key`, if staged with the entry's hash and size (taken once). */
  take(physicalKey: string, key: string, value: string, size: number): StagedObject | undefined {
    const object = this.#byPhysicalKey.get(physicalKey);
    if (!object || object.key !== key || object.value !== value || object.size !== size) return undefined;
    this.#byPhysicalKey.delete(physicalKey);
    return object;
  }

  /**
   * Removes every temp file not taken (a push that stopped before its data, or entries it did not copy). Objects
   * already linked stay: like any object a failed push created, no manifest names them.
   */
  async discard(): Promise<void> {
    const limit = pLimit(16);
    const temps: string[] = [];
    for (const object of this.#byPhysicalKey.values()) if (object.temp !== undefined) temps.push(object.temp);
    this.#byPhysicalKey.clear();
    await Promise.all(temps.map((temp) => limit(() => rm(temp, { force: true }))));
  }
}

/**
 * Reads each requested file once, hashing it while writing it to a temp file in its key's folder (checked for links
 * and created first). Returns the hashes and sizes (aligned with `requests`; null for a file that has grown over
 * `maxBytes`) and the staged objects, which the push links to their keys once the manifest checks have passed; with
 * `linkNow` (the checks already passed) each file is written straight to its key instead (created exclusively, never
 * replacing one).
 */
export async function stageIntoLocalStore(
  store: FsBlobStore,
  hasher: FileHasher,
  requests: readonly StageRequest[],
  maxBytes: number,
  options: { onProgress?: (bytes: number, files: number) => void; linkNow?: boolean } = {},
): Promise<{ results: StageResult[]; staged: StagedObjects }> {
  const targets = await prepareFolders(store, requests);
  // Temp names: one random token per call and a counter (a random name per file cost more than the copy); the
  // workers create them exclusively, so a clash fails instead of sharing a file. FsBlobStore.list skips the pattern.
  const token = randomBytes(8).toString('hex');
  const items: StageItem[] = requests.map((r, i) => {
    const target = targets[i] as string;
    return options.linkNow
      ? { source: r.source, target }
      : { source: r.source, temp: join(dirname(target), `.blob-${token}-s${i}.tmp`) };
  });
  const staged = new StagedObjects();
  let results: StageResult[];
  try {
    results = await hasher.stageFiles(items, maxBytes, options.onProgress);
  } catch (error) {
    // Temp files go; objects created at their keys stay, as any object a failed push created (no manifest names them).
    await Promise.all(items.map((item) => item.temp !== undefined && rm(item.temp, { force: true })));
    throw error;
  }
  const linked: string[] = [];
  results.forEach((result, i) => {
    if (!result) return;
    if (result.outcome === 'created') linked.push(targets[i] as string);
    const request = requests[i] as StageRequest;
    const where = { key: request.key, target: targets[i] as string, value: result.value, size: result.size };
    staged.add(
      request.physicalKey,
      result.outcome === undefined
        ? { ...where, temp: (items[i] as StageItem).temp as string }
        : { ...where, outcome: result.outcome },
    );
  });
  if (linked.length > 0) {
    staged.flushing = makeDurable(store.root, linked);
    staged.flushing.catch(() => undefined); // observed by the push; a push stopped earlier has nothing to point at them
  }
  return { results, staged };
}

/** The final path of each request's key, with each distinct folder checked for symbolic links and created once. */
async function prepareFolders(store: FsBlobStore, requests: readonly { key: string }[]): Promise<string[]> {
  const targets = requests.map((r) => store.pathOf(r.key));
  for (const folder of new Set(targets.map((t) => dirname(t)))) {
    // A link planted in the registry must not redirect the writes (as FsBlobStore.put checks for each object).
    await assertNoSymlinks(store.root, folder);
    await mkdir(folder, { recursive: true });
  }
  return targets;
}

/**
 * Makes the objects at `paths` (files under `root`) durable with their folder entries, up to `root`, in one batch
 * (see durable-batch.ts: one syncfs on Linux, else an fsync of each file and folder).
 */
export async function makeDurable(root: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await syncBatch({ anchor: root, files: paths, folders: foldersUpTo(root, paths) });
}

/** Every folder from `root` down to each path's parent (a new folder's entry lives in its parent). */
function foldersUpTo(root: string, paths: readonly string[]): Set<string> {
  const chain = new Set<string>();
  for (const folder of new Set(paths.map((p) => dirname(p)))) {
    const rest = relative(root, folder);
    if (rest.startsWith('..')) continue;
    let current = root;
    chain.add(current);
    for (const segment of rest === '' ? [] : rest.split(sep)) {
      current = `${current}${sep}${segment}`;
      chain.add(current);
    }
  }
  return chain;
}
