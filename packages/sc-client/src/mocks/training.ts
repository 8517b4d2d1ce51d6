/**
 * Training, jobs, models and predictions of the SC fake (sc-api.md §3 #22-38, §3.1, §4.6, §4.9, §4.10). Nothing of
 * this is recorded (§9), so the shapes follow the client's data models and the fake keeps to what the fact sheet
 * states:
 * - training starts one job per task (SC <= 1.1 body `[TrainParams]`, SC 1.2 `{training_parameters}`, Geti `:train`
 *   with one TrainParams and the answer `{job_id}`); a job advances one step per poll (`GET jobs/{id}`, no clocks) and
 *   ends `finished` after `pollsPerJob` polls, adding a model to the task's model group; `DELETE` cancels it. While
 *   a job runs its project is locked: delete and modification answer 409 `project_locked`, as recorded.
 * - model groups list under `items` (SC <= 1.1) or `model_groups`; jobs under `items`, `jobs` (SC 1.2) or
 *   `jobs` + `jobs_count` (Geti, paged by `limit`/`skip`); exports are real zip files.
 * - predictions (SC era `…/predictions/{auto|latest|online}`): 204 until every trainable task has a model, and for
 *   `latest` until a prediction was made; the shapes are deterministic (a centred box or its polygon, the full image
 *   for global tasks) in the server's coordinate convention, labels with the model's probability and source.
 *   Geti's `pipelines/active:predict` answers `predictions`; without a trained model it answers 400 (the real error
 *   is not known).
 */
import type { FakeAnswer, FakeCall } from '@mlclients/package-core/testing';
import { strToU8, zipSync } from 'fflate';
import type { AnnotationScene, MediaItem, Shape, Task } from '../lib/types.js';
import { isGlobalTask } from '../lib/types.js';
import { error, type FakeEra, isAnswer } from './answers.js';
import {
  jobRunning,
  type ScFakeState,
  type StoredJob,
  type StoredModel,
  type StoredModelGroup,
  type StoredProject,
} from './state.js';

/** The algorithms the fake offers (names and ids as SC 1.1 lists them; one per common task type). */
export const ALGORITHMS = [
  ['ATSS', 'Custom_Object_Detection_Gen3_ATSS', 'detection', 20.6, 9.1],
  ['Lite-HRNet-18 OCR', 'Custom_Semantic_Segmentation_Lite-HRNet-18_OCR', 'segmentation', 3.45, 4.5],
  ['EfficientNet-B0', 'Custom_Image_Classification_EfficinetNet-B0', 'classification', 0.81, 4.09],
  ['PADIM', 'ote_anomaly_classification_padim', 'anomaly_classification', 3.9, 168.4],
  [
    'MaskRCNN-ResNet50',
    'Custom_Counting_Instance_Segmentation_MaskRCNN_ResNet50',
    'instance_segmentation',
    533.8,
    177.9,
  ],
  [
    'MaskRCNN-ResNet50 rotated',
    'Custom_Rotated_Detection_via_Instance_Segmentation_MaskRCNN_ResNet50',
    'rotated_detection',
    533.8,
    177.9,
  ],
].map(([algorithm_name, model_template_id, task_type, gigaflops, model_size]) => ({
  algorithm_name: algorithm_name as string,
  gigaflops: gigaflops as number,
  model_size: model_size as number,
  model_template_id: model_template_id as string,
  summary: `${task_type as string} (fake)`,
  supports_auto_hpo: false,
  task_type: task_type as string,
}));

export interface TrainingContext {
  state(): ScFakeState;
  era: FakeEra;
  project(call: FakeCall): StoredProject | FakeAnswer;
  /** Polls until a job finishes. */
  pollsPerJob: number;
  /** The body as sent (the engine gives handlers objects only; the SC 1.1 train body is an array). */
  rawBody(call: FakeCall): unknown;
}

type Handler = (call: FakeCall) => FakeAnswer;

function trainable(p: StoredProject): Task[] {
  return p.project.pipeline.tasks.filter((t) => t.task_type !== 'dataset' && t.task_type !== 'crop');
}

function fakeZip(files: Record<string, string>): Uint8Array {
  // A fixed mtime keeps the bytes the same from run to run.
  const mtime = new Date('2022-04-12T00:00:00Z');
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [strToU8(v), { mtime }]])));
}

export function trainingHandlers(ctx: TrainingContext): {
  handlers: Record<string, Handler>;
  /** The bytes of `exportModel` / `exportOptimizedModel`, or an error answer. */
  exportBytes(operationId: string, params: Record<string, string>): Uint8Array | FakeAnswer | undefined;
} {
  const { era } = ctx;
  const state = () => ctx.state();
  const withProject = (fn: (p: StoredProject, call: FakeCall) => FakeAnswer) => (call: FakeCall) => {
    const p = ctx.project(call);
    return isAnswer(p) ? p : fn(p, call);
  };

  const groupJson = (g: StoredModelGroup) => ({
    id: g.id,
    name: g.name,
    model_template_id: g.model_template_id,
    task_id: g.task_id,
    models: g.models.map((m) => m.summary),
  });

  const addModel = (p: StoredProject, task: Task, templateId: string, jobId: string) => {
    const algorithm = ALGORITHMS.find((a) => a.model_template_id === templateId);
    let group = p.modelGroups.find((g) => g.task_id === task.id && g.model_template_id === templateId);
    if (!group) {
      group = {
        id: state().id(),
        name: algorithm?.algorithm_name ?? templateId,
        model_template_id: templateId,
        task_id: task.id as string,
        models: [],
      };
      p.modelGroups.push(group);
    }
    for (const g of p.modelGroups)
      for (const m of g.models) if (g.task_id === task.id) m.summary.active_model = false;
    const id = state().id();
    const optimizedId = state().id();
    const version = group.models.length + 1;
    const name = `${group.name} v${version}`;
    const created = state().now();
    const performance = { score: Math.min(0.99, 0.7 + 0.05 * version) };
    const summary = {
      id,
      name,
      creation_date: created,
      score_up_to_date: true,
      active_model: true,
      size: 9_100_000,
      performance,
      model_storage_id: group.id,
    };
    const optimized = {
      id: optimizedId,
      name: `${name} OpenVINO FP16`,
      model_status: 'SUCCESS',
      optimization_type: 'MO',
      optimization_methods: [],
      optimization_objectives: {},
      precision: ['FP16'],
      creation_date: created,
      performance,
    };
    // The training revision: the training dataset as this training saw it (Geti's training_revisions routes).
    const revisionId = state().id();
    const trainingDataset = p.project.datasets[0]?.id ?? '';
    p.revisions.set(revisionId, {
      datasetId: trainingDataset,
      media: [...p.media.values()].filter((m) => m.datasetId === trainingDataset).map((m) => m.item),
    });
    const detail = {
      id,
      name,
      architecture: group.name,
      fps_throughput: '25.0',
      latency: '40',
      precision: ['FP32'],
      creation_date: created,
      score_up_to_date: true,
      size: 9_100_000,
      performance,
      optimization_capabilities: { is_nncf_supported: true, is_filter_pruning_supported: false },
      optimized_models: [optimized],
      labels: task.labels ?? [],
      training_job_id: jobId,
      training_dataset_info: { dataset_storage_id: trainingDataset, dataset_revision_id: revisionId },
    };
    const manifest = (kind: string) =>
      JSON.stringify({ model: name, kind, task: task.title, labels: (task.labels ?? []).map((l) => l.name) });
    const model: StoredModel = {
      summary,
      detail,
      exports: new Map([
        [id, fakeZip({ 'model.json': manifest('base'), 'weights.pth': `weights of ${name}` })],
        [optimizedId, fakeZip({ 'model.json': manifest('openvino'), 'openvino.xml': '<net/>' })],
      ]),
    };
    group.models.push(model);
  };

  const startJob = (
    p: StoredProject,
    type: string,
    name: string,
    metadata: Record<string, unknown>,
    finish: () => void,
  ): StoredJob => {
    const id = state().id();
    const stored: StoredJob = {
      job: {
        id,
        name,
        description: `${name} of project ${p.project.name}`,
        type,
        status: {
          state: 'running',
          message: `${name} started`,
          progress: 0,
          time_remaining: ctx.pollsPerJob,
        },
        project_id: p.project.id,
        creation_time: state().now(),
        metadata: { ...metadata, project: { id: p.project.id, name: p.project.name } },
      },
      remaining: ctx.pollsPerJob,
      finish,
    };
    state().jobs.set(id, stored);
    return stored;
  };

  /** Start one training job; an answer when the params are wrong (naming the field). */
  const train = (p: StoredProject, params: unknown, where: string): StoredJob | FakeAnswer => {
    const t = (params ?? {}) as { task_id?: unknown; model_template_id?: unknown; dataset_id?: unknown };
    const task = trainable(p).find((x) => x.id === t.task_id);
    if (!task) return error(400, 'bad_request', `${where}.task_id: not a trainable task of the project`);
    if (t.dataset_id !== undefined && !p.project.datasets.some((d) => d.id === t.dataset_id))
      return error(400, 'bad_request', `${where}.dataset_id: not a dataset of the project`);
    const templateId =
      typeof t.model_template_id === 'string'
        ? t.model_template_id
        : ALGORITHMS.find((a) => a.task_type === task.task_type)?.model_template_id;
    if (!templateId || !ALGORITHMS.some((a) => a.model_template_id === templateId))
      return error(400, 'bad_request', `${where}.model_template_id: unknown algorithm ${String(templateId)}`);
    const running = [...state().jobs.values()].some(
      (j) => j.job.project_id === p.project.id && j.job.type === 'train' && jobRunning(j),
    );
    if (running) return error(409, 'project_locked', `Project ${p.project.name} is already training`);
    let job: StoredJob | undefined;
    job = startJob(
      p,
      'train',
      'Training',
      { task: { task_id: task.id, model_template_id: templateId } },
      () => addModel(p, task, templateId, job?.job.id as string),
    );
    return job;
  };

  const labelInfo = (p: StoredProject) => {
    const m = new Map<string, { name: string; color: string }>();
    for (const t of trainable(p))
      for (const l of t.labels ?? []) m.set(l.id as string, { name: l.name, color: l.color as string });
    return m;
  };

  const activeModel = (p: StoredProject, task: Task) =>
    p.modelGroups
      .filter((g) => g.task_id === task.id)
      .flatMap((g) => g.models)
      .find((m) => m.summary.active_model);

  /** The prediction of every trainable task's active model; undefined while a task has none. */
  const predict = (
    p: StoredProject,
    media: MediaItem,
    identifier: Record<string, unknown>,
  ): AnnotationScene | undefined => {
    const tasks = trainable(p);
    const models = tasks.map((t) => activeModel(p, t));
    if (models.some((m) => !m)) return undefined;
    const { width, height } = media.media_information;
    const sx = era.legacy ? 1 / width : 1;
    const sy = era.legacy ? 1 / height : 1;
    const annotations = tasks.flatMap((task, i) => {
      const label = (task.labels ?? []).find((l) => !l.is_empty) ?? task.labels?.[0];
      if (!label) return [];
      const model = models[i] as StoredModel;
      const labels = [
        {
          ...(labelInfo(p).get(label.id as string) ?? { name: label.name, color: label.color }),
          id: label.id,
          probability: 0.87,
          source: { model_id: model.summary.id, model_storage_id: model.summary.model_storage_id },
        },
      ];
      const [x, y, w, h] = isGlobalTask(task.task_type)
        ? [0, 0, width, height]
        : [Math.round(width / 4), Math.round(height / 4), Math.round(width / 2), Math.round(height / 2)];
      const shape: Shape = /segmentation/.test(task.task_type)
        ? {
            type: 'POLYGON' as const,
            points: [
              [x, y],
              [x + w, y],
              [x + w, y + h],
              [x, y + h],
            ].map(([px, py]) => ({ x: (px as number) * sx, y: (py as number) * sy })),
          }
        : { type: 'RECTANGLE' as const, x: x * sx, y: y * sy, width: w * sx, height: h * sy };
      return [{ id: state().id(), labels, labels_to_revisit: [], modified: state().now(), shape }];
    });
    return {
      annotations,
      id: state().id(),
      kind: 'prediction',
      maps: [],
      media_identifier: identifier,
      modified: state().now(),
    };
  };

  /** `auto` and `online` predict (and keep it), `latest` serves what was kept: 204 when there is nothing. */
  const scPrediction = (
    p: StoredProject,
    media: MediaItem | undefined,
    key: string,
    identifier: Record<string, unknown>,
    mode: string | undefined,
  ): FakeAnswer | AnnotationScene => {
    if (!media) return error(404, 'media_not_found', `${key} not found`);
    if (!['auto', 'latest', 'online'].includes(mode ?? ''))
      return error(400, 'bad_request', `prediction_mode: expected auto, latest or online, got ${mode}`);
    if (mode === 'latest') return p.predictions.get(key) ?? { status: 204 };
    const made = predict(p, media, identifier);
    if (!made) return { status: 204 };
    p.predictions.set(key, made);
    return made;
  };
  const asAnswer = (x: FakeAnswer | AnnotationScene): FakeAnswer =>
    isAnswer(x) ? x : { status: 200, json: x };

  const mediaOf = (p: StoredProject, id: string | undefined, type: 'image' | 'video') => {
    const m = p.media.get(id ?? '');
    return m && m.item.type === type ? m.item : undefined;
  };

  /** Geti `pipelines/active:*`: a media item of the project by its reference. */
  const pipelineMedia = (p: StoredProject, body: Record<string, unknown>) => {
    if (typeof body.image_id === 'string') {
      const item = mediaOf(p, body.image_id, 'image');
      return item ? { item, key: item.id, identifier: { type: 'image', image_id: item.id } } : undefined;
    }
    const item = mediaOf(p, body.video_id as string | undefined, 'video');
    const frame = Number(body.frame_index ?? 0);
    return item
      ? {
          item,
          key: `${item.id}:${frame}`,
          identifier: { type: 'video_frame', video_id: item.id, frame_index: frame },
        }
      : undefined;
  };
  const noModel = () =>
    error(400, 'model_not_trained', 'The project has no trained model for every task yet');

  const findModel = (p: StoredProject, params: Record<string, string>) => {
    const group = p.modelGroups.find((g) => g.id === params.model_group_id);
    return group?.models.find((m) => m.summary.id === params.model_id);
  };
  const jobsOf = (call: FakeCall) =>
    [...state().jobs.values()].filter(
      (j) =>
        (!call.query.project_id || j.job.project_id === call.query.project_id) &&
        (!call.query.state || j.job.status.state === call.query.state),
    );

  const handlers: Record<string, Handler> = {
    trainProject: withProject((p, call) => {
      const raw = ctx.rawBody(call);
      // SC <= 1.1 sends the list itself, SC 1.2 wraps it (§1.2): the other form is refused.
      const list = era.legacy
        ? Array.isArray(raw)
          ? raw
          : undefined
        : (raw as { training_parameters?: unknown } | undefined)?.training_parameters;
      if (!Array.isArray(list) || list.length === 0) {
        return error(
          400,
          'bad_request',
          era.legacy
            ? 'body: expected a list of training parameters'
            : 'training_parameters: expected a list of training parameters',
        );
      }
      const jobs: StoredJob[] = [];
      for (const [i, params] of list.entries()) {
        const job = train(p, params, era.legacy ? `[${i}]` : `training_parameters[${i}]`);
        if (isAnswer(job)) return job;
        jobs.push(job);
      }
      return { status: 200, json: (jobs[0] as StoredJob).job };
    }),
    trainProjectTask: withProject((p, call) => {
      const job = train(p, call.body, 'body');
      return isAnswer(job) ? job : { status: 200, json: { job_id: job.job.id } };
    }),
    listJobs: (call) => {
      const all = jobsOf(call).map((j) => j.job);
      if (era.legacy) return { status: 200, json: { items: all } };
      if (!era.geti) return { status: 200, json: { jobs: all } };
      const skip = Number(call.query.skip ?? 0) || 0;
      const limit = Number(call.query.limit ?? 100) || 100;
      const count = (s: string) => [...state().jobs.values()].filter((j) => j.job.status.state === s).length;
      return {
        status: 200,
        json: {
          jobs: all.slice(skip, skip + limit),
          jobs_count: {
            n_running_jobs: count('running'),
            n_finished_jobs: count('finished'),
            n_failed_jobs: count('failed'),
            n_cancelled_jobs: count('cancelled'),
          },
        },
      };
    },
    getJob: (call) => {
      const j = state().jobs.get(call.params.job_id ?? '');
      if (!j) return error(404, 'job_not_found', `Job ${call.params.job_id} not found`);
      if (jobRunning(j)) {
        j.remaining--;
        const total = ctx.pollsPerJob;
        if (j.remaining <= 0) {
          j.job.status = {
            state: 'finished',
            message: `${j.job.name} finished`,
            progress: 100,
            time_remaining: 0,
          };
          j.finish();
        } else {
          j.job.status = {
            state: 'running',
            message: `${j.job.name} in progress`,
            progress: Math.round((100 * (total - j.remaining)) / total),
            time_remaining: j.remaining,
          };
        }
      }
      return { status: 200, json: j.job };
    },
    cancelJob: (call) => {
      const j = state().jobs.get(call.params.job_id ?? '');
      if (!j) return error(404, 'job_not_found', `Job ${call.params.job_id} not found`);
      if (jobRunning(j))
        j.job.status = { ...j.job.status, state: 'cancelled', message: 'Cancelled by the user' };
      return { status: 200, json: j.job };
    },
    listModelGroups: withProject((p) => {
      const groups = p.modelGroups.map(groupJson);
      return { status: 200, json: era.legacy ? { items: groups } : { model_groups: groups } };
    }),
    getModel: withProject((p, call) => {
      const m = findModel(p, call.params);
      return m
        ? { status: 200, json: m.detail }
        : error(404, 'model_not_found', `Model ${call.params.model_id} not found`);
    }),
    activateModelGroup: withProject((p, call) => {
      const group = p.modelGroups.find((g) => g.id === call.params.model_group_id);
      if (!group)
        return error(404, 'model_group_not_found', `Model group ${call.params.model_group_id} not found`);
      for (const g of p.modelGroups)
        if (g.task_id === group.task_id)
          g.models.forEach((m, i) => {
            m.summary.active_model = g === group && i === g.models.length - 1;
          });
      return { status: 200, json: { result: 'success' } };
    }),
    optimizeModel: withProject((p, call) => {
      const m = findModel(p, call.params);
      if (!m) return error(404, 'model_not_found', `Model ${call.params.model_id} not found`);
      const job = startJob(
        p,
        'optimization',
        'Optimization',
        { base_model_id: m.summary.id, optimization_type: 'POT' },
        () => {
          const id = state().id();
          m.detail.optimized_models.push({
            id,
            name: `${m.summary.name} OpenVINO INT8`,
            model_status: 'SUCCESS',
            optimization_type: 'POT',
            optimization_methods: ['QUANTIZATION'],
            optimization_objectives: {},
            precision: ['INT8'],
            creation_date: state().now(),
          });
          m.exports.set(
            id,
            fakeZip({ 'model.json': JSON.stringify({ model: m.summary.name, kind: 'POT INT8' }) }),
          );
        },
      );
      return { status: 200, json: { job_id: job.job.id } };
    }),
    purgeModel: withProject((p, call) => {
      const m = findModel(p, call.params);
      if (!m) return error(404, 'model_not_found', `Model ${call.params.model_id} not found`);
      m.exports.clear();
      m.summary.purge_info = { is_purged: true, purge_time: state().now() };
      return { status: 204 };
    }),
    getImagePrediction: withProject((p, call) => {
      const item = mediaOf(p, call.params.image_id, 'image');
      const key = call.params.image_id ?? '';
      return asAnswer(
        scPrediction(p, item, key, { type: 'image', image_id: key }, call.params.prediction_mode),
      );
    }),
    getVideoFramePrediction: withProject((p, call) => {
      const item = mediaOf(p, call.params.video_id, 'video');
      const frame = Number(call.params.frame_index);
      const id = { type: 'video_frame', video_id: call.params.video_id, frame_index: frame };
      return asAnswer(
        scPrediction(p, item, `${call.params.video_id}:${frame}`, id, call.params.prediction_mode),
      );
    }),
    getVideoPredictions: withProject((p, call) => {
      const item = mediaOf(p, call.params.video_id, 'video');
      if (!item) return error(404, 'media_not_found', `video ${call.params.video_id} not found`);
      const { frame_count = 1, frame_stride = 1 } = item.media_information;
      const scenes: AnnotationScene[] = [];
      for (let f = 0; f < frame_count; f += Math.max(1, frame_stride)) {
        const id = { type: 'video_frame', video_id: item.id, frame_index: f };
        const made = scPrediction(p, item, `${item.id}:${f}`, id, call.params.prediction_mode);
        // 204 (not every task has a model) or an error: the whole video has no prediction.
        if (isAnswer(made)) return made;
        scenes.push(made);
      }
      return { status: 200, json: era.legacy ? scenes : { video_predictions: scenes } };
    }),
    predictWithActivePipeline: withProject((p, call) => {
      const ref = pipelineMedia(p, call.body);
      if (!ref) return error(404, 'media_not_found', 'the media item of the request is not in the project');
      const cached = call.query.use_cache === 'never' ? undefined : p.predictions.get(ref.key);
      const made = cached ?? predict(p, ref.item, ref.identifier);
      if (!made) return noModel();
      p.predictions.set(ref.key, made);
      const { annotations, ...rest } = made;
      return { status: 200, json: { ...rest, predictions: annotations } };
    }),
    batchPredictWithActivePipeline: withProject((p, call) => {
      const b = call.body as {
        video_id?: string;
        start_frame?: number;
        end_frame?: number;
        frame_skip?: number;
      };
      const item = mediaOf(p, b.video_id, 'video');
      if (!item) return error(404, 'media_not_found', `video ${b.video_id} not found`);
      const out: unknown[] = [];
      for (let f = b.start_frame ?? 0; f <= (b.end_frame ?? 0); f += Math.max(1, b.frame_skip ?? 1)) {
        const made = predict(p, item, { type: 'video_frame', video_id: item.id, frame_index: f });
        if (!made) return noModel();
        const { annotations, ...rest } = made;
        out.push({ ...rest, predictions: annotations });
      }
      return { status: 200, json: { batch_prediction: out } };
    }),
    explainWithActivePipeline: withProject((p, call) => {
      const ref = pipelineMedia(p, call.body);
      if (!ref) return error(404, 'media_not_found', 'the media item of the request is not in the project');
      if (!predict(p, ref.item, ref.identifier)) return noModel();
      return { status: 200, json: { maps: saliencyMaps(p), media_identifier: ref.identifier } };
    }),
    batchExplainWithActivePipeline: withProject((p, call) => {
      const b = call.body as {
        video_id?: string;
        start_frame?: number;
        end_frame?: number;
        frame_skip?: number;
      };
      const item = mediaOf(p, b.video_id, 'video');
      if (!item) return error(404, 'media_not_found', `video ${b.video_id} not found`);
      if (!predict(p, item, { type: 'video', video_id: item.id })) return noModel();
      const out: unknown[] = [];
      for (let f = b.start_frame ?? 0; f <= (b.end_frame ?? 0); f += Math.max(1, b.frame_skip ?? 1))
        out.push({
          maps: saliencyMaps(p),
          media_identifier: { type: 'video_frame', video_id: item.id, frame_index: f },
        });
      return { status: 200, json: { batch_explanations: out } };
    }),
  };

  /** One saliency map per non-empty label (its bytes are not served: the fields of a map beyond these are not known). */
  const saliencyMaps = (p: StoredProject) =>
    trainable(p).flatMap((t) =>
      (t.labels ?? [])
        .filter((l) => !l.is_empty)
        .map((l) => ({ id: state().id(), label_id: l.id, name: l.name, type: 'saliency_map' })),
    );

  /**
   * Code deployments (Geti): `prepare` takes `{models: [{model_id, ...}]}` (each a model of the project), the
   * deployment is `PREPARING` until polled `pollsPerJob` times, then `DONE`; its download is a zip with one folder per
   * model (409 `deployment_not_ready` before). The item fields beyond `model_id` are not described (§3.1).
   */
  const deployments = new Map<
    string,
    { json: Record<string, unknown>; remaining: number; zip: Uint8Array }
  >();
  handlers.prepareCodeDeployment = withProject((p, call) => {
    const models = (call.body as { models?: unknown }).models;
    if (!Array.isArray(models) || models.length === 0)
      return error(400, 'bad_request', 'models: expected a non-empty list');
    const files: Record<string, string> = {};
    for (const [i, item] of models.entries()) {
      const id = (item as { model_id?: unknown }).model_id;
      const found = p.modelGroups.flatMap((g) => g.models).find((m) => m.summary.id === id);
      if (!found) return error(400, 'bad_request', `models[${i}].model_id: not a model of the project`);
      files[`deployment/${found.summary.name}/model.json`] = JSON.stringify(found.detail);
    }
    files['README.md'] = `Code deployment of project ${p.project.name} (SC fake)`;
    const id = state().id();
    const json = { id, state: 'PREPARING', progress: 0, models, creation_time: state().now() };
    deployments.set(id, { json, remaining: ctx.pollsPerJob, zip: fakeZip(files) });
    return { status: 200, json };
  });
  handlers.getCodeDeployment = withProject((_p, call) => {
    const d = deployments.get(call.params.deployment_id ?? '');
    if (!d) return error(404, 'deployment_not_found', `deployment ${call.params.deployment_id} not found`);
    if (d.json.state === 'PREPARING' && --d.remaining <= 0)
      Object.assign(d.json, { state: 'DONE', progress: 100 });
    return { status: 200, json: d.json };
  });

  return {
    handlers,
    exportBytes(operationId, params) {
      if (operationId === 'downloadCodeDeployment') {
        const d = deployments.get(params.deployment_id ?? '');
        if (!d) return error(404, 'deployment_not_found', `deployment ${params.deployment_id} not found`);
        return d.json.state === 'DONE'
          ? d.zip
          : error(409, 'deployment_not_ready', 'the deployment is still being prepared; poll it until DONE');
      }
      if (operationId !== 'exportModel' && operationId !== 'exportOptimizedModel') return undefined;
      const p = state().projects.get(params.project_id ?? '');
      if (!p || params.workspace_id !== state().workspaceId)
        return error(404, 'project_not_found', `Project ${params.project_id} not found`);
      const m = findModel(p, params);
      if (!m) return error(404, 'model_not_found', `Model ${params.model_id} not found`);
      const key = operationId === 'exportModel' ? m.summary.id : (params.optimized_model_id ?? '');
      return (
        m.exports.get(key) ??
        error(404, 'model_not_found', `no export of ${key} (purged, or no such optimized model)`)
      );
    },
  };
}
