/**
 * The zod schemas generated from openapi/nucleus.yaml accept the shapes the fact sheet
 * (shared/reference/nucleus-api.md) describes, keep unknown properties, and reject what the Python client or the
 * server would refuse, with the path of the offending field. (Every operation's own examples are in
 * fact-sheet-examples.test.ts; this file is about what must NOT pass.)
 */
import { describe, expect, it } from 'vitest';
import { operationSchemas, schemas } from '../src/generated/zod.js';
import type { Issue, Schema } from './helpers/schema.js';

/** Paths of the failures; inside an anyOf, only the branch whose `type`/shape was meant (no literal mismatch). */
function failedPaths(schema: Schema, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  const walk = (issues: Issue[], prefix: PropertyKey[]): string[] =>
    issues.flatMap((issue) => {
      const path = [...prefix, ...issue.path];
      if (issue.code !== 'invalid_union' || !issue.errors) return [path.join('.')];
      const meant = issue.errors.filter((branch) => !branch.some((i) => i.code === 'invalid_value'));
      return meant.length === 1 ? walk(meant[0] as Issue[], path) : [path.join('.')];
    });
  return walk((result.error?.issues ?? []) as Issue[], []);
}

const box = {
  type: 'box',
  label: 'car',
  reference_id: 'img-1',
  annotation_id: 'a1',
  geometry: { x: 1, y: 2, width: 3, height: 4 },
};

describe('nucleus generated zod schemas', () => {
  it('accepts sheet-shaped datasets, keeps unknown properties, names a wrong field', () => {
    const dataset = {
      id: 'ds_bw6de8s84pe0vbn6p5zg',
      name: 'Example',
      is_public: false,
      created_at: '2022-01-01',
    };
    expect(schemas.Dataset.parse(dataset)).toEqual(dataset);
    expect(failedPaths(schemas.Dataset, { id: 'ds_1', name: 'Example', is_public: 'no' })).toEqual([
      'is_public',
    ]);
    expect(failedPaths(operationSchemas.listDatasets.response, [dataset, { ...dataset, id: 7 }])).toEqual([
      '1.id',
    ]);
  });

  it('validates an items page with the nested path of a bad field', () => {
    const item = { id: 'di_1', reference_id: 'img-1', image_url: 's3://b/1.jpg', width: 640, height: 480 };
    expect(
      failedPaths(operationSchemas.listDatasetItems.response, { items: [{ ...item, width: '640' }] }),
    ).toEqual(['items.0.width']);
    expect(failedPaths(operationSchemas.listDatasetItems.response, { nextPageToken: 'x' })).toEqual([
      'items',
    ]);
  });

  it('tells each annotation type by its type and names the bad geometry field', () => {
    expect(failedPaths(schemas.AnnotationPayload, box)).toEqual([]);
    expect(
      failedPaths(schemas.AnnotationPayload, { ...box, geometry: { ...box.geometry, width: '3' } }),
    ).toEqual(['geometry.width']);
    expect(
      failedPaths(schemas.AnnotationPayload, { ...box, type: 'polygon', geometry: { vertices: [{ x: 1 }] } }),
    ).toEqual(['geometry.vertices.0.y']);
    expect(
      failedPaths(schemas.AnnotationPayload, {
        ...box,
        type: 'cuboid',
        geometry: { position: { x: 0, y: 0, z: 0 }, dimensions: { x: 1, y: 1, z: 1 } },
      }),
    ).toEqual(['geometry.yaw']);
    expect(
      failedPaths(schemas.AnnotationPayload, {
        type: 'keypoints',
        label: 'face',
        reference_id: 'img-1',
        geometry: {
          keypoints: [{ x: null, y: null, visible: 'no' }],
          names: ['nose'],
          skeleton: [[0, 1, 2]],
        },
      }),
    ).toEqual(['geometry.keypoints.0.visible', 'geometry.skeleton.0']);
  });

  it('requires what each type cannot do without', () => {
    // A category needs a label, a multi-category its labels.
    expect(failedPaths(schemas.CategoryAnnotation, { type: 'category', geometry: {} })).toEqual(['label']);
    expect(failedPaths(schemas.MultiCategoryAnnotation, { type: 'multicategory', label: 'x' })).toEqual([
      'labels',
    ]);
    // A segmentation needs its mask and segments; a segment its pixel index.
    expect(
      failedPaths(schemas.SegmentationPayload, {
        type: 'mask',
        reference_id: 'img-1',
        mask_url: 's3://b/m.png',
        annotations: [{ label: 'road' }],
      }),
    ).toEqual(['annotations.0.index']);
    expect(failedPaths(schemas.SegmentationAnnotation, { annotations: [] })).toEqual(['mask_url']);
  });

  it('requires type and reference_id on uploads, not in export rows', () => {
    const { reference_id: _ref, ...withoutRef } = box;
    expect(failedPaths(schemas.AnnotationPayload, withoutRef)).toEqual(['reference_id']);
    expect(failedPaths(schemas.AnnotationPayload, { ...box, reference_id: '' })).toEqual(['reference_id']);
    const { type: _type, ...withoutType } = box;
    expect(failedPaths(schemas.AnnotationPayload, withoutType)).toEqual(['type']);
    const row = {
      item: {},
      box: [withoutRef],
      polygon: [],
      line: [],
      keypoints: [],
      cuboid: [],
      category: [],
    };
    expect(failedPaths(schemas.ExportRow, { ...row, multicategory: [], segmentation: null })).toEqual([]);
    // All type lists are present in a row (convert_export_payload indexes them).
    expect(failedPaths(schemas.ExportRow, row)).toEqual(['multicategory']);
  });

  it('adds confidence and class_pdf to predictions and checks them', () => {
    const prediction = { ...box, confidence: 0.9, class_pdf: { car: 0.9, bus: 0.1 } };
    expect(failedPaths(schemas.PredictionPayload, prediction)).toEqual([]);
    expect(failedPaths(schemas.PredictionPayload, { ...prediction, confidence: 'high' })).toEqual([
      'confidence',
    ]);
    expect(failedPaths(schemas.PredictionPayload, { ...prediction, class_pdf: { car: '0.9' } })).toEqual([
      'class_pdf.car',
    ]);
  });

  it('tells the sync append body from the async one, and an upload count from a job', () => {
    const body = operationSchemas.appendDatasetItems.body;
    const item = { reference_id: 'img-1', image_url: 's3://b/1.jpg', metadata: {} };
    expect(failedPaths(body, { items: [item], update: false })).toEqual([]);
    expect(failedPaths(body, { requestId: 'abc', update: true })).toEqual([]);
    expect(body.safeParse({ update: true }).success).toBe(false);
    expect(body.safeParse({ items: [{ image_url: 's3://b/1.jpg' }] }).success).toBe(false);
    expect(failedPaths(schemas.AppendItemsRequest, { items: [{ image_url: 's3://b/1.jpg' }] })).toEqual([
      'items.0.reference_id',
    ]);

    const response = operationSchemas.appendDatasetItems.response;
    const counts = { dataset_id: 'ds_1', new_items: 1, updated_items: 0, ignored_items: 0, upload_errors: 0 };
    expect(response.parse(counts)).toEqual(counts);
    const job = {
      job_id: 'job_1',
      job_last_known_status: 'Queued',
      job_type: 'uploadDatasetItems',
      job_creation_time: 't',
    };
    expect(response.parse(job)).toEqual(job);
    expect(response.safeParse({ dataset_id: 'ds_1', new_items: 1 }).success).toBe(false);
    expect(failedPaths(schemas.UploadResponse, { ...counts, new_items: -1 })).toEqual(['new_items']);
  });

  it('checks the page requests of the token pagination', () => {
    expect(operationSchemas.listDatasetItems.body.parse({ pageToken: null, pageSize: 100_000 })).toEqual({
      pageToken: null,
      pageSize: 100_000,
    });
    // The first page may omit pageToken (the paginator sends none; the Python client sends null).
    expect(failedPaths(operationSchemas.listDatasetItems.body, { pageSize: 10 })).toEqual([]);
    expect(failedPaths(operationSchemas.listDatasetItems.body, { pageToken: 3, pageSize: 10 })).toEqual([
      'pageToken',
    ]);
    expect(failedPaths(operationSchemas.listDatasetItems.body, { pageToken: null, pageSize: 0 })).toEqual([
      'pageSize',
    ]);
    expect(failedPaths(operationSchemas.queryDatasetItems.body, { pageToken: null, pageSize: 10 })).toEqual([
      'query',
    ]);
    // The Python client refuses scene export pages above 30.
    expect(
      failedPaths(operationSchemas.listDatasetSceneExportRows.body, { pageToken: null, pageSize: 31 }),
    ).toEqual(['pageSize']);
    expect(
      failedPaths(operationSchemas.queryDatasetObjects.body, {
        pageToken: null,
        pageSize: 10,
        query: '',
        patch_mode: 'everything',
      }),
    ).toEqual(['patch_mode']);
  });

  it('checks the job shapes', () => {
    const job = {
      job_id: 'job_c8jwr0ewxpb004apjpkg',
      job_last_known_status: 'Running',
      job_type: 'uploadDatasetItems',
      job_creation_time: '2022-04-12T20:12:26.775Z',
    };
    expect(
      failedPaths(operationSchemas.listJobs.response, [{ ...job, job_creation_time: 1649794346 }]),
    ).toEqual(['0.job_creation_time']);
    expect(failedPaths(operationSchemas.listJobs.body, { show_completed: false, limit: 50_001 })).toEqual([
      'limit',
    ]);
    expect(failedPaths(operationSchemas.listJobs.body, { limit: 10 })).toEqual(['show_completed']);
    expect(
      failedPaths(operationSchemas.getJobStatus.response, {
        job_id: 'job_1',
        status: 'Completed',
        message: 5,
      }),
    ).toEqual(['message']);
  });

  it('enforces the client-side limits the sheet gives', () => {
    expect(failedPaths(schemas.DeduplicateRequest, { threshold: 65 })).toEqual(['threshold']);
    expect(failedPaths(schemas.SliceCreate, { name: 's', reference_ids: Array(10_001).fill('r') })).toEqual([
      'reference_ids',
    ]);
    expect(
      failedPaths(operationSchemas.createExternalEvalFunction.body, {
        name: 'has space',
        is_external_function: true,
        level: 'item',
      }),
    ).toEqual(['name']);
    expect(
      failedPaths(operationSchemas.createScenarioTest.body, {
        name: 't',
        slice_id: 'ds_1',
        evaluation_functions: [{ id: 'ef_1', eval_func_arguments: {} }],
      }),
    ).toEqual(['slice_id']);
    expect(
      failedPaths(operationSchemas.listEvaluationV2Examples.body, { match_type: 'TN', limit: 50, offset: 0 }),
    ).toEqual(['match_type']);
    expect(failedPaths(schemas.VideoScene, { reference_id: 'v', frame_rate: 0 })).toEqual(['frame_rate']);
  });

  it('reads metric filters as the 5-element lists of §7.6, AND lists and OR-of-AND lists', () => {
    const filter = ['label', '==', 'car', false, 'field'];
    for (const filters of [[filter], [[filter], [['metadata.speed', '>', 3, true, 'metadata']]], null]) {
      expect(failedPaths(schemas.MetricFilters, filters)).toEqual([]);
    }
    // Only the length is checked (per-position types need prefixItems, which Prism cannot read): a short list is refused as a whole.
    expect(failedPaths(schemas.MetricFilter, ['label', 'in', ['car'], false])).toEqual(['']);
    expect(failedPaths(schemas.MetricFilter, ['label', 'in', ['car'], false, 'field', 'extra']).length).toBe(
      1,
    );
    expect(
      failedPaths(schemas.EvalFuncArguments, {
        iou_threshold: 0.5,
        annotation_filters: [['label', '==', 'car']],
      }),
    ).toEqual(['annotation_filters.0']);
  });
});
