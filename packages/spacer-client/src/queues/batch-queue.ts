/**
 * AWS Batch, as CoralNet's `BatchQueue` (project/vision_backend/queues.py) runs spacer: the JobMsg is stored at
 * `batch_jobs/<id>_job_msg.json` in a bucket, `SubmitJob` gets `JOB_MSG_LOC` and `RES_MSG_LOC` (JSON DataLocations)
 * in the container environment, and collection calls `DescribeJobs` with at most 100 ids per call. A job that got no
 * Batch id (SubmitJob failed) is DROPPED after 30 minutes; a job Batch no longer knows is DROPPED; a SUCCEEDED job
 * whose result file cannot be read is FAILED; otherwise the JobReturnMsg is read and decoded.
 *
 * `@aws-sdk/client-batch` is an optional peer dependency: pass a `BatchClient`; the command classes are imported
 * on first use.
 */
import { randomUUID } from 'node:crypto';
import type { DescribeJobsCommandOutput, SubmitJobCommandOutput } from '@aws-sdk/client-batch';
import pLimit from 'p-limit';
import { codecs } from '../codec/codecs.js';
import { type DataLocation, dataLocation } from '../messages/data-location.js';
import type { JobMsg } from '../messages/job-messages.js';
import { loadMsg, type SpacerStorage, storeMsg } from '../storage/spacer-storage.js';
import { checkJobId, type FinishedJob, type JobQueue, type SubmitOptions } from './job-queue.js';

type BatchModule = typeof import('@aws-sdk/client-batch');
let batchModule: Promise<BatchModule> | undefined;
function loadBatchModule(): Promise<BatchModule> {
  batchModule ??= import('@aws-sdk/client-batch').catch((error: unknown) => {
    batchModule = undefined;
    throw new Error('BatchQueue needs @aws-sdk/client-batch: npm install @aws-sdk/client-batch', {
      cause: error,
    });
  });
  return batchModule;
}

/**
 * What the queue needs of a `BatchClient` from `@aws-sdk/client-batch` (structural, so these declarations do not
 * require the SDK).
 */
export interface BatchClientLike {
  /** Send one command (`SubmitJobCommand`, `DescribeJobsCommand`...). */
  send(command: object): Promise<unknown>;
}

/** Options of {@link BatchQueue}. */
export interface BatchQueueOptions {
  /** A `BatchClient` from `@aws-sdk/client-batch`. */
  batch: BatchClientLike;
  jobQueue: string;
  /** @default 'spacer-job' (spacer's example scripts) */
  jobDefinition?: string;
  storage: SpacerStorage;
  /** The bucket of the job and result messages (spacer's `env_job` always writes its result with S3 put_object). */
  bucket: string;
  /** @default 'batch_jobs/' */
  prefix?: string;
  /** A job without a Batch id is DROPPED after this long. @default 30 minutes */
  dropAfterMs?: number;
  /** @default 100, DescribeJobs' limit */
  describeBatchSize?: number;
  /** Clock (ms since epoch), for tests. @default Date.now */
  now?: () => number;
  /** Jobs of an earlier run (from `records()`), to keep collecting them. */
  restore?: readonly BatchJobRecord[];
}

/** What the queue remembers of a job; persist `records()` to collect after a restart. */
export interface BatchJobRecord {
  id: string;
  /** Batch's jobId; absent when SubmitJob failed. */
  batchJobId?: string;
  createdAt: number;
  /** The last Batch status seen ('NOT SUBMITTED' before there is a Batch id). */
  status: string;
  cancelled?: string;
}

/** SubmitJob failed: the JobMsg is stored, the job stays pending without a Batch id (`collect` drops it later). */
export class BatchSubmitError extends Error {
  override readonly name = 'BatchSubmitError';
}

/**
 * A spacer job queue on AWS Batch, as CoralNet runs it: `submit` stores the JobMsg and calls SubmitJob, `collect`
 * reports finished jobs with their decoded JobReturnMsg.
 *
 * @example
 * ```ts
 * const queue = new BatchQueue({ batch: new BatchClient({ region }), jobQueue: 'spacer-queue', storage, bucket });
 * await queue.submit(jobMsg, { id: 'extract-1' });
 * for await (const job of collectAll(queue, { intervalMs: 30_000 })) console.log(job.id, job.status, job.result?.ok);
 * ```
 */
export class BatchQueue implements JobQueue {
  readonly #options: Required<Omit<BatchQueueOptions, 'restore'>>;
  readonly #jobs = new Map<string, BatchJobRecord>();
  readonly #readLimit = pLimit(16);

  /**
   * Creates a `BatchQueue`.
   *
   * @param options The Batch client and queue, the storage and bucket for job messages, and jobs to restore.
   */
  constructor(options: BatchQueueOptions) {
    this.#options = {
      jobDefinition: 'spacer-job',
      prefix: 'batch_jobs/',
      dropAfterMs: 30 * 60 * 1000,
      describeBatchSize: 100,
      now: Date.now,
      ...options,
    };
    if (this.#options.describeBatchSize < 1 || this.#options.describeBatchSize > 100) {
      throw new RangeError(
        'describeBatchSize must be between 1 and 100 (DescribeJobs takes at most 100 ids)',
      );
    }
    for (const record of options.restore ?? []) this.#jobs.set(record.id, { ...record });
  }

  get pendingCount(): number {
    return this.#jobs.size;
  }

  /** A copy of every pending job's record (to persist, and pass back as `restore` after a restart). */
  records(): BatchJobRecord[] {
    return [...this.#jobs.values()].map((r) => ({ ...r }));
  }

  /** Where the JobMsg of job `id` is stored. */
  jobLocation(id: string): DataLocation {
    return dataLocation('s3', `${this.#options.prefix}${id}_job_msg.json`, this.#options.bucket);
  }

  /** Where the worker writes the JobReturnMsg of job `id`. */
  resultLocation(id: string): DataLocation {
    return dataLocation('s3', `${this.#options.prefix}${id}_job_res.json`, this.#options.bucket);
  }

  /** Store the JobMsg, then submit a Batch job that runs it. @throws {@link BatchSubmitError} when SubmitJob fails. */
  async submit(job: JobMsg, options: SubmitOptions = {}): Promise<{ id: string; batchJobId: string }> {
    const id = checkJobId(options.id ?? randomUUID());
    if (this.#jobs.has(id)) throw new TypeError(`job id ${id} is already pending`);
    const jobLoc = this.jobLocation(id);
    await storeMsg(this.#options.storage, codecs.JobMsg, job, jobLoc);
    const record: BatchJobRecord = { id, createdAt: this.#options.now(), status: 'NOT SUBMITTED' };
    this.#jobs.set(id, record);
    const { SubmitJobCommand } = await loadBatchModule();
    try {
      const response = (await this.#options.batch.send(
        new SubmitJobCommand({
          jobName: `spacer_${id}`.slice(0, 128),
          jobQueue: this.#options.jobQueue,
          jobDefinition: this.#options.jobDefinition,
          containerOverrides: {
            environment: [
              { name: 'JOB_MSG_LOC', value: codecs.DataLocation.encode(jobLoc) },
              { name: 'RES_MSG_LOC', value: codecs.DataLocation.encode(this.resultLocation(id)) },
            ],
          },
        }),
      )) as SubmitJobCommandOutput;
      if (!response.jobId) throw new Error('SubmitJob returned no jobId');
      record.batchJobId = response.jobId;
      record.status = 'SUBMITTED';
      return { id, batchJobId: response.jobId };
    } catch (error) {
      // Kept without a Batch id: collect() reports it DROPPED after dropAfterMs, as CoralNet does.
      throw new BatchSubmitError(`job ${id}: SubmitJob failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Terminate the job's Batch job; `collect` then reports it CANCELLED. */
  async cancel(id: string, reason = 'Cancelled by the submitter'): Promise<void> {
    const record = this.#jobs.get(id);
    if (!record) return;
    if (record.batchJobId) {
      const { TerminateJobCommand } = await loadBatchModule();
      await this.#options.batch.send(new TerminateJobCommand({ jobId: record.batchJobId, reason }));
    }
    record.cancelled = reason;
  }

  async *collect(): AsyncIterable<FinishedJob> {
    const now = this.#options.now();
    const finish = (record: BatchJobRecord, job: Omit<FinishedJob, 'id'>): FinishedJob => {
      this.#jobs.delete(record.id);
      return { id: record.id, ...job };
    };
    const withIds: BatchJobRecord[] = [];
    for (const record of [...this.#jobs.values()]) {
      if (record.cancelled !== undefined) {
        yield finish(record, { status: 'CANCELLED', error: record.cancelled });
      } else if (record.batchJobId) {
        withIds.push(record);
      } else if (now - record.createdAt > this.#options.dropAfterMs) {
        yield finish(record, { status: 'DROPPED', error: 'Failed to get AWS Batch token.' });
      }
    }
    const { DescribeJobsCommand } = await loadBatchModule();
    const size = this.#options.describeBatchSize;
    for (let start = 0; start < withIds.length; start += size) {
      const chunk = withIds.slice(start, start + size);
      const response = (await this.#options.batch.send(
        new DescribeJobsCommand({ jobs: chunk.map((r) => r.batchJobId as string) }),
      )) as DescribeJobsCommandOutput;
      const byId = new Map((response.jobs ?? []).map((j) => [j.jobId, j]));
      // Result files of a chunk are read in parallel (bounded), then reported in submission order.
      const outcomes = await Promise.all(
        chunk.map((record) => this.#readLimit(() => this.#outcome(record, byId.get(record.batchJobId)))),
      );
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome) yield finish(chunk[i] as BatchJobRecord, outcome);
      }
    }
  }

  /** What a described job means: finished (with its result or error) or still on its way (undefined). */
  async #outcome(
    record: BatchJobRecord,
    described: { status?: string; statusReason?: string } | undefined,
  ): Promise<Omit<FinishedJob, 'id'> | undefined> {
    if (!described) return { status: 'DROPPED', error: `Batch job [${record.id}] not found in AWS.` };
    record.status = described.status ?? 'UNKNOWN';
    if (record.status === 'FAILED') {
      const why = described.statusReason ? ` (${described.statusReason})` : '';
      return { status: 'FAILED', error: `Batch job [${record.id}] marked as FAILED by AWS.${why}` };
    }
    if (record.status !== 'SUCCEEDED') return undefined;
    try {
      const result = await loadMsg(
        this.#options.storage,
        codecs.JobReturnMsg,
        this.resultLocation(record.id),
      );
      return { status: 'SUCCEEDED', result };
    } catch (error) {
      return {
        status: 'FAILED',
        error: `Batch job [${record.id}] succeeded, but couldn't get output at the expected location. (${(error as Error).message})`,
      };
    }
  }
}
