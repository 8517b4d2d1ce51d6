/**
 * Where `nu metrics` gets its items, as `{ annotations, predictions }` pairs per reference id:
 * - from Nucleus: the dataset's items page by page, and for each its ground truth and the model's (or model run's)
 *   predictions, fetched `concurrency` items at a time, in order, with at most `2 x concurrency` items held;
 * - from files: NDJSON or JSON arrays of wire payloads (each with its `reference_id`), grouped per reference id,
 *   every record checked first so a bad one is named by its line.
 */
import pLimit from 'p-limit';
import type { NucleusClient } from '../client.js';
import type { ItemPair } from '../metrics/evaluate.js';
import { toPayloadList } from '../metrics/payload-list.js';
import type { WirePayload } from '../metrics/types.js';
import { UsageError } from './errors.js';
import { problemList, readRecords, requireObjects } from './input-files.js';

/** The wire type of a payload listed under `key` of an `{annotations: {box: [...], ...}}` answer. */
function typeOfKey(key: string, payload: Record<string, unknown>): string {
  if (typeof payload.type === 'string') return payload.type;
  return key === 'segmentation' ? 'segmentation' : key;
}

/** Flatten `{box: [...], polygon: [...], segmentation: obj|null}` into payloads carrying type and reference id. */
export function flattenAnnotations(grouped: unknown, referenceId: string): WirePayload[] {
  const out: WirePayload[] = [];
  if (!grouped || typeof grouped !== 'object') return out;
  for (const [key, value] of Object.entries(grouped as Record<string, unknown>)) {
    const list = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
    for (const p of list as Record<string, unknown>[]) {
      out.push({ ...p, type: typeOfKey(key, p), reference_id: p.reference_id ?? referenceId } as WirePayload);
    }
  }
  return out;
}

export interface RemoteSource {
  datasetId: string;
  /** Predictions of this model on the dataset... */
  modelId?: string;
  /** ...or of this model run. */
  modelRunId?: string;
  concurrency: number;
  limit?: number;
  pageSize?: number;
}

/** Pairs fetched from Nucleus, in the dataset's order. */
export async function* remotePairs(
  client: NucleusClient,
  source: RemoteSource,
): AsyncGenerator<ItemPair & { referenceId: string }> {
  const limit = pLimit(source.concurrency);
  const fetchPair = async (referenceId: string) => {
    const [truth, predicted] = await Promise.all([
      client.datasetItems.getByReferenceId(referenceId, { dataset_id: source.datasetId }),
      source.modelRunId
        ? client.modelRuns.getPredictionsByReferenceId(referenceId, { model_run_id: source.modelRunId })
        : client.predictions.getByReferenceId(referenceId, {
            dataset_id: source.datasetId,
            model_id: source.modelId ?? '',
          }),
    ]);
    return {
      referenceId,
      annotations: flattenAnnotations((truth as { annotations?: unknown }).annotations, referenceId),
      predictions: flattenAnnotations((predicted as { annotations?: unknown }).annotations, referenceId),
    };
  };
  const window: Array<Promise<ItemPair & { referenceId: string }>> = [];
  let seen = 0;
  try {
    for await (const item of client.datasetItems.iterate(source.datasetId, {
      pageSize: source.pageSize ?? 100,
    })) {
      if (source.limit !== undefined && seen >= source.limit) break;
      seen++;
      const referenceId = String((item as { reference_id: string }).reference_id);
      window.push(limit(() => fetchPair(referenceId)));
      if (window.length >= source.concurrency * 2) yield await window.shift()!;
    }
    while (window.length) yield await window.shift()!;
  } finally {
    // Leave no fetch unobserved when the consumer stops early (an error in the metric, Ctrl-C).
    limit.clearQueue();
    await Promise.allSettled(window);
  }
}

/** Read and check one payload file; returns its payloads grouped by reference id (insertion order). */
async function payloadsByReference(
  path: string,
  side: 'annotations' | 'predictions',
): Promise<Map<string, WirePayload[]>> {
  const file = await readRecords(path);
  const records = requireObjects(file);
  const problems: string[] = [];
  const groups = new Map<string, WirePayload[]>();
  records.forEach((r, i) => {
    if (typeof r.reference_id !== 'string' || r.reference_id === '') {
      problems.push(`${file.where(i)}: reference_id: required (a non-empty string)`);
      return;
    }
    try {
      toPayloadList([r as unknown as WirePayload], side);
    } catch (error) {
      problems.push(`${file.where(i)}: ${(error as Error).message.replace(/^\w+\[0\]\.?/, '')}`);
      return;
    }
    const list = groups.get(r.reference_id) ?? [];
    list.push(r as unknown as WirePayload);
    groups.set(r.reference_id, list);
  });
  if (problems.length) throw new UsageError(problemList(problems));
  return groups;
}

/** Pairs from two payload files; an id on one side only pairs with nothing on the other. */
export async function filePairs(
  annotationsPath: string,
  predictionsPath: string,
): Promise<{ total: number; pairs: Iterable<ItemPair & { referenceId: string }> }> {
  const annotations = await payloadsByReference(annotationsPath, 'annotations');
  const predictions = await payloadsByReference(predictionsPath, 'predictions');
  const ids = [...new Set([...annotations.keys(), ...predictions.keys()])];
  return {
    total: ids.length,
    pairs: ids.map((referenceId) => ({
      referenceId,
      annotations: annotations.get(referenceId) ?? [],
      predictions: predictions.get(referenceId) ?? [],
    })),
  };
}
