/**
 * A small pool of hashing worker threads. Workers are ref'd only while they have work, so an idle pool never keeps
 * the process alive; `close()` terminates them. Each worker is sent up to two tasks at once: the second waits in its
 * message queue and starts the moment the first ends, instead of when the main thread (busy with the first's answer)
 * gets round to sending it.
 *
 * Per-file tasks (every kind but the hashing of a large file's chunks) run on at most one worker fewer than there
 * are cores: the main thread works through their answers file by file, so it needs a core of its own. On 2 cores a
 * second worker made a 10,000-file push, install or hash no faster and cost 15-20 % more CPU (measured); a large
 * file's chunks, with the main thread idle, still go to every worker.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HASH_WORKER_SOURCE } from './hash-worker-source.js';
import { InThreadRunner, type WorkerMessage } from './in-thread-runner.js';
import { workerStartData } from './young-generation.js';

export type HashTask =
  | { kind: 'chunks'; path: string; start: number; end: number; chunkSize: number }
  | { kind: 'small-files'; paths: string[] }
  | { kind: 'hash-files'; paths: string[] }
  | { kind: 'sha256'; path: string }
  | { kind: 'stat'; paths: string[] }
  | { kind: 'copy-files'; items: CopyItem[] }
  | { kind: 'stage-files'; items: StageItem[]; maxBytes: number }
  | { kind: 'link-files'; items: LinkItem[] };

/**
 * A small file to read once, hash (sha2-256-chunked) and write: to a temp file (`temp`: linked to its key later,
 * once checks have passed) or straight to its final path (`target`: created exclusively, never replacing a file).
 */
export type StageItem = { source: string } & (
  | { /** A fresh temp path in the folder of the object's final path. */ temp: string; target?: undefined }
  | { /** The final path. */ target: string; temp?: undefined }
);

/**
 * What staging found: the hash and identity of the bytes written, or null (left out: too large now); for an item
 * with a target, whether it was created or a file was there already (left alone).
 */
export type StageResult = {
  value: string;
  size: number;
  mtimeMs: number;
  ino: number;
  outcome?: 'created' | 'exists';
} | null;

/** A staged temp file and the final path it is linked to (never replacing an existing file). */
export interface LinkItem {
  temp: string;
  target: string;
}

/** One small file to copy into a local store: read once, hashed, written only if it matches. */
export interface CopyItem {
  source: string;
  /** The object's final path: created exclusively ('exists' if a file is there), never replaced. */
  target: string;
  /** What the manifest says: size, hash type (sha2-256-chunked or SHA256) and value. */
  size: number;
  type: string;
  value: string;
}

/** What became of a {@link CopyItem}: written, already there (left alone), or not the manifest's bytes. */
export type CopyOutcome =
  /** Written; `mtimeMs` and `ino` are the new file's (a copy's; a push's staged object is not stat'ed). */
  | { outcome: 'created'; mtimeMs?: number; ino?: number }
  | { outcome: 'exists' }
  | { outcome: 'mismatch'; actual: string; size: number };

/**
 * What a `hash-files` task found, aligned with its paths: the sha2-256-chunked value (null for a file larger than one
 * chunk, or one that could not be read) and (size, mtimeMs, ino) triples, NaN size for a path that is not a readable
 * regular file.
 */
export interface HashFilesResult {
  values: (string | null)[];
  ids: Float64Array;
}

export interface TaskProgress {
  bytes: number;
  files: number;
}

interface Pending {
  task: HashTask & { id: number };
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress: ((progress: TaskProgress) => void) | undefined;
}

/** Default worker count: every core, capped at 4 (beyond that the disk, not SHA-256, is the limit). */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/** Workers a pool of `size` gives per-file tasks: a core is left to the main thread (see the file comment). */
export function perFileWorkerCount(size: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(size, cores - 1));
}

/**
 * Whether the main thread handles a task kind's answers file by file (all but a large file's chunks and SHA256). A
 * record, so a new kind does not compile until it is placed.
 */
const PER_FILE_KINDS: Readonly<Record<HashTask['kind'], boolean>> = {
  'small-files': true,
  'hash-files': true,
  stat: true,
  'copy-files': true,
  'stage-files': true,
  'link-files': true,
  chunks: false,
  sha256: false,
};

/** Tasks sent to one worker before it answers the first (see the file comment). */
const MAX_POSTED_PER_WORKER = 2;

/** Workers started before any pool needed them (prestartHashWorkers), taken by the next pool that spawns one. */
const spareWorkers: Worker[] = [];

/**
 * Starts hashing workers before any pool exists, for a caller that knows hashing follows (the CLI's push, before it
 * lists the folder): their start-up (tens of ms each) then overlaps that work. Spares are unref'd, so unused ones
 * never keep the process alive.
 */
export function prestartHashWorkers(count = perFileWorkerCount(defaultWorkerCount())): void {
  while (spareWorkers.length < count) keepAsSpare(startWorker());
}

/** A new hashing worker (see young-generation.ts for what its start resets, and how that is undone). */
function startWorker(): Worker {
  return new Worker(HASH_WORKER_SOURCE, { eval: true, workerData: workerStartData() });
}

/** Whether pools run per-file tasks on the main thread too when their workers are full (helpOnMainThread). */
let mainThreadHelps = false;

/**
 * For a process whose main thread has nothing else to do while its hashing workers are busy (the `datapkg` CLI): from
 * now on, a per-file task that finds every per-file worker full runs on the main thread (the workers' own code, see
 * in-thread-runner.ts), one batch at a time between the event loop's other work. On 2 cores the main thread waited
 * for the one per-file worker for most of a 10,000-file push or install. A library's caller keeps its event loop.
 */
export function helpOnMainThread(): void {
  mainThreadHelps = true;
}

/** Takes an idle worker back as a spare: the next pool (or borrower) gets it without a new start-up. */
function keepAsSpare(worker: Worker): void {
  worker.removeAllListeners('message');
  worker.removeAllListeners('error');
  worker.unref();
  worker.once('error', () => {
    const index = spareWorkers.indexOf(worker);
    if (index !== -1) spareWorkers.splice(index, 1);
  });
  spareWorkers.push(worker);
}

/**
 * Passes a worker's message on to its task: progress reported (false), or the task settled (true). A progress
 * callback that throws rejects the task with its error (the worker's answer then changes nothing) instead of escaping
 * the worker's message handler as an uncaught exception.
 */
function settleOrReport(pending: Pending, message: WorkerMessage): boolean {
  if (message.progress !== undefined) {
    try {
      pending.onProgress?.({ bytes: message.progress, files: message.files ?? 0 });
    } catch (error) {
      pending.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return false;
  }
  if (message.error) {
    pending.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
  } else {
    pending.resolve(message.result);
  }
  return true;
}

export class HashWorkerPool {
  readonly size: number;
  /** How many of the workers take per-file tasks (see the file comment). */
  readonly perFileSize: number;
  /** A pool of borrowed spares (borrowSpares): close() hands its idle workers back instead of stopping them. */
  private lendsBack = false;
  private readonly all: Worker[] = [];
  private readonly queue: Pending[] = [];
  /** The tasks sent to each worker and not answered yet, oldest (the one it is running) first. */
  private readonly posted = new Map<Worker, Pending[]>();
  private nextId = 1;
  private closed = false;
  /** The main thread's share of per-file tasks (helpOnMainThread): made on first use, one task per macrotask. */
  private inThread: InThreadRunner | undefined;
  private inThreadScheduled = false;

  /**
   * @param size workers; default: every core, at most 4 (defaultWorkerCount)
   * @param perFileSize workers for per-file tasks; default: with the default size, one fewer than the cores (at least
   * 1); with a size given, all of them (a size chosen by the caller is taken as it is)
   */
  constructor(size?: number, perFileSize?: number) {
    this.size = Math.max(1, Math.floor(size ?? defaultWorkerCount()));
    const perFileDefault = size === undefined ? perFileWorkerCount(this.size) : this.size;
    this.perFileSize = Math.max(1, Math.min(this.size, Math.floor(perFileSize ?? perFileDefault)));
  }

  /**
   * A pool made of the workers prestartHashWorkers started, if any (else undefined), for a short job before the
   * real pool exists (the CLI's push stats the folder on them): close() gives them back as spares, so the pool
   * that follows takes them already started.
   */
  static borrowSpares(): HashWorkerPool | undefined {
    if (spareWorkers.length === 0) return undefined;
    const pool = new HashWorkerPool(spareWorkers.length);
    pool.lendsBack = true;
    return pool;
  }

  /**
   * (size, mtimeMs, ino) of every path (following links), as triples in one Float64Array aligned with `paths`; NaN
   * size for a missing path or anything but a regular file (the caller raises the precise error). The paths are
   * split across the workers, each answering with one transferred array: the main thread parses no Stats.
   */
  async statPaths(paths: readonly string[]): Promise<Float64Array> {
    const share = Math.ceil(paths.length / this.perFileSize);
    const starts: number[] = [];
    for (let i = 0; i < paths.length; i += share) starts.push(i);
    const answers = await Promise.all(
      starts.map((start) =>
        this.run<Float64Array>({ kind: 'stat', paths: paths.slice(start, start + share) }),
      ),
    );
    const triples = new Float64Array(paths.length * 3);
    starts.forEach((start, k) => {
      triples.set(answers[k] as Float64Array, start * 3);
    });
    return triples;
  }

  run<T>(task: HashTask, onProgress?: (progress: TaskProgress) => void): Promise<T> {
    if (this.closed) return Promise.reject(new Error('hash worker pool is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        task: { ...task, id: this.nextId++ },
        resolve: resolve as (value: unknown) => void,
        reject,
        onProgress,
      });
      this.dispatch();
    });
  }

  /**
   * Starts the workers now rather than on the first task, so that their start-up (tens of ms each) overlaps what the
   * caller does before it has work for them. Idle workers are unref'd: a warm pool never keeps the process alive.
   */
  warmUp(count = this.perFileSize): void {
    while (!this.closed && this.all.length < Math.min(count, this.size)) this.spawn();
  }

  private spawn(): Worker {
    const worker = spareWorkers.shift() ?? startWorker();
    const posted: Pending[] = [];
    worker.on('message', (message: WorkerMessage) => {
      const pending = posted[0];
      if (!pending || pending.task.id !== message.id) return;
      if (settleOrReport(pending, message)) {
        posted.shift();
        if (posted.length === 0) worker.unref();
        this.dispatch();
      }
    });
    worker.on('error', (error) => {
      this.posted.delete(worker);
      this.all.splice(this.all.indexOf(worker), 1);
      for (const pending of posted.splice(0)) pending.reject(error);
      this.dispatch();
    });
    worker.unref();
    this.all.push(worker);
    this.posted.set(worker, posted);
    return worker;
  }

  /**
   * Among the first `limit` workers: an idle one, else a new one (below the limit), else the least busy with room for
   * a second task.
   */
  private pickWorker(limit: number): Worker | undefined {
    let choice: Worker | undefined;
    let fewest = MAX_POSTED_PER_WORKER;
    const eligible = Math.min(limit, this.all.length);
    for (let i = 0; i < eligible; i++) {
      const worker = this.all[i] as Worker;
      const count = (this.posted.get(worker) as Pending[]).length;
      if (count === 0) return worker;
      if (count < fewest) {
        choice = worker;
        fewest = count;
      }
    }
    if (this.all.length < limit) return this.spawn();
    return choice;
  }

  /**
   * Sends queued tasks, oldest first, to workers with room. A per-file task that finds none does not hold back a
   * large file's chunks queued after it (they may go to the workers per-file tasks do not use); tasks of one class
   * keep their order.
   */
  private dispatch(): void {
    let perFileBlocked = false;
    for (let i = 0; i < this.queue.length; ) {
      const pending = this.queue[i] as Pending;
      const perFile = PER_FILE_KINDS[pending.task.kind];
      const worker =
        perFile && perFileBlocked ? undefined : this.pickWorker(perFile ? this.perFileSize : this.size);
      if (!worker) {
        if (!perFile) break; // no room for a chunk: no room for anything
        perFileBlocked = true;
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      const posted = this.posted.get(worker) as Pending[];
      posted.push(pending);
      if (posted.length === 1) worker.ref();
      worker.postMessage(pending.task);
    }
    if (perFileBlocked && mainThreadHelps && !this.inThreadScheduled) {
      this.inThreadScheduled = true;
      setImmediate(() => this.runOneInThread());
    }
  }

  /** Runs the oldest waiting per-file task on this thread (helpOnMainThread), then sends what can go to workers. */
  private runOneInThread(): void {
    this.inThreadScheduled = false;
    // A closed pool has rejected its queue: nothing is left to take.
    const index = this.queue.findIndex((pending) => PER_FILE_KINDS[pending.task.kind]);
    if (index === -1) return;
    const [pending] = this.queue.splice(index, 1) as [Pending];
    this.inThread ??= new InThreadRunner();
    this.inThread.run(pending.task, (message) => {
      settleOrReport(pending, message);
    });
    this.dispatch();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('hash worker pool closed'));
    // A terminated worker sends nothing more: its tasks would otherwise never settle.
    const workers = this.all.splice(0);
    const spares: Worker[] = [];
    const stopping: Worker[] = [];
    for (const worker of workers) {
      const posted = (this.posted.get(worker) as Pending[]).splice(0);
      for (const pending of posted) pending.reject(new Error('hash worker pool closed'));
      (this.lendsBack && posted.length === 0 ? spares : stopping).push(worker);
    }
    this.posted.clear();
    for (const worker of spares) keepAsSpare(worker);
    await Promise.all(stopping.map((worker) => worker.terminate()));
  }
}
