/**
 * CoralNet's Batch flow against the fake Batch API (MSW handlers for the AWS SDK's calls) and, when the S3 env of
 * tools/s3-local is present, the real S3-compatible server; otherwise an in-memory bucket:
 *
 *   bash tools/s3-local/start.sh && set -a && . /tmp/mlc-s3-local/env && set +a
 *   (cd packages/spacer-client && npx vitest run test/batch-queue.test.ts)
 */
import { randomUUID } from 'node:crypto';
import { BatchClient } from '@aws-sdk/client-batch';
import { type BlobStore, MemoryBlobStore, S3BlobStore } from '@mlclients/package-core/storage';
import { setupServer } from 'msw/node';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecs } from '../src/codec/codecs.js';
import { dataLocation } from '../src/messages/data-location.js';
import { EXTRACTOR_CLASS_PATHS } from '../src/messages/extractor-spec.js';
import type { JobMsg } from '../src/messages/job-messages.js';
import { FakeBatchApi } from '../src/mocks/fake-batch.js';
import { FakeSpacerWorker } from '../src/mocks/fake-worker.js';
import { BatchQueue, BatchSubmitError } from '../src/queues/batch-queue.js';
import type { FinishedJob } from '../src/queues/job-queue.js';
import { readImageFeatures } from '../src/results/image-features.js';
import { SpacerStorage } from '../src/storage/spacer-storage.js';
import { pngHeader } from './helpers/images.js';

const endpoint = process.env.MLC_S3_ENDPOINT;
const bucket = endpoint ? (process.env.MLC_S3_BUCKET ?? 'mlc-test') : 'spacer-test';
const runPrefix = `spacer-${randomUUID()}/`;

/** The bucket's store: the real S3 server when configured, else memory. Tests write under `runPrefix` only. */
const bucketStores = new Map<string, BlobStore>();
function bucketStore(name: string): BlobStore {
  let store = bucketStores.get(name);
  if (!store) {
    store = endpoint ? new S3BlobStore({ bucket: name, endpoint }) : new MemoryBlobStore(`memory://${name}`);
    bucketStores.set(name, store);
  }
  return store;
}

// Images and feature files live in memory; the queue's job and result messages go to the bucket (S3 when configured).
const storage = new SpacerStorage({ bucketStore, memory: new MemoryBlobStore() });
const worker = new FakeSpacerWorker({ storage });
/** The job whose worker "succeeds" without writing its result. */
let noResultJobName = '';
const fakeBatch = new FakeBatchApi({
  run: async (job) => {
    if (job.jobName === noResultJobName) return { status: 'SUCCEEDED' };
    await worker.runEnvJob(job.environment);
    return { status: 'SUCCEEDED' };
  },
});
const server = setupServer(...fakeBatch.handlers);
const batch = new BatchClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake-secret' },
  maxAttempts: 1,
});

beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterAll(async () => {
  server.close();
  batch.destroy();
  const store = bucketStore(bucket);
  const keys: string[] = [];
  for await (const info of store.list(runPrefix)) keys.push(info.key);
  const limit = pLimit(16);
  await Promise.all(keys.map((key) => limit(() => store.delete(key))));
}, 120_000);

function extractJob(i: number): JobMsg {
  return {
    task_name: 'extract_features',
    tasks: [
      {
        job_token: `job-${i}`,
        extractor: {
          class_path: EXTRACTOR_CLASS_PATHS.dummy,
          data_locations: {},
          data_hashes: {},
          feature_dim: 4,
        },
        rowcols: [
          [i % 20, 1],
          [2, 3],
        ],
        image_loc: dataLocation('memory', 'images/reef.png'),
        feature_loc: dataLocation('memory', `features/${i}.npz`),
      },
    ],
  };
}

describe(`BatchQueue: 250 jobs against the fake Batch API and ${endpoint ? 'the S3 server' : 'an in-memory bucket'}`, () => {
  it('submits, describes in batches of 100, and reports SUCCEEDED, FAILED (no result) and DROPPED', {
    timeout: 180_000,
  }, async () => {
    let clock = Date.now();
    const queue = new BatchQueue({
      batch,
      jobQueue: 'spacer-queue',
      storage,
      bucket,
      prefix: `${runPrefix}batch_jobs/`,
      now: () => clock,
    });
    await storage.store(dataLocation('memory', 'images/reef.png'), pngHeader(64, 48));

    // Job 0: SubmitJob fails (an AWS outage), so it never gets a Batch id.
    fakeBatch.failSubmits = 1;
    await expect(queue.submit(extractJob(0), { id: 'job-0' })).rejects.toBeInstanceOf(BatchSubmitError);
    expect(fakeBatch.failSubmits).toBe(0);
    noResultJobName = 'spacer_job-7';
    const limit = pLimit(16);
    await Promise.all(
      Array.from({ length: 249 }, (_, k) =>
        limit(() => queue.submit(extractJob(k + 1), { id: `job-${k + 1}` })),
      ),
    );
    expect(queue.pendingCount).toBe(250);

    // The job message and the container environment are what spacer's env_job reads.
    const submitted = [...fakeBatch.jobs.values()].find((j) => j.jobName === 'spacer_job-3');
    expect(submitted?.environment).toEqual({
      JOB_MSG_LOC: codecs.DataLocation.encode(queue.jobLocation('job-3')),
      RES_MSG_LOC: codecs.DataLocation.encode(queue.resultLocation('job-3')),
    });
    expect(queue.jobLocation('job-3').key).toBe(`${runPrefix}batch_jobs/job-3_job_msg.json`);
    expect(codecs.JobMsg.decode(await storage.load(queue.jobLocation('job-3')))).toEqual(extractJob(3));

    const finished = new Map<string, FinishedJob>();
    let passes = 0;
    while (queue.pendingCount > 1 && passes < 10) {
      passes++;
      for await (const job of queue.collect()) finished.set(job.id, job);
    }
    // Each poll moves a job one step (RUNNABLE, RUNNING, then SUCCEEDED): three passes, each of three DescribeJobs
    // calls (100 + 100 + 49 ids).
    expect(passes).toBe(3);
    expect(fakeBatch.describeCalls.map((ids) => ids.length)).toEqual(Array(3).fill([100, 100, 49]).flat());
    expect(finished.size).toBe(249);

    // Job 0 has no Batch id: still waiting before 30 minutes, DROPPED after.
    for await (const job of queue.collect()) finished.set(job.id, job);
    expect(finished.has('job-0')).toBe(false);
    clock += 31 * 60 * 1000;
    for await (const job of queue.collect()) finished.set(job.id, job);
    expect(queue.pendingCount).toBe(0);

    expect(finished.get('job-0')).toEqual({
      id: 'job-0',
      status: 'DROPPED',
      error: 'Failed to get AWS Batch token.',
    });
    const noResult = finished.get('job-7');
    expect(noResult?.status).toBe('FAILED');
    expect(noResult?.error).toMatch(
      /^Batch job \[job-7\] succeeded, but couldn't get output at the expected location\. /,
    );
    const succeeded = [...finished.values()].filter((j) => j.status === 'SUCCEEDED');
    expect(succeeded).toHaveLength(248);
    for (const job of succeeded) {
      expect(job.result).toEqual({
        original_job: extractJob(Number(job.id.slice(4))),
        ok: true,
        results: [{ extractor_loaded_remotely: true, runtime: 2.1 }],
        error_message: null,
      });
    }
    // The worker wrote real feature files.
    const features = readImageFeatures(await storage.load(dataLocation('memory', 'features/42.npz')));
    expect(features.points.map((p) => [p.row, p.col])).toEqual([
      [2, 1],
      [2, 3],
    ]);
    expect(features.featureDim).toBe(4);
  });

  it('cancels a job with TerminateJob and reports it CANCELLED; a job Batch forgot is DROPPED', async () => {
    const queue = new BatchQueue({
      batch,
      jobQueue: 'spacer-queue',
      storage,
      bucket,
      prefix: `${runPrefix}cancel/`,
    });
    const { batchJobId } = await queue.submit(extractJob(1), { id: 'c1' });
    await queue.submit(extractJob(2), { id: 'c2' });
    await queue.cancel('c1', 'user pressed stop');
    expect(fakeBatch.jobs.get(batchJobId)).toMatchObject({
      status: 'FAILED',
      statusReason: 'user pressed stop',
    });
    const c2 = [...fakeBatch.jobs.values()].find((j) => j.jobName === 'spacer_c2');
    fakeBatch.jobs.delete(c2?.jobId as string);
    const out = [];
    for await (const job of queue.collect()) out.push(job);
    expect(out).toEqual([
      { id: 'c1', status: 'CANCELLED', error: 'user pressed stop' },
      { id: 'c2', status: 'DROPPED', error: 'Batch job [c2] not found in AWS.' },
    ]);
  });

  it('reports a job whose container crashed (unreadable job message) as FAILED by AWS', async () => {
    const queue = new BatchQueue({
      batch,
      jobQueue: 'spacer-queue',
      storage,
      bucket,
      prefix: `${runPrefix}crash/`,
    });
    await queue.submit(extractJob(1), { id: 'crash' });
    await storage.store(queue.jobLocation('crash'), '{"task_name": "segment", "tasks": []}');
    const out: FinishedJob[] = [];
    for (let pass = 0; pass < 5 && queue.pendingCount > 0; pass++) {
      for await (const job of queue.collect()) out.push(job);
    }
    expect(out).toHaveLength(1);
    expect(out[0]?.status).toBe('FAILED');
    expect(out[0]?.error).toMatch(
      /^Batch job \[crash\] marked as FAILED by AWS\. \(Essential container in task exited: invalid JobMsg: task_name: /,
    );
  });

  it('answers more than 100 ids in one DescribeJobs with ClientException, as Batch does', async () => {
    const { DescribeJobsCommand } = await import('@aws-sdk/client-batch');
    const error = await batch
      .send(new DescribeJobsCommand({ jobs: Array.from({ length: 101 }, (_, i) => `id-${i}`) }))
      .catch((e) => e);
    expect(error.name).toBe('ClientException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses ids that cannot name a blob or a Batch job, before anything is stored', async () => {
    const queue = new BatchQueue({ batch, jobQueue: 'q', storage, bucket, prefix: `${runPrefix}bad/` });
    await expect(queue.submit(extractJob(1), { id: '../x' })).rejects.toThrow(
      "job id \"../x\": use 1-100 letters, digits, '-' or '_'",
    );
    expect(queue.pendingCount).toBe(0);
  });
});
