/**
 * `#intercepted-body` on Node (the `node` condition of package.json `imports`): the body stream MSW's Node
 * interceptor kept for an `http.ClientRequest` (a GET with a body), read with the interceptor's own helper. Browser
 * bundles resolve `#intercepted-body` to ./browser.ts, so `@mswjs/interceptors/utils/node` (and `node:http`, which it
 * imports) never reaches them.
 */

/** The chunks of an intercepted request body. */
export type ChunkStream = AsyncIterable<Uint8Array | string>;

/** The body stream the installed `@mswjs/interceptors` kept for `request`, or undefined when it kept none. */
export async function interceptedBodyStream(request: Request): Promise<ChunkStream | undefined> {
  try {
    const { getClientRequestBodyStream } = await import('@mswjs/interceptors/utils/node');
    return getClientRequestBodyStream(request) as ChunkStream;
  } catch {
    // Not an intercepted http.ClientRequest (fetch cannot send a GET body at all): there is no body.
    return undefined;
  }
}
