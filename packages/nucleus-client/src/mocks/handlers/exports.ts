/**
 * Reading a dataset back: export rows (items with their ground truth or a model's predictions, whole or by page
 * token under `data`), the query-language item search (pages under `items`), class labels, prediction lookups by
 * item, index and id, and raw slice exports.
 *
 * The query grammar is not documented in the Python client (nucleus-api.md §12), so the fake takes a small subset
 * and refuses the rest with a 400 that says so: `field op value` conditions joined by `and`, where field is
 * `reference_id` or `metadata.<key>`, op one of `= != > >= < <=`, value a number or a quoted string.
 */
import { notFound, nucleusError, ok, tokenPageAnswer } from '../answers.js';
import type { NucleusContext, NucleusHandler } from '../context.js';
import type { FakeSlice, Json } from '../state.js';
import { predictionsOf } from './annotations.js';
import { withDataset } from './datasets.js';

const EXPORT_TYPES = ['box', 'polygon', 'line', 'keypoints', 'cuboid', 'category', 'multicategory'] as const;

/** One export row: the item, each type's list (objects without `reference_id`), the segmentation or null. */
function exportRow(item: Json, annotations: Iterable<Json>): Json {
  const row: Json = { item, segmentation: null };
  for (const t of EXPORT_TYPES) row[t] = [];
  for (const a of annotations) {
    if (a.reference_id !== item.reference_id) continue;
    const { reference_id: _r, ...rest } = a;
    if (a.type === 'mask') row.segmentation = { ...a };
    else (row[String(a.type)] as Json[] | undefined)?.push(rest);
  }
  return row;
}

/** `{box: [], ..., segmentation: []}`: objects grouped by wire type (a `mask` is a segmentation). */
export function byType(objects: Iterable<Json>): Record<string, Json[]> {
  const out: Record<string, Json[]> = Object.fromEntries(
    [...EXPORT_TYPES, 'segmentation'].map((t) => [t, [] as Json[]]),
  );
  for (const o of objects) {
    const type = o.type === 'mask' ? 'segmentation' : String(o.type);
    const list = out[type] ?? [];
    list.push(o);
    out[type] = list;
  }
  return out;
}

function sliceOf(ctx: NucleusContext, id: string | undefined): FakeSlice | undefined {
  return id === undefined ? undefined : ctx.state.slices.get(id);
}

type Condition = (item: Json) => boolean;

/** The query subset of the module comment, or the reason it is not in it. */
export function parseQuery(query: string): Condition | string {
  const text = query.trim();
  if (text === '') return () => true;
  const parts = text.split(/\s+and\s+/i);
  const conditions: Condition[] = [];
  for (const part of parts) {
    const m =
      /^(reference_id|metadata\.[A-Za-z0-9_.-]+)\s*(=|!=|>=|<=|>|<)\s*("(?:[^"\\]|\\.)*"|'[^']*'|-?\d+(?:\.\d+)?)$/.exec(
        part.trim(),
      );
    if (!m)
      return `query: the fake understands only \`reference_id|metadata.<key> (= != > >= < <=) <number|"string">\` joined by AND, got ${JSON.stringify(part.trim())}`;
    const [, field, op, raw] = m as unknown as [string, string, string, string];
    const value: string | number = /^["']/.test(raw) ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : Number(raw);
    const read = (item: Json): unknown =>
      field === 'reference_id'
        ? item.reference_id
        : field
            .slice('metadata.'.length)
            .split('.')
            .reduce<unknown>(
              (o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined),
              item.metadata,
            );
    conditions.push((item) => {
      const v = read(item);
      if (v === undefined || v === null) return op === '!=';
      switch (op) {
        case '=':
          return v === value;
        case '!=':
          return v !== value;
        default: {
          if (typeof v !== typeof value) return false;
          const a = v as number | string;
          return op === '>' ? a > value : op === '>=' ? a >= value : op === '<' ? a < value : a <= value;
        }
      }
    });
  }
  return (item) => conditions.every((c) => c(item));
}

function rowsOf(items: readonly Json[], objects: Iterable<Json>): Json[] {
  const list = [...objects];
  return items.map((item) => exportRow(item, list));
}

function sliceRows(ctx: NucleusContext, s: FakeSlice, objects?: Iterable<Json>): Json[] | undefined {
  const ds = ctx.state.datasets.get(s.dataset_id);
  if (!ds) return undefined;
  const items = s.reference_ids.map((r) => ds.items.get(r)).filter((x): x is Json => x !== undefined);
  return rowsOf(items, objects ?? ds.annotations.values());
}

function withSliceRows(model: boolean, paged: boolean): NucleusHandler {
  return (call, ctx) => {
    const s = sliceOf(ctx, call.params.slice_id);
    if (!s) return notFound('Slice', call.params.slice_id ?? '');
    let objects: Iterable<Json> | undefined;
    if (model) {
      const modelId = call.params.model_id ?? '';
      if (!ctx.state.models.has(modelId)) return notFound('Model', modelId);
      objects = predictionsOf(ctx, s.dataset_id, modelId).values();
    }
    const rows = sliceRows(ctx, s, objects) ?? [];
    return paged ? tokenPageAnswer(rows, call.body, 'data') : ok({ exportedRows: rows });
  };
}

/** The predictions of a model run's store, or a 404 answer. */
function runPredictions(ctx: NucleusContext, runId: string | undefined) {
  const run = runId === undefined ? undefined : ctx.state.modelRuns.get(runId);
  if (!run) return notFound('Model run', runId ?? '');
  const ds = ctx.state.datasets.get(String(run.dataset_id));
  if (!ds) return notFound('Dataset', String(run.dataset_id));
  return { ds, preds: [...predictionsOf(ctx, ds.id, String(run.model_id)).values()] };
}

const ofItem = (preds: Json[], ref: unknown) =>
  ok({ annotations: byType(preds.filter((p) => p.reference_id === ref)) });

function classLabels(objects: Iterable<Json>): string[] {
  const labels = new Set<string>();
  for (const a of objects) {
    if (typeof a.label === 'string') labels.add(a.label);
    if (Array.isArray(a.labels)) for (const l of a.labels) labels.add(String(l));
    if (Array.isArray(a.annotations)) for (const s of a.annotations as Json[]) labels.add(String(s.label));
  }
  return [...labels].sort();
}

export const exportHandlers: Record<string, NucleusHandler> = {
  listAllDatasetExportRows: withDataset((ds) =>
    ok({ exportedRows: rowsOf([...ds.items.values()], ds.annotations.values()) }),
  ),
  listDatasetExportRows: withDataset((ds, { body }) => {
    let items = [...ds.items.values()];
    if (typeof body.query === 'string') {
      const where = parseQuery(body.query);
      if (typeof where === 'string') return nucleusError(400, where);
      items = items.filter(where);
    }
    return tokenPageAnswer(rowsOf(items, ds.annotations.values()), body, 'data');
  }),
  queryDatasetItems: withDataset((ds, { body }) => {
    if (typeof body.query !== 'string') return nucleusError(400, 'query: required (a string)');
    const where = parseQuery(body.query);
    if (typeof where === 'string') return nucleusError(400, where);
    return tokenPageAnswer([...ds.items.values()].filter(where), body, 'items');
  }),
  listDatasetClassLabels: withDataset((ds) => ok({ data: classLabels(ds.annotations.values()) })),
  listSliceClassLabels: (call, ctx) => {
    const s = sliceOf(ctx, call.params.slice_id);
    if (!s) return notFound('Slice', call.params.slice_id ?? '');
    const ds = ctx.state.datasets.get(s.dataset_id);
    const refs = new Set(s.reference_ids);
    return ok({
      data: classLabels(
        [...(ds?.annotations.values() ?? [])].filter((a) => refs.has(String(a.reference_id))),
      ),
    });
  },
  listAllSliceExportRows: withSliceRows(false, false),
  listSliceExportRows: withSliceRows(false, true),
  listAllSlicePredictionRows: withSliceRows(true, false),
  listSlicePredictionRows: withSliceRows(true, true),
  exportSliceRawItems: (call, ctx) => {
    const s = sliceOf(ctx, call.params.slice_id);
    if (!s) return notFound('Slice', call.params.slice_id ?? '');
    const ds = ctx.state.datasets.get(s.dataset_id);
    return ok(
      s.reference_ids
        .map((r) => ds?.items.get(r))
        .filter((x): x is Json => x !== undefined)
        .map((i) => ({
          id: i.id,
          ref_id: i.reference_id,
          metadata: i.metadata ?? {},
          original_url: i.image_url ?? i.pointcloud_url ?? null,
          scale_url: null,
        })),
    );
  },
  exportPredictions: withDataset((ds, { params }, ctx) => {
    if (!ctx.state.models.has(params.model_id ?? '')) return notFound('Model', params.model_id ?? '');
    return ok(byType(predictionsOf(ctx, ds.id, params.model_id ?? '').values()));
  }),
  getPrediction: withDataset((ds, { params }, ctx) => {
    const p = predictionsOf(ctx, ds.id, params.model_id ?? '').get(
      `${params.reference_id}\u0000${params.annotation_id}`,
    );
    return p ? ok(p) : notFound('Prediction', params.annotation_id ?? '');
  }),
  getPredictionsByIndex: withDataset((ds, { params }, ctx) => {
    const item = [...ds.items.values()][Number(params.index)];
    if (!item) return notFound('Item at index', params.index ?? '');
    return ofItem([...predictionsOf(ctx, ds.id, params.model_id ?? '').values()], item.reference_id);
  }),
  exportModelRunPredictions: ({ params }, ctx) => {
    const r = runPredictions(ctx, params.model_run_id);
    return 'status' in r ? r : ok(byType(r.preds));
  },
  getModelRunPrediction: ({ params }, ctx) => {
    const r = runPredictions(ctx, params.model_run_id);
    if ('status' in r) return r;
    const p = r.preds.find(
      (x) => x.reference_id === params.reference_id && x.annotation_id === params.annotation_id,
    );
    return p ? ok(p) : notFound('Prediction', params.annotation_id ?? '');
  },
  getModelRunPredictionsByReferenceId: ({ params }, ctx) => {
    const r = runPredictions(ctx, params.model_run_id);
    if ('status' in r) return r;
    if (!r.ds.items.has(params.reference_id ?? '')) return notFound('Item', params.reference_id ?? '');
    return ofItem(r.preds, params.reference_id);
  },
  getModelRunPredictionsByIndex: ({ params }, ctx) => {
    const r = runPredictions(ctx, params.model_run_id);
    if ('status' in r) return r;
    const item = [...r.ds.items.values()][Number(params.index)];
    return item ? ofItem(r.preds, item.reference_id) : notFound('Item at index', params.index ?? '');
  },
  getModelRunPredictionsByItemId: ({ params }, ctx) => {
    const r = runPredictions(ctx, params.model_run_id);
    if ('status' in r) return r;
    const item = [...r.ds.items.values()].find((i) => i.id === params.dataset_item_id);
    return item ? ofItem(r.preds, item.reference_id) : notFound('Item', params.dataset_item_id ?? '');
  },
};
