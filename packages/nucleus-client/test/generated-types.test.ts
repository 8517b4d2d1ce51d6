/**
 * Smoke test of what tools/codegen generates from openapi/nucleus.yaml.
 *
 * The type half is checked by vitest's typecheck (vitest.config.ts): a misspelled path, method or field must not
 * compile, and every `@ts-expect-error` fails the run if the line it guards ever starts compiling. The runtime half
 * checks that the zod schemas accept the shapes the fact sheet (shared/reference/nucleus-api.md) describes, keep
 * unknown properties, and name the offending field when they reject.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { components, operationTypes, paths } from '../src/generated/index.js';
import { operationSchemas, operations, resources, schemas } from '../src/generated/index.js';

type Dataset = components['schemas']['Dataset'];
type AsyncJob = components['schemas']['AsyncJob'];

describe('nucleus generated types', () => {
  it('has the real routes, relative to https://api.scale.com/v1/nucleus', () => {
    expectTypeOf<paths>().toHaveProperty('/dataset/details');
    expectTypeOf<paths>().toHaveProperty('/dataset/create');
    expectTypeOf<paths>().toHaveProperty('/dataset/{dataset_id}');
    expectTypeOf<paths>().toHaveProperty('/dataset/{dataset_id}/itemsPage');
    expectTypeOf<paths>().toHaveProperty('/jobs/');
    expectTypeOf<paths['/dataset/{dataset_id}/itemsPage']>().toHaveProperty('post');
    // @ts-expect-error: misspelled path (the route is dataset/details)
    expectTypeOf<paths['/datasets/details']>().toBeObject();
    // @ts-expect-error: the job list route keeps its trailing slash
    expectTypeOf<paths['/jobs']>().toBeObject();
  });

  it('types the component fields as the sheet describes them', () => {
    expectTypeOf<Dataset['id']>().toEqualTypeOf<string>();
    expectTypeOf<Dataset['is_public']>().toEqualTypeOf<boolean>();
    expectTypeOf<AsyncJob['job_last_known_status']>().toEqualTypeOf<string>();
    expectTypeOf<components['schemas']['PageRequest']['pageToken']>().toEqualTypeOf<string | null>();
    expectTypeOf<components['schemas']['DatasetInfo']['tags']>().toEqualTypeOf<string[] | null | undefined>();
    // @ts-expect-error: misspelled field of a component schema
    expectTypeOf<Dataset['is_publc']>().toBeBoolean();
    // @ts-expect-error: camelCase is not the wire name (wire names stay snake_case)
    expectTypeOf<AsyncJob['jobId']>().toBeString();
  });

  it('ties operation types to the component schemas', () => {
    type ListResponse = operationTypes['listDatasets']['responses'][200]['content']['application/json'];
    expectTypeOf<ListResponse>().toEqualTypeOf<Dataset[]>();
    type PageBody = NonNullable<
      operationTypes['listDatasetItems']['requestBody']
    >['content']['application/json'];
    expectTypeOf<PageBody>().toEqualTypeOf<components['schemas']['PageRequest']>();
  });

  it('keeps method, path and pagination literal in the resource table', () => {
    expectTypeOf(resources.datasets.operations.list.method).toEqualTypeOf<'get'>();
    expectTypeOf(resources.datasets.operations.list.path).toEqualTypeOf<'/dataset/details'>();
    expectTypeOf(resources.datasets.operations.get.path).toEqualTypeOf<'/dataset/{dataset_id}/info'>();
    expectTypeOf(resources.datasets.operations.create.method).toEqualTypeOf<'post'>();
    expectTypeOf(resources.datasets.operations.delete.method).toEqualTypeOf<'delete'>();
    expectTypeOf(resources.dataset_items.accessor).toEqualTypeOf<'datasetItems'>();
    expectTypeOf(resources.jobs.operations.list.path).toEqualTypeOf<'/jobs/'>();
    expectTypeOf(resources.jobs.operations.list.idempotent).toEqualTypeOf<true>();
    expectTypeOf(operations.listDatasetItems.idempotent).toEqualTypeOf<true>();
    expectTypeOf(operations.listDatasetItems.pagination.style).toEqualTypeOf<'token'>();
    expectTypeOf(operations.listDatasetItems.pagination.tokenParam).toEqualTypeOf<'pageToken'>();
    expectTypeOf(operations.listDatasetItems.pagination.nextToken).toEqualTypeOf<'nextPageToken'>();
    // The table's path indexes `paths`, so a typo in either would not compile.
    expectTypeOf<paths[typeof resources.datasets.operations.list.path]>().toHaveProperty('get');
    // @ts-expect-error: Nucleus has no dataset update route
    expectTypeOf(resources.datasets.operations.update).toBeObject();
    // @ts-expect-error: jobs are created by other operations, never directly
    expectTypeOf(resources.jobs.operations.create).toBeObject();
  });
});

describe('nucleus generated zod schemas', () => {
  it('accepts sheet-shaped datasets and keeps unknown properties', () => {
    const dataset = {
      id: 'ds_bw6de8s84pe0vbn6p5zg',
      name: 'Example',
      is_public: false,
      created_at: '2022-01-01',
    };
    expect(schemas.Dataset.parse(dataset)).toEqual(dataset);
    expect(operationSchemas.listDatasets.response.parse([dataset])).toEqual([dataset]);
  });

  it('rejects a wrong field type and names the field', () => {
    const result = schemas.Dataset.safeParse({ id: 'ds_1', name: 'Example', is_public: 'no' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['is_public']]);
  });

  it('validates an items page with the nested path of a bad field', () => {
    const item = {
      id: 'di_1',
      reference_id: 'img-1',
      image_url: 's3://bucket/img-1.jpg',
      metadata: { camera: 'front' },
      width: 640,
      height: 480,
    };
    const page = { items: [item], nextPageToken: 'token-2' };
    expect(operationSchemas.listDatasetItems.response.parse(page)).toEqual(page);
    expect(
      operationSchemas.listDatasetItems.response.parse({ items: [], nextPageToken: null }).items,
    ).toEqual([]);

    const bad = operationSchemas.listDatasetItems.response.safeParse({ items: [{ ...item, width: '640' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['items', 0, 'width']);
  });

  it('checks the first page request and the job shapes', () => {
    expect(operationSchemas.listDatasetItems.body.parse({ pageToken: null, pageSize: 100_000 })).toEqual({
      pageToken: null,
      pageSize: 100_000,
    });
    expect(operationSchemas.listDatasetItems.body.safeParse({ pageSize: 10 }).success).toBe(false);

    const job = {
      job_id: 'job_c8jwr0ewxpb004apjpkg',
      job_last_known_status: 'Running',
      job_type: 'uploadDatasetItems',
      job_creation_time: '2022-04-12T20:12:26.775Z',
    };
    expect(operationSchemas.getJob.response.parse(job)).toEqual(job);
    const status = { job_id: job.job_id, status: 'Completed', message: { result: [] }, job_progress: '0.80' };
    expect(
      operationSchemas.getJobStatus.response.parse({ ...status, completed_steps: 4, total_steps: 5 }),
    ).toMatchObject(status);
    const badJob = operationSchemas.listJobs.response.safeParse([{ ...job, job_creation_time: 1649794346 }]);
    expect(badJob.error?.issues[0]?.path).toEqual([0, 'job_creation_time']);
    expect(operationSchemas.listJobs.body.safeParse({ show_completed: false, limit: 50_001 }).success).toBe(
      false,
    );
  });
});
