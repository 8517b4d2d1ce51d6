/**
 * `nu jobs`: list (the default; running and queued jobs unless `--all`), status, errors, and `wait`, which polls
 * with a spinner until the job finishes and exits 1 if it ended in error, printing its last errors.
 */
import type { Command } from 'commander';
import type { JobStatusResponse } from '../../generated/index.js';
import type { AsyncJob } from '../../lib/async-job.js';
import { JobError } from '../../lib/errors.js';
import { commaList, positiveNumber, wholeNumber } from '../arguments.js';
import type { CliContext } from '../context.js';

export interface JobWaitOptions {
  /** Seconds between polls. @default 5 (the Python client's) */
  interval?: number;
  /** Give up after this many seconds. */
  timeout?: number;
}

function progressText(s: JobStatusResponse): string {
  const steps =
    typeof s.completed_steps === 'number' && typeof s.total_steps === 'number' && s.total_steps > 0
      ? ` ${s.completed_steps}/${s.total_steps}`
      : '';
  return `${s.status}${steps}`;
}

/**
 * Wait for a job with a spinner showing its status; on an error status, print its latest errors (up to 10) and
 * rethrow the JobError (exit 1).
 */
export async function waitForJob(
  ctx: CliContext,
  job: AsyncJob,
  o: JobWaitOptions = {},
): Promise<JobStatusResponse> {
  const spinner = ctx.spinner(`Waiting for job ${job.id}`);
  try {
    return await job.wait({
      pollIntervalMs: (o.interval ?? 5) * 1000,
      ...(o.timeout !== undefined ? { timeout: o.timeout * 1000 } : {}),
      onStatus: (s) => spinner.text(`Waiting for job ${job.id}: ${progressText(s)}`),
    });
  } catch (error) {
    spinner.stop();
    if (error instanceof JobError && error.status !== 'Running' && error.status !== 'Queued') {
      const errors = await job.errors().catch(() => [] as string[]);
      if (errors.length && !ctx.json) {
        ctx.err(`Encountered errors during running (${errors.length}):\n`);
        for (const e of errors.slice(0, 10)) ctx.err(`  ${e}\n`);
      }
    }
    throw error;
  } finally {
    spinner.stop();
  }
}

export function registerJobs(program: Command, ctx: CliContext): void {
  const jobs = program.command('jobs').description('jobs: list (default), status, errors, wait');

  jobs
    .command('list', { isDefault: true })
    .description('list your jobs, unfinished ones unless --all: id | status | type | created at')
    .option('-a, --all', 'also completed jobs')
    .option('--dataset <dataset-id>', "only this dataset's jobs")
    .option('--type <types>', 'only these job types (comma-separated, e.g. uploadDatasetItems)', commaList)
    .option('--from <date>', 'created on or after (YYYY-MM-DD)')
    .option('--to <date>', 'created on or before (YYYY-MM-DD)')
    .option('--limit <n>', 'at most n jobs (up to 50000)', wholeNumber(1, 50_000))
    .option('-m, --machine-readable', 'tab-separated rows, no table')
    .action(
      async (o: {
        all?: boolean;
        dataset?: string;
        type?: string[];
        from?: string;
        to?: string;
        limit?: number;
        machineReadable?: boolean;
      }) => {
        const list = await ctx.waiting('Finding your jobs', () =>
          ctx.client().jobs.list({
            show_completed: o.all === true,
            dataset_id: o.dataset ?? null,
            job_types: o.type ?? null,
            from_date: o.from ?? null,
            to_date: o.to ?? null,
            limit: o.limit ?? null,
          }),
        );
        ctx.listing(
          list,
          ['id', 'status', 'type', 'created at'],
          list.map((j) => [j.job_id, j.job_last_known_status, j.job_type, j.job_creation_time]),
          o.machineReadable,
        );
      },
    );

  jobs
    .command('status')
    .description("a job's status and progress")
    .argument('<job-id>', 'job id (job_...)')
    .action(async (jobId: string) => {
      const s = await ctx.waiting(`Reading job ${jobId}`, () => ctx.client().jobs.job(jobId).status());
      ctx.print(s, () => {
        const message =
          s.message === null || s.message === undefined
            ? ''
            : `\nmessage: ${typeof s.message === 'string' ? s.message : JSON.stringify(s.message)}`;
        return `${s.job_id}: ${progressText(s)}${s.job_progress ? ` (${s.job_progress})` : ''}${message}\n`;
      });
    });

  jobs
    .command('errors')
    .description("a job's latest errors (up to 10,000)")
    .argument('<job-id>', 'job id (job_...)')
    .action(async (jobId: string) => {
      const errors = await ctx.waiting(`Reading the errors of ${jobId}`, () =>
        ctx.client().jobs.job(jobId).errors(),
      );
      ctx.print(errors, () => (errors.length ? `${errors.join('\n')}\n` : ''));
      if (!errors.length) ctx.note(`job ${jobId} has no errors`);
    });

  jobs
    .command('wait')
    .description('poll a job until it finishes; exit 1 if it ended in error')
    .argument('<job-id>', 'job id (job_...)')
    .option('--interval <seconds>', 'seconds between polls', positiveNumber, 5)
    .option('--wait-timeout <seconds>', 'give up after this many seconds (exit 1)', positiveNumber)
    .action(async (jobId: string, o: { interval: number; waitTimeout?: number }) => {
      const job = ctx.client().jobs.job(jobId);
      const s = await waitForJob(ctx, job, {
        interval: o.interval,
        ...(o.waitTimeout !== undefined ? { timeout: o.waitTimeout } : {}),
      });
      ctx.print(s, () => `${s.job_id}: ${s.status}\n`);
    });
}
