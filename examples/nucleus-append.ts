/**
 * Nucleus: create a dataset, append 1,000 items with a progress bar, then ingest 200 more through the async path and
 * wait for the job. `append` sends batches of 20 with 8 requests in flight, retries a failed batch on its own (items
 * are keyed by reference_id, so a resend is safe) and reports every item it could not append in `errors`, with its
 * index in your list. `appendAsync` uploads an NDJSON file to a signed URL and returns an `AsyncJob`.
 */
import { NucleusClient } from '@mlclients/nucleus-client';
import { SingleBar } from 'cli-progress';
import { runAsProgram } from './support/run.js';
import type { Services } from './support/services.js';

export async function nucleusAppend({ nucleus: server }: Services): Promise<string> {
  // Against Scale: new NucleusClient() reads NUCLEUS_API_KEY (and NUCLEUS_ENDPOINT).
  const nu = new NucleusClient({ endpoint: `${server.url}/v1/nucleus`, apiKey: 'example-api-key' });
  const { dataset_id } = await nu.datasets.create({
    name: 'tour-cars',
    is_scene: false,
    use_privacy_mode: false,
  });

  const items = Array.from({ length: 1000 }, (_, i) => ({
    reference_id: `car-${i}`,
    image_location: `s3://example-bucket/cars/${i}.jpg`,
    metadata: { split: i % 5 === 0 ? 'val' : 'train' },
  }));
  // The bar draws only on a terminal (an interactive `npm start`), and on stderr, so piped output stays one line.
  const bar = new SingleBar({ format: '  nucleus append [{bar}] {value}/{total} items', hideCursor: true });
  bar.start(items.length, 0);
  const result = await nu.datasets.append(dataset_id, items, {
    onProgress: ({ done }) => bar.update(done),
  });
  bar.stop();
  if (result.errors.length)
    throw new Error(`${result.errors.length} items failed, first: ${result.errors[0]?.error}`);

  const more = Array.from({ length: 200 }, (_, i) => ({
    reference_id: `car-async-${i}`,
    image_location: `s3://example-bucket/cars/async-${i}.jpg`,
  }));
  const job = await nu.datasets.appendAsync(dataset_id, more);
  const statuses: string[] = [];
  const final = await job.wait({ pollIntervalMs: 20, onStatus: (s) => statuses.push(s.status) });

  return `nucleus: appended ${result.new_items} items to ${dataset_id} (${result.errors.length} errors), then an async job ${[...new Set(statuses)].join(' -> ')} (${final.status})`;
}

await runAsProgram(import.meta.url, nucleusAppend);
