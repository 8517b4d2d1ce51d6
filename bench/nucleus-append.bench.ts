import { NucleusClient } from '@mlclients/nucleus-client';
import { startMockServerProcess } from './mock-server-process.js';

/** `npm run mock -- nucleus --latency 20` in its own process (the machine's other core), as a user runs it. */
const ITEMS = 10_000;
const LATENCY_MS = 20;
const BATCH = 20;

export default async function nucleusAppendBench(): Promise<void> {
  const server = await startMockServerProcess('nucleus', { latencyMs: LATENCY_MS });
  try {
    const nu = new NucleusClient({
      apiKey: 'bench-key',
      endpoint: `${server.url}/v1/nucleus`,
      validate: 'off',
    });
    const items = Array.from({ length: ITEMS }, (_, i) => ({
      reference_id: `img-${i}`,
      image_location: `s3://bench-bucket/images/${i}.jpg`,
      metadata: { i, split: i % 10 === 0 ? 'val' : 'train' },
    }));
    const newDataset = async (name: string) =>
      (await nu.datasets.create({ name, is_scene: false, use_privacy_mode: false })).dataset_id;

    const timed = async (run: () => Promise<unknown>) => {
      const cpu = process.cpuUsage();
      const start = performance.now();
      await run();
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
    };
    const naiveId = await newDataset('naive');
    const naive = await timed(async () => {
      for (let i = 0; i < items.length; i += BATCH) {
        const batch = items
          .slice(i, i + BATCH)
          .map((x) => ({ reference_id: x.reference_id, image_url: x.image_location, metadata: x.metadata }));
        await nu.datasetItems.append(naiveId, { items: batch, update: false });
      }
    });

    const fastId = await newDataset('concurrent');
    let result: Awaited<ReturnType<typeof nu.datasets.append>> | undefined;
    const fast = await timed(async () => {
      result = await nu.datasets.append(fastId, items, { concurrency: 8 });
    });

    // The ceiling: the same 500 requests by bare fetch, 8 in flight, nothing else.
    const bareId = await newDataset('bare fetch');
    const headers = {
      authorization: `Basic ${Buffer.from('bench-key:').toString('base64')}`,
      'content-type': 'application/json',
    };
    const bodies: string[] = [];
    for (let i = 0; i < items.length; i += BATCH)
      bodies.push(
        JSON.stringify({
          items: items.slice(i, i + BATCH).map((x) => ({
            reference_id: x.reference_id,
            image_url: x.image_location,
            metadata: x.metadata,
          })),
          update: false,
        }),
      );
    const bare = await timed(async () => {
      let next = 0;
      const worker = async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const r = await fetch(`${server.url}/v1/nucleus/dataset/${bareId}/append`, {
            method: 'POST',
            headers,
            body,
          });
          if (!r.ok) throw new Error(`bare fetch: ${r.status} ${await r.text()}`);
          await r.json();
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
    });

    for (const [id, label] of [
      [naiveId, 'naive'],
      [fastId, 'concurrency 8'],
      [bareId, 'bare fetch'],
    ] as const) {
      const { count } = await nu.datasets.size(id);
      if (count !== ITEMS) throw new Error(`${label}: ${count} items stored, expected ${ITEMS}`);
    }
    if (result?.new_items !== ITEMS || result.errors.length)
      throw new Error(`append result: ${JSON.stringify({ ...result, errors: result?.errors.length })}`);

    const requests = ITEMS / BATCH;
    const row = (label: string, r: { ms: number; cpuMs: number }) =>
      `${label.padEnd(36)} ${(r.ms / 1000).toFixed(2).padStart(7)} s ${Math.round((ITEMS / r.ms) * 1000)
        .toString()
        .padStart(7)} items/s ${(r.cpuMs / requests).toFixed(2).padStart(6)} ms client CPU/request`;
    console.log(
      `${ITEMS} items, ${requests} requests of ${BATCH}, ${LATENCY_MS} ms added latency, mock server over HTTP`,
    );
    console.log(row('naive loop (one batch at a time)', naive));
    console.log(row('datasets.append concurrency 8', fast));
    console.log(row('bare fetch, 8 in flight (ceiling)', bare));
    const speedup = naive.ms / fast.ms;
    console.log(
      `speedup ${speedup.toFixed(1)}x (target >= 6x): ${speedup >= 6 ? 'met' : 'NOT met'}; ` +
        `the ceiling on this machine now: ${(naive.ms / bare.ms).toFixed(1)}x`,
    );
  } finally {
    server.close();
  }
}
