/**
 * `@mlclients/hub-client`: a typed client for the Auger Hub API and its optimizers service.
 * The fake for your tests is in `@mlclients/hub-client/mocks`.
 */
export {
  AbortError,
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
  ResponseValidationError,
  RetryableApiError,
  TimeoutError,
} from '@mlclients/package-core';
export type { HubTokens } from './auth.js';
export {
  createHubClient,
  HubClient,
  type HubClientOptions,
  type HubProjects,
  type HubTrials,
} from './client.js';
export { errorParams, type HubErrorItem, hubErrorPolicy } from './errors.js';
export type { components, operationTypes, paths } from './generated/index.js';
