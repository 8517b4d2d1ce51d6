/**
 * One interface for the ways spacer jobs run: `BatchQueue` (AWS Batch, as CoralNet runs them) and `LocalQueue`
 * (a local worker process or handler). Submit a JobMsg; `collect()` yields the jobs that finished since the last
 * call; `cancel()` stops one.
 */
import type { JobMsg, JobReturnMsg } from '../messages/job-messages.js';

/** How a job ended: it ran (SUCCEEDED), its worker failed (FAILED), it was lost (DROPPED) or cancelled. */
export type FinishedStatus = 'SUCCEEDED' | 'FAILED' | 'DROPPED' | 'CANCELLED';

/** A job `collect()` reports as finished. */
export interface FinishedJob {
  /** The id given at submit (or made there). */
  id: string;
  status: FinishedStatus;
  /** The worker's JobReturnMsg (SUCCEEDED only). It may still say `ok: false`: a task failed inside spacer. */
  result?: JobReturnMsg;
  /** Why the job did not succeed (FAILED, DROPPED, CANCELLED). */
  error?: string;
}

/** Options of `submit`. */
export interface SubmitOptions {
  /** Letters, digits, '-' and '_' (it names blobs and the Batch job). @default a random UUID */
  id?: string;
}

/** A queue of spacer jobs: submit, collect the finished ones, cancel. */
export interface JobQueue {
  /** Submit one job; resolves once it is queued. */
  submit(job: JobMsg, options?: SubmitOptions): Promise<{ id: string }>;
  /** One pass: the jobs that finished, each once. Do not run two passes of one queue at the same time. */
  collect(): AsyncIterable<FinishedJob>;
  /** Stop a job; it is then collected as CANCELLED. */
  cancel(id: string, reason?: string): Promise<void>;
  /** Jobs submitted and not yet collected. */
  readonly pendingCount: number;
}

const ID = /^[A-Za-z0-9_-]{1,100}$/;

/** The id, if it is 1-100 letters, digits, '-' or '_' (it names blobs and the Batch job). @throws TypeError otherwise. */
export function checkJobId(id: string): string {
  if (!ID.test(id))
    throw new TypeError(`job id ${JSON.stringify(id)}: use 1-100 letters, digits, '-' or '_'`);
  return id;
}

/** Calls `collect()` every `intervalMs` until no job is pending, yielding each finished job. */
export async function* collectAll(
  queue: JobQueue,
  options: { intervalMs?: number; signal?: AbortSignal } = {},
): AsyncIterable<FinishedJob> {
  const interval = options.intervalMs ?? 5000;
  for (;;) {
    options.signal?.throwIfAborted();
    yield* queue.collect();
    if (queue.pendingCount === 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, interval);
      options.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(options.signal?.reason);
        },
        { once: true },
      );
    });
  }
}
