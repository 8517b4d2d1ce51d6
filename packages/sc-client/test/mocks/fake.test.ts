/** The SC fake through the real client: login dance, projects, media paging, annotations, configuration, 409. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConflictError } from '@mlclients/package-core';
import { describe, expect, it } from 'vitest';
import { DatasetValidationError } from '../../src/index.js';
import { listMedia, projectByName, refOf } from '../../src/lib/api.js';
import {
  createProjectSingleTaskFromDataset,
  createTaskChainProjectFromDataset,
} from '../../src/lib/create-from-dataset.js';
import { fakeClient } from '../helpers/fake-client.js';

const FIXTURES = resolve(fileURLToPath(import.meta.url), '../../fixtures/coco-blocks');
const imagesPath = resolve(FIXTURES, 'images/NONE');
const annotationsPath = resolve(FIXTURES, 'annotations/instances_NONE.json');

describe('SC fake', () => {
  it('logs in through the redirect dance and discovers SC 1.1', async () => {
    const { sc, fake } = fakeClient();
    expect(await sc.serverInfo()).toMatchObject({
      version: '1.1',
      apiPath: '/api/v1.0',
      coordinates: 'normalized',
      workspaceId: fake.state.workspaceId,
    });
    expect(fake.journal.filter((e) => e.operationId === '(login)').map((e) => e.path)).toEqual([
      '/user/login',
      '/oauth2/start',
      '/dex/auth',
      '/dex/auth/ldap',
      '/dex/auth/ldap/login',
      '/dex/auth/ldap/login',
      '/dex/approval',
      '/oauth2/callback',
      '/',
    ]);
  });

  it('wrong password: one error, no API call answered', async () => {
    const { sc, fake } = fakeClient({}, { password: 'nope-not-it' });
    await expect(sc.serverInfo()).rejects.toThrow(/authentication failed/);
    expect(fake.counts.api).toBe(0);
  });

  it('an expired session mid-way: the client logs in again once and the call succeeds', async () => {
    const { sc, fake } = fakeClient();
    const ws = await sc.workspaceId();
    fake.expireSessions();
    await expect(sc.call('listProjects', { workspace_id: ws })).resolves.toEqual({ items: [] });
    expect(sc.session.logins).toBe(2);
    // withOptions keeps the session: no third login.
    const again = sc.withOptions({ maxRetries: 1 });
    await expect(again.call('listProjects', { workspace_id: ws })).resolves.toEqual({ items: [] });
    expect(again.session).toBe(sc.session);
    expect(sc.session.logins).toBe(2);
  });

  it('creates a detection project from COCO, pages media with the extra empty page, stores annotations', async () => {
    const { sc, fake } = fakeClient({ pageSize: 5 });
    const project = await createProjectSingleTaskFromDataset(sc, {
      projectName: 'blocks',
      projectType: 'detection',
      imagesPath,
      annotationsPath,
    });
    expect(project.pipeline.tasks[1]?.labels?.map((l) => l.name)).toEqual(['cylinder', 'cube', 'No Object']);
    fake.journal.length = 0;
    const media = await listMedia(sc, await refOf(sc, project), 'images');
    expect(media).toHaveLength(16);
    // 16 items at 5 per page: 4 pages, then the empty one.
    expect(fake.journal.filter((e) => e.operationId === 'listImages')).toHaveLength(5);
    const stored = fake.state.projects.get(project.id);
    expect(stored?.annotations.size).toBe(16);
    const task = stored?.config.get(project.pipeline.tasks[1]?.id as string);
    expect(task?.auto_training).toBe(true);
    expect(fake.engine.conformance.checked).toBeGreaterThan(30);
    expect(fake.engine.conformance.problems).toEqual([]);
  });

  it('task chain detection -> classification: crop task inserted, classification labels on the detection rectangles', async () => {
    const { sc, fake } = fakeClient();
    const project = await createTaskChainProjectFromDataset(sc, {
      projectName: 'chain',
      projectType: 'detection_to_classification',
      imagesPath,
      annotationsPath,
      tasks: [
        { labels: ['block'], groupLabels: { block: ['cube', 'cylinder'] } },
        { labels: ['cube', 'cylinder'] },
      ],
      enableAutoTrain: false,
    });
    expect(project.pipeline.tasks.map((t) => t.task_type)).toEqual([
      'dataset',
      'detection',
      'crop',
      'classification',
    ]);
    const scene = [...(fake.state.projects.get(project.id)?.annotations.values() ?? [])][0];
    expect(scene?.annotations[0]?.labels.map((l) => l.name).sort()).toEqual(
      expect.arrayContaining(['block']),
    );
    expect(scene?.annotations.every((a) => a.labels.length === 2)).toBe(true);
  });

  it('a locked project answers 409 project_locked on delete', async () => {
    const { sc, fake } = fakeClient();
    const project = await createProjectSingleTaskFromDataset(sc, {
      projectName: 'p',
      projectType: 'detection',
      imagesPath,
      annotationsPath,
      numberOfImagesToUpload: 2,
    });
    (fake.state.projects.get(project.id) as { locked: boolean }).locked = true;
    const err = await sc
      .call('deleteProject', { workspace_id: await sc.workspaceId(), project_id: project.id })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).code).toBe('project_locked');
    expect(await projectByName(sc, 'p')).toBeDefined();
  });

  it('bad COCO input: one error listing every problem, and no request at all', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(resolve(tmpdir(), 'sc-coco-'));
    const coco = {
      images: [
        { id: 1, file_name: 'WIN_20220406_21_25_44_Pro.jpg', width: 455, height: 256 },
        { id: 2, file_name: 'missing.jpg', width: 10, height: 10 },
      ],
      categories: [{ id: 1, name: 'cube' }],
      annotations: [
        { id: 10, image_id: 99, category_id: 1, bbox: [0, 0, 5, 5] },
        { id: 11, image_id: 1, category_id: 1, bbox: [400, 200, 100, 100] },
        { id: 12, image_id: 1, category_id: 7, bbox: [1, 1, 2, 2] },
      ],
    };
    await writeFile(resolve(dir, 'coco.json'), JSON.stringify(coco));
    const { sc, fake } = fakeClient();
    const err = (await createProjectSingleTaskFromDataset(sc, {
      projectName: 'bad',
      projectType: 'detection',
      imagesPath,
      annotationsPath: resolve(dir, 'coco.json'),
    }).catch((e: unknown) => e)) as DatasetValidationError;
    expect(err).toBeInstanceOf(DatasetValidationError);
    expect(err.problems).toEqual([
      expect.stringMatching(/images\[1\] \(id 2\): file not found: .*missing\.jpg/),
      'annotations[0] (id 10): image_id 99 does not exist',
      'annotations[1] (id 11): bbox [400, 200, 100, 100] is outside its image WIN_20220406_21_25_44_Pro.jpg (455x256)',
      'annotations[2] (id 12): unknown category_id 7',
    ]);
    expect(fake.journal).toEqual([]);
  });
});
