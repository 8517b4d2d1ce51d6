/**
 * The best a browser can do for a GET with a JSON body (the Auger Hub's lists and reads): fetch refuses the body on a
 * GET, so the request goes out as a POST carrying `X-HTTP-Method-Override: GET` and the same body, to a server that
 * reads the header and acts on the original method:
 * - a same-origin proxy in front of the service that turns it back into a GET with its body (the page then needs no
 *   CORS grant, and the token stays in the body, out of URLs and access logs); `tools/browser-test` has one in 60
 *   lines of Node, `methodOverrideProxy`;
 * - a Rails/Rack server that keeps `Rack::MethodOverride` in its middleware (it honours the header on POSTs);
 * - the fakes of `@mlclients/package-core/testing` (MSW's browser worker included), which count the request as a GET.
 *
 * Never the default: a server that ignores the header would act on a POST, and for a list that means a create. Opt in
 * for a server you know honours it.
 */
import type { RawRequest, RawTransport } from './transport.js';

/** The header Rack, the fakes and the proxy read. */
export const METHOD_OVERRIDE_HEADER = 'X-HTTP-Method-Override';

/** Options of {@link methodOverrideTransport}. */
export interface MethodOverrideTransportOptions {
  /** The fetch to send with. @default globalThis.fetch, looked up on every call (so MSW's patch applies) */
  fetch?: typeof fetch;
}

/**
 * A `getWithBody` transport for browsers: sends a GET (or HEAD) with a body as a POST with
 * `X-HTTP-Method-Override: GET`. Pass it with a `baseUrl` that reaches such a server (see the module comment).
 *
 * @example
 * ```ts
 * const hub = new HubClient({
 *   baseUrl: `${location.origin}/hub/api/v1`, // the site's proxy to the Hub
 *   getWithBody: methodOverrideTransport(),
 * });
 * ```
 */
export function methodOverrideTransport(options: MethodOverrideTransportOptions = {}): RawTransport {
  return (request: RawRequest) => {
    const headers = new Headers(request.headers);
    headers.set(METHOD_OVERRIDE_HEADER, request.method.toUpperCase());
    const send = options.fetch ?? globalThis.fetch;
    return send(request.url, {
      method: 'POST',
      headers,
      body: request.body as BodyInit | undefined,
      signal: request.signal,
      // The client follows redirects itself (same origin only), as for every other call.
      redirect: 'manual',
    });
  };
}
