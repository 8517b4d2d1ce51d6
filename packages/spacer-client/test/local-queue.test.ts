/** LocalQueue with a JS handler (the fake worker) and with a worker command, as CoralNet's local runs. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBlobStore } from '@mlclients/package-core/storage';
import { describe, expect, it } from 'vitest';
import { codecs } from '../src/codec/codecs.js';
import { dataLocation } from '../src/messages/data-location.js';
import { exampleJob } from '../src/messages/examples.js';
import { FakeSpacerWorker } from '../src/mocks/fake-worker.js';
import { collectAll, type FinishedJob } from '../src/queues/job-queue.js';
import { LocalQueue } from '../src/queues/local-queue.js';
import { SpacerStorage } from '../src/storage/spacer-storage.js';

async function drain(queue: LocalQueue): Promise<FinishedJob[]> {
  const out: FinishedJob[] = [];
  for await (const job of collectAll(queue, { intervalMs: 10 })) out.push(job);
  return out;
}

describe('LocalQueue', () => {
  it('runs a JS handler with JOB_MSG_LOC/RES_MSG_LOC, collects the result and deletes its file', async () => {
    const storage = new SpacerStorage({ memory: new MemoryBlobStore() });
    const worker = new FakeSpacerWorker({ storage });
    const queue = new LocalQueue({
      storage,
      root: dataLocation('memory', 'backend_job_res'),
      handler: (env) => worker.runEnvJob(env),
    });
    // The example image is not in storage: spacer's KeyError, inside an ok=false result.
    const job = {
      ...exampleJob('extract_features'),
      tasks: [
        { ...exampleJob('extract_features').tasks[0]!, image_loc: dataLocation('memory', 'missing_image') },
      ],
    };
    const { id } = await queue.submit(job, { id: 'local-1' });
    expect(queue.jobLocation(id)).toEqual(dataLocation('memory', 'backend_job_res/local-1_job_msg.json'));
    const [finished] = await drain(queue);
    expect(finished?.status).toBe('SUCCEEDED');
    expect(finished?.result?.ok).toBe(false);
    expect(finished?.result?.error_message).toContain("KeyError: 'missing_image'");
    expect(await storage.exists(queue.resultLocation(id))).toBe(false);
  });

  it('runs a worker command, and reports a failing one with its stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spacer-local-'));
    const storage = new SpacerStorage();
    // A stand-in for `python3 -m spacer.mailman env_job`: copies the job into an ok=false result.
    const script = join(dir, 'worker.mjs');
    writeFileSync(
      script,
      `import { readFileSync, writeFileSync } from 'node:fs';
       const job = JSON.parse(process.env.JOB_MSG_LOC).key, res = JSON.parse(process.env.RES_MSG_LOC).key;
       if (process.env.SPACER_FAIL) { console.error('Traceback ... ValueError: boom'); process.exit(3); }
       writeFileSync(res, '{"original_job": ' + readFileSync(job, 'utf8') + ', "ok": false, "results": null, "error_message": "x"}');`,
    );
    const queue = new LocalQueue({
      storage,
      root: dataLocation('filesystem', join(dir, 'jobs')),
      command: [process.execPath, script],
    });
    await queue.submit(exampleJob('classify_features'), { id: 'ok' });
    const failing = new LocalQueue({
      storage,
      root: dataLocation('filesystem', join(dir, 'jobs')),
      command: [process.execPath, script],
      env: { ...process.env, SPACER_FAIL: '1' },
    });
    await failing.submit(exampleJob('classify_features'), { id: 'bad' });
    const [ok] = await drain(queue);
    expect(ok?.result).toEqual({
      original_job: exampleJob('classify_features'),
      ok: false,
      results: null,
      error_message: 'x',
    });
    const [bad] = await drain(failing);
    expect(bad).toEqual({
      id: 'bad',
      status: 'FAILED',
      error: 'worker exited with code 3: Traceback ... ValueError: boom',
    });
  });

  it('cancels a running job (the handler sees the abort) and reports it CANCELLED', async () => {
    const storage = new SpacerStorage({ memory: new MemoryBlobStore() });
    let sawAbort = false;
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const queue = new LocalQueue({
      storage,
      root: dataLocation('memory', 'q'),
      handler: (_env, signal) =>
        new Promise((_, reject) => {
          started();
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(signal.reason);
          });
        }),
    });
    await queue.submit(exampleJob('classify_image'), { id: 'long' });
    await running;
    await queue.cancel('long', 'no longer needed');
    expect(await drain(queue)).toEqual([{ id: 'long', status: 'CANCELLED', error: 'no longer needed' }]);
    expect(sawAbort).toBe(true);
    expect(codecs.JobMsg.decode(await storage.load(queue.jobLocation('long')))).toEqual(
      exampleJob('classify_image'),
    );
  });
});
