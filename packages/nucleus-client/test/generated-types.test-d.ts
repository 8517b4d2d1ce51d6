/**
 * Type test of what tools/codegen generates from openapi/nucleus.yaml (vitest typechecks `*.test-d.ts`): a
 * misspelled path, method or field must not compile, and every `@ts-expect-error` fails the run if the line it guards
 * ever starts compiling.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { components, operationTypes, paths } from '../src/generated/index.js';
import { operations, resources } from '../src/generated/index.js';

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
