/**
 * Geti's datasets of a project and its TUS resumable uploads (sc-api.md §3.1), for the SC fake's Geti mode:
 * - datasets: create (`{name}`), list, delete (not the training dataset, `datasets[0]`), statistics (counts per media
 *   type, annotated images), and the media of a training revision (the dataset as a finished training saw it);
 *   media belong to the dataset they were uploaded into;
 * - TUS 1.0.0 (creation extension): `POST` with `Upload-Length` -> 201 and a `Location` whose last segment is the
 *   `file_id`; `HEAD` -> `Upload-Offset`; `PATCH` with `Upload-Offset` equal to the bytes received and
 *   `Content-Type: application/offset+octet-stream` -> 204 and the new offset (a wrong offset is a 409, as TUS says);
 *   `OPTIONS` -> the protocol headers. What is done with a finished upload (imports) is not faked.
 */
import type { FakeAnswer, FakeCall } from '@mlclients/package-core/testing';
import { error, type FakeEra, isAnswer } from './answers.js';
import type { ScFakeState, StoredProject } from './state.js';

export interface DatasetsContext {
  state(): ScFakeState;
  era: FakeEra;
  project(call: FakeCall): StoredProject | FakeAnswer;
  /** The raw body of a TUS chunk (the engine gives handlers JSON objects only). */
  rawBytes(call: FakeCall): Uint8Array | undefined;
}

interface StoredUpload {
  length: number;
  chunks: Uint8Array[];
  received: number;
}

const TUS = { 'Tus-Resumable': '1.0.0' };
type Handler = (call: FakeCall) => FakeAnswer;

export function datasetHandlers(ctx: DatasetsContext): Record<string, Handler> {
  const uploads = new Map<string, StoredUpload>();
  const state = () => ctx.state();
  const withProject = (fn: (p: StoredProject, call: FakeCall) => FakeAnswer) => (call: FakeCall) => {
    const p = ctx.project(call);
    return isAnswer(p) ? p : fn(p, call);
  };
  const dataset = (p: StoredProject, id: string | undefined) => p.project.datasets.find((d) => d.id === id);
  const mediaQuery = (items: { type: string }[], body: unknown) => {
    const rules = (body as { rules?: { field?: string; value?: string }[] }).rules ?? [];
    const type = rules.find((r) => r.field === 'MEDIA_TYPE')?.value;
    return items.filter((m) => !type || m.type === type);
  };

  const create = (kind: 'projects' | 'datasets') => (call: FakeCall) => {
    const length = Number(call.headers.get('upload-length'));
    if (!Number.isInteger(length) || length < 0)
      return error(400, 'bad_request', 'Upload-Length: expected a non-negative integer');
    const id = state().id();
    uploads.set(id, { length, chunks: [], received: 0 });
    const location = `${ctx.era.base}/workspaces/${state().workspaceId}/${kind}/uploads/resumable/${id}`;
    return { status: 201, headers: { ...TUS, Location: location } };
  };
  const capabilities = () => ({
    status: 204,
    headers: { ...TUS, 'Tus-Version': '1.0.0', 'Tus-Extension': 'creation' },
  });
  const offset = (call: FakeCall) => {
    const u = uploads.get(call.params.file_id ?? '');
    if (!u) return error(404, 'upload_not_found', `upload ${call.params.file_id} not found`);
    return {
      status: 200,
      headers: {
        ...TUS,
        'Upload-Offset': String(u.received),
        'Upload-Length': String(u.length),
        'Cache-Control': 'no-store',
      },
    };
  };
  const append = (call: FakeCall) => {
    const u = uploads.get(call.params.file_id ?? '');
    if (!u) return error(404, 'upload_not_found', `upload ${call.params.file_id} not found`);
    if (!/^application\/offset\+octet-stream\b/.test(call.headers.get('content-type') ?? ''))
      return error(415, 'unsupported_media_type', 'Content-Type: expected application/offset+octet-stream');
    if (Number(call.headers.get('upload-offset')) !== u.received)
      return error(409, 'conflict', `Upload-Offset: expected ${u.received}, the bytes received so far`);
    const bytes = ctx.rawBytes(call) ?? new Uint8Array();
    if (u.received + bytes.length > u.length)
      return error(413, 'payload_too_large', `the chunk goes past Upload-Length ${u.length}`);
    u.chunks.push(bytes);
    u.received += bytes.length;
    return { status: 204, headers: { ...TUS, 'Upload-Offset': String(u.received) } };
  };

  return {
    createDataset: withProject((p, call) => {
      const name = (call.body as { name?: unknown }).name;
      if (typeof name !== 'string' || !name) return error(400, 'bad_request', 'name: required');
      if (p.project.datasets.some((d) => d.name === name))
        return error(409, 'dataset_name_conflict', `a dataset named ${name} already exists`);
      const created = { id: state().id(), name, creation_time: state().now(), use_for_training: false };
      p.project.datasets.push(created);
      return { status: 200, json: created };
    }),
    deleteDataset: withProject((p, call) => {
      const d = dataset(p, call.params.dataset_id);
      if (!d) return error(404, 'dataset_not_found', `dataset ${call.params.dataset_id} not found`);
      if (d === p.project.datasets[0])
        return error(400, 'bad_request', 'the training dataset of a project cannot be deleted');
      p.project.datasets = p.project.datasets.filter((x) => x !== d);
      for (const [id, m] of p.media) if (m.datasetId === d.id) p.media.delete(id);
      return { status: 200, json: { result: 'success' } };
    }),
    getDatasetStatistics: withProject((p, call) => {
      const d = dataset(p, call.params.dataset_id);
      if (!d) return error(404, 'dataset_not_found', `dataset ${call.params.dataset_id} not found`);
      const media = [...p.media.values()].filter((m) => m.datasetId === d.id);
      const images = media.filter((m) => m.item.type === 'image');
      return {
        status: 200,
        json: {
          overview: {
            images: images.length,
            videos: media.length - images.length,
            annotated_images: images.filter((m) => p.annotations.has(m.item.id)).length,
          },
        },
      };
    }),
    queryTrainingRevisionMedia: withProject((p, call) => {
      const revision = p.revisions.get(call.params.revision_id ?? '');
      if (!revision || revision.datasetId !== call.params.dataset_id)
        return error(404, 'revision_not_found', `training revision ${call.params.revision_id} not found`);
      const media = mediaQuery(revision.media, call.body);
      return {
        status: 200,
        json: {
          media,
          total_matched_images: media.filter((m) => m.type === 'image').length,
          total_matched_videos: media.filter((m) => m.type === 'video').length,
        },
      };
    }),
    createProjectUpload: create('projects'),
    createDatasetUpload: create('datasets'),
    getProjectUploadCapabilities: capabilities,
    getDatasetUploadCapabilities: capabilities,
    getProjectUploadOffset: offset,
    getDatasetUploadOffset: offset,
    appendProjectUpload: append,
    appendDatasetUpload: append,
  };
}
