/**
 * Transports below the retry loop: WHATWG fetch for ordinary requests, and a raw transport for the one thing fetch
 * refuses: a GET (or HEAD) with a body. The Auger Hub reads its token, `limit` and `offset` from the JSON body of a
 * GET, so on Node that request goes through `node:http`/`node:https`.
 *
 * Why `node:http` and not undici's `request`: MSW intercepts `http.ClientRequest` and `fetch` but not undici's
 * dispatcher, so with undici no user could test a GET-with-body service against an MSW fake (ours or their own).
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

/** True on Node (and Bun/Deno's Node compat), where `node:http` is available. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** Statuses whose Response must have a null body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * GET (or HEAD/DELETE) with a body over `node:http(s)`, Node only; the modules are imported lazily so a browser
 * bundle never loads them. `Content-Length` is always set: Node does not frame a GET body on its own, and without it
 * neither a Rails server nor MSW's request parser would read the body.
 */
export const nodeHttpTransport: RawTransport = async (req) => {
  const url = new URL(req.url);
  // The CommonJS object (`default`), not the ESM named export: interceptors (MSW) patch the former.
  const http =
    url.protocol === 'https:' ? (await import('node:https')).default : (await import('node:http')).default;
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const headers: Record<string, string> = Object.fromEntries(req.headers);
  if (body) headers['content-length'] = String(body.byteLength);
  const { status, statusText, rawHeaders, payload } = await new Promise<{
    status: number;
    statusText: string;
    rawHeaders: NodeJS.Dict<string | string[]>;
    payload: Buffer;
  }>((resolve, reject) => {
    const request = http.request(url, { method: req.method, headers, signal: req.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          rawHeaders: res.headers,
          payload: Buffer.concat(chunks),
        }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
  const outHeaders = new Headers();
  for (const [key, value] of Object.entries(rawHeaders)) {
    if (Array.isArray(value)) for (const item of value) outHeaders.append(key, item);
    else if (value !== undefined) outHeaders.set(key, value);
  }
  const decoded = await decodeContent(payload, outHeaders);
  return new Response(NULL_BODY_STATUSES.has(status) ? null : new Uint8Array(decoded), {
    status,
    statusText,
    headers: outHeaders,
  });
};

/** Unlike fetch, `node:http` does not decode `Content-Encoding` (the Hub gzips when asked); a Response must. */
async function decodeContent(payload: Buffer, headers: Headers): Promise<Buffer> {
  const encoding = headers.get('content-encoding')?.trim().toLowerCase();
  if (!encoding || payload.byteLength === 0) return payload;
  const zlib = await import('node:zlib');
  const decoded =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.gunzipSync(payload)
      : encoding === 'deflate'
        ? zlib.inflateSync(payload)
        : encoding === 'br'
          ? zlib.brotliDecompressSync(payload)
          : undefined;
  if (decoded === undefined) return payload;
  headers.delete('content-encoding');
  headers.delete('content-length');
  return decoded;
}

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
  return isNode() ? nodeHttpTransport : unsupportedGetWithBody;
}

/** gzip a request body with the platform's CompressionStream (Node >= 18 and browsers). */
export async function gzip(body: string | Uint8Array): Promise<Uint8Array> {
  const input = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const stream = new Blob([input as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
