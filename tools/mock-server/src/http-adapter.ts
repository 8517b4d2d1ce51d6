/**
 * node:http <-> WHATWG: each HTTP request becomes a `Request` for the fake (its body attached with package-core's
 * `attachRequestBody`: a GET's cannot be carried otherwise), and the fake's `Response` is written back.
 * `Response.error()` (an injected connection reset) destroys the socket, which is what a client sees when a
 * server drops the connection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerText, attachRequestBody } from '@mlclients/package-core/testing';

/** Bodies above this are refused with 413 (a fake keeps everything in memory). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** Read a request's body, bounded. (Events, not `for await`: the async iterator costs a few ticks per request.) */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError(`request body over ${limit} bytes`));
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** The WHATWG Request for an incoming message whose body was read. */
export function toRequest(req: IncomingMessage, body: Uint8Array, origin: string): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    } catch {
      // A header the Fetch API refuses (a malformed name) cannot matter to a fake.
    }
  }
  // Every body is attached, not streamed: the fake reads attached bytes first (a GET cannot carry them otherwise),
  // and a WHATWG body stream per request would cost more than the fake's own work.
  const method = (req.method ?? 'GET').toUpperCase();
  return attachRequestBody(new Request(new URL(req.url ?? '/', origin), { method, headers }), body);
}

/** Write a fake's Response; a `Response.error()` drops the connection instead. */
export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  if (response.type === 'error') {
    res.socket?.destroy();
    return;
  }
  const text = answerText(response);
  const payload = text !== undefined ? Buffer.from(text) : Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === 'set-cookie') headers[key] = response.headers.getSetCookie();
    else headers[key] = value;
  });
  headers['content-length'] = String(payload.byteLength);
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(payload);
}

/** A JSON answer from the server itself (control routes, 413, 500). */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
