/**
 * Dataset items: sync append (at most 29 per request: 30 or more is refused, as the Python client's assert says the
 * server does), async append from the NDJSON of a signed URL, pages, lookups, delete.
 */
import { notFound, nucleusError, ok, tokenPageAnswer } from '../answers.js';
import type { NucleusContext } from '../context.js';
import type { FakeDataset, Json } from '../state.js';
import { withDataset } from './datasets.js';

/** The most remote items one sync append takes. */
export const MAX_SYNC_APPEND = 29;

/** Parse the NDJSON uploaded under `requestId`; throws with the line number on bad JSON. */
export function takeUpload(ctx: NucleusContext, requestId: unknown): Json[] | undefined {
  const text = typeof requestId === 'string' ? ctx.state.uploads.get(requestId) : undefined;
  if (text === undefined) return undefined;
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as Json;
      } catch {
        throw new Error(`Input validation failed: line ${i + 1} of the upload is not JSON`);
      }
    });
}

/** Store items; the answer's counts. */
export function ingestItems(
  ctx: NucleusContext,
  ds: FakeDataset,
  items: readonly unknown[],
  update: boolean,
) {
  const counts = { new_items: 0, updated_items: 0, ignored_items: 0, upload_errors: 0 };
  const errorPayload: Json[] = [];
  for (const raw of items) {
    const item = (raw ?? {}) as Json;
    const ref = item.reference_id;
    const url = item.image_url ?? item.pointcloud_url;
    if (typeof ref !== 'string' || ref === '' || typeof url !== 'string' || url === '') {
      counts.upload_errors += 1;
      errorPayload.push({
        reference_id: ref ?? null,
        error: 'item needs reference_id and image_url or pointcloud_url',
      });
      continue;
    }
    const existing = ds.items.get(ref);
    if (existing && !update) {
      counts.ignored_items += 1;
      continue;
    }
    const { update: _u, ...fields } = item;
    ds.items.set(ref, { ...fields, metadata: item.metadata ?? {}, id: existing?.id ?? ctx.state.id('di') });
    if (existing) counts.updated_items += 1;
    else counts.new_items += 1;
  }
  return { counts, errorPayload };
}

const TYPES = [
  'box',
  'line',
  'polygon',
  'keypoints',
  'cuboid',
  'segmentation',
  'category',
  'multicategory',
] as const;

/** `{item, annotations: {box: [], ...}}` of one item. */
export function itemWithAnnotations(ds: FakeDataset, item: Json): Json {
  const annotations: Record<string, Json[]> = Object.fromEntries(TYPES.map((t) => [t, []]));
  for (const a of ds.annotations.values()) {
    if (a.reference_id !== item.reference_id) continue;
    const type = a.type === 'mask' ? 'segmentation' : String(a.type);
    annotations[type]?.push(a);
  }
  return { item, annotations };
}

export const itemHandlers = {
  appendDatasetItems: withDataset((ds, { body, query }, ctx) => {
    const update = body.update === true;
    if (query.async === '1' || query.async === 'true') {
      const rows = takeUpload(ctx, body.requestId);
      if (rows === undefined)
        return nucleusError(400, `requestId: no upload found for ${String(body.requestId)}`);
      const job = ctx.startJob('uploadDatasetItems', () => {
        const { counts } = ingestItems(ctx, ds, rows, update);
        return { dataset_id: ds.id, ...counts };
      });
      return ok(ctx.jobJson(job));
    }
    if (!Array.isArray(body.items)) return nucleusError(400, 'items: expected an array');
    if (body.items.length > MAX_SYNC_APPEND)
      return nucleusError(
        400,
        `Too many items in one request: ${body.items.length} (at most ${MAX_SYNC_APPEND} remote items per append; use batches or the async upload)`,
      );
    const { counts, errorPayload } = ingestItems(ctx, ds, body.items, update);
    return ok({
      dataset_id: ds.id,
      ...counts,
      ...(errorPayload.length ? { error_payload: errorPayload } : {}),
    });
  }),
  listAllDatasetItems: withDataset((ds) => ok({ dataset_items: [...ds.items.values()] })),
  listDatasetItems: withDataset((ds, { body }) => tokenPageAnswer([...ds.items.values()], body, 'items')),
  getDatasetItemByReferenceId: withDataset((ds, { params }) => {
    const item = ds.items.get(params.reference_id ?? '');
    return item ? ok(itemWithAnnotations(ds, item)) : notFound('Item', params.reference_id ?? '');
  }),
  getDatasetItemByIndex: withDataset((ds, { params }) => {
    const item = [...ds.items.values()][Number(params.index)];
    return item ? ok(itemWithAnnotations(ds, item)) : notFound('Item at index', params.index ?? '');
  }),
  getDatasetItem: withDataset((ds, { params }) => {
    const item = [...ds.items.values()].find((i) => i.id === params.dataset_item_id);
    return item ? ok(itemWithAnnotations(ds, item)) : notFound('Item', params.dataset_item_id ?? '');
  }),
  updateDatasetItemMetadata: withDataset((ds, { body, query }, ctx) => {
    const level = body.level;
    if (level !== 'item' && level !== 'scene') return nucleusError(400, 'level: expected "item" or "scene"');
    if (!Array.isArray(body.metadata)) return nucleusError(400, 'metadata: expected an array');
    const rows = body.metadata as Json[];
    const store = level === 'item' ? ds.items : ds.scenes;
    // Merge-update, as the Python client documents it: keys not sent are kept.
    const apply = () => {
      const updated: string[] = [];
      const missing: string[] = [];
      for (const row of rows) {
        const ref = String(row.reference_id);
        const target = store.get(ref);
        if (!target) {
          missing.push(ref);
          continue;
        }
        target.metadata = { ...((target.metadata as Json | null) ?? {}), ...((row.metadata as Json) ?? {}) };
        if (row.camera_params !== undefined)
          target.metadata = { ...(target.metadata as Json), camera_params: row.camera_params };
        updated.push(ref);
      }
      return { updated, missing };
    };
    if (query.async === '1' || query.async === 'true') {
      const job = ctx.startJob('metadataUpdate', () => {
        const r = apply();
        return { updated: r.updated.length, not_found: r.missing };
      });
      return ok(ctx.jobJson(job));
    }
    const r = apply();
    return ok({
      successes: r.updated,
      failures: r.missing.map((ref) => ({ reference_id: ref, error: `${level} not found` })),
    });
  }),
  deleteDatasetItem: withDataset((ds, { params }) => {
    const ref = params.reference_id ?? '';
    if (!ds.items.delete(ref)) return notFound('Item', ref);
    for (const [k, a] of ds.annotations) if (a.reference_id === ref) ds.annotations.delete(k);
    return ok({});
  }),
};
