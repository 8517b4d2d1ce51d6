/** What every handler of the fake sees: the state, the options and the job machinery. */
import type { FakeAnswer, FakeCall } from '@mlclients/package-core/testing';
import { type FakeJob, NucleusState } from './state.js';

/** Options of `createNucleusFake`. */
export interface NucleusFakeOptions {
  /** Where MSW handlers listen, e.g. `https://api.scale.com/v1/nucleus`. @default any origin, path `/v1/nucleus` */
  baseUrl?: string;
  /** The only API keys (basic username) accepted; limited keys in `limitedAccessKeys`. @default any non-empty key */
  apiKeys?: readonly string[];
  limitedAccessKeys?: readonly string[];
  /** Polls a job answers `Queued`, then `Running`, before completing. @default 1 each */
  pollsPerStatus?: number;
  /**
   * Objects to start with (and to return to on `reset()`): `datasets` (`{id?, name, is_scene?, items?: [item
   * payloads]}`) and `models` (`{id?, name, ref_id}`).
   */
  seed?: { datasets?: Record<string, unknown>[]; models?: Record<string, unknown>[] };
  /** Check every answer against openapi/nucleus.yaml. @default 'error' under a test runner */
  conformance?: 'error' | 'warn' | 'off';
}

export class NucleusContext {
  readonly state = new NucleusState();
  constructor(readonly options: NucleusFakeOptions) {}

  /** Start a job: Queued, then Running, then its work runs and it is Completed (or Errored_User if the work throws). */
  startJob(jobType: string, work: () => unknown, totalSteps = 1): FakeJob {
    const job: FakeJob = {
      job_id: this.state.id('job'),
      job_type: jobType,
      job_creation_time: new Date().toISOString(),
      polls: 0,
      work,
      status: 'Queued',
      message: null,
      errors: [],
      total_steps: totalSteps,
    };
    this.state.jobs.set(job.job_id, job);
    return job;
  }

  /** Advance a job by one poll. */
  poll(job: FakeJob): void {
    const per = this.options.pollsPerStatus ?? 1;
    job.polls += 1;
    if (job.status === 'Queued' && job.polls > per) job.status = 'Running';
    else if (job.status === 'Running' && job.polls > 2 * per) {
      try {
        job.message = job.work() ?? null;
        job.status = 'Completed';
      } catch (err) {
        job.status = 'Errored_User';
        job.message = { final_error: `BadRequestError: ${(err as Error).message}` };
        job.errors.push(JSON.stringify({ error: (err as Error).message }));
      }
    }
  }

  jobJson(job: FakeJob): Record<string, unknown> {
    return {
      job_id: job.job_id,
      job_last_known_status: job.status,
      job_type: job.job_type,
      job_creation_time: job.job_creation_time,
    };
  }
}

export type NucleusHandler = (call: FakeCall, ctx: NucleusContext) => FakeAnswer | Promise<FakeAnswer>;
