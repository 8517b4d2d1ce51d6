/** Jobs: every poll of `GET job/{id}` advances a job one step (Queued -> Running -> Completed). */
import { notFound, ok } from '../answers.js';
import type { NucleusHandler } from '../context.js';

export const jobHandlers: Record<string, NucleusHandler> = {
  getJobStatus: ({ params }, ctx) => {
    const job = ctx.state.jobs.get(params.job_id ?? '');
    if (!job) return notFound('Job', params.job_id ?? '');
    ctx.poll(job);
    const done = job.status === 'Completed' ? job.total_steps : 0;
    return ok({
      job_id: job.job_id,
      status: job.status,
      message: job.message,
      job_progress: (done / job.total_steps).toFixed(2),
      completed_steps: done,
      total_steps: job.total_steps,
    });
  },
  getJob: ({ params }, ctx) => {
    const job = ctx.state.jobs.get(params.job_id ?? '');
    return job ? ok(ctx.jobJson(job)) : notFound('Job', params.job_id ?? '');
  },
  listJobErrors: ({ params }, ctx) => {
    const job = ctx.state.jobs.get(params.job_id ?? '');
    return job ? ok(job.errors.slice(-10_000)) : notFound('Job', params.job_id ?? '');
  },
  listJobs: ({ body }, ctx) => {
    const limit = typeof body.limit === 'number' ? body.limit : 50_000;
    const types =
      Array.isArray(body.job_types) && body.job_types.length ? new Set(body.job_types) : undefined;
    const jobs = [...ctx.state.jobs.values()]
      .filter(
        (j) =>
          (!types || types.has(j.job_type)) && (body.show_completed !== false || j.status !== 'Completed'),
      )
      .slice(0, Math.min(limit, 50_000));
    return ok(jobs.map((j) => ctx.jobJson(j)));
  },
};
