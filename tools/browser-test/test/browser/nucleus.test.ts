/** The Nucleus client bundled for the browser, against its fake in MSW's service worker. */
import { AuthenticationError, InvalidParamsError, NucleusClient } from '@mlclients/nucleus-client';
import { createNucleusFake } from '@mlclients/nucleus-client/mocks';
import { describe, expect, it } from 'vitest';
import { failure, useWorker } from './worker.js';

const ORIGIN = 'https://nucleus.test';
const BASE = `${ORIGIN}/v1/nucleus`;
const KEY = 'browser-key';
const fake = createNucleusFake({ baseUrl: BASE, apiKeys: [KEY], conformance: 'error' });
useWorker([ORIGIN], () => fake.handlers);

const nu = (apiKey = KEY) => new NucleusClient({ apiKey, endpoint: BASE, maxRetries: 0 });
const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ reference_id: `img-${i}`, image_location: `s3://b/img-${i}.jpg` }));

describe('Nucleus client in Chromium (MSW browser worker)', () => {
  it('creates a dataset, appends in batches, lists datasets and iterates items page by page', async () => {
    const { dataset_id } = await nu().datasets.create({
      name: 'cars',
      is_scene: false,
      use_privacy_mode: false,
    });
    const appended = await nu().datasets.append(dataset_id, items(45));
    expect(appended).toMatchObject({ new_items: 45, ignored_items: 0, errors: [] });
    expect(await nu().datasets.list()).toEqual([{ id: dataset_id, name: 'cars', is_public: false }]);

    const seen: string[] = [];
    for await (const item of nu().datasetItems.iterate(dataset_id, { pageSize: 10 }))
      seen.push(String(item.reference_id));
    expect(seen).toEqual(items(45).map((x) => x.reference_id));
    expect(fake.journal.filter((e) => e.operationId === 'listDatasetItems')).toHaveLength(5);
  });

  it('error paths: a wrong key is AuthenticationError without the key, an over-limit append InvalidParamsError', async () => {
    const denied = await failure(nu('wrong-key').datasets.list());
    expect(denied).toBeInstanceOf(AuthenticationError);
    expect(denied.message).not.toContain('wrong-key');

    const { dataset_id } = await nu().datasets.create({
      name: 'x',
      is_scene: false,
      use_privacy_mode: false,
    });
    const body = {
      items: items(30).map((x) => ({
        reference_id: x.reference_id,
        image_url: x.image_location,
        metadata: {},
      })),
      update: false,
    };
    const tooMany = await failure(nu().datasetItems.append(dataset_id, body));
    expect(tooMany).toBeInstanceOf(InvalidParamsError);
    expect(tooMany.message).toMatch(/at most 29/);
  });
});
