/**
 * Runs spacer jobs on this machine, as CoralNet's `LocalQueue` does for development: the JobMsg is stored at
 * `<root>/<id>_job_msg.json`, a worker runs with `JOB_MSG_LOC` and `RES_MSG_LOC` in its environment (by default the
 * command `python3 -m spacer.mailman env_job`, or a JS handler), and `collect()` reads the result file, deletes it,
 * and reports the job. A worker that exits non-zero or writes no result is FAILED, with the end of its stderr.
 *
 * Note: spacer's `env_job` writes its result with S3 `put_object` whatever the location's storage type, so with the
 * real Python worker `root` must be an s3 location; a handler may write anywhere `SpacerStorage` can.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { codecs } from '../codec/codecs.js';
import { type DataLocation, dataLocation } from '../messages/data-location.js';
import type { JobMsg } from '../messages/job-messages.js';
import { loadMsg, type SpacerStorage, storeMsg } from '../storage/spacer-storage.js';
import { checkJobId, type FinishedJob, type JobQueue, type SubmitOptions } from './job-queue.js';

/** CoralNet's AWS Batch job definition runs spacer's mailman like this. */
export const DEFAULT_WORKER_COMMAND: readonly string[] = ['python3', '-m', 'spacer.mailman', 'env_job'];
const STDERR_TAIL = 4000;

/** A JS worker: runs the job named by `JOB_MSG_LOC` and writes its result at `RES_MSG_LOC`. */
export type WorkerHandler = (
  env: { JOB_MSG_LOC: string; RES_MSG_LOC: string },
  signal: AbortSignal,
) => Promise<unknown>;

/** Options of {@link LocalQueue}. */
export interface LocalQueueOptions {
  storage: SpacerStorage;
  /** Where messages go: a folder (filesystem), or a key prefix (s3 with bucket_name, memory). */
  root: DataLocation;
  /** The worker command. @default DEFAULT_WORKER_COMMAND */
  command?: readonly string[];
  /** A JS worker instead of a command (e.g. the fake worker's `runEnvJob`). */
  handler?: WorkerHandler;
  /** Environment of the command on top of JOB_MSG_LOC/RES_MSG_LOC. @default process.env */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Jobs run at once. @default 1 */
  concurrency?: number;
}

interface LocalJob {
  id: string;
  controller: AbortController;
  done: boolean;
  failure?: string;
  cancelled?: string;
}

/**
 * Runs spacer jobs on this machine (a worker command, by default spacer's mailman, or a JS handler), as CoralNet's
 * `LocalQueue` does for development; `collect()` reports each job when its result file exists or its worker failed.
 */
export class LocalQueue implements JobQueue {
  readonly #options: LocalQueueOptions;
  readonly #jobs = new Map<string, LocalJob>();
  readonly #limit: ReturnType<typeof pLimit>;

  /**
   * Creates a `LocalQueue`.
   *
   * @param options The storage and root folder of the messages, and the worker (command or handler).
   */
  constructor(options: LocalQueueOptions) {
    this.#options = options;
    this.#limit = pLimit(options.concurrency ?? 1);
  }

  get pendingCount(): number {
    return this.#jobs.size;
  }

  #location(name: string): DataLocation {
    const root = this.#options.root;
    const key =
      root.storage_type === 'filesystem'
        ? join(root.key, name)
        : `${root.key.replace(/\/+$/, '')}/${name}`.replace(/^\//, '');
    return dataLocation(root.storage_type, key, root.bucket_name);
  }

  /** Where the JobMsg of job `id` is stored. */
  jobLocation(id: string): DataLocation {
    return this.#location(`${id}_job_msg.json`);
  }

  /** Where the worker writes the JobReturnMsg of job `id`. */
  resultLocation(id: string): DataLocation {
    return this.#location(`${id}_job_res.json`);
  }

  /** Store the JobMsg and start a worker for it (at most `concurrency` at once). */
  async submit(job: JobMsg, options: SubmitOptions = {}): Promise<{ id: string }> {
    const id = checkJobId(options.id ?? randomUUID());
    if (this.#jobs.has(id)) throw new TypeError(`job id ${id} is already pending`);
    await storeMsg(this.#options.storage, codecs.JobMsg, job, this.jobLocation(id));
    const entry: LocalJob = { id, controller: new AbortController(), done: false };
    this.#jobs.set(id, entry);
    const env = {
      JOB_MSG_LOC: codecs.DataLocation.encode(this.jobLocation(id)),
      RES_MSG_LOC: codecs.DataLocation.encode(this.resultLocation(id)),
    };
    void this.#limit(async () => {
      if (entry.controller.signal.aborted) return;
      try {
        entry.failure = this.#options.handler
          ? await this.#options.handler(env, entry.controller.signal).then(() => undefined)
          : await this.#runCommand(env, entry.controller.signal);
      } catch (error) {
        entry.failure = `worker failed: ${(error as Error).message}`;
      } finally {
        entry.done = true;
      }
    });
    return { id };
  }

  /** Resolves to a failure description, or undefined on exit code 0. */
  #runCommand(env: Record<string, string>, signal: AbortSignal): Promise<string | undefined> {
    const [program, ...args] = this.#options.command ?? DEFAULT_WORKER_COMMAND;
    if (!program) return Promise.resolve('empty worker command');
    return new Promise((resolve) => {
      let stderr = '';
      let child: ChildProcess;
      try {
        child = spawn(program, args, {
          env: { ...(this.#options.env ?? process.env), ...env },
          cwd: this.#options.cwd,
          stdio: ['ignore', 'ignore', 'pipe'],
          signal,
        });
      } catch (error) {
        resolve(`could not start ${program}: ${(error as Error).message}`);
        return;
      }
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
      });
      child.on('error', (error) => resolve(`could not run ${program}: ${error.message}`));
      child.on('close', (code, killedBy) => {
        if (code === 0) resolve(undefined);
        else
          resolve(
            `worker exited with ${killedBy ? `signal ${killedBy}` : `code ${code}`}${stderr ? `: ${stderr.trim()}` : ''}`,
          );
      });
    });
  }

  /** Stop the job's worker; `collect` then reports it CANCELLED. */
  async cancel(id: string, reason = 'Cancelled by the submitter'): Promise<void> {
    const entry = this.#jobs.get(id);
    if (!entry) return;
    entry.cancelled = reason;
    entry.controller.abort(new Error(reason));
  }

  async *collect(): AsyncIterable<FinishedJob> {
    for (const entry of [...this.#jobs.values()]) {
      if (entry.cancelled !== undefined) {
        this.#jobs.delete(entry.id);
        yield { id: entry.id, status: 'CANCELLED', error: entry.cancelled };
        continue;
      }
      if (!entry.done) continue;
      this.#jobs.delete(entry.id);
      const resultLoc = this.resultLocation(entry.id);
      if (entry.failure) {
        yield { id: entry.id, status: 'FAILED', error: entry.failure };
        continue;
      }
      try {
        const result = await loadMsg(this.#options.storage, codecs.JobReturnMsg, resultLoc);
        await this.#options.storage.delete(resultLoc);
        yield { id: entry.id, status: 'SUCCEEDED', result };
      } catch (error) {
        yield {
          id: entry.id,
          status: 'FAILED',
          error: `job ${entry.id}: the worker finished without a readable result (${(error as Error).message})`,
        };
      }
    }
  }
}
