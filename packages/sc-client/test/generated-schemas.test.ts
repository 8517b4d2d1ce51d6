/**
 * The zod schemas generated from openapi/sc.yaml accept the response bodies recorded from a real SC 1.1 server
 * (shared/fixtures/sc-cassettes), and name the offending field when they reject.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { components } from '../src/generated/index.js';
import { operationSchemas, schemas } from '../src/generated/index.js';

type Image = components['schemas']['Image'];

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
