/**
 * Type test of what tools/codegen generates from openapi/sc.yaml (vitest typechecks `*.test-d.ts`): a misspelled path,
 * method or field must not compile, and every `@ts-expect-error` fails the run if the line it guards ever starts
 * compiling.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ImageDownloadResponse,
  ModelExportResponse,
  ModelOptimizeParams,
  ModelOptimizeResponse,
} from '../src/generated/resources/index.js';
import { operations, resources } from '../src/generated/resources.js';
import type { components, operations as operationTypes, paths } from '../src/generated/types.js';

type Schemas = components['schemas'];
type Project = Schemas['Project'];
type Image = Schemas['Image'];
type ScError = Schemas['Error'];

const projectsPath = '/workspaces/{workspace_id}/projects';
const datasetPath = `${projectsPath}/{project_id}/datasets/{dataset_id}` as const;
const imagesPath = `${datasetPath}/media/images` as const;
const framePath = `${datasetPath}/media/videos/{video_id}/frames/{frame_index}` as const;

describe('sc generated types', () => {
  it('has the SC-era routes of sc-api.md §3, the recorded trailing-slash list and the Geti colon routes', () => {
    expectTypeOf<paths>().toHaveProperty('/product_info');
    expectTypeOf<paths>().toHaveProperty('/workspaces');
    expectTypeOf<paths>().toHaveProperty(`${projectsPath}/`);
    expectTypeOf<paths>().toHaveProperty(`${projectsPath}/{project_id}/status`);
    expectTypeOf<paths>().toHaveProperty(`${imagesPath}/{image_id}/display/full`);
    expectTypeOf<paths>().toHaveProperty(`${imagesPath}/{image_id}/annotations/latest`);
    expectTypeOf<paths>().toHaveProperty(`${imagesPath}/{image_id}/predictions/{prediction_mode}`);
    expectTypeOf<paths>().toHaveProperty(`${framePath}/display/full`);
    expectTypeOf<paths>().toHaveProperty(`${framePath}/annotations`);
    expectTypeOf<paths>().toHaveProperty(`${projectsPath}/{project_id}/configuration/task_chain/{task_id}`);
    expectTypeOf<paths>().toHaveProperty(`${projectsPath}/{project_id}:train`);
    expectTypeOf<paths>().toHaveProperty(`${datasetPath}/media:query`);
    expectTypeOf<paths>().toHaveProperty('/workspaces/{workspace_id}/jobs/{job_id}');
    expectTypeOf<paths[`${typeof imagesPath}/{image_id}`]['parameters']['path']>().toEqualTypeOf<{
      workspace_id: string;
      project_id: string;
      dataset_id: string;
      image_id: string;
    }>();
    expectTypeOf<
      paths[`${typeof framePath}/display/full`]['parameters']['path']['frame_index']
    >().toEqualTypeOf<number>();
    expectTypeOf<
      paths[`${typeof imagesPath}/{image_id}/predictions/{prediction_mode}`]['parameters']['path']['prediction_mode']
    >().toEqualTypeOf<'auto' | 'latest' | 'online'>();
    // @ts-expect-error: misspelled path (media, not medias)
    expectTypeOf<paths[`${datasetPath}/medias/images`]>().toBeObject();
    // @ts-expect-error: the organization is a server variable, never part of a path template
    expectTypeOf<paths['/organizations/{organization_id}/workspaces/{workspace_id}/projects']>().toBeObject();
  });

  it('types the shapes, media identifiers and error body as the fact sheet describes them', () => {
    expectTypeOf<Schemas['Shape']['type']>().toEqualTypeOf<
      'RECTANGLE' | 'ELLIPSE' | 'POLYGON' | 'ROTATED_RECTANGLE'
    >();
    expectTypeOf<Extract<Schemas['Shape'], { type: 'ROTATED_RECTANGLE' }>['angle']>().toEqualTypeOf<number>();
    expectTypeOf<Extract<Schemas['Shape'], { type: 'POLYGON' }>['points']>().toEqualTypeOf<
      { x: number; y: number }[]
    >();
    // @ts-expect-error: an axis-aligned rectangle has no angle
    expectTypeOf<Schemas['Rectangle']['angle']>().toBeNumber();
    expectTypeOf<Schemas['MediaIdentifier']['type']>().toEqualTypeOf<'image' | 'video_frame' | 'video'>();
    expectTypeOf<Extract<Schemas['MediaIdentifier'], { type: 'video_frame' }>['frame_index']>().toBeNumber();
    expectTypeOf<Schemas['ProductInfo']['product-version']>().toBeString();
    expectTypeOf<Project['creation_time']>().toEqualTypeOf<string>();
    expectTypeOf<Image['type']>().toEqualTypeOf<'image'>();
    expectTypeOf<Schemas['Video']['media_information']['frame_stride']>().toBeNumber();
    expectTypeOf<Schemas['Label']['parent_id']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<ScError>().toEqualTypeOf<{ error_code: string; http_status: number; message: string }>();
    expectTypeOf<Schemas['ConfigurableParameter']['value']>().toEqualTypeOf<number | boolean | string>();
    // @ts-expect-error: misspelled field of a component schema
    expectTypeOf<Project['creation_tme']>().toBeString();
    // @ts-expect-error: the page's total is media_count, not a count field
    expectTypeOf<Schemas['ImagePage']['count']>().toBeObject();
  });

  it('ties operation types to the component schemas, including the no-content answers', () => {
    type Created = operationTypes['createProject']['responses'][201]['content']['application/json'];
    expectTypeOf<Created>().toEqualTypeOf<Project>();
    type Scene = operationTypes['getImageAnnotation']['responses'][200]['content']['application/json'];
    expectTypeOf<Scene>().toEqualTypeOf<Schemas['AnnotationScene']>();
    expectTypeOf<
      operationTypes['getImageAnnotation']['responses'][204]['content']
    >().toEqualTypeOf<undefined>();
    type Posted = NonNullable<
      operationTypes['createImageAnnotation']['requestBody']
    >['content']['application/json'];
    expectTypeOf<Posted>().toEqualTypeOf<Schemas['AnnotationScenePost']>();
    type Upload = operationTypes['createImage']['requestBody']['content']['multipart/form-data'];
    expectTypeOf<Upload>().toEqualTypeOf<Schemas['MediaUpload']>();
    type TrainBody = operationTypes['trainProject']['requestBody']['content']['application/json'];
    expectTypeOf<TrainBody>().toEqualTypeOf<
      Schemas['TrainParams'][] | { training_parameters: Schemas['TrainParams'][] }
    >();
  });

  it('keeps method, path, pagination, servers and era literal in the resource table', () => {
    expectTypeOf(resources.projects.operations.list.path).toEqualTypeOf<typeof projectsPath>();
    expectTypeOf(resources.projects.operations.get.method).toEqualTypeOf<'get'>();
    expectTypeOf(resources.projects.operations.create.successStatus).toEqualTypeOf<201>();
    expectTypeOf(
      resources.projects.operations.trainTask.path,
    ).toEqualTypeOf<`${typeof projectsPath}/{project_id}:train`>();
    expectTypeOf(operations.listProjectsTrailingSlash.path).toEqualTypeOf<`${typeof projectsPath}/`>();
    expectTypeOf(resources.images.operations.list.pagination.style).toEqualTypeOf<'next-link'>();
    expectTypeOf(resources.images.operations.list.pagination.next).toEqualTypeOf<'next_page'>();
    expectTypeOf(resources.images.operations.download.responseType).toEqualTypeOf<'binary'>();
    expectTypeOf(resources.media.operations.query.idempotent).toEqualTypeOf<true>();
    expectTypeOf(resources.image_annotations.operations.create.idempotent).toEqualTypeOf<true>();
    expectTypeOf(operations.createImage.bodyContentType).toEqualTypeOf<'multipart/form-data'>();
    expectTypeOf(resources.product_info.operations.get.servers).toEqualTypeOf<
      readonly ['https://{host}/api/{api_version}']
    >();
    expectTypeOf(resources.media.operations.query.extensions.era).toEqualTypeOf<'geti'>();
    expectTypeOf(resources.projects.operations.train.extensions.era).toEqualTypeOf<'sc'>();
    // @ts-expect-error: the trailing-slash list is reachable by operationId only, not as a resource method
    expectTypeOf(resources.projects.operations.listTrailingSlash).toBeObject();
    // @ts-expect-error: SC projects are not paged by next link (Geti's limit/skip walk is left to the client)
    expectTypeOf(resources.projects.operations.list.pagination).toBeObject();
    // @ts-expect-error: labels have no route of their own (they live in the project pipeline)
    expectTypeOf(resources.labels).toBeObject();
  });

  it('types methods as the runtime calls them: a closed `{}` body adds no params; a binary body is an ArrayBuffer', () => {
    // `models.optimize` takes `{}` (additionalProperties: false): its params are the path ids, not `never`.
    expectTypeOf<ModelOptimizeParams>().toEqualTypeOf<{
      workspace_id: string;
      project_id: string;
      model_group_id: string;
    }>();
    expectTypeOf<ModelOptimizeResponse>().toEqualTypeOf<{ job_id: string }>();
    // application/zip and image bodies: base-client's 'binary' responseType hands over an ArrayBuffer.
    expectTypeOf<ModelExportResponse>().toEqualTypeOf<ArrayBuffer>();
    expectTypeOf<ImageDownloadResponse>().toEqualTypeOf<ArrayBuffer>();
  });
});
