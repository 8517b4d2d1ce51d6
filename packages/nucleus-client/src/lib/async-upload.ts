/**
 * The async ingest path (nucleus-api.md §2.3): 1. `GET dataset/{id}/signedUrl/{requestId}` (a random uuid hex the
 * client picks); 2. `PUT` the NDJSON (one payload per line) to that signed URL, WITHOUT Nucleus credentials (it is
 * storage, not Nucleus); 3. `POST <route>?async=1` with `{requestId, update}` -> an {@link AsyncJob}.
 */
import type { OperationEntry, RequestOptions } from '@mlclients/package-core';
import { ClientError } from '@mlclients/package-core';
import type { NucleusClient } from '../client.js';
import { operations } from '../generated/index.js';
import { AsyncJob } from './async-job.js';

/** The Python client's `MAX_PAYLOAD_SIZE`. */
export const MAX_NDJSON_BYTES = 0x1fffffe8;

export function toNdjson(payloads: readonly unknown[]): string {
  return payloads.map((p) => JSON.stringify(p)).join('\n');
}

export interface AsyncUploadOptions extends RequestOptions {
  update?: boolean;
  /** Extra body fields of the final POST (`trained_slice_id` for predictions). */
  extra?: Record<string, unknown>;
}

/** Upload `payloads` by the signed-URL path and start the job of `op` (whose path params are in `pathParams`). */
export async function asyncUpload(
  client: NucleusClient,
  datasetId: string,
  op: OperationEntry,
  pathParams: Record<string, string>,
  payloads: readonly unknown[],
  options: AsyncUploadOptions = {},
): Promise<AsyncJob> {
  const { update = false, extra, ...requestOptions } = options;
  const body = toNdjson(payloads);
  const size = new TextEncoder().encode(body).byteLength;
  if (size > MAX_NDJSON_BYTES)
    throw new RangeError(
      `payloads: ${size} bytes of NDJSON, over the ${MAX_NDJSON_BYTES}-byte limit of one async upload`,
    );
  const requestId = globalThis.crypto.randomUUID().replaceAll('-', '');
  const { signed_url } = (await client.request(
    operations.getDatasetSignedUrl,
    { dataset_id: datasetId, request_id: requestId },
    requestOptions,
  )) as { signed_url: string };
  const doFetch =
    client.options.fetch ?? ((i: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(i, init));
  // No Nucleus auth: the signed URL carries its own authorization.
  const put = await doFetch(signed_url, {
    method: 'PUT',
    body,
    headers: { 'content-type': 'application/x-ndjson' },
    ...(requestOptions.signal ? { signal: requestOptions.signal } : {}),
  });
  if (!put.ok) {
    throw new ClientError(
      `${op.operationId}: PUT to the signed URL failed with ${put.status}: ${(await put.text()).slice(0, 300)}`,
      {
        operation: op.operationId,
      },
    );
  }
  const job = (await client.request(
    op,
    { ...pathParams, requestId, update, ...extra },
    { ...requestOptions, query: { ...requestOptions.query, async: 1 } },
  )) as { job_id: string };
  return new AsyncJob(client, job);
}
