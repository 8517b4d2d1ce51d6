/** AsyncJob: wait() resolves only on a terminal status (a Queued job keeps being polled), JobError, timeout, abort. */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, JobError, NucleusClient } from '../../src/index.js';
import { createNucleusFake } from '../../src/mocks/index.js';

const BASE = 'http://nucleus.test/v1/nucleus';
const fake = createNucleusFake({ baseUrl: BASE, conformance: 'error', pollsPerStatus: 3 });
const server = setupServer(...fake.handlers);
const nu = new NucleusClient({ apiKey: 'k', endpoint: BASE, initialRetryDelay: 1 });
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => fake.reset());
afterAll(() => server.close());

async function startJob() {
  const { dataset_id } = await nu.datasets.create({ name: 'j', is_scene: false, use_privacy_mode: false });
  const job = await nu.datasets.appendAsync(dataset_id, [
    { reference_id: 'a', image_location: 'https://x/a.jpg' },
  ]);
  return { dataset_id, job };
}

describe('AsyncJob', () => {
  it('keeps polling while Queued (the Python client would stop there) and resolves on Completed', async () => {
    const { dataset_id, job } = await startJob();
    expect(job.id).toMatch(/^job_/);
    expect(job.lastKnownStatus).toBe('Queued');
    const seen: string[] = [];
    const final = await job.wait({ pollIntervalMs: 0, onStatus: (s) => seen.push(String(s.status)) });
    expect(seen).toEqual(['Queued', 'Queued', 'Queued', 'Running', 'Running', 'Running', 'Completed']);
    expect(final).toMatchObject({ status: 'Completed', message: { new_items: 1 } });
    expect(job.lastKnownStatus).toBe('Completed');
    expect((await nu.datasets.size(dataset_id)).count).toBe(1);
  });

  it('a poll that meets a 503 is retried, not mistaken for a status', async () => {
    const { job } = await startJob();
    fake.faults.status(503, { operationId: 'getJobStatus', times: 2 });
    await expect(job.wait({ pollIntervalMs: 0 })).resolves.toMatchObject({ status: 'Completed' });
  });

  it('gives up after `timeout` with a JobError naming the last status', async () => {
    const { job } = await startJob();
    const err = await job.wait({ pollIntervalMs: 20, timeout: 30 }).catch((e) => e);
    expect(err).toBeInstanceOf(JobError);
    expect(err).toMatchObject({ status: 'Queued' });
  });

  it('stops on abort with AbortError', async () => {
    const { job } = await startJob();
    const ac = new AbortController();
    const waiting = job.wait({ pollIntervalMs: 50, signal: ac.signal });
    setTimeout(() => ac.abort(), 10);
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
  });

  it('jobs.job(id) polls an existing job; jobs.list shows it', async () => {
    const { job } = await startJob();
    const again = nu.jobs.job(job.id);
    expect((await again.status()).status).toBe('Queued');
    expect((await nu.jobs.list({ show_completed: true, limit: 50_000 })).map((j) => j.job_id)).toContain(
      job.id,
    );
  });
});
