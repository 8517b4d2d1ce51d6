/**
 * Multipart uploads of local files (nucleus-api.md §3.2, §3.3): the core sends JSON bodies only, so these requests
 * are built here, with the client's own base URL, auth, fetch and error policy. Retries (the client's retry
 * statuses and network errors, `Retry-After` honoured) run through p-retry, since resending a batch of keyed
 * objects is safe (see append.ts); the form is rebuilt for every attempt, as the Python client does.
 *
 * Local images: `POST dataset/{id}/append`, part `items` = the JSON array of item payloads, each with `"update"`
 * added; one `image` part per file (filename = the local path, percent-quoted as aiohttp sends it, content type
 * `image/<ext>`), at most 10 per request.
 */
import {
  type BaseClient,
  errorFromResponse,
  type OperationEntry,
  type RequestOptions,
} from '@mlclients/package-core';
import pRetry, { AbortError as StopRetrying } from 'p-retry';
import { RETRY_STATUSES } from '../errors.js';
import { operations } from '../generated/index.js';
import { type DatasetItemInput, itemPayload } from './items.js';

export const LOCAL_FILES_PER_REQUEST = 10;

async function imageType(path: string): Promise<string> {
  const { extname } = await import('node:path');
  const ext = extname(path).slice(1).toLowerCase();
  return `image/${ext === 'jpg' ? 'jpeg' : ext || 'octet-stream'}`;
}

/**
 * A filename as the Python client's aiohttp sends it (`quote_fields`: `urllib.parse.quote(name, safe='')`, so
 * `/tmp/a b.png` is `%2Ftmp%2Fa%20b.png`): the form the real server is known to accept.
 */
export function quoteFilename(path: string): string {
  return encodeURIComponent(path).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A local file as a form part: its bytes, its content type, and its local path (quoted) as the filename. */
export async function filePart(path: string, type: string): Promise<[Blob, string]> {
  // Loaded only for a local file: a browser bundle of the client must not import node: modules.
  const { readFile } = await import('node:fs/promises');
  return [new Blob([await readFile(path)], { type }), quoteFilename(path)];
}

/** The multipart body of one batch of local items. */
export async function multipartBody(items: readonly DatasetItemInput[], update: boolean): Promise<FormData> {
  const form = new FormData();
  form.append('items', JSON.stringify(items.map((x) => ({ ...itemPayload(x), update }))));
  for (const item of items) {
    const path = item.image_location as string;
    form.append('image', ...(await filePart(path, await imageType(path))));
  }
  return form;
}

/** The URL of `op` with its path parameters filled in (percent-encoded, `/` included: §2.2). */
function operationUrl(
  baseUrl: string,
  op: OperationEntry,
  params: Readonly<Record<string, unknown>>,
): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new RangeError(`${name}: a path parameter is required`);
    return encodeURIComponent(String(value));
  });
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/**
 * POST a multipart form to `op` (its path parameters from `params`); `buildForm` runs for every attempt. Resolves to
 * the server's JSON answer; an error answer is the client's usual error class, after the retries.
 */
export async function postMultipart(
  client: BaseClient<object>,
  op: OperationEntry,
  params: Readonly<Record<string, unknown>>,
  buildForm: () => Promise<FormData>,
  options: RequestOptions = {},
): Promise<Record<string, unknown>> {
  const o = client.options;
  const url = operationUrl(o.baseUrl, op, params);
  const doFetch =
    o.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const retries = options.maxRetries ?? o.maxRetries ?? 3;
  const attempt = async (): Promise<Record<string, unknown>> => {
    const headers = new Headers();
    await o.auth?.apply({
      operation: op.operationId,
      method: 'POST',
      url,
      headers,
      body: undefined,
      bodyField: undefined,
      addSecret: () => {},
    });
    const timeout = AbortSignal.timeout(options.timeout ?? o.timeout ?? 120_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const response = await doFetch(url, { method: 'POST', body: await buildForm(), headers, signal });
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
        { operation: op.operationId, ...(o.errorPolicy ? { policy: o.errorPolicy } : {}) },
      );
      if (!RETRY_STATUSES.includes(response.status)) throw new StopRetrying(err);
      // Honour the server's Retry-After (seconds) up to maxRetryAfter, on top of p-retry's own backoff.
      const wait = Number(response.headers.get('retry-after'));
      if (Number.isFinite(wait) && wait > 0)
        await new Promise((r) => setTimeout(r, Math.min(wait * 1000, o.maxRetryAfter ?? 60_000)));
      throw err;
    }
    return body as Record<string, unknown>;
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

/** Send one batch of local items; resolves to the server's answer (`new_items`, ...). */
export async function appendLocalBatch(
  client: BaseClient<object>,
  datasetId: string,
  items: readonly DatasetItemInput[],
  update: boolean,
  options: RequestOptions = {},
): Promise<Record<string, number>> {
  return (await postMultipart(
    client,
    operations.appendDatasetItems,
    { dataset_id: datasetId },
    () => multipartBody(items, update),
    options,
  )) as Record<string, number>;
}
