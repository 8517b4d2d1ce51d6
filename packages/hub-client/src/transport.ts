/**
 * The Hub's GET-with-body transport on Node: `node:http`/`node:https` `request`, with an explicit `Content-Length`.
 *
 * Why not the core's default (undici `request`): MSW, and with it `@mlclients/hub-client/mocks`, intercepts
 * `http.ClientRequest` and `fetch` but not undici's dispatcher, so a user's tests could never see the Hub's GETs.
 * `Content-Length` matters too: without it a GET body is not framed (Node only chunks POST-like methods), and both
 * MSW's request parser and a real Rails server would read no body at all.
 */
import type { RawTransport } from '@mlclients/package-core';

/** Statuses whose Response must have a null body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** GET (or HEAD/DELETE) with a JSON body over `node:http(s)`. Node only. */
export const nodeHttpTransport: RawTransport = async (req) => {
  const url = new URL(req.url);
  // The CommonJS object (`default`), not the ESM named export: interceptors patch the former.
  const mod =
    url.protocol === 'https:' ? (await import('node:https')).default : (await import('node:http')).default;
  // Imported lazily so a browser bundle of the client never loads Node built-ins.
  const { brotliDecompressSync, gunzipSync, inflateSync } = await import('node:zlib');
  const body =
    req.body === undefined
      ? undefined
      : typeof req.body === 'string'
        ? Buffer.from(req.body)
        : Buffer.from(req.body);
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => {
    headers[k] = v;
  });
  if (body) headers['content-length'] = String(body.byteLength);
  return await new Promise<Response>((resolvePromise, reject) => {
    const request = mod.request(url, { method: req.method, headers, signal: req.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const outHeaders = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const item of v) outHeaders.append(k, item);
          else if (v !== undefined) outHeaders.set(k, String(v));
        }
        const status = res.statusCode ?? 0;
        let payload: Buffer = Buffer.concat(chunks);
        // Unlike fetch, node:http does not decode `Content-Encoding` (the Hub gzips when asked).
        const encoding = outHeaders.get('content-encoding')?.trim().toLowerCase();
        try {
          if (encoding === 'gzip' || encoding === 'x-gzip') payload = gunzipSync(payload);
          else if (encoding === 'deflate') payload = inflateSync(payload);
          else if (encoding === 'br') payload = brotliDecompressSync(payload);
          if (encoding) outHeaders.delete('content-encoding');
        } catch (err) {
          reject(err);
          return;
        }
        resolvePromise(
          new Response(NULL_BODY_STATUSES.has(status) ? null : new Uint8Array(payload), {
            status,
            statusText: res.statusMessage ?? '',
            headers: outHeaders,
          }),
        );
      });
    });
    request.on('error', reject);
    request.end(body);
  });
};

/** True on Node (where `node:http` exists). */
export function isNodeRuntime(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}
