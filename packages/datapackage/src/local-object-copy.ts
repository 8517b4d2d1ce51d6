/**
 * Pushing small local files into a local (file://) registry with few system calls. The generic path (FsBlobStore.put
 * per object) checks every parent for symbolic links, creates the folder, writes and fsyncs a temp file, links it and
 * fsyncs the folder: about 15 system calls and two fsyncs per object, which for 10,000 files of a few KiB is most of
 * a push. Here:
 * - each distinct folder is checked for symbolic links and created once;
 * - files not hashed yet are staged (stageIntoLocalStore): read once on the hashing workers and hashed while they are
 *   written, to temp files next to their keys that are linked to the keys once the push's manifest checks pass, or
 *   (when the checks ran first, as in `push` without dedupe and `pushDir`) straight to their keys, created
 *   exclusively;
 * - files already hashed are copied on the workers in batches (read once, hashed, and written straight to the key,
 *   created exclusively, only when the bytes hash to the manifest's value);
 * - an existing key is never replaced (another push's object: 'exists', left alone);
 * - durability comes once for the whole batch ({@link makeDurable}) instead of an fsync per object. The caller writes
 *   the manifest and the pointers only after that, so a power loss never leaves a pointer naming lost objects.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { assertNoSymlinksSync, type FsBlobStore, relativeInside } from '@mlclients/package-core/storage';
import pLimit from 'p-limit';
import { syncBatch } from './durable-batch.js';
import type { FileHasher } from './hashing/file-hasher.js';
import type { CopyItem, CopyOutcome, StageItem, StageResult } from './hashing/worker-pool.js';
import { canonicalPathPhysicalKey } from './physical-key.js';
import { ProgressiveFlush } from './progressive-flush.js';
import { settleAll } from './settle-all.js';

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
  const targets = new FolderPreparer(store).prepare(requests);
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
  /** The source's physical key, as the manifest names it (default: its file:// URL; unused with placedByCaller). */
  physicalKey?: string;
  key: string;
}

/** A staged object: its store key and final path, what it hashed to, and its temp file or what creating it found. */
export type StagedObject = { key: string; target: string; value: string; size: number } & (
  | { temp: string; outcome?: undefined }
  | { temp?: undefined; outcome: 'created' | 'exists' }
);

/**
 * Objects of a push to a local registry whose bytes were hashed while being written (the file read once for both),
 * either to temp files next to their keys (linked once the manifest checks pass) or straight to their keys (when the
 * checks ran first). {@link take} hands one over only for an entry with exactly that key, hash and size, so what an
 * entry is pointed at is always bytes that hashed to the manifest's value; {@link discard}
 * removes the temp files not taken.
 */
export class StagedObjects {
  readonly #byPhysicalKey = new Map<string, StagedObject>();
  /**
   * The flush (makeDurable) of the objects created at their keys while staging, started as soon as staging ended, so
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
   * already created at their keys stay: like any object a failed push created, no manifest names them.
   */
  async discard(): Promise<void> {
    const temps: string[] = [];
    for (const object of this.#byPhysicalKey.values()) if (object.temp !== undefined) temps.push(object.temp);
    this.#byPhysicalKey.clear();
    await removeAll(temps);
  }

  /** @internal takes over `other`'s objects (a second staging pass of the same push) and waits for its flush too */
  absorb(other: StagedObjects): void {
    for (const [physicalKey, object] of other.#byPhysicalKey) this.#byPhysicalKey.set(physicalKey, object);
    other.#byPhysicalKey.clear();
    const flushes = [this.flushing, other.flushing].filter((f) => f !== undefined);
    if (flushes.length > 0) {
      this.flushing = settleAll(flushes);
      this.flushing.catch(() => undefined); // observed by the push, as each one was
    }
  }

  /** @internal drops every object (their temp files are removed by the caller) */
  forget(): void {
    this.#byPhysicalKey.clear();
  }
}

/** Requests handed to the workers at a time: one worker batch, so the first files are copied while the rest are listed. */
const STAGE_CHUNK = 256;

/**
 * Reads each requested file once, hashing it while writing it to a temp file in its key's folder (checked for links
 * and created first). Returns the hashes and sizes (aligned with `requests`; null for a file that has grown over
 * `maxBytes`) and the staged objects, which the push links to their keys once the manifest checks have passed; with
 * `linkNow` (the checks already passed) each file is written straight to its key instead (created exclusively, never
 * replacing one). See {@link LocalStager}, which this runs on a list known in advance.
 */
export async function stageIntoLocalStore(
  store: FsBlobStore,
  hasher: FileHasher,
  requests: readonly StageRequest[],
  maxBytes: number,
  options: StageOptions = {},
): Promise<{ results: StageResult[]; staged: StagedObjects }> {
  const results: StageResult[] = new Array(requests.length).fill(null);
  const stager = new LocalStager(store, hasher, maxBytes, {
    ...options,
    onStaged: (index, result, target) => {
      results[index] = result;
      options.onStaged?.(index, result, target);
    },
  });
  for (const request of requests) stager.add(request);
  const { staged } = await stager.finish();
  return { results, staged };
}

export interface StageOptions {
  onProgress?: (bytes: number, files: number) => void;
  /**
   * Each staged file (its index from `add`, what staging found) as soon as its chunk is done: the caller's own
   * per-file work then runs while the workers copy the next chunks, not after the last one. Not called for a file
   * staging left out (null result); still called for a chunk that finishes after another failed or during `abort`,
   * so being called does not mean the push goes on.
   */
  onStaged?: (index: number, result: NonNullable<StageResult>, target: string) => void;
  /** Write each file straight to its key (the push's checks passed) instead of a temp file linked later. */
  linkNow?: boolean;
  /**
   * With linkNow: the caller points its entries at the objects created (`target` in onStaged) itself, once
   * `flushing` has settled, so only the objects found there already ('exists') are kept for
   * {@link StagedObjects.take} (the data step checks those without reading the file again).
   */
  placedByCaller?: boolean;
  /**
   * Objects created at their keys after which a flush of them starts while staging goes on (see progressive-flush.ts).
   * @default FLUSH_EVERY_FILES
   */
  flushEvery?: number;
}

/**
 * Staging (see stageIntoLocalStore) of files handed over one at a time, as a folder walk finds them: every
 * STAGE_CHUNK files go to the workers as soon as their folders are ready, so the copying overlaps the walk. Each
 * file's result goes to `onStaged` (nothing keeps them: a push of 10,000 files has enough to hold); `finish` waits for
 * all and returns the staged objects; after a failure no further chunk is started, temp files are removed and the
 * first error is thrown.
 */
export class LocalStager {
  // Temp names: one random token per stager and a counter (a random name per file cost more than the copy); the
  // workers create them exclusively, so a clash fails instead of sharing a file. FsBlobStore.list skips the pattern.
  readonly #token = randomBytes(8).toString('hex');
  readonly #folders: FolderPreparer;
  readonly #staged = new StagedObjects();
  readonly #temps: string[] = [];
  /** The objects created at their keys, flushed as they come (every `flushEvery`) and the rest at `finish`. */
  readonly #created: ProgressiveFlush;
  #createdCount = 0;
  readonly #jobs: Promise<void>[] = [];
  #pending: StageRequest[] = [];
  #count = 0;
  #failed = false;

  constructor(
    readonly store: FsBlobStore,
    readonly hasher: FileHasher,
    readonly maxBytes: number,
    readonly options: StageOptions = {},
  ) {
    this.#folders = new FolderPreparer(store);
    this.#created = new ProgressiveFlush((paths) => makeDurable(store.root, paths), options.flushEvery);
  }

  /** Queues one file; returns its index (the one onStaged is given). */
  add(request: StageRequest): number {
    const index = this.#count++;
    if (this.#failed) return index; // a stopped stager takes nothing more (its result stays null)
    this.#pending.push(request);
    if (this.#pending.length >= STAGE_CHUNK) this.#dispatch();
    return index;
  }

  async finish(): Promise<{ staged: StagedObjects }> {
    this.#dispatch();
    try {
      await settleAll(this.#jobs);
    } catch (error) {
      // Temp files go; objects created at their keys stay, as any object a failed push created (no manifest names them).
      this.#staged.forget();
      await removeAll(this.#temps);
      throw error;
    }
    if (this.#createdCount > 0) {
      this.#staged.flushing = this.#created.finish();
      // Observed by the push; a push stopped earlier has nothing to point at them.
      this.#staged.flushing.catch(() => undefined);
    }
    return { staged: this.#staged };
  }

  /**
   * Stops after a failure of the caller's (a folder walk that failed): files not handed to the workers yet are
   * dropped and later ones refused, the chunks already running are awaited (none is left writing), temp files go.
   */
  async abort(): Promise<void> {
    this.#failed = true;
    this.#pending = [];
    await Promise.allSettled(this.#jobs);
    this.#staged.forget();
    await removeAll(this.#temps);
  }

  /** Hands the pending chunk to the workers, its folders made ready first (its answers are awaited by finish). */
  #dispatch(): void {
    const chunk = this.#pending;
    this.#pending = [];
    if (chunk.length === 0 || this.#failed) return;
    const start = this.#count - chunk.length;
    let targets: string[];
    try {
      targets = this.#folders.prepare(chunk);
    } catch (error) {
      this.#track(Promise.reject(error));
      return;
    }
    const items: StageItem[] = chunk.map((r, k) => {
      if (this.options.linkNow) return { source: r.source, target: targets[k] as string };
      const temp = join(dirname(targets[k] as string), `.blob-${this.#token}-s${start + k}.tmp`);
      this.#temps.push(temp);
      return { source: r.source, temp };
    });
    const job = this.hasher.stageFiles(items, this.maxBytes, this.options.onProgress).then((answers) => {
      answers.forEach((result, k) => {
        if (!result) return;
        const i = start + k;
        const request = chunk[k] as StageRequest;
        const target = targets[k] as string;
        if (result.outcome === 'created') {
          this.#createdCount++;
          this.#created.wrote(target);
        }
        if (!this.options.placedByCaller || result.outcome === 'exists') {
          const where = { key: request.key, target, value: result.value, size: result.size };
          this.#staged.add(
            request.physicalKey ?? canonicalPathPhysicalKey(request.source),
            result.outcome === undefined
              ? { ...where, temp: (items[k] as { temp: string }).temp }
              : { ...where, outcome: result.outcome },
          );
        }
        this.options.onStaged?.(i, result, target);
      });
    });
    this.#track(job);
  }

  /** Tracks a job; once one fails no further chunk is started, and finish raises its error. */
  #track(job: Promise<void>): void {
    job.catch(() => {
      this.#failed = true;
    });
    this.#jobs.push(job);
  }
}

/**
 * Each distinct folder of the keys checked for symbolic links and created, once. Synchronously: a push prepares a
 * hundred folders between handing batches to its workers, and a round trip through libuv's thread pool (busy with
 * the folder walk) per lstat and mkdir kept the workers waiting.
 */
class FolderPreparer {
  /** Folder paths checked and created. */
  readonly #ready = new Set<string>();
  /** The path of each key folder ('a/b' of 'a/b/c.txt') made ready. */
  readonly #pathOfKeyFolder = new Map<string, string>();
  constructor(readonly store: FsBlobStore) {}

  /** The final path of each request's key (what store.pathOf gives), its folder made ready first. */
  prepare(requests: readonly { key: string }[]): string[] {
    return requests.map(({ key }) => {
      const slash = key.lastIndexOf('/');
      const name = key.slice(slash + 1);
      // A folder's path (validated by pathOf) is worked out once and each name appended: 10,000 pathOf calls (a
      // split, a check per segment and a join each) were a fifth of a push's main-thread time. Only on POSIX, where
      // '/' is a key's only separator, and for a name no store refuses; anything else goes through pathOf.
      if (sep !== '/' || slash <= 0 || name === '' || name === '.' || name === '..' || name.includes('\0')) {
        const target = this.store.pathOf(key);
        this.#makeReady(dirname(target));
        return target;
      }
      const keyFolder = key.slice(0, slash);
      let folder = this.#pathOfKeyFolder.get(keyFolder);
      if (folder === undefined) {
        folder = this.store.pathOf(keyFolder);
        this.#makeReady(folder);
        this.#pathOfKeyFolder.set(keyFolder, folder);
      }
      return `${folder}/${name}`;
    });
  }

  /** Checks `folder` for symbolic links and creates it, once. */
  #makeReady(folder: string): void {
    if (this.#ready.has(folder)) return;
    // A link planted in the registry must not redirect the writes. Every new folder is checked from the registry's
    // root, not from a parent checked earlier in the push: that parent may have been swapped for a link since.
    assertNoSymlinksSync(this.store.root, folder);
    mkdirSync(folder, { recursive: true });
    this.#ready.add(folder);
  }
}

async function removeAll(paths: readonly string[]): Promise<void> {
  const limit = pLimit(16);
  await Promise.all(paths.map((path) => limit(() => rm(path, { force: true }))));
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
    const rest = relativeInside(root, folder);
    if (rest === undefined) continue;
    let current = root;
    chain.add(current);
    for (const segment of rest === '' ? [] : rest.split(sep)) {
      current = `${current}${sep}${segment}`;
      chain.add(current);
    }
  }
  return chain;
}
