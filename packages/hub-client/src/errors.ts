/**
 * The Hub's error policy: the real client's mapping (hub-api.md §5.2), expressed as data for the core's one mapping.
 *
 * | response                     | class                                              |
 * | ---------------------------- | -------------------------------------------------- |
 * | 400 with a JSON body         | `InvalidParamsError` (`BadRequestError`), `details` = `meta.errors` (each `error_param`) |
 * | 400 without JSON (HTML, empty) | `FatalApiError`                                  |
 * | 401, 403, 404                | `FatalApiError` (`AuthenticationError`, `PermissionDeniedError`, `NotFoundError`) |
 * | 500                          | `FatalApiError` (the Hub's 500 is a server bug, not transient) |
 * | any other status             | `RetryableApiError` (503 -> `InternalServerError`, 429 -> `RateLimitError`, ...) |
 * | no response                  | `NetworkError` (= `ConnectionError`)               |
 */
import { ApiError, type ErrorKind, type ErrorPolicy, type ParsedErrorBody } from '@mlclients/package-core';

/** One item of the Hub's `meta.errors`. */
export interface HubErrorItem {
  error_type: string;
  message: string;
  /** The offending request field (400 and optimizer errors; absent on Hub 401/404). */
  error_param?: string;
}

const FATAL_STATUSES = new Set([401, 403, 404, 500]);

/** Classify like `handle_response` in the Python client. */
function hubStatusKind(status: number, json: boolean): ErrorKind {
  if (status === 400) return json ? 'invalid' : 'fatal';
  if (FATAL_STATUSES.has(status)) return 'fatal';
  return 'retryable';
}

/** The `meta.errors` of a Hub error body, or undefined. */
function hubErrors(body: unknown): HubErrorItem[] | undefined {
  const meta = (body as { meta?: { errors?: unknown } } | undefined)?.meta;
  return Array.isArray(meta?.errors) ? (meta.errors as HubErrorItem[]) : undefined;
}

/**
 * Plain text of an HTML error page, as the Python client's `extract_plain_text` reads it: no `<script>`/`<style>`,
 * cut before Rails' "Extracted source (around line" stack dump, whitespace collapsed.
 */
function plainText(html: string): string {
  let text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
  const cut = text.indexOf('Extracted source (around line');
  if (cut >= 0) text = text.slice(0, cut);
  return text.replace(/\s+/g, ' ').trim();
}

/** Longest text copied from an HTML page into a message. */
const MAX_TEXT = 300;

/** Message, code and details of a Hub error body. */
function parseHubErrorBody(body: unknown): ParsedErrorBody | undefined {
  const errors = hubErrors(body);
  if (errors) {
    const message = errors
      .map((e) => (e.error_param ? `${e.error_param} ${e.message}` : e.message))
      .filter(Boolean)
      .join(', ');
    return { message: message || undefined, code: errors[0]?.error_type, details: errors };
  }
  if (typeof body === 'string') {
    const text = plainText(body);
    return { message: text ? text.slice(0, MAX_TEXT) : undefined };
  }
  return undefined;
}

/** The error policy handed to the core. */
export const hubErrorPolicy: ErrorPolicy = {
  classify: ({ status, json }) => hubStatusKind(status, json),
  parseErrorBody: (body) => parseHubErrorBody(body),
  requestIdHeaders: ['x-request-id'],
};

/** The `error_param`s of a Hub error (`[]` when there are none). */
export function errorParams(err: unknown): string[] {
  if (!(err instanceof ApiError)) return [];
  const details = Array.isArray(err.details) ? (err.details as HubErrorItem[]) : (hubErrors(err.body) ?? []);
  return details.map((e) => e.error_param).filter((p): p is string => typeof p === 'string');
}
