/**
 * Annotations and predictions as sent (nucleus-api.md §7.2, §7.3), their checks before sending (each naming
 * `annotations[i].field`), and the batched upload of `annotate` / `predictions.upload`: non-segmentation payloads
 * in batches of 5,000 under `annotations`, remote segmentations in batches of 20 under `segmentations`, local
 * masks (PNG files) as multipart in batches of 10 (local-masks.ts); the server's numeric counts summed over the
 * batches.
 */
import type { BaseClient, OperationEntry, RequestOptions, ValidationIssue } from '@mlclients/package-core';
import { type Batch, checkCount, type ItemFailure, runBatches, toBatches } from './batches.js';
import { InvalidInputError } from './errors.js';
import { refuseDuplicates } from './items.js';
import { hasLocalMask, LOCAL_MASKS_PER_REQUEST, localMaskIssues, maskMultipartBody } from './local-masks.js';
import { postMultipart } from './multipart.js';

/** A vertex of a polygon or line, in pixels. */
export type AnnotationPoint = { x: number; y: number };
/** The fields every kind of annotation (and prediction) takes besides its type, label and geometry. */
export interface AnnotationCommon {
  /** The `reference_id` of the dataset item it annotates. */
  reference_id: string;
  /** Your own key for the annotation, unique per item. */
  annotation_id?: string;
  /** Free-form metadata. */
  metadata?: Record<string, unknown>;
  /** The `reference_id` of the track it belongs to. */
  track_reference_id?: string;
  /** A prediction's confidence, 0..1. */
  confidence?: number;
  /** A prediction's score for each label. */
  class_pdf?: Record<string, number>;
}
/** One annotation or prediction as sent, by `type`: its geometry (or mask) and labels. */
export type AnnotationInput =
  | (AnnotationCommon & {
      type: 'box';
      label: string;
      geometry: { x: number; y: number; width: number; height: number };
    })
  | (AnnotationCommon & {
      type: 'polygon' | 'line';
      label: string;
      geometry: { vertices: AnnotationPoint[] };
    })
  | (AnnotationCommon & {
      type: 'keypoints';
      label: string;
      geometry: {
        keypoints: { x?: number; y?: number; visible: boolean }[];
        names: string[];
        skeleton: [number, number][] | null;
      };
    })
  | (AnnotationCommon & {
      type: 'cuboid';
      label: string;
      geometry: {
        position: { x: number; y: number; z: number };
        dimensions: { x: number; y: number; z: number };
        yaw: number;
      };
    })
  | (AnnotationCommon & {
      type: 'category';
      label: string;
      taxonomy_name?: string;
      geometry?: Record<string, never>;
    })
  | (AnnotationCommon & {
      type: 'multicategory';
      labels: string[];
      taxonomy_name?: string;
      geometry?: Record<string, never>;
    })
  | (AnnotationCommon & {
      type: 'mask' | 'segmentation';
      mask_url: string;
      annotations: { label: string; index: number; metadata?: Record<string, unknown> }[];
    });

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Problems of one annotation, each a field path under `at`. */
function annotationIssues(a: AnnotationInput, at: string): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const bad = (field: string, message: string) => out.push({ path: `${at}.${field}`, message });
  if (!a || typeof a !== 'object') return [{ path: at, message: 'expected an object' }];
  if (typeof a.reference_id !== 'string' || a.reference_id === '')
    bad('reference_id', 'required: a non-empty string');
  const g = (a as { geometry?: Record<string, unknown> }).geometry;
  switch (a.type) {
    case 'box':
      for (const k of ['x', 'y', 'width', 'height'] as const)
        if (!isNum(g?.[k])) bad(`geometry.${k}`, 'expected a number');
      for (const k of ['width', 'height'] as const)
        if (isNum(g?.[k]) && (g[k] as number) < 0) bad(`geometry.${k}`, `expected >= 0, got ${g[k]}`);
      break;
    case 'polygon':
    case 'line': {
      const v = g?.vertices;
      const min = a.type === 'polygon' ? 3 : 2;
      if (!Array.isArray(v)) bad('geometry.vertices', 'expected an array of {x, y}');
      else {
        if (v.length < min)
          bad('geometry.vertices', `a ${a.type} needs at least ${min} vertices, got ${v.length}`);
        v.forEach((p: AnnotationPoint, j: number) => {
          if (!isNum(p?.x) || !isNum(p?.y)) bad(`geometry.vertices[${j}]`, 'expected {x: number, y: number}');
        });
      }
      break;
    }
    case 'keypoints': {
      const k = g as { keypoints?: unknown[]; names?: unknown[] } | undefined;
      if (!Array.isArray(k?.keypoints)) bad('geometry.keypoints', 'expected an array');
      if (!Array.isArray(k?.names)) bad('geometry.names', 'expected an array');
      else if (Array.isArray(k?.keypoints) && k.names.length !== k.keypoints.length)
        bad(
          'geometry.names',
          `expected ${k.keypoints.length} names (one per keypoint), got ${k.names.length}`,
        );
      else if (new Set(k.names).size !== k.names.length) bad('geometry.names', 'names must be unique');
      break;
    }
    case 'cuboid':
      for (const p of ['position', 'dimensions'] as const)
        for (const c of ['x', 'y', 'z'] as const)
          if (!isNum((g?.[p] as Record<string, unknown> | undefined)?.[c]))
            bad(`geometry.${p}.${c}`, 'expected a number');
      if (!isNum(g?.yaw)) bad('geometry.yaw', 'expected a number (radians)');
      break;
    case 'category':
      break;
    case 'multicategory':
      if (
        !Array.isArray(a.labels) ||
        a.labels.length === 0 ||
        a.labels.some((l) => typeof l !== 'string' || l === '')
      )
        bad('labels', 'expected a non-empty array of labels');
      break;
    case 'mask':
    case 'segmentation':
      if (typeof a.mask_url !== 'string' || a.mask_url === '') bad('mask_url', 'required');
      if (!Array.isArray(a.annotations)) bad('annotations', 'expected an array of {label, index}');
      else
        a.annotations.forEach((s, j) => {
          if (typeof s?.label !== 'string' || s.label === '')
            bad(`annotations[${j}].label`, 'required: a non-empty string');
          if (!Number.isInteger(s?.index) || s.index < 0)
            bad(`annotations[${j}].index`, 'expected an integer >= 0');
        });
      break;
    default:
      bad('type', `unknown annotation type ${JSON.stringify((a as { type?: unknown }).type)}`);
  }
  if (a.type !== 'multicategory' && a.type !== 'mask' && a.type !== 'segmentation') {
    const label = (a as { label?: unknown }).label;
    if (typeof label !== 'string' || label === '') bad('label', 'required: a non-empty string');
  }
  if (a.confidence !== undefined && !(isNum(a.confidence) && a.confidence >= 0 && a.confidence <= 1))
    bad('confidence', 'expected a number from 0 to 1');
  return out;
}

const isSegmentation = (a: AnnotationInput) => a.type === 'mask' || a.type === 'segmentation';

/** The wire payload (segmentations as `{type: "mask", mask_url, annotations, annotation_id, reference_id}`). */
export function annotationPayload(a: AnnotationInput): Record<string, unknown> {
  if (isSegmentation(a)) return { ...a, type: 'mask' };
  if (a.type === 'box' && a.annotation_id === undefined) {
    const g = a.geometry;
    return {
      metadata: {},
      ...a,
      annotation_id: `${a.label}-${g.x}-${g.y}-${g.width}-${g.height}-${a.reference_id}`,
    };
  }
  if (a.type === 'category' || a.type === 'multicategory') return { geometry: {}, ...a };
  return { metadata: {}, ...a };
}

/** Check every annotation; throws before anything is sent. */
export function checkAnnotations(
  list: readonly AnnotationInput[],
  what: string,
  options: { remoteOnly?: boolean } = {},
): void {
  if (!Array.isArray(list))
    throw new InvalidInputError(what, [{ path: 'annotations', message: 'expected an array' }]);
  const issues = list.flatMap((a, i) => annotationIssues(a, `annotations[${i}]`));
  if (options.remoteOnly)
    list.forEach((a, i) => {
      if (hasLocalMask(a))
        issues.push({
          path: `annotations[${i}].mask_url`,
          message: 'local path: async uploads need remote URLs',
        });
    });
  if (issues.length) throw new InvalidInputError(what, issues);
  refuseDuplicates(
    list,
    (a) =>
      `${a.reference_id}\u0000${String((annotationPayload(a) as { annotation_id?: unknown }).annotation_id ?? a.type)}`,
    'annotations[#].annotation_id',
    what,
  );
}

/** Options of `datasets.annotate` and `predictions.uploadBatched`. */
export interface AnnotateOptions {
  /** Replace annotations whose `(reference_id, annotation_id)` exists (else they are ignored). @default false */
  update?: boolean;
  /** Non-segmentation annotations per request. @default 5000 */
  batchSize?: number;
  /** Remote segmentations per request. @default 20 */
  segmentationBatchSize?: number;
  /** Local masks per multipart request. @default 10 (the most the server takes) */
  localBatchSize?: number;
  /** @default 8 */
  concurrency?: number;
  /** Called as batches finish: annotations done of the total. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** Stops the upload (no new batch starts; requests in flight are aborted). */
  signal?: AbortSignal;
  /** Per-request options (timeout, retries...). */
  requestOptions?: RequestOptions;
}

/** Counts summed over batches (`annotations_processed`... or `predictions_processed`...), and failed batches. */
export interface AnnotateResult {
  counts: Record<string, number>;
  /** Server-reported error strings, concatenated. */
  serverErrors: string[];
  errors: ItemFailure[];
}

/** Upload in batches to `op` (annotate, uploadPredictions, predict), with `fixed` params (ids, trained_slice_id). */
export async function uploadAnnotations(
  client: BaseClient<object>,
  op: OperationEntry,
  fixed: Record<string, unknown>,
  list: readonly AnnotationInput[],
  what: string,
  options: AnnotateOptions = {},
): Promise<AnnotateResult> {
  const batchSize = options.batchSize ?? 5000;
  const segBatch = options.segmentationBatchSize ?? 20;
  const localBatch = options.localBatchSize ?? LOCAL_MASKS_PER_REQUEST;
  const concurrency = options.concurrency ?? 8;
  checkCount('batchSize', batchSize, 1, 5000);
  checkCount('segmentationBatchSize', segBatch, 1, 20);
  checkCount('localBatchSize', localBatch, 1, LOCAL_MASKS_PER_REQUEST);
  checkCount('concurrency', concurrency, 1, 64);
  checkAnnotations(list, what);
  const missing = await localMaskIssues(list);
  if (missing.length) throw new InvalidInputError(what, missing);
  type Entry = { a: AnnotationInput; i: number };
  const indexed: Entry[] = list.map((a, i) => ({ a, i }));
  const kind = (a: AnnotationInput) => (hasLocalMask(a) ? 'local' : isSegmentation(a) ? 'remote' : 'plain');
  const local = toBatches(
    indexed.filter((x) => kind(x.a) === 'local'),
    localBatch,
  );
  const batches: Batch<Entry>[] = [
    ...toBatches(
      indexed.filter((x) => kind(x.a) === 'plain'),
      batchSize,
    ),
    ...toBatches(
      indexed.filter((x) => kind(x.a) === 'remote'),
      segBatch,
    ),
    ...local,
  ];
  const result: AnnotateResult = { counts: {}, serverErrors: [], errors: [] };
  let done = 0;
  const op2 = { ...op, idempotent: true }; // keyed by (reference_id, annotation_id): a resent batch is ignored or overwritten
  const update = options.update ?? false;
  await runBatches(
    batches,
    concurrency,
    async (b, signalOptions) => {
      const requestOptions = { ...options.requestOptions, ...signalOptions };
      const payloads = b.items.map((x) => annotationPayload(x.a));
      const answer = local.includes(b)
        ? await postMultipart(client, op, fixed, () => maskMultipartBody(payloads, update), requestOptions)
        : ((await client.request(
            op2,
            { ...fixed, update, [isSegmentation(b.items[0]!.a) ? 'segmentations' : 'annotations']: payloads },
            requestOptions,
          )) as Record<string, unknown>);
      for (const [k, v] of Object.entries(answer ?? {})) {
        if (typeof v === 'number') result.counts[k] = (result.counts[k] ?? 0) + v;
        if (k === 'errors' && Array.isArray(v)) result.serverErrors.push(...v.map(String));
      }
      done += b.items.length;
      options.onProgress?.({ done, total: list.length });
    },
    (b, error) => {
      for (const x of b.items) result.errors.push({ index: x.i, reference_id: x.a.reference_id, error });
      done += b.items.length;
      options.onProgress?.({ done, total: list.length });
    },
    options.signal,
  );
  result.errors.sort((x, y) => x.index - y.index);
  return result;
}
