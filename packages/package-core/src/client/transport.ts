/**
 * Transports below the retry loop: WHATWG fetch for ordinary requests, and a raw transport for the one thing fetch
 * refuses: a GET (or HEAD) with a body. The Auger Hub reads its token, `limit` and `offset` from the JSON body of a
 * GET, so on Node that request goes through undici's `request`, which allows it.
 */
import { ClientError } from '../errors.js';

/** A fully built request for a {@link RawTransport}. */
export interface RawRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | Uint8Array | undefined;
  signal: AbortSignal;
  /** `operationId`, for error messages. */
  operation: string;
}

/** Sends a request fetch cannot express and returns a WHATWG `Response`. */
export type RawTransport = (request: RawRequest) => Promise<Response>;

/** True on Node (and Bun/Deno's Node compat), where undici is available. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** Statuses whose Response must have a null body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** GET-with-body over undici `request` (Node only; imported lazily so browser bundles never load undici). */
export const undiciTransport: RawTransport = async (req) => {
  const { request } = await import('undici');
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => {
    headers[k] = v;
  });
  const res = await request(req.url, {
    method: req.method as 'GET',
    headers,
    body: req.body,
    signal: req.signal,
  });
  let buf: Uint8Array = new Uint8Array(await res.body.arrayBuffer());
  const outHeaders = new Headers();
  for (const [k, v] of Object.entries(res.headers)) {
    if (Array.isArray(v)) for (const item of v) outHeaders.append(k, item);
    else if (v !== undefined) outHeaders.set(k, String(v));
  }
  // Unlike fetch, undici's `request` does not decode `Content-Encoding`; a Response must hold the decoded bytes.
  const encoding = outHeaders.get('content-encoding')?.trim().toLowerCase();
  if (encoding && buf.byteLength > 0) {
    const zlib = await import('node:zlib');
    if (encoding === 'gzip' || encoding === 'x-gzip') buf = zlib.gunzipSync(buf);
    else if (encoding === 'deflate') buf = zlib.inflateSync(buf);
    else if (encoding === 'br') buf = zlib.brotliDecompressSync(buf);
    outHeaders.delete('content-encoding');
    outHeaders.delete('content-length');
  }
  return new Response(NULL_BODY_STATUSES.has(res.statusCode) ? null : (buf as BlobPart), {
    status: res.statusCode,
    headers: outHeaders,
  });
};

/** The browser's answer: fetch cannot send a GET body, so say which operation needs Node. */
export const unsupportedGetWithBody: RawTransport = async (req) => {
  throw new ClientError(
    `${req.operation}: sends a JSON body with ${req.method}, which browser fetch cannot do; ` +
      'run it on Node or pass a `getWithBody` transport',
    { operation: req.operation },
  );
};

/** The default GET-with-body transport for this platform. */
export function defaultGetWithBody(): RawTransport {
  return isNode() ? undiciTransport : unsupportedGetWithBody;
}

/** gzip a request body with the platform's CompressionStream (Node >= 18 and browsers). */
export async function gzip(body: string | Uint8Array): Promise<Uint8Array> {
  const input = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const stream = new Blob([input as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
