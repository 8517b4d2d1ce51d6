/**
 * Type test of what tools/codegen generates from openapi/nucleus.yaml (vitest typechecks `*.test-d.ts`): a
 * misspelled path, method or field must not compile, and every `@ts-expect-error` fails the run if the line it guards
 * ever starts compiling.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { components, GeneratedNucleusClient, operationTypes, paths } from '../src/generated/index.js';
import { operations, resources } from '../src/generated/index.js';

type Schemas = components['schemas'];
type Dataset = Schemas['Dataset'];
type AsyncJob = Schemas['AsyncJob'];
type Json<Op extends keyof operationTypes> = operationTypes[Op] extends {
  responses: { 200: { content: { 'application/json': infer R } } };
}
  ? R
  : never;
type Body<Op extends keyof operationTypes> = NonNullable<
  operationTypes[Op]['requestBody']
>['content']['application/json'];

describe('nucleus generated types', () => {
  it('has the real routes, irregular ones included, relative to https://api.scale.com/v1/nucleus', () => {
    expectTypeOf<paths>().toHaveProperty('/dataset/details');
    expectTypeOf<paths>().toHaveProperty('/dataset/');
    expectTypeOf<paths>().toHaveProperty('/models/');
    expectTypeOf<paths>().toHaveProperty('/slice/');
    expectTypeOf<paths>().toHaveProperty('/jobs/');
    expectTypeOf<paths>().toHaveProperty('/model/run/{model_id}/');
    expectTypeOf<paths>().toHaveProperty('/{dataset_id}/upload_scenes');
    expectTypeOf<paths>().toHaveProperty('/{dataset_id}/upload_video_scenes');
    expectTypeOf<paths>().toHaveProperty('/{dataset_id}/list_autotags');
    expectTypeOf<paths['/dataset/{dataset_id}/itemsPage']>().toHaveProperty('post');
    expectTypeOf<paths['/dataset/{dataset_id}/refloc/{reference_id}']>().toHaveProperty('delete');
    // @ts-expect-error: misspelled path (the route is dataset/details)
    expectTypeOf<paths['/datasets/details']>().toBeObject();
    // @ts-expect-error: the job list route keeps its trailing slash
    expectTypeOf<paths['/jobs']>().toBeObject();
    // @ts-expect-error: scene uploads have no `dataset/` prefix
    expectTypeOf<paths['/dataset/{dataset_id}/upload_scenes']>().toBeObject();
  });

  it('types every annotation type by its literal type and geometry', () => {
    expectTypeOf<Schemas['BoxAnnotation']['type']>().toEqualTypeOf<'box' | undefined>();
    expectTypeOf<Schemas['BoxAnnotation']['geometry']>().toEqualTypeOf<Schemas['BoxGeometry']>();
    expectTypeOf<Schemas['BoxGeometry']['width']>().toEqualTypeOf<number>();
    expectTypeOf<Schemas['PolygonAnnotation']['geometry']['vertices']>().toEqualTypeOf<Schemas['Point'][]>();
    expectTypeOf<Schemas['LineAnnotation']['type']>().toEqualTypeOf<'line' | undefined>();
    expectTypeOf<Schemas['KeypointsAnnotation']['geometry']['skeleton']>().toEqualTypeOf<
      number[][] | null | undefined
    >();
    expectTypeOf<Schemas['Keypoint']['x']>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<Schemas['CuboidAnnotation']['geometry']['yaw']>().toEqualTypeOf<number>();
    expectTypeOf<Schemas['CategoryAnnotation']['type']>().toEqualTypeOf<'category' | undefined>();
    expectTypeOf<Schemas['SceneCategoryAnnotation']['type']>().toEqualTypeOf<'category' | undefined>();
    expectTypeOf<Schemas['MultiCategoryAnnotation']['labels']>().toEqualTypeOf<string[]>();
    expectTypeOf<Schemas['SegmentationAnnotation']['annotations']>().toEqualTypeOf<Schemas['Segment'][]>();
    expectTypeOf<Schemas['BoxAnnotation']>().toExtend<Schemas['Annotation']>();
    expectTypeOf<Schemas['SegmentationAnnotation']>().toExtend<Schemas['AnyAnnotation']>();
    expectTypeOf<Schemas['Prediction']>().toHaveProperty('confidence');
    // @ts-expect-error: a multi-category has `labels`, not `label`
    expectTypeOf<Schemas['MultiCategoryAnnotation']['label']>().toBeString();
    // @ts-expect-error: camelCase is not the wire name (wire names stay snake_case)
    expectTypeOf<AsyncJob['jobId']>().toBeString();
  });

  it('ties operation types to the component schemas, bare arrays and unions included', () => {
    expectTypeOf<Json<'listDatasets'>>().toEqualTypeOf<Dataset[]>();
    expectTypeOf<Json<'listJobs'>>().toEqualTypeOf<AsyncJob[]>();
    expectTypeOf<Json<'listJobErrors'>>().toEqualTypeOf<string[]>();
    expectTypeOf<Json<'appendDatasetItems'>>().toEqualTypeOf<Schemas['UploadResponse'] | AsyncJob>();
    expectTypeOf<Body<'appendDatasetItems'>>().toEqualTypeOf<
      Schemas['AppendItemsRequest'] | Schemas['AsyncUploadRequest']
    >();
    expectTypeOf<Body<'listDatasetItems'>>().toEqualTypeOf<Schemas['PageRequest']>();
    expectTypeOf<Schemas['PageRequest']['pageToken']>().toEqualTypeOf<string | null | undefined>();
    // DELETE with a JSON body, as the server has it.
    expectTypeOf<Body<'removeDatasetTags'>>().toEqualTypeOf<{ tags: string[] }>();
    expectTypeOf<Body<'deleteAnnotations'>['reference_ids']>().toEqualTypeOf<string[]>();
    // The async switch of §2.3.
    type AppendQuery = NonNullable<operationTypes['appendDatasetItems']['parameters']['query']>;
    expectTypeOf<AppendQuery['async']>().toEqualTypeOf<0 | 1 | undefined>();
    type ChartsQuery = NonNullable<operationTypes['getEvaluationV2Charts']['parameters']['query']>;
    expectTypeOf<ChartsQuery['iouThreshold']>().toEqualTypeOf<number | undefined>();
    type ItemPath = operationTypes['deleteDatasetItem']['parameters']['path'];
    expectTypeOf<ItemPath>().toEqualTypeOf<{ dataset_id: string; reference_id: string }>();
  });

  it('keeps method, path, idempotency and pagination literal in the resource table', () => {
    expectTypeOf(resources.datasets.operations.list.method).toEqualTypeOf<'get'>();
    expectTypeOf(resources.datasets.operations.list.path).toEqualTypeOf<'/dataset/details'>();
    expectTypeOf(resources.datasets.operations.get.path).toEqualTypeOf<'/dataset/{dataset_id}/info'>();
    expectTypeOf(resources.datasets.operations.create.method).toEqualTypeOf<'post'>();
    expectTypeOf(resources.datasets.operations.delete.method).toEqualTypeOf<'delete'>();
    expectTypeOf(resources.dataset_items.accessor).toEqualTypeOf<'datasetItems'>();
    expectTypeOf(resources.evaluations_v2.accessor).toEqualTypeOf<'evaluationsV2'>();
    expectTypeOf(resources.jobs.operations.get.path).toEqualTypeOf<'/job/{job_id}/info'>();
    expectTypeOf(resources.jobs.operations.list.path).toEqualTypeOf<'/jobs/'>();
    expectTypeOf(resources.jobs.operations.list.idempotent).toEqualTypeOf<true>();
    expectTypeOf(resources.dataset_items.operations.append.idempotent).toEqualTypeOf<false>();
    expectTypeOf(operations.listDatasetItems.pagination.style).toEqualTypeOf<'token'>();
    expectTypeOf(operations.listDatasetItems.pagination.items).toEqualTypeOf<'items'>();
    expectTypeOf(operations.listDatasetExportRows.pagination.items).toEqualTypeOf<'data'>();
    expectTypeOf(operations.listEvaluationV2Examples.pagination.style).toEqualTypeOf<'offset'>();
    // The table's path indexes `paths`, so a typo in either would not compile.
    expectTypeOf<paths[typeof resources.slices.operations.get.path]>().toHaveProperty('get');
    // @ts-expect-error: Nucleus has no dataset update route
    expectTypeOf(resources.datasets.operations.update).toBeObject();
    // @ts-expect-error: jobs are created by other operations, never directly
    expectTypeOf(resources.jobs.operations.create).toBeObject();
  });

  it('takes either member of a union body as method params, without casts', () => {
    type Append = GeneratedNucleusClient['datasetItems']['append'];
    const item = { reference_id: 'a', image_url: 's3://b/a.jpg', metadata: {} };
    expectTypeOf<Append>().toBeCallableWith('ds_1', { items: [item], update: false });
    expectTypeOf<Append>().toBeCallableWith('ds_1', { requestId: 'r1', update: true, async: 1 });
    type Annotate = GeneratedNucleusClient['annotations']['upload'];
    expectTypeOf<Annotate>().toBeCallableWith('ds_1', { update: false, annotations: [] });
    expectTypeOf<Annotate>().toBeCallableWith('ds_1', { requestId: 'r1', update: false, async: 1 });
    type Predict = GeneratedNucleusClient['modelRuns']['predict'];
    expectTypeOf<Predict>().toBeCallableWith('run_1', { requestId: 'r1', update: false, async: 1 });
    // A field the server defaults (`default:` in a request schema made it required) is optional.
    expectTypeOf<GeneratedNucleusClient['datasets']['create']>().toBeCallableWith({ name: 'cars' });
    expectTypeOf<Append>().toBeCallableWith('ds_1', { items: [item] });
    expectTypeOf<GeneratedNucleusClient['datasetExports']['list']>().toBeCallableWith('ds_1', {
      pageSize: 10,
    });
    expectTypeOf<GeneratedNucleusClient['jobs']['list']>().toBeCallableWith({ show_completed: true });
    // @ts-expect-error: `items` is an array of item payloads
    expectTypeOf<Append>().toBeCallableWith('ds_1', { items: 5, update: false });
    // @ts-expect-error: an item payload needs its reference_id
    expectTypeOf<Append>().toBeCallableWith('ds_1', { items: [{ image_url: 's3://b/a.jpg', metadata: {} }] });
  });

  it('gives the generated client the accessors users call', () => {
    expectTypeOf<GeneratedNucleusClient>().toHaveProperty('datasets');
    expectTypeOf<GeneratedNucleusClient>().toHaveProperty('datasetItems');
    expectTypeOf<GeneratedNucleusClient>().toHaveProperty('slices');
    expectTypeOf<GeneratedNucleusClient>().toHaveProperty('evaluationsV2');
    expectTypeOf<GeneratedNucleusClient['jobs']['get']>().toBeCallableWith('job_1');
    // @ts-expect-error: no `datasetItem` (singular) accessor
    expectTypeOf<GeneratedNucleusClient['datasetItem']>().toBeObject();
  });
});
