/**
 * `#platform` on Node (the `node` condition of package.json `imports`): a GET (or HEAD/DELETE) with a body over
 * `node:http(s)`. Browser bundles resolve `#platform` to ./browser.ts instead, so no `node:` module reaches them.
 *
 * Why `node:http` and not undici's `request`: MSW intercepts `http.ClientRequest` and `fetch` but not undici's
 * dispatcher, so with undici no user could test a GET-with-body service against an MSW fake (ours or their own).
 * `Content-Length` is always set: Node does not frame a GET body on its own, and without it neither a Rails server
 * nor MSW's request parser would read the body.
 */
import type { RawTransport } from '../transport.js';

/** Statuses whose Response must have a null body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * The transport, given how to report a body over the limit. The error class comes from the caller: importing
 * `errors.ts` here would make the bundler split the error taxonomy into a chunk of its own, one more module every
 * client loads at start-up (bench/import.bench.ts).
 */
export function createNodeHttp(tooLarge: (operation: string, limitBytes: number) => Error): RawTransport {
  return (req) => send(req, tooLarge);
}

async function send(
  req: Parameters<RawTransport>[0],
  tooLarge: (operation: string, limitBytes: number) => Error,
): Promise<Response> {
  const url = new URL(req.url);
  // The CommonJS object (`default`), read at call time: interceptors (MSW) patch its `request`.
  const http =
    url.protocol === 'https:' ? (await import('node:https')).default : (await import('node:http')).default;
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const limit = req.maxResponseBytes;
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
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.byteLength;
        // Raw bytes past the decoded limit can only decode to more: stop the download.
        if (limit !== undefined && received > limit) {
          request.destroy();
          reject(tooLarge(req.operation, limit));
          return;
        }
        chunks.push(chunk);
      });
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
  const decoded = await decodeContent(payload, outHeaders, limit, () => tooLarge(req.operation, limit ?? 0));
  return new Response(NULL_BODY_STATUSES.has(status) ? null : new Uint8Array(decoded), {
    status,
    statusText,
    headers: outHeaders,
  });
}

/** Unlike fetch, `node:http` does not decode `Content-Encoding` (the Hub gzips when asked); a Response must. */
async function decodeContent(
  payload: Buffer,
  headers: Headers,
  limit: number | undefined,
  tooLarge: () => Error,
): Promise<Buffer> {
  const encoding = headers.get('content-encoding')?.trim().toLowerCase();
  if (!encoding || payload.byteLength === 0) return payload;
  const zlib = await import('node:zlib');
  // `maxOutputLength` stops the decoder at the limit (a gzip bomb costs at most `limit` bytes).
  const opts = limit === undefined ? {} : { maxOutputLength: limit };
  let decoded: Buffer | undefined;
  try {
    decoded =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? zlib.gunzipSync(payload, opts)
        : encoding === 'deflate'
          ? zlib.inflateSync(payload, opts)
          : encoding === 'br'
            ? zlib.brotliDecompressSync(payload, opts)
            : undefined;
  } catch (err) {
    if (limit !== undefined && (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw err;
  }
  if (decoded === undefined) return payload;
  headers.delete('content-encoding');
  headers.delete('content-length');
  return decoded;
}
