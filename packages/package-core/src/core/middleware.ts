/**
 * Middleware: the one extension point between "the params are split and validated" and "the first attempt is
 * sent". A middleware sees one logical call (once, not once per attempt: per-attempt work such as auth belongs to
 * an `AuthStrategy`) and may edit its query, body, headers and compression. The client runs the built-in
 * {@link specExtensions} first (they read the operation's table entry, i.e. the spec), then `options.middleware`.
 *
 * @example
 * ```ts
 * const traceId: Middleware = {
 *   name: 'trace-id',
 *   prepare(call) { call.headers = { ...call.headers, 'x-trace-id': crypto.randomUUID() }; },
 * };
 * new HubClient({ baseUrl, middleware: [traceId] });
 * ```
 */

import type { OperationEntry } from '../resource/table.js';
import type { CompressBody, HeadersInit } from './options.js';

/** One call as a middleware sees it. Fields are mutable on purpose; `operation` and `path` are not. */
export interface PreparedCall {
  /** The operation's table entry (`extensions` holds the spec's other `x-` fields, without the `x-`). */
  readonly operation: OperationEntry;
  /** Path parameters (already in the URL template). */
  readonly path: Readonly<Record<string, unknown>> | undefined;
  query: Record<string, unknown> | undefined;
  /** The JSON body; replace it rather than mutate it (it may be the caller's own object). */
  body: unknown;
  headers: HeadersInit | undefined;
  /** Compression chosen for this call so far (call option, then per-operation option); `undefined`: not chosen. */
  compressBody: CompressBody | undefined;
}

/** A named hook run once per logical call, before the first attempt. */
export interface Middleware {
  /** For logs and error messages. */
  readonly name: string;
  /** Change the call in place (path, query, body, headers, compression) before its first attempt. */
  prepare(call: PreparedCall): void;
}

/**
 * `x-content-encoding: gzip`: the operation's request body travels gzip-compressed (the Hub's optimizers service).
 * A call that chose its own `compressBody` (including `false`) keeps its choice.
 */
export const contentEncodingMiddleware: Middleware = {
  name: 'x-content-encoding',
  prepare(call) {
    if (call.compressBody === undefined && call.operation.extensions?.['content-encoding'] === 'gzip') {
      call.compressBody = 'gzip';
    }
  },
};

/**
 * `x-path-params-in-body: [name, ...]`: these path parameters are ALSO sent in the JSON body (the Hub's nested
 * `endpoints/{endpoint_id}/...` calls read `endpoint_id` from the body). A body field the caller set wins.
 */
export const pathParamsInBodyMiddleware: Middleware = {
  name: 'x-path-params-in-body',
  prepare(call) {
    const names = call.operation.extensions?.['path-params-in-body'];
    if (!Array.isArray(names) || !call.path) return;
    const echoed: Record<string, unknown> = {};
    for (const name of names as string[]) {
      const value = call.path[name];
      if (value !== undefined) echoed[name] = value;
    }
    const body = call.body;
    if (body === undefined || body === null) call.body = echoed;
    else if (typeof body === 'object' && !Array.isArray(body)) call.body = { ...echoed, ...body };
  },
};

/** The spec extensions the core applies from the table, in order. */
export const specExtensions: readonly Middleware[] = [contentEncodingMiddleware, pathParamsInBodyMiddleware];
