/**
 * `nu.datasets.append(datasetId, items, options)`: items in batches under the server's limit (remote URLs: default
 * 20, < 30 per request), up to `concurrency` requests at once, progress per item, and an accounting of every item.
 *
 * Why a failed batch loses nothing and nothing is sent twice: items are keyed by `reference_id` on the server, so a
 * batch is safe to resend (an item already stored is `ignored`, or with `update` overwritten with the same data).
 * The batch request is therefore run as idempotent: the core retries it on 503/504/520/524/429 and on connection
 * errors (honouring `Retry-After`). Each batch's counts come from its own answer; an item whose batch failed after
 * the retries is listed in `errors` with its index, and the other batches are unaffected.
 */
import type { BaseClient, RequestOptions } from '@mlclients/package-core';
import { operations } from '../generated/index.js';
import { type Batch, checkCount, type ItemFailure, runBatches, toBatches } from './batches.js';
import { checkItems, type DatasetItemInput, itemPayload } from './items.js';
import { appendLocalBatch, LOCAL_FILES_PER_REQUEST } from './multipart.js';
import { isLocalPath } from './paths.js';

/** The Python client's default and limit for remote-URL items per request. */
export const DEFAULT_APPEND_BATCH = 20;
export const MAX_APPEND_BATCH = 29;
export const DEFAULT_CONCURRENCY = 8;

/** Progress of `datasets.append`, reported as batches finish. */
export interface AppendProgress {
  /** Items whose batch has finished (succeeded or failed). */
  done: number;
  /** Items to append. */
  total: number;
}

/** Options of `datasets.append`. */
export interface AppendOptions {
  /** Remote items per request. @default 20 (at most 29: the server refuses 30) */
  batchSize?: number;
  /** Local files per multipart request. @default 10 (the most the server takes) */
  localBatchSize?: number;
  /** Requests in flight at once. @default 8 */
  concurrency?: number;
  /** Overwrite items whose reference_id exists (else they are ignored). @default false */
  update?: boolean;
  /** Called as batches finish. */
  onProgress?: (progress: AppendProgress) => void;
  /** Stops the append (no new batch starts; requests in flight are aborted). */
  signal?: AbortSignal;
  /** Per-request options (timeout, retries...). */
  requestOptions?: RequestOptions;
}

/** What an append did, summed over its batches. */
export interface AppendResult {
  dataset_id: string;
  new_items: number;
  updated_items: number;
  ignored_items: number;
  /** Items that failed (after retries), by index in the call. */
  errors: ItemFailure[];
}

/** One batch's answer (`POST dataset/{id}/append`). */
interface AppendAnswer {
  new_items?: number;
  updated_items?: number;
  ignored_items?: number;
  upload_errors?: number;
  error_payload?: unknown[];
}

/** The append operation, retried like an idempotent one (see the module comment). */
const APPEND_OP = { ...operations.appendDatasetItems, idempotent: true };

/** Record one batch's answer in the result. */
export function addAnswer(result: AppendResult, batch: Batch<DatasetItemInput>, answer: AppendAnswer): void {
  result.new_items += answer.new_items ?? 0;
  result.updated_items += answer.updated_items ?? 0;
  result.ignored_items += answer.ignored_items ?? 0;
  const failed = (answer.error_payload ?? []).map((e) => {
    const r = e as { reference_id?: unknown; ref_id?: unknown; error?: unknown };
    return { ref: String(r.reference_id ?? r.ref_id ?? ''), error: r.error ?? e };
  });
  for (const { ref, error } of failed) {
    const offset = batch.items.findIndex((x) => x.reference_id === ref);
    result.errors.push({
      index: offset >= 0 ? batch.start + offset : -1,
      reference_id: ref || undefined,
      error,
    });
  }
}

export async function appendItems(
  client: BaseClient<object>,
  datasetId: string,
  items: readonly DatasetItemInput[],
  options: AppendOptions = {},
): Promise<AppendResult> {
  const batchSize = options.batchSize ?? DEFAULT_APPEND_BATCH;
  const localBatchSize = options.localBatchSize ?? LOCAL_FILES_PER_REQUEST;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  checkCount('batchSize', batchSize, 1, MAX_APPEND_BATCH);
  checkCount('localBatchSize', localBatchSize, 1, LOCAL_FILES_PER_REQUEST);
  checkCount('concurrency', concurrency, 1, 64);
  if (typeof datasetId !== 'string' || datasetId === '')
    throw new RangeError('datasetId: expected a non-empty string');
  await checkItems(items);

  const update = options.update ?? false;
  const result: AppendResult = {
    dataset_id: datasetId,
    new_items: 0,
    updated_items: 0,
    ignored_items: 0,
    errors: [],
  };
  // Keep each item's index in the caller's list through the remote/local split.
  const remote: Batch<DatasetItemInput>[] = [];
  const local: Batch<DatasetItemInput>[] = [];
  const indexed = items.map((item, index) => ({ item, index }));
  const isLocal = (x: DatasetItemInput) => x.image_location !== undefined && isLocalPath(x.image_location);
  for (const [list, size, out] of [
    [indexed.filter((x) => !isLocal(x.item)), batchSize, remote],
    [indexed.filter((x) => isLocal(x.item)), localBatchSize, local],
  ] as const) {
    for (let i = 0; i < list.length; i += size) {
      const part = list.slice(i, i + size);
      out.push({
        start: -1,
        items: part.map((x) => x.item),
        indexes: part.map((x) => x.index),
      } as Batch<DatasetItemInput>);
    }
  }
  const indexesOf = (b: Batch<DatasetItemInput>) =>
    (b as Batch<DatasetItemInput> & { indexes: number[] }).indexes;

  let done = 0;
  const total = items.length;
  const finished = (b: Batch<DatasetItemInput>) => {
    done += b.items.length;
    options.onProgress?.({ done, total });
  };
  const record = (b: Batch<DatasetItemInput>, answer: AppendAnswer) => {
    const idx = indexesOf(b);
    const before = result.errors.length;
    addAnswer(result, { start: 0, items: b.items }, answer);
    for (const e of result.errors.slice(before)) if (e.index >= 0) e.index = idx[e.index] ?? -1;
  };

  await runBatches(
    [...remote, ...local],
    concurrency,
    async (b, signalOptions) => {
      const requestOptions = { ...options.requestOptions, ...signalOptions };
      const answer = local.includes(b)
        ? await appendLocalBatch(client, datasetId, b.items, update, requestOptions)
        : ((await client.request(
            APPEND_OP,
            { dataset_id: datasetId, items: b.items.map(itemPayload), update },
            requestOptions,
          )) as AppendAnswer);
      record(b, answer);
      finished(b);
    },
    (b, error) => {
      indexesOf(b).forEach((index, k) => {
        result.errors.push({ index, reference_id: b.items[k]?.reference_id, error });
      });
      finished(b);
    },
    options.signal,
  );
  result.errors.sort((a, b) => a.index - b.index);
  return result;
}

export { toBatches };
