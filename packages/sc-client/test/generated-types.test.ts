/**
 * Smoke test of what tools/codegen generates from openapi/sc.yaml.
 *
 * The type half is checked by vitest's typecheck (vitest.config.ts): a misspelled path, method or field must not
 * compile, and every `@ts-expect-error` fails the run if the line it guards ever starts compiling. The runtime half
 * feeds the zod schemas response bodies recorded from a real SC 1.1 server (shared/fixtures/sc-cassettes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parse } from 'yaml';
import type { components, operationTypes, paths } from '../src/generated/index.js';
import { operationSchemas, operations, resources, schemas } from '../src/generated/index.js';

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

/** Recorded response bodies (JSON strings) of one cassette, by method + path (api prefix and ids kept). */
function recorded(cassette: string): { method: string; path: string; status: number; body: unknown }[] {
  const file = resolve(
    dirname(fileURLToPath(import.meta.url)),
    '../../../../shared/fixtures/sc-cassettes',
    cassette,
  );
  if (!existsSync(file))
    throw new Error(`SC cassette not found at ${file}: needs ../shared/fixtures next to the repo`);
  const doc = parse(readFileSync(file, 'utf8'), { schema: 'yaml-1.1' }) as {
    interactions: {
      request: { method: string; uri: string };
      response: { status: { code: number }; body: { string: string } };
    }[];
  };
  return doc.interactions
    .filter((i) => i.request.uri.includes('/api/v1.0/') && typeof i.response.body.string === 'string')
    .map((i) => ({
      method: i.request.method,
      path: new URL(i.request.uri).pathname.replace('/api/v1.0', ''),
      status: i.response.status.code,
      body: JSON.parse(i.response.body.string) as unknown,
    }));
}

describe('sc generated zod schemas against recorded traffic', () => {
  const projectCalls = recorded('TestProjectManager.test_create_and_delete_project.yaml');
  const imageCalls = recorded('TestImageManager.test_upload_and_delete_image.yaml');

  it('accepts the recorded project list and keeps unknown properties', () => {
    const lists = projectCalls.filter((c) => c.method === 'GET' && c.path.endsWith('/projects/'));
    expect(lists.length).toBeGreaterThan(0);
    for (const { body } of lists) {
      const parsed = operationSchemas.listProjects.response.parse(body);
      expect(parsed).toEqual(body);
      expect(parsed.items?.length).toBeGreaterThan(0);
    }
    const project = (lists[0]?.body as { items: Record<string, unknown>[] }).items[0];
    const withExtra = { ...project, performance_score: 0.5 };
    expect(schemas.Project.parse(withExtra)).toHaveProperty('performance_score', 0.5);
  });

  it('accepts the recorded image page, upload and delete responses', () => {
    const pages = imageCalls.filter((c) => c.method === 'GET' && c.path.endsWith('/media/images'));
    expect(pages.map((c) => operationSchemas.listImages.response.parse(c.body).media.length)).toContain(1);
    const upload = imageCalls.find((c) => c.method === 'POST' && c.path.endsWith('/media/images'));
    expect(operationSchemas.createImage.response.parse(upload?.body)).toEqual(upload?.body);
    const deleted = imageCalls.find((c) => c.method === 'DELETE');
    expect(operationSchemas.deleteImage.response.parse(deleted?.body)).toEqual({ result: 'success' });
  });

  it('rejects a wrong field type and names the field path', () => {
    const upload = imageCalls.find((c) => c.method === 'POST' && c.path.endsWith('/media/images'))
      ?.body as Image;
    const bad = schemas.Image.safeParse({
      ...upload,
      media_information: { ...upload.media_information, height: '256' },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.path)).toEqual([['media_information', 'height']]);

    const badPage = operationSchemas.listImages.response.safeParse({
      media: [upload],
      media_count: { images: '1' },
    });
    expect(badPage.error?.issues[0]?.path).toEqual(['media_count', 'images']);
  });

  it('parses the real error body (409 project_locked)', () => {
    // Recorded in TestSCRESTClient.test_create_single_task_project_from_dataset-segmentation.yaml (DELETE project).
    const locked = {
      error_code: 'project_locked',
      http_status: 409,
      message:
        'Project sdk_test_segmentation_project_from_dataset is locked for deletion/modification. Please wait until ' +
        'all jobs related to this project are finished or cancel them to allow deletion/modification.',
    };
    expect(schemas.Error.parse(locked)).toEqual(locked);
    expect(schemas.Error.safeParse({ ...locked, http_status: '409' }).error?.issues[0]?.path).toEqual([
      'http_status',
    ]);
  });
});
