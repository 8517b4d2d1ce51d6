/**
 * The Hub's answers, worded as the recordings show: `{data, meta: {status}}`, list pagination with the page's
 * `count`, and the error envelope `{meta: {status, errors: [{error_type, error_param?, message}]}}`.
 */
import type { FakeAnswer } from '@mlclients/package-core/testing';

/** One item of `meta.errors`. */
export interface HubErrorItem {
  error_type: string;
  message: string;
  error_param?: string;
}

/** Body fields that carry a token (the client merges exactly one). */
export const TOKEN_FIELDS: readonly string[] = [
  'project_api_token',
  'cluster_api_token',
  'token',
  'system_token',
];

/** How the Hub masks a token when it echoes `request_params` (predictions/create_invalid). */
export const MASKED = '****';

export function ok(data: unknown): FakeAnswer {
  return { status: 200, json: { data, meta: { status: 200 } } };
}

export function okPage(
  data: unknown[],
  page: { limit: number; offset: number; count: number; total: number },
): FakeAnswer {
  return {
    status: 200,
    json: {
      data,
      meta: {
        status: 200,
        pagination: { limit: page.limit, offset: page.offset, count: page.count, total: page.total },
      },
    },
  };
}

/** The error envelope. `requestParams` adds `meta.request_params` as some controllers do. */
export function hubError(
  status: number,
  errors: HubErrorItem[],
  requestParams?: Record<string, unknown>,
): FakeAnswer {
  return {
    status,
    json: { meta: { status, ...(requestParams ? { request_params: requestParams } : {}), errors } },
  };
}

/** 400 `invalid_param`, one item per `[param, message]`. */
export function invalid(...errors: [param: string, message: string][]): FakeAnswer {
  return hubError(
    400,
    errors.map(([error_param, message]) => ({ error_type: 'invalid_param', error_param, message })),
  );
}

/** 401 as the Hub words it (auth/token_invalid); the optimizers service names the field (get_next_trials_invalid_token). */
export function unauthenticated(message = 'User should be logged in', errorParam?: string): FakeAnswer {
  return hubError(401, [
    { error_type: 'unauthenticated', message, ...(errorParam ? { error_param: errorParam } : {}) },
  ]);
}

/** 404 "Couldn't find <Model>" (experiments/delete_not_existing). */
export function notFound(model: string): FakeAnswer {
  return hubError(404, [{ message: `Couldn't find ${model}`, error_type: 'not_found' }]);
}

/** 400 "is required" for each absent field (dataset_manifests/create_invalid), or undefined. */
export function missing(body: Record<string, unknown>, fields: readonly string[]): FakeAnswer | undefined {
  const absent = fields.filter((f) => body[f] === undefined || body[f] === null || body[f] === '');
  return absent.length ? invalid(...absent.map((f): [string, string] => [f, 'is required'])) : undefined;
}

/** A body without its token fields (what gets stored). */
export function withoutTokens(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  for (const f of TOKEN_FIELDS) delete out[f];
  return out;
}

/** The body as the Hub echoes it in `request_params`: the token masked as `****`. */
export function maskedParams(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  for (const f of TOKEN_FIELDS) if (out[f] !== undefined) out[f] = MASKED;
  return out;
}
