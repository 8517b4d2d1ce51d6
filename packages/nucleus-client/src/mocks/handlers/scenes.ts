/** LiDAR and video scenes (`scn_`): sync or async upload (frames' items stored in the dataset), get, list, delete. */
import { notFound, nucleusError, ok, tokenPageAnswer } from '../answers.js';
import type { NucleusContext, NucleusHandler } from '../context.js';
import type { FakeDataset, Json } from '../state.js';
import { withDataset } from './datasets.js';
import { takeUpload } from './items.js';

function ingestScenes(
  ctx: NucleusContext,
  ds: FakeDataset,
  scenes: readonly unknown[],
  update: boolean,
  type: string,
) {
  const counts = { new_items: 0, updated_items: 0, ignored_items: 0, upload_errors: 0 };
  for (const raw of scenes) {
    const s = (raw ?? {}) as Json;
    const ref = s.reference_id;
    if (typeof ref !== 'string' || ref === '') {
      counts.upload_errors += 1;
      continue;
    }
    const existing = ds.scenes.get(ref);
    if (existing && !update) {
      counts.ignored_items += 1;
      continue;
    }
    ds.scenes.set(ref, { ...s, id: existing?.id ?? ctx.state.id('scn'), type });
    if (existing) counts.updated_items += 1;
    else counts.new_items += 1;
  }
  return { dataset_id: ds.id, ...counts };
}

function uploadScenes(type: 'lidar' | 'video', jobType: string): NucleusHandler {
  return withDataset((ds, { body, query }, ctx) => {
    if (!ds.is_scene) return nucleusError(400, `Dataset ${ds.id} is not a scene dataset`);
    const update = body.update === true;
    if (query.async === '1' || query.async === 'true') {
      const rows = takeUpload(ctx, body.requestId);
      if (rows === undefined)
        return nucleusError(400, `requestId: no upload found for ${String(body.requestId)}`);
      return ok(ctx.jobJson(ctx.startJob(jobType, () => ingestScenes(ctx, ds, rows, update, type))));
    }
    if (!Array.isArray(body.scenes)) return nucleusError(400, 'scenes: expected an array');
    return ok(ingestScenes(ctx, ds, body.scenes, update, type));
  });
}

export const sceneHandlers: Record<string, NucleusHandler> = {
  uploadLidarScenes: uploadScenes('lidar', 'uploadLidarScene'),
  uploadVideoScenes: uploadScenes('video', 'uploadVideoScene'),
  getScene: withDataset((ds, { params }) => {
    const s = ds.scenes.get(params.reference_id ?? '');
    return s ? ok(s) : notFound('Scene', params.reference_id ?? '');
  }),
  deleteScene: withDataset((ds, { params }) =>
    ds.scenes.delete(params.reference_id ?? '') ? ok({}) : notFound('Scene', params.reference_id ?? ''),
  ),
  listAllScenes: withDataset((ds) =>
    ok({
      scenes: [...ds.scenes.values()].map((s) => ({
        id: s.id,
        reference_id: s.reference_id,
        type: s.type,
        metadata: s.metadata ?? {},
      })),
    }),
  ),
  queryScenes: withDataset((ds, { body }) => tokenPageAnswer([...ds.scenes.values()], body, 'items')),
};
