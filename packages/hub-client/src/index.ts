/**
 * `@mlclients/hub-client`: a typed client for the Auger Hub API and its optimizers service.
 * The fake for your tests is in `@mlclients/hub-client/mocks`.
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
  Page,
  PagePromise,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  RetryableApiError,
  TimeoutError,
} from '@mlclients/package-core';
export type { HubTokens } from './auth.js';
export { createHubClient, HubClient, type HubClientOptions } from './client.js';
export { errorParams, type HubErrorItem, hubErrorPolicy } from './errors.js';
export type { components, operationTypes, paths } from './generated/index.js';
// The generated resource classes and their named types (`TrialListParams`, `Trial`, ...).
export * from './generated/resources/index.js';
// The tables the client is built from (operation entries, resources): the fake, the mock server and tools read them.
export { operations, resources } from './generated/resources.js';
export { Trials } from './resources/trials.js';
export { HUB_ENV, hubService } from './service.js';
