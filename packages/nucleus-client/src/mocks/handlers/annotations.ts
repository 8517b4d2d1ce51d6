/**
 * Ground truth and predictions: sync upload (annotations and segmentations), async from a signed-URL upload,
 * lookups. Keys are `(reference_id, annotation_id)`: a duplicate is ignored unless `update`.
 */
import { notFound, nucleusError, ok } from '../answers.js';
import type { NucleusContext, NucleusHandler } from '../context.js';
import type { FakeDataset, Json } from '../state.js';
import { withDataset } from './datasets.js';
import { takeUpload } from './items.js';

function keyOf(a: Json): string {
  const id =
    a.annotation_id ??
    (a.type === 'mask' ? 'mask' : a.type === 'category' ? `category-${a.taxonomy_name ?? ''}` : a.label);
  return `${String(a.reference_id)}\u0000${String(id)}`;
}

/** Store annotations into `target`; items must exist in `ds`. */
export function ingestAnnotations(
  ctx: NucleusContext,
  ds: FakeDataset,
  target: Map<string, Json>,
  list: readonly unknown[],
  update: boolean,
  prefix: 'ann' | 'pred',
) {
  let processed = 0;
  let ignored = 0;
  const errors: string[] = [];
  for (const raw of list) {
    const a = (raw ?? {}) as Json;
    const ref = a.reference_id;
    const item = typeof ref === 'string' ? (ds.items.get(ref) ?? ds.scenes.get(ref)) : undefined;
    if (!item) {
      errors.push(`Item with reference id ${String(ref)} not found in dataset ${ds.id}`);
      continue;
    }
    const key = keyOf(a);
    const existing = target.get(key);
    if (existing && !update) {
      ignored += 1;
      continue;
    }
    target.set(key, { ...a, id: existing?.id ?? ctx.state.id(prefix), dataset_item_id: item.id });
    processed += 1;
  }
  return { processed, ignored, errors };
}

function bodyList(body: Json): unknown[] {
  return [
    ...(Array.isArray(body.annotations) ? body.annotations : []),
    ...(Array.isArray(body.segmentations) ? body.segmentations : []),
  ];
}

/** The predictions store of a model on a dataset. */
export function predictionsOf(ctx: NucleusContext, datasetId: string, modelId: string): Map<string, Json> {
  const key = `${datasetId}\u0000${modelId}`;
  let m = ctx.state.predictions.get(key);
  if (!m) {
    m = new Map();
    ctx.state.predictions.set(key, m);
  }
  return m;
}

function isAsync(query: Record<string, string>): boolean {
  return query.async === '1' || query.async === 'true';
}

/** Upload of predictions into a model's store on a dataset (uploadPredictions and modelRun predict). */
function uploadPredictionsTo(ds: FakeDataset, modelId: string, runId: string): NucleusHandler {
  return ({ body, query }, ctx) => {
    const target = predictionsOf(ctx, ds.id, modelId);
    const update = body.update === true;
    if (isAsync(query)) {
      const rows = takeUpload(ctx, body.requestId);
      if (rows === undefined)
        return nucleusError(400, `requestId: no upload found for ${String(body.requestId)}`);
      const job = ctx.startJob('uploadPredictions', () => {
        const r = ingestAnnotations(ctx, ds, target, rows, update, 'pred');
        if (r.errors.length) throw new Error(`Input validation failed: ${r.errors[0]}`);
        return {
          prediction_upload: { total: rows.length, errored: 0, ignored: r.ignored, processed: r.processed },
        };
      });
      return ok(ctx.jobJson(job));
    }
    const r = ingestAnnotations(ctx, ds, target, bodyList(body), update, 'pred');
    return ok({
      dataset_id: ds.id,
      model_run_id: runId,
      predictions_processed: r.processed,
      predictions_ignored: r.ignored,
      ...(r.errors.length ? { errors: r.errors } : {}),
    });
  };
}

export const annotationHandlers: Record<string, NucleusHandler> = {
  uploadAnnotations: withDataset((ds, { body, query }, ctx) => {
    const update = body.update === true;
    if (isAsync(query)) {
      const rows = takeUpload(ctx, body.requestId);
      if (rows === undefined)
        return nucleusError(400, `requestId: no upload found for ${String(body.requestId)}`);
      const job = ctx.startJob('uploadAnnotations', () => {
        const r = ingestAnnotations(ctx, ds, ds.annotations, rows, update, 'ann');
        if (r.errors.length) throw new Error(`Input validation failed: ${r.errors[0]}`);
        return {
          annotation_upload: {
            total: rows.length,
            errored: 0,
            ignored: r.ignored,
            datasetId: ds.id,
            processed: r.processed,
          },
        };
      });
      return ok(ctx.jobJson(job));
    }
    const r = ingestAnnotations(ctx, ds, ds.annotations, bodyList(body), update, 'ann');
    return ok({
      dataset_id: ds.id,
      annotations_processed: r.processed,
      annotations_ignored: r.ignored,
      ...(r.errors.length ? { errors: r.errors } : {}),
    });
  }),
  deleteAnnotations: withDataset((ds, { body }, ctx) => {
    if (!Array.isArray(body.reference_ids)) return nucleusError(400, 'reference_ids: expected an array');
    const refs = new Set(body.reference_ids.map(String));
    // A job, as the server answers; the annotations go when it completes.
    const job = ctx.startJob('deleteAnnotations', () => {
      let deleted = 0;
      for (const [k, a] of ds.annotations)
        if (refs.has(String(a.reference_id))) {
          ds.annotations.delete(k);
          deleted += 1;
        }
      return { deleted };
    });
    return ok(ctx.jobJson(job));
  }),
  getAnnotation: withDataset((ds, { params }) => {
    const a = ds.annotations.get(`${params.reference_id}\u0000${params.annotation_id}`);
    return a ? ok(a) : notFound('Annotation', params.annotation_id ?? '');
  }),
  uploadPredictions: withDataset((ds, call, ctx) => {
    const modelId = call.params.model_id ?? '';
    if (!ctx.state.models.has(modelId)) return notFound('Model', modelId);
    let run = [...ctx.state.modelRuns.values()].find((r) => r.dataset_id === ds.id && r.model_id === modelId);
    if (!run) {
      run = {
        model_run_id: ctx.state.id('run'),
        dataset_id: ds.id,
        model_id: modelId,
        name: 'predictions',
        status: 'started',
        metadata: {},
      };
      ctx.state.modelRuns.set(String(run.model_run_id), run);
    }
    return uploadPredictionsTo(ds, modelId, String(run.model_run_id))(call, ctx);
  }),
  uploadModelRunPredictions: (call, ctx) => {
    const run = ctx.state.modelRuns.get(call.params.model_run_id ?? '');
    if (!run) return notFound('Model run', call.params.model_run_id ?? '');
    const ds = ctx.state.datasets.get(String(run.dataset_id));
    if (!ds) return notFound('Dataset', String(run.dataset_id));
    return uploadPredictionsTo(ds, String(run.model_id), String(run.model_run_id))(call, ctx);
  },
  getPredictionsByReferenceId: withDataset((ds, { params }, ctx) => {
    const preds = [...predictionsOf(ctx, ds.id, params.model_id ?? '').values()].filter(
      (p) => p.reference_id === params.reference_id,
    );
    const annotations: Record<string, Json[]> = {};
    for (const p of preds) {
      const type = p.type === 'mask' ? 'segmentation' : String(p.type);
      annotations[type] = [...(annotations[type] ?? []), p];
    }
    return ok({ annotations });
  }),
};
