/**
 * `@mlclients/nucleus-client`: a typed client for Scale Nucleus. The fake for your tests is in
 * `@mlclients/nucleus-client/mocks`; the metrics in `@mlclients/nucleus-client/metrics`.
 */
export type { CallResult, PageIterable, RequestOptions } from '@mlclients/package-core';
export {
  AbortError,
  APIPromise,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ClientError,
  ConnectionError,
  FatalApiError,
  InternalServerError,
  InvalidParamsError,
  MissingParamError,
  NetworkError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RetryableApiError,
  TimeoutError,
} from '@mlclients/package-core';
export { API_KEY_ENV, LIMITED_ACCESS_KEY_ENV, type NucleusKeys, nucleusAuth } from './auth.js';
export { NucleusClient, type NucleusClientOptions } from './client.js';
export { nucleusErrorPolicy, RETRY_STATUSES } from './errors.js';
export * from './generated/index.js';
// The generated classes the four resources below extend (the types of `GeneratedNucleusClient`'s accessors).
export {
  DatasetItems as GeneratedDatasetItems,
  Datasets as GeneratedDatasets,
  Jobs as GeneratedJobs,
  Predictions as GeneratedPredictions,
} from './generated/resources/index.js';
export type {
  AnnotateOptions,
  AnnotateResult,
  AnnotationCommon,
  AnnotationInput,
  AnnotationPoint,
} from './lib/annotations.js';
export type { AppendOptions, AppendProgress, AppendResult } from './lib/append.js';
export { AsyncJob, TERMINAL_STATUSES, type WaitOptions } from './lib/async-job.js';
export type { ItemFailure } from './lib/batches.js';
export { DuplicateIDError, InvalidInputError, JobError } from './lib/errors.js';
export type { DatasetItemInput, DatasetItemPayload } from './lib/items.js';
export { DatasetItems } from './resources/dataset-items.js';
export { type AsyncOptions, Datasets } from './resources/datasets.js';
export { Jobs } from './resources/jobs.js';
export { Predictions, type PredictionsTarget } from './resources/predictions.js';
export { DEFAULT_ENDPOINT, DEFAULT_TIMEOUT_MS, NUCLEUS_ENV, nucleusService } from './service.js';
