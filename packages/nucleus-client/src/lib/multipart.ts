/**
 * Local image files: `POST dataset/{id}/append` as `multipart/form-data` (nucleus-api.md §3.2): part `items` = the
 * JSON array of item payloads, each with `"update"` added; one `image` part per file (filename = the local path,
 * content type `image/<ext>`), at most 10 files per request.
 *
 * The core sends JSON bodies only, so this request is built here, with the client's own base URL, auth, fetch and
 * error policy; retries (the client's retry statuses and network errors, `Retry-After` honoured) run through
 * p-retry, since resending a batch of keyed items is safe (see append.ts).
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { type BaseClient, errorFromResponse, type RequestOptions } from '@mlclients/package-core';
import pRetry, { AbortError as StopRetrying } from 'p-retry';
import { RETRY_STATUSES } from '../errors.js';
import { type DatasetItemInput, itemPayload } from './items.js';

export const LOCAL_FILES_PER_REQUEST = 10;

function imageType(path: string): string {
  const ext = extname(path).slice(1).toLowerCase();
  return `image/${ext === 'jpg' ? 'jpeg' : ext || 'octet-stream'}`;
}

/** The multipart body of one batch of local items. */
export async function multipartBody(items: readonly DatasetItemInput[], update: boolean): Promise<FormData> {
  const form = new FormData();
  form.append('items', JSON.stringify(items.map((x) => ({ ...itemPayload(x), update }))));
  for (const item of items) {
    const path = item.image_location as string;
    const bytes = await readFile(path);
    form.append('image', new Blob([bytes], { type: imageType(path) }), path || basename(path));
  }
  return form;
}

/** Send one batch of local items; resolves to the server's answer (`new_items`, ...). */
export async function appendLocalBatch(
  client: BaseClient<object>,
  datasetId: string,
  items: readonly DatasetItemInput[],
  update: boolean,
  options: RequestOptions = {},
): Promise<Record<string, number>> {
  const o = client.options;
  const url = `${o.baseUrl.replace(/\/+$/, '')}/dataset/${encodeURIComponent(datasetId)}/append`;
  const doFetch =
    o.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const retries = options.maxRetries ?? o.maxRetries ?? 3;
  const attempt = async (): Promise<Record<string, number>> => {
    const headers = new Headers();
    await o.auth?.apply({
      operation: 'appendDatasetItems',
      method: 'POST',
      url,
      headers,
      body: undefined,
      bodyField: undefined,
      addSecret: () => {},
    });
    const timeout = AbortSignal.timeout(options.timeout ?? o.timeout ?? 120_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const response = await doFetch(url, {
      method: 'POST',
      body: await multipartBody(items, update),
      headers,
      signal,
    });
    const text = await response.text();
    let body: unknown = text;
    let json = false;
    try {
      body = text ? JSON.parse(text) : undefined;
      json = true;
    } catch {}
    if (!response.ok) {
      const err = errorFromResponse(
        { status: response.status, headers: response.headers, body, json },
        { operation: 'appendDatasetItems', ...(o.errorPolicy ? { policy: o.errorPolicy } : {}) },
      );
      if (!RETRY_STATUSES.includes(response.status)) throw new StopRetrying(err);
      // Honour the server's Retry-After (seconds) up to maxRetryAfter, on top of p-retry's own backoff.
      const wait = Number(response.headers.get('retry-after'));
      if (Number.isFinite(wait) && wait > 0)
        await new Promise((r) => setTimeout(r, Math.min(wait * 1000, o.maxRetryAfter ?? 60_000)));
      throw err;
    }
    return body as Record<string, number>;
  };
  return pRetry(attempt, {
    retries,
    minTimeout: o.initialRetryDelay ?? 1000,
    maxTimeout: o.maxRetryDelay ?? 27_000,
    randomize: true,
    ...(options.signal ? { signal: options.signal } : {}),
    shouldRetry: () => !options.signal?.aborted,
  });
}
