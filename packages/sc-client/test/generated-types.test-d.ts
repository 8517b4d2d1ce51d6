/**
 * Type test of what tools/codegen generates from openapi/sc.yaml (vitest typechecks `*.test-d.ts`): a misspelled path,
 * method or field must not compile, and every `@ts-expect-error` fails the run if the line it guards ever starts
 * compiling.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { components, operationTypes, paths } from '../src/generated/index.js';
import { operations, resources } from '../src/generated/index.js';

type Project = components['schemas']['Project'];
type Image = components['schemas']['Image'];
type ScError = components['schemas']['Error'];

const projectsPath = '/workspaces/{workspace_id}/projects';
const imagesPath = '/workspaces/{workspace_id}/projects/{project_id}/datasets/{dataset_id}/media/images';
const misspelledImagesPath =
  '/workspaces/{workspace_id}/projects/{project_id}/datasets/{dataset_id}/medias/images';

describe('sc generated types', () => {
  it('has the recorded routes with their workspace/project/dataset parameters', () => {
    expectTypeOf<paths>().toHaveProperty('/workspaces');
    expectTypeOf<paths>().toHaveProperty(`${projectsPath}/`);
    expectTypeOf<paths>().toHaveProperty(projectsPath);
    expectTypeOf<paths>().toHaveProperty(`${projectsPath}/{project_id}`);
    expectTypeOf<paths>().toHaveProperty(imagesPath);
    expectTypeOf<paths>().toHaveProperty(`${imagesPath}/{image_id}`);
    expectTypeOf<paths[typeof imagesPath]['parameters']['path']>().toEqualTypeOf<{
      workspace_id: string;
      project_id: string;
      dataset_id: string;
    }>();
    // @ts-expect-error: misspelled path (media, not medias)
    expectTypeOf<paths[typeof misspelledImagesPath]>().toBeObject();
    // @ts-expect-error: SC has no organization level (that is Geti > 1.8)
    expectTypeOf<paths['/organizations/{organization_id}/workspaces/{workspace_id}/projects']>().toBeObject();
  });

  it('types the component fields as recorded', () => {
    expectTypeOf<Project['creation_time']>().toEqualTypeOf<string>();
    expectTypeOf<Image['type']>().toEqualTypeOf<'image'>();
    expectTypeOf<Image['media_information']['width']>().toEqualTypeOf<number>();
    expectTypeOf<components['schemas']['Label']['parent_id']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<ScError>().toEqualTypeOf<{ error_code: string; http_status: number; message: string }>();
    // @ts-expect-error: misspelled field of a component schema
    expectTypeOf<Project['creation_tme']>().toBeString();
    // @ts-expect-error: the page's total is media_count, not a count field
    expectTypeOf<components['schemas']['MediaPage']['count']>().toBeObject();
  });

  it('ties operation types to the component schemas', () => {
    type Created = operationTypes['createProject']['responses'][201]['content']['application/json'];
    expectTypeOf<Created>().toEqualTypeOf<Project>();
    type Locked = operationTypes['deleteProject']['responses'][409]['content']['application/json'];
    expectTypeOf<Locked>().toEqualTypeOf<ScError>();
  });

  it('keeps method, path and pagination literal in the resource table', () => {
    expectTypeOf(resources.projects.operations.list.method).toEqualTypeOf<'get'>();
    expectTypeOf(
      resources.projects.operations.list.path,
    ).toEqualTypeOf<'/workspaces/{workspace_id}/projects/'>();
    expectTypeOf(resources.projects.operations.create.path).toEqualTypeOf<typeof projectsPath>();
    expectTypeOf(resources.projects.operations.create.successStatus).toEqualTypeOf<201>();
    expectTypeOf(resources.projects.operations.update.method).toEqualTypeOf<'put'>();
    expectTypeOf(resources.projects.operations.delete.method).toEqualTypeOf<'delete'>();
    expectTypeOf(resources.images.operations.list.path).toEqualTypeOf<typeof imagesPath>();
    expectTypeOf(resources.images.operations.list.pagination.style).toEqualTypeOf<'next-link'>();
    expectTypeOf(resources.images.operations.list.pagination.next).toEqualTypeOf<'next_page'>();
    expectTypeOf(operations.createImage.bodyContentType).toEqualTypeOf<'multipart/form-data'>();
    expectTypeOf<paths[typeof resources.images.operations.delete.path]>().toHaveProperty('delete');
    // @ts-expect-error: SC projects are not paged
    expectTypeOf(resources.projects.operations.list.pagination).toBeObject();
    // @ts-expect-error: the SC-era client has no GET of a single project
    expectTypeOf(resources.projects.operations.get).toBeObject();
  });
});
