/**
 * `AsyncJob`: a server-side job (`job_...`) started by an async upload, an index, an export... `status()` polls
 * `GET job/{id}`, `errors()` reads `GET job/{id}/errors`, and `wait()` polls until a TERMINAL status: it resolves on
 * `Completed` and throws {@link JobError} on an error status. (The Python client's `sleep_until_complete` stops on
 * anything but `Running`, so a `Queued` job ends its wait; this one keeps polling.)
 */
import { AbortError, type RequestOptions } from '@mlclients/package-core';
import type { NucleusClient } from '../client.js';
import type { AsyncJob as AsyncJobJson, JobStatusResponse } from '../generated/index.js';
import { JobError } from './errors.js';

/** Statuses after which a job never changes. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'Completed',
  'Errored',
  'Errored_Server',
  'Errored_User',
  'Errored_Partial',
  'Errored_Hanging',
  'Cancelled',
]);

/** True for the error statuses (`Errored*`, `Cancelled`). */
export function isErrorStatus(status: string): boolean {
  return status.startsWith('Errored') || status === 'Cancelled';
}

/** Options of {@link AsyncJob.wait}. */
export interface WaitOptions {
  /** @default 5000 (the Python client's interval) */
  pollIntervalMs?: number;
  /** Give up after this long (ms), with a `JobError` of the last status. @default no limit */
  timeout?: number;
  signal?: AbortSignal;
  /** Called with every polled status. */
  onStatus?: (status: JobStatusResponse) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError('wait aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new AbortError('wait aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A server-side Nucleus job (`job_...`), as an async upload, an index or an export returns it: poll its `status()`,
 * read its `errors()`, or `wait()` for it to end.
 *
 * @example
 * ```ts
 * const job = await nu.datasets.appendAsync(datasetId, items);
 * await job.wait({ onStatus: (s) => console.log(s.status) });
 * ```
 */
export class AsyncJob {
  /** The job id (`job_...`). */
  readonly id: string;
  /** The kind of job, as the server names it. */
  readonly jobType: string | undefined;
  /** When the server created it (ISO 8601). */
  readonly creationTime: string | undefined;
  /** The status last seen (from creation or the last poll). */
  lastKnownStatus: string;
  readonly #client: NucleusClient;

  /**
   * Creates an `AsyncJob`.
   *
   * @param client The client the job's polls go through.
   * @param json The job as the server returned it (at least `job_id`).
   */
  constructor(client: NucleusClient, json: Pick<AsyncJobJson, 'job_id'> & Partial<AsyncJobJson>) {
    this.#client = client;
    this.id = json.job_id;
    this.jobType = json.job_type ?? undefined;
    this.creationTime = json.job_creation_time ?? undefined;
    this.lastKnownStatus = json.job_last_known_status ?? 'Queued';
  }

  /** Poll the job once (`GET job/{id}`). */
  async status(options?: RequestOptions): Promise<JobStatusResponse> {
    const s = await this.#client.jobs.status(this.id, undefined, options);
    if (typeof s.status === 'string') this.lastKnownStatus = s.status;
    return s;
  }

  /** The job's latest errors (up to 10,000; each often a JSON string). */
  async errors(options?: RequestOptions): Promise<string[]> {
    return (await this.#client.jobs.errors(this.id, undefined, options)) as string[];
  }

  /** Poll until a terminal status; resolves with the final status on `Completed`, throws `JobError` otherwise. */
  async wait(options: WaitOptions = {}): Promise<JobStatusResponse> {
    const interval = options.pollIntervalMs ?? 5000;
    if (!(Number.isFinite(interval) && interval >= 0))
      throw new RangeError(`pollIntervalMs: expected ms >= 0, got ${interval}`);
    const deadline = options.timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeout;
    for (;;) {
      const s = await this.status(options.signal ? { signal: options.signal } : undefined);
      options.onStatus?.(s);
      const status = String(s.status);
      if (TERMINAL_STATUSES.has(status)) {
        if (isErrorStatus(status)) throw new JobError(this.id, status, s.message);
        return s;
      }
      if (Date.now() + interval > deadline)
        throw new JobError(this.id, status, `still ${status} after ${options.timeout} ms (wait timeout)`);
      await sleep(interval, options.signal);
    }
  }

  /** The job in the server's JSON shape (`job_id`, `job_last_known_status`...). */
  toJSON(): AsyncJobJson {
    return {
      job_id: this.id,
      job_last_known_status: this.lastKnownStatus,
      job_type: this.jobType,
      job_creation_time: this.creationTime,
    } as AsyncJobJson;
  }
}
