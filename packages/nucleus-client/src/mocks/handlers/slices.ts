/** Slices (`slc_`): create from reference ids (at most 10,000 per request), info, members, pages, append, delete. */
import { notFound, nucleusError, ok, tokenPageAnswer } from '../answers.js';
import type { NucleusContext, NucleusHandler } from '../context.js';
import type { FakeSlice } from '../state.js';
import { withDataset } from './datasets.js';

/** The most `reference_ids` the fake takes in one slice request. */
export const MAX_SLICE_REFS = 10_000;

function sliceInfo(s: FakeSlice) {
  return {
    slice_id: s.id,
    name: s.name,
    dataset_id: s.dataset_id,
    type: s.type,
    pending_job_count: 0,
    created_at: s.created_at,
    description: s.description,
    tags: s.tags,
  };
}

function sliceItems(ctx: NucleusContext, s: FakeSlice) {
  const ds = ctx.state.datasets.get(s.dataset_id);
  return s.reference_ids.map((r) => ds?.items.get(r)).filter((x) => x !== undefined);
}

function withSlice(
  h: (s: FakeSlice, ...rest: Parameters<NucleusHandler>) => ReturnType<NucleusHandler>,
): NucleusHandler {
  return (call, ctx) => {
    const s = ctx.state.slices.get(call.params.slice_id ?? '');
    return s ? h(s, call, ctx) : notFound('Slice', call.params.slice_id ?? '');
  };
}

function refs(body: Record<string, unknown>): string[] | string {
  const r = body.reference_ids ?? [];
  if (!Array.isArray(r)) return 'reference_ids: expected an array';
  if (r.length > MAX_SLICE_REFS)
    return `reference_ids: at most ${MAX_SLICE_REFS} per request, got ${r.length}`;
  return r.map(String);
}

export const sliceHandlers: Record<string, NucleusHandler> = {
  createSlice: withDataset((ds, { body }, ctx) => {
    if (typeof body.name !== 'string' || body.name === '') return nucleusError(400, 'name: required');
    const r = refs(body);
    if (typeof r === 'string') return nucleusError(400, r);
    const missing = r.filter((x) => !ds.items.has(x));
    if (missing.length)
      return nucleusError(400, `reference_ids not in dataset ${ds.id}: ${missing.slice(0, 10).join(', ')}`);
    if (r.length === 0 && !body.allow_empty)
      return nucleusError(400, 'reference_ids: empty (pass allow_empty to create an empty slice)');
    const id = ctx.state.id('slc');
    ctx.state.slices.set(id, {
      id,
      name: body.name,
      dataset_id: ds.id,
      type: 'dataset_item',
      created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      tags: [],
      description: '',
      reference_ids: [...new Set(r)],
    });
    return ok({ slice_id: id });
  }),
  buildSlice: withDataset((ds, { body }, ctx) => {
    if (typeof body.name !== 'string' || body.name === '') return nucleusError(400, 'name: required');
    const size = body.sampleSize;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1)
      return nucleusError(400, 'sampleSize: expected a positive integer');
    if (body.sampleMethod !== 'Random')
      return nucleusError(
        400,
        `sampleMethod: the fake samples 'Random' only (Uniqueness needs the embedding index), got ${JSON.stringify(body.sampleMethod)}`,
      );
    const from = (body.filters as { sliceId?: unknown } | undefined)?.sliceId;
    let pool = [...ds.items.keys()];
    if (from !== undefined) {
      const source = ctx.state.slices.get(String(from));
      if (!source) return notFound('Slice', String(from));
      pool = [...source.reference_ids];
    }
    // Fisher-Yates on a copy, then the first `size`.
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    const id = ctx.state.id('slc');
    const slice: FakeSlice = {
      id,
      name: body.name,
      dataset_id: ds.id,
      type: 'dataset_item',
      created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      tags: [],
      description: '',
      reference_ids: [],
    };
    ctx.state.slices.set(id, slice);
    const picked = pool.slice(0, size);
    const job = ctx.startJob('buildSlice', () => {
      slice.reference_ids = picked;
      return { slice_id: id, items: picked.length };
    });
    return ok({ sliceId: id, ...ctx.jobJson(job) });
  }),
  listSlices: (_call, ctx) =>
    ok(
      [...ctx.state.slices.values()].map((s) => ({
        id: s.id,
        name: s.name,
        dataset_id: s.dataset_id,
        type: s.type,
        created_at: s.created_at,
        pending_job_count: 0,
      })),
    ),
  listDatasetSlices: withDataset((ds, { query }, ctx) =>
    ok(
      [...ctx.state.slices.values()]
        .filter(
          (s) =>
            s.dataset_id === ds.id &&
            (!query.name || s.name === query.name) &&
            (!query.type || s.type === query.type),
        )
        // the summary of `slice/` (with `id`), not the `info` shape
        .map((s) => ({
          id: s.id,
          name: s.name,
          dataset_id: s.dataset_id,
          type: s.type,
          created_at: s.created_at,
          pending_job_count: 0,
          tags: s.tags,
        })),
    ),
  ),
  getSlice: withSlice((s) => ok(sliceInfo(s))),
  listSliceMembers: withSlice((s, _call, ctx) => ok({ items: sliceItems(ctx, s) })),
  listSliceItems: withSlice((s, { body }, ctx) => tokenPageAnswer(sliceItems(ctx, s), body, 'items')),
  appendToSlice: withSlice((s, { body }, ctx) => {
    const r = refs(body);
    if (typeof r === 'string') return nucleusError(400, r);
    const ds = ctx.state.datasets.get(s.dataset_id);
    const added = r.filter((x) => ds?.items.has(x) && !s.reference_ids.includes(x));
    s.reference_ids.push(...added);
    return ok({ slice_id: s.id, new_items: added });
  }),
  addSliceTags: withSlice((s, { body }) => {
    s.tags = [
      ...new Set([...s.tags, ...(Array.isArray(body.slice_tags) ? body.slice_tags.map(String) : [])]),
    ];
    return ok({ slice_id: s.id, tags: s.tags });
  }),
  deleteSlice: withSlice((s, _call, ctx) => {
    ctx.state.slices.delete(s.id);
    return ok({});
  }),
};
