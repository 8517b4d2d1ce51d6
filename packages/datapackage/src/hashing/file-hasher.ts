/**
 * Hashes local files: stat cache first, then worker threads. Small files go to workers in batches; a file larger than
 * one chunk is split into ranges of whole chunks hashed in parallel (the chunks of `sha2-256-chunked` are
 * independent) and the chunk digests are combined in order.
 */

import { closeSync, createReadStream, openSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { UnsupportedHashTypeError } from '../errors.js';
import { chunkSizeFor, MIN_CHUNK_SIZE } from './chunk-size.js';
import { CHUNKED_SHA256, CRC64NVME, combineChunkDigests, hashStream, LEGACY_SHA256 } from './object-hash.js';
import { type FileIdentity, StatCache } from './stat-cache.js';
import {
  type CopyItem,
  type CopyOutcome,
  type HashFilesResult,
  type HashTask,
  HashWorkerPool,
  type LinkItem,
  type StageItem,
  type StageResult,
} from './worker-pool.js';

/** Progress of a hashing (or transfer) pass. */
export interface HashProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
}

/** Options of {@link FileHasher}. */
export interface FileHasherOptions {
  /**
   * Worker threads, all used for every task. @default min(cores, 4), of which small files use one fewer than the cores
   * (the main thread needs one for their answers)
   */
  workers?: number;
  /** Where known (path, size, mtime, inode) -> hash pairs are looked up and recorded. @default in-memory */
  statCache?: StatCache;
}

/** The hash of one file, and whether the stat cache answered it. */
export interface FileHashResult {
  value: string;
  size: number;
  /** True when the stat cache answered and no data was read. */
  cached: boolean;
}

/** Small files are sent to workers in batches of about this many bytes, to amortise the message round trip. */
const SMALL_FILE_BATCH_BYTES = 4 * 1024 * 1024;
/** Small files per worker batch at most (a copy or stage request of many objects is sliced to match). */
export const SMALL_FILE_BATCH_COUNT = 256;

function statRegularFile(path: string) {
  const fileStat = statSync(path);
  if (!fileStat.isFile())
    throw Object.assign(new Error(`not a regular file: '${path}'`), { code: 'EISDIR', path });
  return fileStat;
}
/**
 * The error a worker could not say precisely (it only flags the path): a missing path or a non-file as statRegularFile
 * reports it, else the error opening the file gives; a path readable now changed while it was being hashed.
 */
function unreadableFileError(path: string): Error {
  try {
    statRegularFile(path);
    closeSync(openSync(path, 'r'));
  } catch (error) {
    return error as Error;
  }
  return Object.assign(new Error(`'${path}' changed while it was being hashed`), { code: 'ECHANGED', path });
}

/** Below this many paths, stat in the main thread; above, in the workers. */
const PARALLEL_STAT_THRESHOLD = 2000;

/** Hashes files on worker threads, reusing the stat cache for files that did not change. Call `close()` when done. */
export class FileHasher {
  private readonly pool: HashWorkerPool;
  readonly statCache: StatCache;

  /** Creates a `FileHasher`: its worker threads and stat cache. */
  constructor(options: FileHasherOptions = {}) {
    this.pool = new HashWorkerPool(options.workers);
    this.statCache = options.statCache ?? StatCache.inMemory();
  }

  /** Hash one file (`sha2-256-chunked` unless `type` says otherwise). */
  async hashFile(path: string, type = CHUNKED_SHA256): Promise<FileHashResult> {
    const results = await this.hashFiles([path], type);
    return results.get(path) as FileHashResult;
  }

  /**
   * Hashes each file with its own hash type (a manifest can mix them): one `hashFiles` pass per type, so progress
   * restarts for each type.
   */
  async hashFilesByType(
    files: Iterable<readonly [path: string, type: string]>,
    onProgress?: (progress: HashProgress) => void,
  ): Promise<Map<string, FileHashResult>> {
    const byType = new Map<string, string[]>();
    for (const [path, type] of files) {
      const group = byType.get(type);
      if (group) group.push(path);
      else byType.set(type, [path]);
    }
    const all = new Map<string, FileHashResult>();
    for (const [type, paths] of byType) {
      for (const [path, result] of await this.hashFiles(paths, type, onProgress)) all.set(path, result);
    }
    return all;
  }

  /** Hashes every path (absolute paths recommended: they key the stat cache). Rejects on the first unreadable file. */
  async hashFiles(
    paths: readonly string[],
    type = CHUNKED_SHA256,
    onProgress?: (progress: HashProgress) => void,
  ): Promise<Map<string, FileHashResult>> {
    if (type !== CHUNKED_SHA256 && type !== LEGACY_SHA256 && type !== CRC64NVME)
      throw new UnsupportedHashTypeError(type);
    const results = new Map<string, FileHashResult>();
    // Stryker disable next-line ArrayDeclaration: jobs only gathers promises to await; an extra entry changes no result
    const jobs: Promise<void>[] = [];
    let statPaths = paths;
    // Without a progress callback (whose totals need every size first), the files the stat cache has never seen are
    // identified and hashed in one pass on the workers, with no separate stat of each.
    // Stryker disable next-line BlockStatement: the one-pass route for unseen files and stat-then-hash give the same hashes
    if (!onProgress && type === CHUNKED_SHA256) {
      const known: string[] = [];
      const unseen: string[] = [];
      for (const path of paths) (this.statCache.has(path) ? known : unseen).push(path);
      // Stryker disable next-line BlockStatement,ConditionalExpression,EqualityOperator: either route gives the same hashes and cache entries
      if (unseen.length > 0) {
        const identified = this.identifyAndHash(unseen, results);
        // Handled now: it may fail while the stat below is awaited, long before allSettled looks at it.
        identified.catch(() => {});
        jobs.push(identified);
        statPaths = known;
      }
    }
    const triples = await this.statAll(statPaths).catch(async (error: unknown) => {
      await Promise.allSettled(jobs);
      throw error;
    });

    // Identity objects only for files that must be hashed: for an unchanged tree this loop is all there is.
    const todo: string[] = [];
    const stats = new Map<string, FileIdentity>();
    for (let i = 0; i < statPaths.length; i++) {
      const path = statPaths[i] as string;
      const size = triples[i * 3] as number;
      const mtimeMs = triples[i * 3 + 1] as number;
      const ino = triples[i * 3 + 2] as number;
      const cachedValue = this.statCache.lookupBy(path, size, mtimeMs, ino, type);
      if (cachedValue !== undefined) results.set(path, { value: cachedValue, size, cached: true });
      else {
        todo.push(path);
        stats.set(path, { size, mtimeMs, ino });
      }
    }

    const progress: HashProgress = { bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: todo.length };
    for (const path of todo) progress.bytesTotal += (stats.get(path) as FileIdentity).size;
    const report = (bytes: number, files: number) => {
      progress.bytesDone += bytes;
      progress.filesDone += files;
      onProgress?.({ ...progress });
    };

    const finish = (path: string, value: string) => {
      const fileStat = stats.get(path) as FileIdentity;
      this.statCache.record(path, fileStat, type, value);
      results.set(path, { value, size: fileStat.size, cached: false });
    };

    if (type === CHUNKED_SHA256) {
      let batch: string[] = [];
      let batchBytes = 0;
      const flush = () => {
        if (batch.length === 0) return;
        const paths = batch;
        batch = [];
        batchBytes = 0;
        jobs.push(
          this.pool
            .run<string[]>({ kind: 'small-files', paths }, (p) => report(p.bytes, p.files))
            .then((values) => {
              paths.forEach((p, i) => {
                finish(p, values[i] as string);
              });
            }),
        );
      };
      for (const path of todo) {
        const size = (stats.get(path) as FileIdentity).size;
        const chunkSize = chunkSizeFor(size);
        // Stryker disable next-line BlockStatement: a one-chunk file hashed by chunks has the same value
        if (size <= chunkSize) {
          batch.push(path);
          // Stryker disable next-line AssignmentOperator: batch limits only bound message size; any split gives the same hashes
          batchBytes += size;
          // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: batch limits only bound message size; any split gives the same hashes
          if (batchBytes >= SMALL_FILE_BATCH_BYTES || batch.length >= SMALL_FILE_BATCH_COUNT) flush();
          continue;
        }
        jobs.push(this.hashLargeFile(path, size, chunkSize, report).then((value) => finish(path, value)));
      }
      flush();
    } else if (type === LEGACY_SHA256) {
      for (const path of todo) {
        jobs.push(
          this.pool
            .run<string>({ kind: 'sha256', path }, (p) => report(p.bytes, p.files))
            .then((v) => finish(path, v)),
        );
      }
    } else {
      for (const path of todo) jobs.push(hashInMainThread(path, type, report).then((v) => finish(path, v)));
    }
    const settled = await Promise.allSettled(jobs);
    const failure = settled.find((s) => s.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    return results;
  }

  /**
   * Hashes files the stat cache does not know (sha2-256-chunked): each is opened, identified (fstat) and, when it is
   * one chunk, read and hashed in one worker pass; larger ones are then hashed by chunks. Results and stat cache
   * entries are recorded as they come. Rejects with the first failed batch's error once every batch has settled.
   */
  private async identifyAndHash(
    paths: readonly string[],
    results: Map<string, FileHashResult>,
  ): Promise<void> {
    // Stryker disable next-line ArrayDeclaration: an extra non-promise entry settles fulfilled in allSettled
    const jobs: Promise<void>[] = [];
    for (let start = 0; start < paths.length; start += SMALL_FILE_BATCH_COUNT) {
      // Stryker disable next-line MethodExpression: a batch of every path records the same values again
      const batch = paths.slice(start, start + SMALL_FILE_BATCH_COUNT);
      const done = this.pool
        .run<HashFilesResult>({ kind: 'hash-files', paths: batch })
        .then(async ({ values, ids }) => {
          // Stryker disable next-line ArrayDeclaration: an extra non-promise entry settles fulfilled in allSettled
          const large: Promise<void>[] = [];
          // The first unreadable path of the batch; thrown once the large files already started have settled.
          let unreadable: Error | undefined;
          batch.forEach((path, i) => {
            if (unreadable) return;
            const identity = {
              size: ids[i * 3] as number,
              mtimeMs: ids[i * 3 + 1] as number,
              ino: ids[i * 3 + 2] as number,
            };
            if (Number.isNaN(identity.size)) {
              unreadable = unreadableFileError(path);
              return;
            }
            const record = (value: string) => {
              this.statCache.record(path, identity, CHUNKED_SHA256, value);
              results.set(path, { value, size: identity.size, cached: false });
            };
            const value = values[i];
            if (value !== null && value !== undefined) record(value);
            else
              large.push(
                this.hashLargeFile(path, identity.size, chunkSizeFor(identity.size), () => {}).then(record),
              );
          });
          const settled = await Promise.allSettled(large);
          if (unreadable) throw unreadable;
          const failure = settled.find((s) => s.status === 'rejected');
          if (failure) throw (failure as PromiseRejectedResult).reason;
        });
      jobs.push(done);
    }
    const settled = await Promise.allSettled(jobs);
    const failure = settled.find((s) => s.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
  }

  /**
   * (size, mtime, inode) of every path, as triples aligned with `paths`. This is the whole cost of re-hashing an
   * unchanged tree, so large lists are split across the workers (synchronous stat in each, answers in one transferred
   * Float64Array each).
   */
  private async statAll(paths: readonly string[]): Promise<Float64Array> {
    const fill = (triples: Float64Array, i: number, path: string) => {
      const fileStat = statRegularFile(path);
      triples[i * 3] = fileStat.size;
      triples[i * 3 + 1] = fileStat.mtimeMs;
      triples[i * 3 + 2] = fileStat.ino;
    };
    if (paths.length < PARALLEL_STAT_THRESHOLD) {
      const triples = new Float64Array(paths.length * 3);
      for (const [i, path] of paths.entries()) fill(triples, i, path);
      return triples;
    }
    const triples = await this.pool.statPaths(paths);
    // A NaN size marks a missing path or a non-file: let the main thread raise the precise error.
    for (let i = 0; i < paths.length; i++)
      if (Number.isNaN(triples[i * 3])) fill(triples, i, paths[i] as string);
    return triples;
  }

  private async hashLargeFile(
    path: string,
    size: number,
    chunkSize: number,
    report: (bytes: number, files: number) => void,
  ): Promise<string> {
    // Stryker disable next-line ArithmeticOperator: ranges past the end hash nothing; digests join in chunk order
    const chunks = Math.ceil(size / chunkSize);
    // A few ranges per worker keeps all workers busy to the end without flooding the queue.
    // Stryker disable next-line ArithmeticOperator,MethodExpression: chunks per task only spread the work; digests join in chunk order
    const chunksPerTask = Math.max(1, Math.ceil(chunks / (this.pool.size * 4)));
    const ranges: Promise<Uint8Array>[] = [];
    for (let first = 0; first < chunks; first += chunksPerTask) {
      const start = first * chunkSize;
      const end = Math.min(size, (first + chunksPerTask) * chunkSize);
      ranges.push(
        this.pool.run<Uint8Array>({ kind: 'chunks', path, start, end, chunkSize }, (p) => report(p.bytes, 0)),
      );
    }
    const digestRuns = await Promise.all(ranges);
    report(0, 1);
    const digests: Uint8Array[] = [];
    for (const run of digestRuns)
      for (let i = 0; i < run.length; i += 32) digests.push(run.subarray(i, i + 32));
    return combineChunkDigests(digests);
  }

  /**
   * Copies small files (each at most one chunk) into a local store on the worker threads, in batches: each file is
   * read once, hashed, and written to its target (created exclusively, never replacing an existing object) only when
   * its bytes hash to the item's value. Outcomes are aligned with `items`. Nothing is fsynced here: the caller makes the batch durable
   * at once (see local-object-copy.ts).
   *
   * Part of the local registry's copy protocol (push and install), not an API: durability is the caller's.
   *
   * @internal
   */
  copyFiles(
    items: readonly CopyItem[],
    onProgress?: (bytes: number, files: number) => void,
  ): Promise<CopyOutcome[]> {
    return this.inBatches(
      items,
      // Stryker disable next-line ArrowFunction: an item size only closes a batch early; answers are placed by index
      (i) => i.size,
      (batch) => ({ kind: 'copy-files', items: batch }),
      onProgress,
    );
  }

  /**
   * Reads each small file once, hashing it (`sha2-256-chunked`) while writing it: to its `temp` file (the first half
   * of a copy whose bytes wait for checks) or straight to its `target` (created exclusively, never replacing a file,
   * with the outcome). Files over `maxBytes` (at most one chunk) by now are left out (null). Hashes are recorded in the stat cache. Results are aligned with `items`.
   *
   * The first half of the local registry's copy protocol (see `copyFiles`).
   *
   * @internal
   */
  async stageFiles(
    items: readonly StageItem[],
    maxBytes: number,
    onProgress?: (bytes: number, files: number) => void,
  ): Promise<StageResult[]> {
    const limit = Math.min(maxBytes, MIN_CHUNK_SIZE);
    const results = await this.inBatches<StageItem, StageResult>(
      items,
      // Stryker disable next-line ArrowFunction: an item size only closes a batch early; answers are placed by index
      () => 0,
      (batch) => ({ kind: 'stage-files', items: batch, maxBytes: limit }),
      onProgress,
    );
    results.forEach((result, i) => {
      if (result) this.statCache.record((items[i] as StageItem).source, result, CHUNKED_SHA256, result.value);
    });
    return results;
  }

  /**
   * Links staged temp files to their final paths (never replacing one) and removes the temp names.
   *
   * The second half of the local registry's copy protocol (see `stageFiles`).
   *
   * @internal
   */
  linkFiles(items: readonly LinkItem[]): Promise<('created' | 'exists')[]> {
    return this.inBatches(
      items,
      // Stryker disable next-line ArrowFunction: an item size only closes a batch early; answers are placed by index
      () => 0,
      (batch) => ({ kind: 'link-files', items: batch }),
    );
  }

  /**
   * Runs `items` on the workers in batches of at most SMALL_FILE_BATCH_COUNT items or SMALL_FILE_BATCH_BYTES bytes
   * (by `size`): one message per batch instead of one per file. Answers are aligned with `items`; rejects with the
   * first failed batch's error once every batch has settled.
   */
  private async inBatches<I, O>(
    items: readonly I[],
    size: (item: I) => number,
    task: (batch: I[]) => HashTask,
    onProgress?: (bytes: number, files: number) => void,
  ): Promise<O[]> {
    // Stryker disable next-line ArrayDeclaration: answers are set by index
    const answers: O[] = new Array(items.length);
    // Stryker disable next-line ArrayDeclaration: an extra non-promise entry settles fulfilled in allSettled
    const jobs: Promise<void>[] = [];
    for (let start = 0; start < items.length; ) {
      let end = start;
      let bytes = 0;
      while (end < items.length && end - start < SMALL_FILE_BATCH_COUNT && bytes < SMALL_FILE_BATCH_BYTES)
        // Stryker disable next-line AssignmentOperator: batch limits only bound message size; answers are placed by index
        bytes += size(items[end++] as I);
      const first = start;
      jobs.push(
        this.pool
          .run<O[]>(task(items.slice(first, end)), (p) => onProgress?.(p.bytes, p.files))
          .then((batch) => {
            batch.forEach((answer, i) => {
              answers[first + i] = answer;
            });
          }),
      );
      start = end;
    }
    const settled = await Promise.allSettled(jobs);
    const failure = settled.find((s) => s.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    return answers;
  }

  /** Starts the worker threads now (see HashWorkerPool.warmUp), so their start-up overlaps the caller's own work. */
  warmUp(): void {
    this.pool.warmUp();
  }

  /** Stop the worker threads. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}

async function hashInMainThread(
  path: string,
  type: string,
  report: (bytes: number, files: number) => void,
): Promise<string> {
  const size = (await stat(path)).size;
  const value = await hashStream(
    // Stryker disable next-line ArithmeticOperator,ObjectLiteral: another read size, the same bytes
    createReadStream(path, { highWaterMark: 1024 * 1024 }),
    type,
    size,
    (bytes) => report(bytes, 0),
  );
  report(0, 1);
  return value;
}
