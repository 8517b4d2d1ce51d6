/** `nu.jobs`: the generated methods plus `job(id)`, an {@link AsyncJob} handle to poll and wait on. */
import type { NucleusClient } from '../client.js';
import { Jobs as GeneratedJobs } from '../generated/index.js';
import { AsyncJob } from '../lib/async-job.js';

export class Jobs extends GeneratedJobs {
  /** A handle on an existing job (no request until `status()` or `wait()`). */
  job(jobId: string): AsyncJob {
    return new AsyncJob(this._client as unknown as NucleusClient, { job_id: jobId });
  }
}
