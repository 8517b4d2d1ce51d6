/** Models (`prj_`) and model runs (`run_`). */
import { notFound, nucleusError, ok } from '../answers.js';
import type { NucleusHandler } from '../context.js';
import { withDataset } from './datasets.js';

function trainedSlices(change: 'add' | 'remove'): NucleusHandler {
  return ({ params, body }, ctx) => {
    const m = ctx.state.models.get(params.model_id ?? '');
    if (!m) return notFound('Model', params.model_id ?? '');
    const ids = body.trained_slice_ids;
    if (!Array.isArray(ids)) return nucleusError(400, 'trained_slice_ids: expected an array');
    const unknown = ids.map(String).filter((id) => !ctx.state.slices.has(id));
    if (change === 'add' && unknown.length) return notFound('Slice', unknown[0]!);
    const current = m.trained_slice_ids as string[];
    m.trained_slice_ids =
      change === 'add'
        ? [...new Set([...current, ...ids.map(String)])]
        : current.filter((id) => !ids.includes(id));
    return ok({ model_id: m.id, trained_slice_ids: m.trained_slice_ids });
  };
}

export const modelHandlers: Record<string, NucleusHandler> = {
  listModels: (_call, ctx) => ok({ models: [...ctx.state.models.values()] }),
  createModel: ({ body }, ctx) => {
    if (typeof body.name !== 'string' || typeof body.reference_id !== 'string')
      return ok({ error: 'name and reference_id are required' }); // a 200 with {error}, as the real route answers
    if ([...ctx.state.models.values()].some((m) => m.ref_id === body.reference_id))
      return ok({ error: `A model with reference_id ${body.reference_id} already exists` });
    const id = ctx.state.id('prj');
    ctx.state.models.set(id, {
      id,
      name: body.name,
      ref_id: body.reference_id,
      metadata: body.metadata ?? {},
      tags: Array.isArray(body.tags) ? body.tags : [],
      trained_slice_ids: Array.isArray(body.trained_slice_ids) ? body.trained_slice_ids : [],
      ...(typeof body.bundle_name === 'string' ? { bundle_name: body.bundle_name } : {}),
    });
    return ok({ model_id: id });
  },
  getModel: ({ params }, ctx) => {
    const m = ctx.state.models.get(params.model_id ?? '');
    return m ? ok(m) : notFound('Model', params.model_id ?? '');
  },
  deleteModel: ({ params }, ctx) =>
    ctx.state.models.delete(params.model_id ?? '')
      ? ok({ msg: 'Model deletion running in an async job' })
      : notFound('Model', params.model_id ?? ''),
  createModelRun: withDataset((ds, { body }, ctx) => {
    if (typeof body.reference_id !== 'string')
      return ok({ status_code: 400, error: 'reference_id: required' });
    const model = [...ctx.state.models.values()].find((m) => m.ref_id === body.reference_id);
    if (!model) return ok({ status_code: 404, error: `No model with reference_id ${body.reference_id}` });
    const id = ctx.state.id('run');
    ctx.state.modelRuns.set(id, {
      model_run_id: id,
      dataset_id: ds.id,
      model_id: model.id,
      name: typeof body.name === 'string' ? body.name : String(model.name),
      status: 'started',
      metadata: body.metadata ?? {},
    });
    return ok({ model_run_id: id });
  }),
  getModelRun: ({ params }, ctx) => {
    const r = ctx.state.modelRuns.get(params.model_run_id ?? '');
    return r
      ? ok({ model_id: r.model_id, name: r.name, status: r.status, metadata: r.metadata })
      : notFound('Model run', params.model_run_id ?? '');
  },
  commitModelRun: ({ params }, ctx) => {
    const r = ctx.state.modelRuns.get(params.model_run_id ?? '');
    if (!r) return notFound('Model run', params.model_run_id ?? '');
    r.status = 'committed';
    return ok({ model_run_id: r.model_run_id });
  },
  deleteModelRun: ({ params }, ctx) =>
    ctx.state.modelRuns.delete(params.model_run_id ?? '')
      ? ok({})
      : notFound('Model run', params.model_run_id ?? ''),
  removeModelTags: ({ params, body }, ctx) => {
    const m = ctx.state.models.get(params.model_id ?? '');
    if (!m) return notFound('Model', params.model_id ?? '');
    if (!Array.isArray(body.tags)) return nucleusError(400, 'tags: expected an array');
    const drop = new Set(body.tags.map(String));
    m.tags = (m.tags as string[]).filter((t) => !drop.has(t));
    return ok({ model_id: m.id, tags: m.tags });
  },
  addModelTrainedSlices: trainedSlices('add'),
  removeModelTrainedSlices: trainedSlices('remove'),
  addModelTags: ({ params, body }, ctx) => {
    const m = ctx.state.models.get(params.model_id ?? '');
    if (!m) return notFound('Model', params.model_id ?? '');
    if (!Array.isArray(body.tags)) return nucleusError(400, 'tags: expected an array');
    m.tags = [...new Set([...(m.tags as string[]), ...body.tags.map(String)])];
    return ok({ model_id: m.id, tags: m.tags });
  },
};
