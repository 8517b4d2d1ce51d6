/** `nu.predictions`: the generated methods plus batched and async uploads of a model's predictions. */
import type { NucleusClient } from '../client.js';
import { Predictions as GeneratedPredictions, operations } from '../generated/index.js';
import {
  type AnnotateOptions,
  type AnnotateResult,
  type AnnotationInput,
  annotationPayload,
  checkAnnotations,
  uploadAnnotations,
} from '../lib/annotations.js';
import type { AsyncJob } from '../lib/async-job.js';
import { asyncUpload } from '../lib/async-upload.js';
import type { AsyncOptions } from './datasets.js';

/** Where predictions go: a dataset and a model (and the slice it was trained on, when known). */
export interface PredictionsTarget {
  dataset_id: string;
  model_id: string;
  trained_slice_id?: string;
}

/** `nu.predictions`: the generated methods plus the batched and async uploads. */
export class Predictions extends GeneratedPredictions {
  /** Batched predictions upload (5,000 per request; 20 for segmentations), counts summed (`predictions_processed`...). */
  uploadBatched(
    target: PredictionsTarget,
    predictions: readonly AnnotationInput[],
    options?: AnnotateOptions,
  ): Promise<AnnotateResult> {
    return uploadAnnotations(
      this._client,
      operations.uploadPredictions,
      { ...target },
      predictions,
      'predictions.uploadBatched',
      options,
    );
  }

  /** Predictions by the async path (signed URL, NDJSON, `?async=1`). */
  async uploadAsync(
    target: PredictionsTarget,
    predictions: readonly AnnotationInput[],
    options: AsyncOptions = {},
  ): Promise<AsyncJob> {
    checkAnnotations(predictions, 'predictions.uploadAsync', { remoteOnly: true });
    const { trained_slice_id, ...ids } = target;
    return asyncUpload(
      this._client as unknown as NucleusClient,
      target.dataset_id,
      operations.uploadPredictions,
      ids,
      predictions.map(annotationPayload),
      {
        ...options,
        extra: trained_slice_id ? { trained_slice_id } : {},
      },
    );
  }
}
