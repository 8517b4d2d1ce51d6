/**
 * 10,000 items appended to the fake with 3 % injected 503s and 1 % connection resets on the append route: every
 * item is present exactly once and the result accounts for every item.
 */
import { newFaultStats, seededRandom } from '@mlclients/package-core/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NucleusClient } from '../../src/index.js';
import { createNucleusFake } from '../../src/mocks/index.js';

const BASE = 'http://nucleus.test/v1/nucleus';
const fake = createNucleusFake({ baseUrl: BASE, conformance: 'error' });
const server = setupServer(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

it('appends 10,000 items through 3 % 503s and 1 % resets: all present exactly once, all accounted for', async () => {
  const nu = new NucleusClient({
    apiKey: 'k',
    endpoint: BASE,
    initialRetryDelay: 1,
    maxRetryDelay: 5,
    maxRetries: 6,
  });
  const { dataset_id } = await nu.datasets.create({ name: 'soak', is_scene: false, use_privacy_mode: false });
  const stats = newFaultStats();
  fake.faults.plan({
    rate: 0.04,
    faults: [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'reset' },
    ],
    random: seededRandom(12),
    match: (req) => req.method === 'POST' && new URL(req.url).pathname.endsWith('/append'),
    stats,
  });
  const items = Array.from({ length: 10_000 }, (_, i) => ({
    reference_id: `item-${i}`,
    image_location: `s3://bucket/${i}.jpg`,
    metadata: { i },
  }));
  let lastProgress = 0;
  const result = await nu.datasets.append(dataset_id, items, { onProgress: (p) => (lastProgress = p.done) });
  fake.faults.clear();

  expect(stats.byKind['status 503'] ?? 0).toBeGreaterThan(5);
  expect(stats.byKind.reset ?? 0).toBeGreaterThan(0);
  console.log(
    `soak: ${stats.calls} append requests, ${stats.byKind['status 503'] ?? 0} injected 503s, ${stats.byKind.reset ?? 0} resets`,
  );
  expect(result.errors).toEqual([]);
  expect(result.new_items + result.updated_items + result.ignored_items).toBe(10_000);
  expect(lastProgress).toBe(10_000);
  // Present exactly once: the dataset holds 10,000 items, one per reference id, and paging yields each once.
  expect((await nu.datasets.size(dataset_id)).count).toBe(10_000);
  const seen = new Map<string, number>();
  for await (const item of nu.datasetItems.iterate(dataset_id, { pageSize: 1000 }))
    seen.set(String(item.reference_id), (seen.get(String(item.reference_id)) ?? 0) + 1);
  expect(seen.size).toBe(10_000);
  expect([...seen.values()].every((n) => n === 1)).toBe(true);
  for (const x of items) expect(seen.has(x.reference_id)).toBe(true);
  // No item was stored by a request whose answer was lost (the faults answer before the fake acts), so none was
  // counted as ignored on a resend either.
  expect(result.new_items).toBe(10_000);
}, 120_000);
