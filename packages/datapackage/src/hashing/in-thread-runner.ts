/**
 * The hashing workers' own code (HASH_WORKER_SOURCE), run on the calling thread: for a process that has nothing else
 * for that thread to do while its workers are busy (the `datapkg` CLI), so that a small-file push, install or hash
 * uses every core instead of leaving the main thread waiting (see HashWorkerPool's `helpOnMainThread`). The same code
 * as the workers', not a second implementation: it is evaluated with a stand-in for `worker_threads.parentPort` that
 * hands its messages straight back. A task blocks the thread while it runs (one batch of files), which only a process
 * with no other work can afford; libraries leave this off.
 */
import { createRequire } from 'node:module';
import { HASH_WORKER_SOURCE } from './hash-worker-source.js';

/** What the worker code posts: a progress report or the answer (result or error) of a task. */
export interface WorkerMessage {
  id: number;
  progress?: number;
  files?: number;
  result?: unknown;
  error?: { message: string; code?: string };
}

export class InThreadRunner {
  /** The worker code's message handler: runs a task and posts its progress and answer. */
  readonly #onTask: (task: unknown) => void;
  /** Where the messages of the task running now go (set by run). */
  #deliver: (message: WorkerMessage) => void = () => undefined;

  constructor() {
    let onTask: ((task: unknown) => void) | undefined;
    const port = {
      on: (_event: 'message', handler: (task: unknown) => void) => {
        onTask = handler;
      },
      // The transfer list a worker passes does not apply: nothing crosses a thread.
      postMessage: (message: WorkerMessage) => this.#deliver(message),
    };
    const nodeRequire = createRequire(import.meta.url);
    const workerRequire = (name: string): unknown =>
      name === 'node:worker_threads' ? { parentPort: port } : nodeRequire(name);
    // The worker's code is this package's own constant (no input reaches it), evaluated once per runner; it
    // registers its handler as it starts.
    new Function('require', HASH_WORKER_SOURCE)(workerRequire);
    this.#onTask = onTask as (task: unknown) => void;
  }

  /** Runs one task now, on this thread; its progress and answer go to `deliver` before this returns. */
  run(task: { id: number }, deliver: (message: WorkerMessage) => void): void {
    this.#deliver = deliver;
    this.#onTask(task);
  }
}
