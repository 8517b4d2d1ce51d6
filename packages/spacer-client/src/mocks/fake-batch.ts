/**
 * A fake AWS Batch API as MSW handlers, for the calls the AWS SDK v3 makes (`@aws-sdk/client-batch`, REST-JSON):
 * `SubmitJob` (POST /v1/submitjob), `DescribeJobs` (POST /v1/describejobs, at most 100 ids), `TerminateJob` and
 * `CancelJob`. A job moves SUBMITTED -> RUNNABLE -> RUNNING -> SUCCEEDED/FAILED, one step each time a DescribeJobs
 * call includes it; on reaching RUNNING it runs (by default the fake worker's `env_job` with the job's container
 * environment, so `JOB_MSG_LOC`/`RES_MSG_LOC` are honoured). Errors are Batch's: HTTP 400 with
 * `x-amzn-ErrorType: ClientException`.
 */
import { randomUUID } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import type { FakeSpacerWorker } from './fake-worker.js';

export type FakeBatchStatus = 'SUBMITTED' | 'RUNNABLE' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface FakeBatchJob {
  jobId: string;
  jobName: string;
  jobQueue: string;
  jobDefinition: string;
  environment: Record<string, string>;
  status: FakeBatchStatus;
  statusReason?: string;
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  /** The run started on RUNNING; settles with the final status. */
  run?: Promise<{ status: 'SUCCEEDED' | 'FAILED'; reason?: string }>;
  outcome?: { status: 'SUCCEEDED' | 'FAILED'; reason?: string };
}

export interface FakeBatchApiOptions {
  /**
   * Runs each job; resolve to its final status. @default `worker.runEnvJob(job.environment)`: SUCCEEDED, or FAILED
   * if it throws (a crashed container). Without `worker` either, jobs succeed without running, so their result file
   * is missing.
   */
  run?: (job: FakeBatchJob) => Promise<{ status: 'SUCCEEDED' | 'FAILED'; reason?: string }>;
  /** The worker for the default `run`. */
  worker?: FakeSpacerWorker;
  /** Batch endpoint. @default any `https://batch.<region>.amazonaws.com` */
  endpoint?: string;
  /** Account and region in ARNs. */
  accountId?: string;
  region?: string;
}

const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export const MAX_DESCRIBE_JOBS = 100;

function clientError(message: string, status = 400) {
  return HttpResponse.json({ message }, { status, headers: { 'x-amzn-ErrorType': 'ClientException' } });
}

export class FakeBatchApi {
  readonly jobs = new Map<string, FakeBatchJob>();
  /** The ids of every DescribeJobs call, in order. */
  readonly describeCalls: string[][] = [];
  /** SubmitJob calls still to refuse with a 500 (an AWS service problem). */
  failSubmits = 0;
  readonly #options: FakeBatchApiOptions;

  /**
   * Creates a `FakeBatchApi`.
   *
   * @param options Where the fake API listens (default: any `batch.<region>.amazonaws.com`) and how jobs run.
   */
  constructor(options: FakeBatchApiOptions = {}) {
    this.#options = options;
  }

  /** MSW handlers of the Batch API calls the queue makes (SubmitJob, DescribeJobs, TerminateJob, CancelJob). */
  get handlers() {
    const base = this.#options.endpoint?.replace(/\/+$/, '');
    const url = (path: string) =>
      base ? `${base}${path}` : new RegExp(`^https://batch\\.[a-z0-9-]+\\.amazonaws\\.com${path}$`);
    return [
      http.post(url('/v1/submitjob'), async ({ request }) => this.#submit(await request.json())),
      http.post(url('/v1/describejobs'), async ({ request }) => this.#describe(await request.json())),
      http.post(url('/v1/terminatejob'), async ({ request }) => this.#terminate(await request.json())),
      http.post(url('/v1/canceljob'), async ({ request }) => this.#terminate(await request.json())),
    ];
  }

  #arn(kind: string, name: string) {
    return `arn:aws:batch:${this.#options.region ?? 'us-east-1'}:${this.#options.accountId ?? '123456789012'}:${kind}/${name}`;
  }

  #submit(body: unknown) {
    const b = (body ?? {}) as {
      jobName?: string;
      jobQueue?: string;
      jobDefinition?: string;
      containerOverrides?: { environment?: { name?: string; value?: string }[] };
    };
    if (this.failSubmits > 0) {
      this.failSubmits--;
      return HttpResponse.json(
        { message: 'Service unavailable' },
        { status: 500, headers: { 'x-amzn-ErrorType': 'ServerException' } },
      );
    }
    if (!b.jobName || !JOB_NAME.test(b.jobName)) return clientError('jobName is invalid');
    if (!b.jobQueue) return clientError('jobQueue is required');
    if (!b.jobDefinition) return clientError('jobDefinition is required');
    const environment: Record<string, string> = {};
    for (const e of b.containerOverrides?.environment ?? []) {
      if (e.name) environment[e.name] = e.value ?? '';
    }
    const job: FakeBatchJob = {
      jobId: randomUUID(),
      jobName: b.jobName,
      jobQueue: b.jobQueue,
      jobDefinition: b.jobDefinition,
      environment,
      status: 'SUBMITTED',
      createdAt: Date.now(),
    };
    this.jobs.set(job.jobId, job);
    return HttpResponse.json({ jobArn: this.#arn('job', job.jobId), jobName: job.jobName, jobId: job.jobId });
  }

  #start(job: FakeBatchJob) {
    job.startedAt = Date.now();
    const run =
      this.#options.run ??
      (async (j: FakeBatchJob) => {
        await this.#options.worker?.runEnvJob(j.environment);
        return { status: 'SUCCEEDED' as const };
      });
    // A run that throws is a crashed container: Batch marks the job FAILED.
    job.run = run(job).then(
      (outcome) => (job.outcome = outcome),
      (error) =>
        (job.outcome = {
          status: 'FAILED',
          reason: `Essential container in task exited: ${error instanceof Error ? error.message : String(error)}`,
        }),
    );
  }

  async #describe(body: unknown) {
    const ids = (body as { jobs?: unknown })?.jobs;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
      return clientError('jobs must be a list of job IDs');
    if (ids.length > MAX_DESCRIBE_JOBS) {
      return clientError(
        `jobs: at most ${MAX_DESCRIBE_JOBS} job IDs per DescribeJobs request, got ${ids.length}`,
      );
    }
    this.describeCalls.push(ids as string[]);
    const out = [];
    for (const id of ids as string[]) {
      const job = this.jobs.get(id);
      if (!job) continue; // Batch leaves unknown ids out
      await this.#advance(job);
      out.push({
        jobArn: this.#arn('job', job.jobId),
        jobName: job.jobName,
        jobId: job.jobId,
        jobQueue: job.jobQueue,
        jobDefinition: job.jobDefinition,
        status: job.status,
        ...(job.statusReason ? { statusReason: job.statusReason } : {}),
        createdAt: job.createdAt,
        ...(job.startedAt ? { startedAt: job.startedAt } : {}),
        ...(job.stoppedAt ? { stoppedAt: job.stoppedAt } : {}),
        container: { environment: Object.entries(job.environment).map(([name, value]) => ({ name, value })) },
      });
    }
    return HttpResponse.json({ jobs: out });
  }

  async #advance(job: FakeBatchJob) {
    switch (job.status) {
      case 'SUBMITTED':
        job.status = 'RUNNABLE';
        return;
      case 'RUNNABLE':
        job.status = 'RUNNING';
        this.#start(job);
        return;
      case 'RUNNING':
        await job.run;
        if (job.outcome) {
          job.status = job.outcome.status;
          if (job.outcome.reason) job.statusReason = job.outcome.reason;
          job.stoppedAt = Date.now();
        }
        return;
      default:
        return;
    }
  }

  #terminate(body: unknown) {
    const { jobId, reason } = (body ?? {}) as { jobId?: string; reason?: string };
    if (!jobId || !reason) return clientError('jobId and reason are required');
    const job = this.jobs.get(jobId);
    if (job && job.status !== 'SUCCEEDED' && job.status !== 'FAILED') {
      job.status = 'FAILED';
      job.statusReason = reason;
      job.stoppedAt = Date.now();
    }
    return HttpResponse.json({});
  }
}
