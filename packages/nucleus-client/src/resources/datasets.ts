/** `nu.datasets`: the generated methods plus the bulk workflows of `src/lib/` (append, appendAsync, annotate...). */
import type { RequestOptions } from '@mlclients/package-core';
import type { NucleusClient } from '../client.js';
import { Datasets as GeneratedDatasets, operations } from '../generated/index.js';
import {
  type AnnotateOptions,
  type AnnotateResult,
  type AnnotationInput,
  annotationPayload,
  checkAnnotations,
  uploadAnnotations,
} from '../lib/annotations.js';
import { type AppendOptions, type AppendResult, appendItems } from '../lib/append.js';
import type { AsyncJob } from '../lib/async-job.js';
import { asyncUpload } from '../lib/async-upload.js';
import { InvalidInputError } from '../lib/errors.js';
import { checkItems, type DatasetItemInput, itemPayload } from '../lib/items.js';

export interface AsyncOptions extends RequestOptions {
  update?: boolean;
}

export class Datasets extends GeneratedDatasets {
  get #nu(): NucleusClient {
    return this._client as unknown as NucleusClient;
  }

  /**
   * Append items: remote URLs in batches (default 20, < 30), local files as multipart (<= 10 per request), up to
   * `concurrency` requests at once (default 8). Returns the server's counts summed over batches, and `errors`: each
   * item that failed after retries (index, reference_id, error). Bad items and duplicate reference ids are refused
   * before anything is sent.
   */
  append(
    datasetId: string,
    items: readonly DatasetItemInput[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    return appendItems(this._client, datasetId, items, options);
  }

  /** Append by the async path (signed URL, NDJSON PUT, `?async=1`); remote URLs only. Resolves to the job. */
  async appendAsync(
    datasetId: string,
    items: readonly DatasetItemInput[],
    options: AsyncOptions = {},
  ): Promise<AsyncJob> {
    await checkItems(items, { remoteOnly: true });
    return asyncUpload(
      this.#nu,
      datasetId,
      operations.appendDatasetItems,
      { dataset_id: datasetId },
      items.map(itemPayload),
      options,
    );
  }

  /** Ground truth in batches (5,000; 20 for segmentations), counts summed (`annotations_processed`, ...). */
  annotate(
    datasetId: string,
    annotations: readonly AnnotationInput[],
    options?: AnnotateOptions,
  ): Promise<AnnotateResult> {
    return uploadAnnotations(
      this._client,
      operations.uploadAnnotations,
      { dataset_id: datasetId },
      annotations,
      'datasets.annotate',
      options,
    );
  }

  /** Ground truth by the async path; remote mask URLs only. */
  async annotateAsync(
    datasetId: string,
    annotations: readonly AnnotationInput[],
    options: AsyncOptions = {},
  ): Promise<AsyncJob> {
    checkAnnotations(annotations, 'datasets.annotateAsync', { remoteOnly: true });
    return asyncUpload(
      this.#nu,
      datasetId,
      operations.uploadAnnotations,
      { dataset_id: datasetId },
      annotations.map(annotationPayload),
      options,
    );
  }

  /** LiDAR scenes (`{ds}/upload_scenes`) by the async path, as the Python client requires. */
  async uploadScenesAsync(
    datasetId: string,
    scenes: readonly Record<string, unknown>[],
    options: AsyncOptions & { video?: boolean } = {},
  ): Promise<AsyncJob> {
    const issues = scenes.flatMap((s, i) =>
      typeof s?.reference_id === 'string' && s.reference_id !== ''
        ? []
        : [{ path: `scenes[${i}].reference_id`, message: 'required: a non-empty string' }],
    );
    if (issues.length) throw new InvalidInputError('datasets.uploadScenesAsync', issues);
    const { video, ...rest } = options;
    const op = video ? operations.uploadVideoScenes : operations.uploadLidarScenes;
    return asyncUpload(this.#nu, datasetId, op, { dataset_id: datasetId }, scenes, rest);
  }
}
