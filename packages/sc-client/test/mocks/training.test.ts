/**
 * Training, jobs, models and predictions on the fake, through ScClient, in the three eras (SC 1.1, SC 1.2, Geti):
 * what the client sends is what each era takes, jobs advance per poll and lock the project while they run, a finished
 * job leaves a model whose exports are real zips, and predictions follow the era's coordinates and status codes.
 * Every answer is checked against openapi/sc.yaml by the fake (`conformance: 'error'`).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConflictError, NotFoundError } from '@mlclients/package-core';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ScClient } from '../../src/index.js';
import { listMedia, refOf } from '../../src/lib/api.js';
import { createProjectSingleTaskFromDataset } from '../../src/lib/create-from-dataset.js';
import type { Project } from '../../src/lib/types.js';
import { createScFake, type ScFakeOptions } from '../../src/mocks/index.js';
import { fakeClient } from '../helpers/fake-client.js';

const FIXTURES = resolve(fileURLToPath(import.meta.url), '../../fixtures/coco-blocks');
const dataset = {
  imagesPath: resolve(FIXTURES, 'images/NONE'),
  annotationsPath: resolve(FIXTURES, 'annotations/instances_NONE.json'),
  numberOfImagesToUpload: 3,
  enableAutoTrain: false,
};

interface Job {
  id: string;
  type: string;
  status: { state: string; progress: number };
}
interface Group {
  id: string;
  task_id: string;
  models: { id: string; active_model: boolean }[];
}

async function detectionProject(sc: ScClient, name = 'blocks') {
  const project = await createProjectSingleTaskFromDataset(sc, {
    ...dataset,
    projectName: name,
    projectType: 'detection',
  });
  const ref = await refOf(sc, project);
  const task = project.pipeline.tasks.find((t) => t.task_type === 'detection');
  const [image] = await listMedia(sc, ref, 'images');
  return { project, ref, taskId: task?.id as string, image: image as NonNullable<typeof image> };
}

async function pollUntilDone(sc: ScClient, workspace_id: string, jobId: string): Promise<Job[]> {
  const seen: Job[] = [];
  for (let i = 0; i < 10; i++) {
    const job = (await sc.jobs.get(jobId, { workspace_id })) as unknown as Job;
    seen.push(job);
    if (job.status.state !== 'running') return seen;
  }
  throw new Error('the job never ended');
}

describe('SC 1.1 fake', () => {
  it('train (the list body), poll to the end, the model group and its zips, then predictions in 0..1', async () => {
    const { sc } = fakeClient({ conformance: 'error', pollsPerJob: 3 });
    const { project, ref, taskId, image } = await detectionProject(sc);
    const workspace_id = ref.workspaceId;
    const ids = { workspace_id, project_id: project.id };
    const predictionParams = { ...ids, dataset_id: ref.datasetId, image_id: image.id };
    // No model yet: no prediction (204), in every mode.
    expect(await sc.imagePredictions.get('auto', predictionParams)).toBeUndefined();
    // SC <= 1.1 takes the list itself, which flat params cannot be: the tool sends it as a raw POST.
    const job = (await sc.post(`/workspaces/${workspace_id}/projects/${project.id}/train`, {
      body: [{ dataset_id: ref.datasetId, task_id: taskId, train_from_scratch: false }],
    })) as Job;
    expect(job).toMatchObject({ type: 'train', status: { state: 'running', progress: 0 } });
    // Running jobs lock the project, as recorded for deletion.
    const locked = await sc.projects.delete(project.id, { workspace_id }).catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(ConflictError);
    expect(locked).toMatchObject({ code: 'project_locked' });
    expect(await sc.projects.status(project.id, { workspace_id })).toMatchObject({
      is_training: true,
      n_running_jobs_project: 1,
    });
    const { items: listed } = (await sc.jobs.list(workspace_id)) as { items: Job[] };
    expect(listed.map((j) => j.id)).toEqual([job.id]);
    const polls = await pollUntilDone(sc, workspace_id, job.id);
    expect(polls.map((j) => [j.status.state, j.status.progress])).toEqual([
      ['running', 33],
      ['running', 67],
      ['finished', 100],
    ]);
    const { items: groups } = (await sc.modelGroups.list(project.id, { workspace_id })) as { items: Group[] };
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ task_id: taskId, models: [{ active_model: true }] });
    const group = groups[0] as Group;
    const modelId = group.models[0]?.id as string;
    const model = (await sc.models.get(modelId, { ...ids, model_group_id: group.id })) as {
      optimized_models: { id: string }[];
      labels: { name: string }[];
    };
    expect(model.labels.map((l) => l.name)).toContain('cube');
    // A binary response is typed and returned as an ArrayBuffer (no cast).
    const exported = await sc.models.export(modelId, { ...ids, model_group_id: group.id });
    expectTypeOf(exported).toEqualTypeOf<ArrayBuffer>();
    expect(exported).toBeInstanceOf(ArrayBuffer);
    const zip = new Uint8Array(exported);
    expect(JSON.parse(strFromU8(unzipSync(zip)['model.json'] as Uint8Array))).toMatchObject({ kind: 'base' });
    const optimized = new Uint8Array(
      await sc.models.exportOptimized(model.optimized_models[0]?.id as string, {
        ...ids,
        model_group_id: group.id,
        model_id: modelId,
      }),
    );
    expect(Object.keys(unzipSync(optimized))).toContain('openvino.xml');
    // `latest` serves only what was predicted before; `auto` predicts, in normalized coordinates on SC 1.1.
    expect(await sc.imagePredictions.get('latest', predictionParams)).toBeUndefined();
    const made = (await sc.imagePredictions.get('auto', predictionParams)) as {
      kind: string;
      id: string;
      annotations: { shape: { x: number; width: number }; labels: { name: string; probability: number }[] }[];
    };
    expect(made.kind).toBe('prediction');
    const { width } = image.media_information;
    expect(made.annotations[0]?.shape).toMatchObject({
      x: Math.round(width / 4) / width,
      width: Math.round(width / 2) / width,
    });
    expect(made.annotations[0]?.labels[0]).toMatchObject({ name: 'cylinder', probability: 0.87 });
    expect(await sc.imagePredictions.get('latest', predictionParams)).toMatchObject({ id: made.id });
    // Finished: the project can go.
    await expect(sc.projects.delete(project.id, { workspace_id })).resolves.toEqual({ result: 'success' });
  });

  it('a cancelled job unlocks the project and leaves no model; the SC 1.2 body form is refused', async () => {
    const { sc } = fakeClient({ conformance: 'error' });
    const { project, ref, taskId } = await detectionProject(sc);
    const workspace_id = ref.workspaceId;
    const wrapped = await sc
      .call('trainProject', {
        workspace_id,
        project_id: project.id,
        training_parameters: [{ task_id: taskId }],
      })
      .catch((e: unknown) => e);
    expect(wrapped).toMatchObject({
      status: 400,
      message: expect.stringMatching(/list of training parameters/),
    });
    const job = (await sc.post(`/workspaces/${workspace_id}/projects/${project.id}/train`, {
      body: [{ task_id: taskId }],
    })) as Job;
    expect(await sc.jobs.cancel(job.id, { workspace_id })).toMatchObject({ status: { state: 'cancelled' } });
    const { items } = (await sc.modelGroups.list(project.id, { workspace_id })) as { items: Group[] };
    expect(items).toEqual([]);
    await expect(sc.projects.delete(project.id, { workspace_id })).resolves.toEqual({ result: 'success' });
  });
});

describe('SC 1.2 fake', () => {
  it('train takes {training_parameters}; a bad task id is a 400 naming the field; predictions in pixels', async () => {
    const { sc } = fakeClient({ version: '1.2.0-fake', conformance: 'error', pollsPerJob: 1 });
    const { project, ref, taskId, image } = await detectionProject(sc);
    const workspace_id = ref.workspaceId;
    const bad = await sc
      .call('trainProject', {
        workspace_id,
        project_id: project.id,
        training_parameters: [{ task_id: project.pipeline.tasks[0]?.id }],
      })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({
      status: 400,
      message: expect.stringMatching(/training_parameters\[0\]\.task_id/),
    });
    const job = (await sc.projects.train(project.id, {
      workspace_id,
      training_parameters: [{ dataset_id: ref.datasetId, task_id: taskId }],
    })) as unknown as Job;
    await pollUntilDone(sc, workspace_id, job.id);
    const { jobs } = (await sc.jobs.list(workspace_id)) as { jobs: Job[] };
    expect(jobs[0]?.status.state).toBe('finished');
    const { model_groups } = (await sc.modelGroups.list(project.id, { workspace_id })) as {
      model_groups: Group[];
    };
    expect(model_groups).toHaveLength(1);
    const made = (await sc.imagePredictions.get('online', {
      workspace_id,
      project_id: project.id,
      dataset_id: ref.datasetId,
      image_id: image.id,
    })) as { annotations: { shape: { x: number; width: number } }[] };
    const { width } = image.media_information;
    expect(made.annotations[0]?.shape).toMatchObject({
      x: Math.round(width / 4),
      width: Math.round(width / 2),
    });
  });
});

describe('Geti fake', () => {
  function getiClient(extra: Partial<ScFakeOptions> = {}) {
    const fake = createScFake({ version: '2.6.0', tokens: ['pat-123'], conformance: 'error', ...extra });
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      fake.handle(new Request(input as RequestInfo, init))) as typeof globalThis.fetch;
    const sc = new ScClient({
      host: 'https://geti.test',
      token: 'pat-123',
      fetch,
      maxRetries: 0,
      validate: 'error',
    });
    return { fake, sc, fetch };
  }

  it('discovery (x-api-key, organization), COCO import through media:query, :train, jobs_count, predict, optimize, purge', async () => {
    const { sc, fake } = getiClient({ pollsPerJob: 2 });
    const info = await sc.serverInfo();
    expect(info).toMatchObject({ geti: true, auth: 'api-key', organizationId: fake.state.organizationId });
    const { project, ref, taskId, image } = await detectionProject(sc);
    const workspace_id = ref.workspaceId;
    const ids = { workspace_id, project_id: project.id };
    // The client walked Geti's routes: no SC-era route was asked for (they answer 404 on Geti).
    expect(fake.journal.filter((e) => e.status === 404)).toEqual([]);
    expect(fake.journal.some((e) => e.operationId === 'queryMedia')).toBe(true);
    expect(await listMedia(sc, ref, 'images')).toHaveLength(3);
    // Without a model, Geti's pipeline cannot predict.
    const early = await sc.pipelines
      .predict(project.id, { workspace_id, dataset_id: ref.datasetId, image_id: image.id })
      .catch((e: unknown) => e);
    expect(early).toMatchObject({ status: 400 });
    const { job_id } = (await sc.projects.trainTask(project.id, { workspace_id, task_id: taskId })) as {
      job_id: string;
    };
    const listed = (await sc.jobs.list(workspace_id, { project_id: project.id })) as {
      jobs: Job[];
      jobs_count: { n_running_jobs: number };
    };
    expect(listed.jobs_count.n_running_jobs).toBe(1);
    await pollUntilDone(sc, workspace_id, job_id);
    const { model_groups } = (await sc.modelGroups.list(project.id, { workspace_id })) as {
      model_groups: Group[];
    };
    const group = model_groups[0] as Group;
    const predicted = (await sc.pipelines.predict(project.id, {
      workspace_id,
      dataset_id: ref.datasetId,
      image_id: image.id,
      use_cache: 'never',
    })) as { predictions: { shape: { type: string; width: number } }[] };
    expect(predicted.predictions[0]?.shape).toMatchObject({
      type: 'RECTANGLE',
      width: Math.round(image.media_information.width / 2),
    });
    await expect(sc.modelGroups.activate(group.id, ids)).resolves.toEqual({ result: 'success' });
    const modelId = group.models[0]?.id as string;
    // The closed `{}` body adds no params: the path ids are the whole params object (and `{}` is sent).
    const optimizing = await sc.models.optimize(modelId, { ...ids, model_group_id: group.id });
    await pollUntilDone(sc, workspace_id, optimizing.job_id);
    const model = (await sc.models.get(modelId, { ...ids, model_group_id: group.id })) as {
      optimized_models: { id: string; optimization_type: string }[];
    };
    expect(model.optimized_models.map((m) => m.optimization_type)).toEqual(['MO', 'POT']);
    // A code deployment of the model: not downloadable while PREPARING, then a zip with the model.
    const deployment = (await sc.call('prepareCodeDeployment', {
      ...ids,
      models: [{ model_id: modelId, model_group_id: group.id }],
    })) as { id: string; state: string };
    expect(deployment.state).toBe('PREPARING');
    const dIds = { ...ids, deployment_id: deployment.id };
    await expect(sc.call('downloadCodeDeployment', dIds)).rejects.toMatchObject({ status: 409 });
    while (((await sc.call('getCodeDeployment', dIds)) as { state: string }).state !== 'DONE');
    const deployed = unzipSync(
      new Uint8Array((await sc.call('downloadCodeDeployment', dIds)) as ArrayBuffer),
    );
    expect(Object.keys(deployed).some((f) => f.endsWith('/model.json'))).toBe(true);
    // A second training makes a new active model; the first can then be purged, and its export is gone.
    const second = (await sc.projects.trainTask(project.id, { workspace_id, task_id: taskId })) as {
      job_id: string;
    };
    await pollUntilDone(sc, workspace_id, second.job_id);
    await sc.models.purge(modelId, { ...ids, model_group_id: group.id });
    const gone = await sc.models
      .export(modelId, { ...ids, model_group_id: group.id })
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NotFoundError);
  });

  it('SC-era routes answer 404, workspace routes need the organization, writes need the csrf header', async () => {
    const { sc, fetch, fake } = getiClient();
    const ws = await sc.workspaceId();
    const org = fake.state.organizationId;
    const headers = { 'x-api-key': 'pat-123' };
    const sc11 = await fetch(`https://geti.test/api/v1/organizations/${org}/workspaces/${ws}/jobs`, {
      headers,
    });
    expect(sc11.status).toBe(200);
    const noOrg = await fetch(`https://geti.test/api/v1/workspaces/${ws}/jobs`, { headers });
    expect(noOrg.status).toBe(404);
    const algorithms = await fetch(`https://geti.test/api/v1/organizations/${org}/supported_algorithms`, {
      headers,
    });
    expect(algorithms.status).toBe(404);
    const noCsrf = await fetch(`https://geti.test/api/v1/organizations/${org}/workspaces/${ws}/projects`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', pipeline: { tasks: [], connections: [] } }),
    });
    expect(noCsrf.status).toBe(403);
    const wrongKey = await fetch(`https://geti.test/api/v1/organizations/${org}/workspaces`, {
      headers: { 'x-api-key': 'nope' },
    });
    expect(wrongKey.headers.get('content-type')).toMatch(/text\/html/);
    // The client itself sends the header: a project is created.
    const created = (await sc.projects.create(ws, {
      name: 'p',
      pipeline: {
        connections: [{ from: 'Dataset', to: 'Detection task' }],
        tasks: [
          { title: 'Dataset', task_type: 'dataset' },
          { title: 'Detection task', task_type: 'detection', labels: [{ name: 'a', group: 'g' }] },
        ],
      },
    })) as unknown as Project;
    expect(created.name).toBe('p');
  });
});
