/**
 * Transports below the retry loop: WHATWG fetch for ordinary requests, and a raw transport for the one thing fetch
 * refuses: a GET (or HEAD) with a body. The Auger Hub reads its token, `limit` and `offset` from the JSON body of a
 * GET, so on Node that request goes through `node:http`/`node:https` (src/internal/platform/node.ts).
 *
 * Browser-safe: the Node implementation comes from `#platform`, which package.json `imports` maps by export condition
 * (`node` -> internal/platform/node, `default` -> internal/platform/browser).
 */
import { ClientError, ResponseTooLargeError } from '../core/errors.js';

/** A fully built request for a {@link RawTransport}. */
export interface RawRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | Uint8Array | undefined;
  signal: AbortSignal;
  /** `operationId`, for error messages. */
  operation: string;
  /** Decoded body bytes allowed (`maxResponseSize`); past it the transport rejects with `ResponseTooLargeError`. */
  maxResponseBytes?: number | undefined;
}

/** Sends a request fetch cannot express and returns a WHATWG `Response`. */
export type RawTransport = (request: RawRequest) => Promise<Response>;

/** True on Node (and Bun/Deno's Node compat), where `node:http` is available. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * GET (or HEAD/DELETE) with a body over `node:http(s)`. Node only: `#platform` (package.json `imports`) resolves to
 * the `node:http` implementation under the `node` condition and to a stub elsewhere, so a browser bundle never sees
 * a `node:` import; there, this transport rejects with a `ClientError` naming the operation.
 */
export const nodeHttpTransport: RawTransport = async (req) =>
  ((await loadNodeHttp()) ?? unsupportedGetWithBody)(req);

/**
 * `#platform` is loaded on the first GET with a body, not at import: only the Hub's list calls need it, and every
 * module loaded at start-up adds to a client's import cost (bench/import.bench.ts).
 */
let platformLoading: Promise<RawTransport | undefined> | undefined;
function loadNodeHttp(): Promise<RawTransport | undefined> {
  platformLoading ??= import('#platform').then((m) =>
    m.createNodeHttp?.(
      (operation, limitBytes) =>
        new ResponseTooLargeError(
          `${operation}: response body larger than ${limitBytes} bytes (maxResponseSize); reading stopped there`,
          { operation, limitBytes },
        ),
    ),
  );
  return platformLoading;
}

/** The browser's answer: fetch cannot send a GET body, so say which operation needs Node. */
export const unsupportedGetWithBody: RawTransport = async (req) => {
  throw new ClientError(
    `${req.operation}: sends a JSON body with ${req.method}, which browser fetch cannot do; ` +
      'run it on Node, or pass `getWithBody: methodOverrideTransport()` with a baseUrl that reaches a server ' +
      'honouring X-HTTP-Method-Override (a same-origin proxy)',
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
