/**
 * Every operation of the spec, called through ScClient against the fake of its era (SC 1.1, SC 1.2, Geti), on a
 * project with images, a video, annotations and a trained model. Each answer must be a success (the fake checks it
 * against the spec: `conformance: 'error'`), except the operations listed in NOT_FAKED, which must answer the fake's
 * 501: so a new handler, or a new operation without one, shows up here. Prints the counts.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { operations } from '../../src/generated/index.js';
import { ScClient } from '../../src/index.js';
import { listMedia, refOf, uploadMedia } from '../../src/lib/api.js';
import { createProjectSingleTaskFromDataset } from '../../src/lib/create-from-dataset.js';
import { createScFake } from '../../src/mocks/index.js';

const FIXTURES = resolve(fileURLToPath(import.meta.url), '../../fixtures/coco-blocks');

interface Op {
  operationId: string;
  pathParams: readonly string[];
  extensions?: { era?: string };
}
const ALL = Object.values(operations) as unknown as Op[];

/** Geti routes the fake does not serve (said in the README); they answer 501. */
const NOT_FAKED = [
  'importProject',
  'importProjectFromDataset',
  'prepareDatasetImport',
  'exportProject',
  'prepareDatasetExport',
].sort();

/** Called by the setup (multipart), or at the end (they remove what the others use). */
const SETUP = new Set(['createImage', 'createVideo']);
const LAST = ['deleteImage', 'deleteVideo', 'deleteProject'];
/** They make what later calls use (uploads, a second dataset). */
const FIRST = [
  'createProjectUpload',
  'createDatasetUpload',
  'createDataset',
  'prepareCodeDeployment',
  'getCodeDeployment',
];
const TUS = { 'tus-resumable': '1.0.0' };

const ERAS = [
  { name: 'SC 1.1', version: '1.1.0-fake', geti: false },
  { name: 'SC 1.2', version: '1.2.0-fake', geti: false },
  { name: 'Geti 2.6', version: '2.6.0', geti: true },
];

for (const era of ERAS) {
  describe(`${era.name} fake`, () => {
    it('answers every operation of its era through the client, and each answer conforms to the spec', async () => {
      const fake = createScFake({
        version: era.version,
        tokens: ['pat-1'],
        users: { admin: 'admin-password' },
        conformance: 'error',
        pollsPerJob: 1,
      });
      const fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
        fake.handle(new Request(input as RequestInfo, init))) as typeof globalThis.fetch;
      const sc = new ScClient({
        host: 'https://sc.test',
        ...(era.geti ? { token: 'pat-1' } : { username: 'admin', password: 'admin-password' }),
        fetch,
        maxRetries: 0,
        validate: 'error',
      });
      // Setup: a detection project from COCO (images + annotations), a video with a frame annotation, a model.
      const project = await createProjectSingleTaskFromDataset(sc, {
        projectName: 'all operations',
        projectType: 'detection',
        imagesPath: resolve(FIXTURES, 'images/NONE'),
        annotationsPath: resolve(FIXTURES, 'annotations/instances_NONE.json'),
        numberOfImagesToUpload: 2,
        enableAutoTrain: false,
      });
      const ref = await refOf(sc, project);
      const workspace_id = ref.workspaceId;
      const [image] = await listMedia(sc, ref, 'images');
      const bytes = new Uint8Array(
        await readFile(resolve(FIXTURES, 'images/NONE/WIN_20220406_21_24_24_Pro.jpg')),
      );
      const video = await uploadMedia(sc, ref, 'videos', bytes, 'clip.mp4');
      const task = project.pipeline.tasks.find((t) => t.task_type === 'detection');
      const label = task?.labels?.find((l) => !l.is_empty);
      const scale = era.version.startsWith('1.1') ? 1 / 455 : 1;
      const annotation = {
        annotations: [
          {
            labels: [{ probability: 1, id: label?.id }],
            shape: { type: 'RECTANGLE', x: 10 * scale, y: 0, width: 20 * scale, height: 0 },
          },
        ],
      };
      const ids: Record<string, unknown> = {
        workspace_id,
        project_id: project.id,
        dataset_id: ref.datasetId,
        image_id: image?.id,
        video_id: video.id,
        frame_index: 0,
        task_id: task?.id,
        prediction_mode: 'auto',
      };
      const trainParams = { dataset_id: ref.datasetId, task_id: task?.id };
      if (era.geti) {
        const { job_id } = (await sc.call('trainProjectTask', { ...ids, task_id: task?.id })) as {
          job_id: string;
        };
        await sc.call('getJob', { workspace_id, job_id });
        ids.job_id = job_id;
      } else {
        const job = (await (era.version.startsWith('1.1')
          ? sc.post(`/workspaces/${workspace_id}/projects/${project.id}/train`, { body: [trainParams] })
          : sc.call('trainProject', { ...ids, training_parameters: [trainParams] }))) as { id: string };
        await sc.call('getJob', { workspace_id, job_id: job.id });
        ids.job_id = job.id;
      }
      const groups = (await sc.call('listModelGroups', ids)) as {
        items?: { id: string; models: { id: string }[] }[];
        model_groups?: { id: string; models: { id: string }[] }[];
      };
      const group = (groups.items ?? groups.model_groups ?? [])[0];
      ids.model_group_id = group?.id;
      ids.model_id = group?.models[0]?.id;
      const model = (await sc.call('getModel', ids)) as { optimized_models: { id: string }[] };
      ids.optimized_model_id = model.optimized_models[0]?.id;

      const bodies: Record<string, Record<string, unknown>> = {
        createAccessToken: { service_id: 'pat-1' },
        createProject: {
          name: 'second',
          pipeline: {
            connections: [{ from: 'Dataset', to: 'Classification task' }],
            tasks: [
              { title: 'Dataset', task_type: 'dataset' },
              {
                title: 'Classification task',
                task_type: 'classification',
                labels: [{ name: 'a', group: 'g' }],
              },
            ],
          },
        },
        // The project as read with nulls removed (§3 #5), as the tool sends it.
        updateProject: JSON.parse(JSON.stringify(project, (_k, v: unknown) => (v === null ? undefined : v))),
        createImageAnnotation: { ...annotation, media_identifier: { type: 'image', image_id: image?.id } },
        createVideoFrameAnnotation: {
          ...annotation,
          media_identifier: { type: 'video_frame', video_id: video.id, frame_index: 0 },
        },
        setTaskConfiguration: {
          components: [
            {
              entity_identifier: { type: 'COMPONENT_PARAMETERS', component: 'TASK_NODE', task_id: task?.id },
              parameters: [{ name: 'auto_training', value: false }],
            },
          ],
        },
        setConfiguration: { task_chain: [], global: [] },
        setGlobalConfiguration: {
          components: [
            {
              entity_identifier: { type: 'COMPONENT_PARAMETERS', component: 'PIPELINE_DATASET_MANAGER' },
              parameters: [{ name: 'use_ndr', value: true }],
            },
          ],
        },
        createDataset: { name: 'second dataset' },
        prepareCodeDeployment: { models: [{ model_id: ids.model_id, model_group_id: ids.model_group_id }] },
        queryTrainingRevisionMedia: {
          condition: 'and',
          rules: [{ field: 'MEDIA_TYPE', operator: 'EQUAL', value: 'image' }],
        },
        queryMedia: { condition: 'and', rules: [{ field: 'MEDIA_TYPE', operator: 'EQUAL', value: 'image' }] },
        trainProject: { training_parameters: [trainParams] },
        trainProjectTask: { task_id: task?.id },
        predictWithActivePipeline: { dataset_id: ref.datasetId, image_id: image?.id },
        explainWithActivePipeline: { dataset_id: ref.datasetId, video_id: video.id, frame_index: 0 },
        batchPredictWithActivePipeline: {
          dataset_id: ref.datasetId,
          video_id: video.id,
          start_frame: 0,
          end_frame: 0,
          frame_skip: 1,
        },
        batchExplainWithActivePipeline: {
          dataset_id: ref.datasetId,
          video_id: video.id,
          start_frame: 0,
          end_frame: 0,
          frame_skip: 1,
        },
      };
      const mine = ALL.filter((op) => {
        const opEra = op.extensions?.era;
        return opEra === undefined || (opEra === 'geti') === era.geti;
      });
      const order = [
        ...FIRST.map((id) => mine.find((op) => op.operationId === id)).filter(
          (op): op is Op => op !== undefined,
        ),
        ...mine.filter((op) => !LAST.includes(op.operationId) && !FIRST.includes(op.operationId)),
        ...LAST.map((id) => mine.find((op) => op.operationId === id) as Op),
      ];
      const ok: string[] = [...SETUP].filter((id) => mine.some((op) => op.operationId === id));
      const notFaked: string[] = [];
      const failed: string[] = [];
      for (const op of order) {
        if (SETUP.has(op.operationId)) continue;
        // SC 1.1's train body is a list (sent raw above); the SC 1.2 form is what `call` can send.
        if (op.operationId === 'trainProject' && era.version.startsWith('1.1')) {
          ok.push(op.operationId);
          continue;
        }
        if (NOT_FAKED.includes(op.operationId)) {
          // Their params are not built here: sent unvalidated, the fake must answer that it has no handler (its 501
          // body is not SC's error shape, so the conformance check turns it into a 500 naming that).
          const params = { ...ids, file_id: 'x', deployment_id: 'x', revision_id: 'x' };
          const err = await sc.call(op.operationId, params, { validate: 'off' }).catch((e: unknown) => e);
          const status = (err as { status?: number }).status;
          if (status === 501 || (status === 500 && /does not conform/.test((err as Error).message)))
            notFaked.push(op.operationId);
          else failed.push(`${op.operationId}: expected no handler, got ${status ?? 'success'}`);
          continue;
        }
        const params = {
          ...Object.fromEntries(op.pathParams.map((name) => [name, ids[name]])),
          ...bodies[op.operationId],
        };
        const upload = /^(create|get|append)(Project|Dataset)Upload/.exec(op.operationId);
        const kind = upload?.[2] === 'Project' ? 'projects' : 'datasets';
        if (upload) params.file_id = ids[`${kind}_file_id`];
        if (op.operationId === 'deleteDataset') params.dataset_id = ids.second_dataset_id;
        try {
          if (/^append/.test(op.operationId)) {
            // The core sends JSON only: a TUS chunk goes through the client's session as the protocol sends it.
            const path = `/workspaces/${workspace_id}/${kind}/uploads/resumable/${params.file_id}`;
            const res = await sc.session.fetch(`${sc.options.baseUrl}${path}`, {
              method: 'PATCH',
              headers: { ...TUS, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
              body: new Uint8Array([1, 2, 3]),
            });
            if (res.status !== 204 || res.headers.get('upload-offset') !== '3')
              throw new Error(`${res.status} ${await res.text()}`);
            ok.push(op.operationId);
            continue;
          }
          if (upload) {
            const { response } = await sc
              .call(op.operationId, params, { headers: { ...TUS, 'upload-length': '3' } })
              .withResponse();
            if (upload[1] === 'create')
              ids[`${kind}_file_id`] = response.headers.get('location')?.split('/').pop();
            ok.push(op.operationId);
            continue;
          }
          if (op.operationId === 'queryTrainingRevisionMedia') {
            const detail = (await sc.call('getModel', ids)) as {
              training_dataset_info: { dataset_revision_id: string };
            };
            params.revision_id = detail.training_dataset_info.dataset_revision_id;
          }
          const answer = (await sc.call(op.operationId, params)) as
            | { id?: string; job_id?: string }
            | undefined;
          ok.push(op.operationId);
          if (op.operationId === 'createDataset') ids.second_dataset_id = answer?.id;
          if (op.operationId === 'prepareCodeDeployment') ids.deployment_id = answer?.id;
          // A job started here is polled to its end, so it does not lock the project for the deletes at the end.
          if (['trainProject', 'trainProjectTask', 'optimizeModel'].includes(op.operationId))
            await sc.call('getJob', { workspace_id, job_id: answer?.job_id ?? answer?.id });
        } catch (err) {
          failed.push(`${op.operationId}: ${(err as Error).message.slice(0, 300)}`);
        }
      }
      console.log(
        `${era.name} fake: ${ok.length} of ${mine.length} operations answered through the client, ${notFaked.length} not faked`,
      );
      expect(failed).toEqual([]);
      expect(notFaked.sort()).toEqual(era.geti ? NOT_FAKED : []);
      // The fake's own conformance check flagged nothing (a non-conforming answer would have been a 500 above).
      expect(
        fake.journal
          .filter((e) => e.status === 500 && !NOT_FAKED.includes(e.operationId))
          .map((e) => e.operationId),
      ).toEqual([]);
    });
  });
}
