/**
 * Reading what a client sent, inside an MSW handler, wherever the bytes travelled.
 *
 * A WHATWG `Request` cannot carry a GET body, so MSW's `request.text()` is empty for the Hub's GET-with-body calls.
 * The bytes are still there: the default Node transport sends them over `http.ClientRequest`, and MSW's interceptor
 * keeps that request's body stream (`getClientRequestBodyStream`), so handlers see the same body the real server
 * would.
 */

/** The raw bytes of a request body (GET bodies included), gunzipped when `Content-Encoding: gzip`. */
export async function readRequestBytes(request: Request): Promise<Uint8Array> {
  const bytes =
    request.method === 'GET' || request.method === 'HEAD'
      ? await readInterceptedGetBody(request)
      : new Uint8Array(await request.clone().arrayBuffer());
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

/** The JSON body of a request (GET bodies included). Undefined when empty. */
export async function readJsonBody<T = Record<string, unknown>>(request: Request): Promise<T | undefined> {
  const text = await readRequestText(request);
  return text ? (JSON.parse(text) as T) : undefined;
}

async function readInterceptedGetBody(request: Request): Promise<Uint8Array> {
  let stream: AsyncIterable<Uint8Array | string>;
  try {
    const { getClientRequestBodyStream } = await import('@mswjs/interceptors/utils/node');
    stream = getClientRequestBodyStream(request) as AsyncIterable<Uint8Array | string>;
  } catch {
    // Not an intercepted http.ClientRequest (fetch cannot send a GET body at all): there is no body.
    return new Uint8Array();
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  return Buffer.concat(chunks);
}
