/** Datasets: create, list, info, flags, tags, signed URLs for the async path. */
import { notFound, nucleusError, ok } from '../answers.js';
import type { NucleusContext, NucleusHandler } from '../context.js';
import type { FakeDataset } from '../state.js';

export function datasetOf(ctx: NucleusContext, id: string | undefined): FakeDataset | undefined {
  return id === undefined ? undefined : ctx.state.datasets.get(id);
}

/** Run `then` with the path's dataset, or answer 404. */
export function withDataset(
  handler: (ds: FakeDataset, ...rest: Parameters<NucleusHandler>) => ReturnType<NucleusHandler>,
): NucleusHandler {
  return (call, ctx) => {
    const id = call.params.dataset_id ?? '';
    const ds = datasetOf(ctx, id);
    return ds ? handler(ds, call, ctx) : notFound('Dataset', id);
  };
}

export const datasetHandlers: Record<string, NucleusHandler> = {
  listDatasets: (_call, ctx) =>
    ok([...ctx.state.datasets.values()].map((d) => ({ id: d.id, name: d.name, is_public: false }))),
  listDatasetIds: (_call, ctx) => ok({ dataset_ids: [...ctx.state.datasets.keys()] }),
  createDataset: ({ body }, ctx) => {
    if (typeof body.name !== 'string' || body.name === '') return nucleusError(400, 'name: required');
    const id = ctx.state.id('ds');
    ctx.state.datasets.set(id, {
      id,
      name: body.name,
      is_scene: body.is_scene === true,
      use_privacy_mode: body.use_privacy_mode === true,
      tags: [],
      items: new Map(),
      annotations: new Map(),
      scenes: new Map(),
      annotation_metadata_schema: body.annotation_metadata_schema,
      item_metadata_schema: body.item_metadata_schema,
    });
    return ok({ dataset_id: id });
  },
  deleteDataset: withDataset((ds, _call, ctx) => {
    ctx.state.datasets.delete(ds.id);
    return ok({ message: 'Beginning dataset deletion...' });
  }),
  getDatasetName: withDataset((ds) => ok({ name: ds.name })),
  getDatasetIsScene: withDataset((ds) => ok({ is_scene: ds.is_scene })),
  getDatasetUsePrivacyMode: withDataset((ds) => ok({ use_privacy_mode: ds.use_privacy_mode })),
  getDatasetSize: withDataset((ds) => ok({ count: ds.items.size })),
  getDataset: withDataset((ds, _call, ctx) =>
    ok({
      dataset_id: ds.id,
      name: ds.name,
      length: ds.items.size,
      model_run_ids: [...ctx.state.modelRuns.values()]
        .filter((r) => r.dataset_id === ds.id)
        .map((r) => r.model_run_id),
      slice_ids: [...ctx.state.slices.values()].filter((s) => s.dataset_id === ds.id).map((s) => s.id),
      tags: ds.tags,
    }),
  ),
  getDatasetTags: withDataset((ds) => ok({ tags: ds.tags })),
  addDatasetTags: withDataset((ds, { body }) => {
    for (const t of Array.isArray(body.tags) ? body.tags : [])
      if (!ds.tags.includes(String(t))) ds.tags.push(String(t));
    return ok({ tags: ds.tags });
  }),
  removeDatasetTags: withDataset((ds, { body }) => {
    const drop = new Set((Array.isArray(body.tags) ? body.tags : []).map(String));
    ds.tags = ds.tags.filter((t) => !drop.has(t));
    return ok({ tags: ds.tags });
  }),
  listDatasetModelRuns: withDataset((ds, _call, ctx) =>
    ok([...ctx.state.modelRuns.values()].filter((r) => r.dataset_id === ds.id).map((r) => r.model_run_id)),
  ),
  // The signed URL points at the fake's own storage route (`PUT {origin}/_storage/{requestId}`), on the origin the
  // request came to, so it works behind MSW and behind tools/mock-server alike.
  getDatasetSignedUrl: withDataset((_ds, call) =>
    ok({
      signed_url: `${call.url.origin}/_storage/nucleus-uploads/${encodeURIComponent(call.params.request_id ?? '')}?X-Amz-Signature=fake`,
    }),
  ),
};
