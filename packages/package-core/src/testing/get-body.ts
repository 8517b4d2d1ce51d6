/**
 * GET with a JSON body under MSW. WHATWG `Request` cannot carry a GET body, so MSW handlers could never see one.
 * In tests, {@link fetchGetWithBody} sends such a request through `fetch` (which MSW intercepts) with the body
 * moved into the {@link GET_BODY_HEADER} header, and {@link readJsonBody} reads it back in the handler. Handlers
 * that always use `readJsonBody` work the same against the real Node transport's body.
 */
import type { RawTransport } from '../client/transport.js';

/** Test-only header carrying a GET body, base64 of the UTF-8 bytes. */
export const GET_BODY_HEADER = 'x-mlclients-get-body';

/** A `getWithBody` transport for tests: the body travels in a header so MSW can deliver it. */
export function fetchGetWithBody(fetchImpl?: typeof fetch): RawTransport {
  return (req) => {
    const headers = new Headers(req.headers);
    const bytes = typeof req.body === 'string' ? new TextEncoder().encode(req.body) : req.body;
    if (bytes) headers.set(GET_BODY_HEADER, Buffer.from(bytes).toString('base64'));
    headers.delete('content-encoding');
    const f = fetchImpl ?? globalThis.fetch;
    return f(req.url, { method: req.method, headers, signal: req.signal });
  };
}

/** The JSON body of a request, wherever it travelled (body, or the GET-body header). Undefined when empty. */
export async function readJsonBody<T = Record<string, unknown>>(request: Request): Promise<T | undefined> {
  const encoded = request.headers.get(GET_BODY_HEADER);
  let text: string;
  if (encoded) {
    text = Buffer.from(encoded, 'base64').toString('utf8');
  } else if (request.headers.get('content-encoding') === 'gzip') {
    const stream = request.body?.pipeThrough(new DecompressionStream('gzip'));
    text = stream ? await new Response(stream).text() : '';
  } else {
    text = await request.text();
  }
  return text ? (JSON.parse(text) as T) : undefined;
}
