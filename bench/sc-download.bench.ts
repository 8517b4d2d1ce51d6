/**
 * Issue 14: downloading a 500-image project from the SC fake over HTTP (`npm run mock -- sc --latency 20`, in its own
 * process, 20 ms added to every answer): `downloadProject` at concurrency 8 against the one-at-a-time loop
 * (concurrency 1, what the Python tool does), in the same run, into fresh folders. Target: >= 5x. Each result is
 * checked (500 files, the manifest verifies).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScClient } from '@mlclients/sc-client';
import { refOf, uploadMedia } from '../packages/sc-client/src/lib/api.js';
import { startMockServerProcess } from './mock-server-process.js';

const LATENCY_MS = 20;
const IMAGES = 500;

export default async function bench(): Promise<void> {
  const server = await startMockServerProcess('sc', { latencyMs: LATENCY_MS });
  const dirs: string[] = [];
  try {
    const sc = new ScClient({ host: server.url, username: 'admin', password: 'admin-password' });
    const workspace_id = await sc.workspaceId();
    const project = (await sc.call('createProject', {
      workspace_id,
      name: 'bench',
      pipeline: {
        connections: [{ from: 'Dataset', to: 'Detection task' }],
        tasks: [
          { title: 'Dataset', task_type: 'dataset' },
          { title: 'Detection task', task_type: 'detection', labels: [{ name: 'cube', group: 'g' }] },
        ],
      },
    })) as Parameters<typeof refOf>[1];
    const ref = await refOf(sc, project);
    const jpeg = new Uint8Array(
      await readFile(
        new URL(
          '../packages/sc-client/test/fixtures/coco-blocks/images/NONE/WIN_20220406_21_24_24_Pro.jpg',
          import.meta.url,
        ),
      ),
    );
    const queue = Array.from({ length: IMAGES }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift())
          await uploadMedia(sc, ref, 'images', jpeg, `img_${String(i).padStart(4, '0')}.jpg`);
      }),
    );
    const results: Record<number, number> = {};
    for (const concurrency of [1, 8]) {
      const dir = await mkdtemp(join(tmpdir(), `sc-bench-${concurrency}-`));
      dirs.push(dir);
      const t0 = performance.now();
      const r = await sc.downloadProject('bench', dir, { concurrency });
      const ms = performance.now() - t0;
      const files = (await readdir(join(dir, 'images'))).length;
      if (files !== IMAGES || r.downloaded !== IMAGES)
        throw new Error(`concurrency ${concurrency}: ${files} files, ${r.downloaded} downloaded`);
      results[concurrency] = ms;
      console.log(
        `concurrency ${concurrency}: ${IMAGES} images (+ annotation GETs, manifest) in ${(ms / 1000).toFixed(2)} s, ${((IMAGES * 1000) / ms).toFixed(1)} images/s`,
      );
    }
    const speedup = (results[1] as number) / (results[8] as number);
    console.log(
      `speed-up concurrency 8 vs one at a time: ${speedup.toFixed(2)}x (target >= 5x) ${speedup >= 5 ? 'OK' : 'BELOW TARGET'}`,
    );
  } finally {
    server.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}
