/**
 * Reading what a client sent, wherever the bytes travelled: MSW in Node, MSW in a browser, or a real HTTP server.
 *
 * A WHATWG `Request` cannot carry a GET body, yet the Hub puts its token, `limit` and `offset` in the JSON body of a
 * GET. The bytes still reach the fake, and are read from the `Request` itself, in this order:
 * 1. a body attached by whoever built the Request ({@link attachRequestBody}: `tools/mock-server` does this for
 *    every request it receives over HTTP);
 * 2. MSW's Node interceptor: it keeps an `http.ClientRequest`'s body stream on the Request (msw >= 2.13 with
 *    `@mswjs/interceptors` >= 0.41); looked up by the interceptor's own helper, and by the symbol's name when a
 *    second copy of the interceptors is installed (each copy has its own symbol);
 * 3. the Request's own body (POST, PATCH, DELETE; and a POST that carries `X-HTTP-Method-Override: GET`, which is
 *    how a browser, where neither fetch nor XHR can send a GET body, reaches a Rack server: see {@link effectiveMethod}).
 */

import { type ChunkStream, interceptedBodyStream } from '#intercepted-body';

/** Registered, so that two installed copies of package-core find each other's attached bodies. */
const ATTACHED_BODY = Symbol.for('@mlclients/package-core/testing:request-body');
const INTERCEPTOR_BODY_STREAM = 'kRawRequestBodyStream';

/** Attach the bytes of a body to a Request that could not carry them (a GET built by an HTTP server adapter). */
export function attachRequestBody(request: Request, body: Uint8Array): Request {
  Reflect.set(request, ATTACHED_BODY, body);
  return request;
}

/**
 * The method the server acts on: a POST with `X-HTTP-Method-Override` counts as that method, as Rack's
 * `MethodOverride` middleware (in every Rails stack) treats it.
 */
export function effectiveMethod(request: Request): string {
  const method = request.method.toUpperCase();
  const override = request.headers.get('x-http-method-override')?.trim().toUpperCase();
  return method === 'POST' && override ? override : method;
}

/** The raw bytes of a request body (GET bodies included), gunzipped when `Content-Encoding: gzip`. */
export async function readRequestBytes(request: Request): Promise<Uint8Array> {
  const bytes = await rawBytes(request);
  const gzipMagic = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (
    bytes.byteLength === 0 ||
    (request.headers.get('content-encoding')?.toLowerCase() !== 'gzip' && !gzipMagic)
  ) {
    return bytes;
  }
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The request body as UTF-8 text ('' when empty). */
export async function readRequestText(request: Request): Promise<string> {
  return new TextDecoder().decode(await readRequestBytes(request));
}

/** The JSON body of a request (GET bodies included). Undefined when empty; throws `SyntaxError` when malformed. */
export async function readJsonBody<T = Record<string, unknown>>(request: Request): Promise<T | undefined> {
  const text = await readRequestText(request);
  return text ? (JSON.parse(text) as T) : undefined;
}

async function rawBytes(request: Request): Promise<Uint8Array> {
  const attached = Reflect.get(request, ATTACHED_BODY) as Uint8Array | undefined;
  if (attached) return attached;
  if (request.body !== null) return new Uint8Array(await request.clone().arrayBuffer());
  const stream = await interceptedBody(request);
  if (!stream) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  return concat(chunks);
}

async function interceptedBody(request: Request): Promise<ChunkStream | undefined> {
  // By name first: works whichever copy of @mswjs/interceptors built the Request, and in a browser bundle.
  for (const key of Object.getOwnPropertySymbols(request)) {
    if (key.description !== INTERCEPTOR_BODY_STREAM) continue;
    const stream = Reflect.get(request, key) as unknown;
    if (stream && typeof (stream as ChunkStream)[Symbol.asyncIterator] === 'function')
      return stream as ChunkStream;
  }
  // Then the interceptor's own helper: Node only (`#intercepted-body`; it imports node:http).
  return interceptedBodyStream(request);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
