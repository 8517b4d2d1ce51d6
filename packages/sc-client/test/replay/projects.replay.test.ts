/**
 * The project, status and algorithm recordings of the Python tool's test suite (SC 1.1), replayed through ScClient:
 * each test makes the calls the Python test made, in its order, and asserts what a user gets back. Every exchange of
 * each cassette must be asked for (`unused()` empty), so a recording the client stops matching fails here.
 */

import { ConflictError } from '@mlclients/package-core';
import { describe, expect, it } from 'vitest';
import type { ProjectCreateParams } from '../../src/generated/resources/projects.js';
import { listProjects, projectByName, ScClient } from '../../src/index.js';
import { projectTemplate } from '../../src/lib/project-template.js';
import type { Project } from '../../src/lib/types.js';
import { readCassette } from '../helpers/cassettes.js';
import { replayFetch } from '../helpers/replay.js';

const WS = '624c004b234370fcf24bf38c';
const LOGIN = ['session.yaml', 'client.yaml'] as const;

function client(...cassettes: string[]) {
  const replay = replayFetch(...LOGIN, ...cassettes);
  const sc = new ScClient({
    host: 'dummy_host',
    username: 'dummy_user',
    password: 'dummy_password',
    fetch: replay.fetch,
    maxRetries: 0,
    validate: 'error',
  });
  /** Exchanges of `cassettes` (not of the login recordings) nobody asked for. */
  const unusedOfCassettes = () => {
    const login = new Set(
      replayFetch(...LOGIN).interactions.map((x) => `${x.request.method} ${x.request.uri}`),
    );
    return replay.unused().filter((u) => !login.has(u));
  };
  return { replay, sc, unusedOfCassettes };
}

/** The body the Python tool POSTed to create the project in `cassette`. */
function recordedCreate(cassette: string): unknown {
  const post = readCassette(cassette).find(
    (e) => e.method === 'POST' && e.url.pathname.endsWith('/projects'),
  );
  return JSON.parse(post?.requestBody as string);
}

function sentCreate(replay: ReturnType<typeof replayFetch>): unknown {
  const post = replay.seen.find((r) => r.method === 'POST' && r.url.endsWith('/projects'));
  return JSON.parse(post?.body as string);
}

/** A name check, then the project built by the tool's template (one task, labels in `<task> label group`). */
async function createChecked(sc: ScClient, name: string, type: string, labels: string[]): Promise<Project> {
  expect(await projectByName(sc, name)).toBeUndefined();
  const created = await sc.projects.create(
    await sc.workspaceId(),
    projectTemplate(name, [type], [labels]) as ProjectCreateParams,
  );
  return created as unknown as Project;
}

describe('projects, replayed', () => {
  it('sdk_test_project_simple: a classification project from the template, as the tool POSTed it', async () => {
    const cassette = 'sdk_test_project_simple.yaml';
    const { sc, replay, unusedOfCassettes } = client(cassette);
    const project = await createChecked(sc, 'sdk_test_project_simple', 'classification', [
      'cube',
      'cylinder',
    ]);
    expect(sentCreate(replay)).toEqual(recordedCreate(cassette));
    const task = project.pipeline.tasks.find((t) => t.task_type === 'classification');
    // A plain classification project gets no empty label from the server (recorded).
    expect(task?.labels?.map((l) => [l.name, l.group, l.is_empty])).toEqual([
      ['cube', 'classification task label group', false],
      ['cylinder', 'classification task label group', false],
    ]);
    expect(project.pipeline.connections).toEqual([
      { from: '6255dd3a234370fcf24c1d24', to: '6255dd3a234370fcf24c1d27' },
    ]);
    expect(project.datasets[0]?.id).toBe('6255dd3a234370fcf24c1d22');
    expect(unusedOfCassettes()).toEqual([]);
  });

  it('sdk_test_project_hierarchical: parents by name become ids, a missing group becomes "default - <task>"', async () => {
    const cassette = 'sdk_test_project_hierarchical.yaml';
    const { sc, unusedOfCassettes } = client(cassette);
    const body = recordedCreate(cassette) as Parameters<typeof sc.projects.create>[1];
    expect(await projectByName(sc, 'sdk_test_project_hierarchical')).toBeUndefined();
    const project = (await sc.projects.create(await sc.workspaceId(), body)) as unknown as Project;
    const labels = project.pipeline.tasks[1]?.labels ?? [];
    const byName = new Map(labels.map((l) => [l.name, l]));
    const animal = byName.get('animal');
    const vehicle = byName.get('vehicle');
    expect(animal?.group).toBe('default - Classification task');
    expect(byName.get('dog')).toMatchObject({
      parent_id: animal?.id,
      group: 'default - Classification task',
    });
    expect(byName.get('taxi')).toMatchObject({ parent_id: vehicle?.id, group: 'vehicle type' });
    expect(byName.get('grey')).toMatchObject({ parent_id: vehicle?.id, group: 'vehicle color' });
    expect(labels).toHaveLength(11);
    expect(unusedOfCassettes()).toEqual([]);
  });

  it('TestProjectManager: list every project, then delete one by name', async () => {
    const { sc, unusedOfCassettes } = client(
      'TestProjectManager.test_get_all_projects.yaml',
      'TestProjectManager.test_create_and_delete_project.yaml',
    );
    const all = await listProjects(sc);
    expect(all.length).toBeGreaterThan(1);
    expect(all.every((p) => p.datasets.length === 1 && typeof p.id === 'string')).toBe(true);
    // test_create_and_delete_project: get_or_create finds the project, the test checks once more, then deletes.
    const found = await projectByName(sc, 'sdk_test_project_simple');
    expect(found?.id).toBe('6255dd3a234370fcf24c1d23');
    expect((await projectByName(sc, 'sdk_test_project_simple'))?.id).toBe(found?.id);
    await expect(
      sc.projects.delete(found?.id as string, { workspace_id: await sc.workspaceId() }),
    ).resolves.toEqual({ result: 'success' });
    expect(await projectByName(sc, 'sdk_test_project_simple')).toBeUndefined();
    expect(unusedOfCassettes()).toEqual([]);
  });

  for (const c of [
    { name: 'sdk_test_project_hierarchical', deletion: 'sdk_test_project_hierarchical_deletion.yaml' },
    {
      name: 'sdk_test_configuration_manager',
      create: 'sdk_test_configuration_manager.yaml',
      deletion: 'sdk_test_configuration_manager_deletion.yaml',
    },
    {
      name: 'sdk_test_image_manager',
      create: 'sdk_test_image_manager.yaml',
      deletion: 'sdk_test_image_manager_deletion.yaml',
    },
  ]) {
    it(`${c.name}: ${c.create ? 'created (detection, from the template) and ' : ''}deleted by name as recorded`, async () => {
      const { sc, replay, unusedOfCassettes } = client(...(c.create ? [c.create] : []), c.deletion);
      if (c.create) {
        const created = await createChecked(sc, c.name, 'detection', ['cube', 'cylinder']);
        expect(sentCreate(replay)).toEqual(recordedCreate(c.create));
        // The server adds the empty detection label.
        expect(created.pipeline.tasks[1]?.labels?.find((l) => l.is_empty)).toMatchObject({
          name: 'No Object',
          group: 'No Object',
        });
      }
      const project = await projectByName(sc, c.name);
      expect(project).toBeDefined();
      await expect(sc.projects.delete(project?.id as string, { workspace_id: WS })).resolves.toEqual({
        result: 'success',
      });
      expect(unusedOfCassettes()).toEqual([]);
    });
  }

  it('a project with running jobs: delete is a ConflictError carrying project_locked and the server message', async () => {
    const cassette = 'TestSCRESTClient.test_create_single_task_project_from_dataset-segmentation.yaml';
    const recorded = readCassette(cassette);
    const locked = recorded.find((e) => e.method === 'DELETE');
    expect(locked?.status).toBe(409);
    const { sc } = client(cassette);
    const projectId = locked?.url.pathname.split('/').pop() as string;
    const err = await sc.projects.delete(projectId, { workspace_id: WS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ status: 409, code: 'project_locked' });
    expect((err as Error).message).toMatch(/is locked for deletion\/modification/);
  });
});

describe('algorithms and status, replayed', () => {
  it('TestUtils: the 20 supported algorithms of SC 1.1, each with its task type', async () => {
    const { sc, unusedOfCassettes } = client('TestUtils.test_get_supported_algorithms.yaml');
    const { items } = (await sc.supportedAlgorithms.list()) as {
      items: { algorithm_name: string; task_type: string; model_template_id: string }[];
    };
    expect(items).toHaveLength(20);
    expect(items[0]).toMatchObject({
      algorithm_name: 'PADIM',
      model_template_id: 'ote_anomaly_classification_padim',
      task_type: 'anomaly_classification',
    });
    expect(new Set(items.map((a) => a.task_type))).toContain('detection');
    expect(unusedOfCassettes()).toEqual([]);
  });

  it('sdk_test_configuration_manager: algorithms, then the status of the fresh project (coordinator loading)', async () => {
    const { sc, unusedOfCassettes } = client('sdk_test_configuration_manager_configuration_manager.yaml');
    const { items } = (await sc.supportedAlgorithms.list()) as { items: unknown[] };
    expect(items.length).toBe(20);
    const status = await sc.projects.status('6255dd25234370fcf24c1ced', { workspace_id: WS });
    expect(status).toMatchObject({
      is_training: false,
      n_running_jobs: 1,
      status: { message: 'Loading coordinator', progress: -1 },
      tasks: [{ title: 'Detection task', status: { message: 'Waiting for user annotations' } }],
    });
    expect(unusedOfCassettes()).toEqual([]);
  });
});
