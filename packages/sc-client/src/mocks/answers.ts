/** The SC error body (§4.11) and the "is this already an answer" check every handler file of the fake uses. */
import type { FakeAnswer } from '@mlclients/package-core/testing';

export function error(status: number, error_code: string, message: string): FakeAnswer {
  return { status, json: { error_code, http_status: status, message } };
}

export function isAnswer(x: unknown): x is FakeAnswer {
  return typeof (x as FakeAnswer).status === 'number';
}

/** Which server the fake plays: the API prefix, the coordinate convention and the list shapes follow from it. */
export interface FakeEra {
  /** SC 1.0/1.1: `/api/v1.0`, normalized coordinates, `items` lists. */
  legacy: boolean;
  /** Geti: `build-version`, organizations, `x-api-key`, `:train`, `media:query`, `pipelines/active:predict`. */
  geti: boolean;
  /** `/api/v1.0` or `/api/v1`. */
  apiPath: string;
  /** The prefix of workspace routes in the paths the server hands out (`display_url`, `next_page`...). */
  base: string;
}
