/**
 * The same-origin proxy a browser needs for a service that reads a JSON body on GET (the Auger Hub): the page sends
 * `POST` + `X-HTTP-Method-Override: GET` (package-core's `methodOverrideTransport`), and this proxy forwards it to
 * the service as the GET with its body that the service expects, over `node:http(s)` (fetch cannot send one either).
 * Anything else is forwarded as it came. Served under a path of the page's own origin, it needs no CORS grant.
 *
 * Deliberately small: only GET and HEAD can be asked for (a POST is never turned into a DELETE), the request body is
 * bounded, hop-by-hop headers are dropped, and the answer streams back untouched. Run it standalone with
 * `npm run proxy -w @mlclients/browser-test -- --upstream https://app.auger.ai --port 8787`, or mount the
 * listener under a path of an existing Node server (connect, express, vite: `server.middlewares.use('/hub', ...)`).
 */
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** The header the page sets (package-core's `METHOD_OVERRIDE_HEADER`, lower-cased as Node gives it). */
const OVERRIDE = 'x-http-method-override';
/** The methods the header may ask for: reads only. */
const OVERRIDABLE = new Set(['GET', 'HEAD']);
/** Per-connection headers a proxy must not forward (RFC 9110 §7.6.1), and Host (the upstream's is set anew). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

export interface MethodOverrideProxyOptions {
  /** Where requests go, e.g. `https://app.auger.ai` (a path here is prefixed to every request's path). */
  upstream: string;
  /** Largest request body forwarded; a bigger one gets 413. @default 10 MiB */
  maxBodyBytes?: number;
}

/** A Node request listener: `http.createServer(listener)`, or a middleware mounted under a path. */
export function methodOverrideProxy(options: MethodOverrideProxyOptions): RequestListener {
  const upstream = new URL(options.upstream);
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const basePath = upstream.pathname.replace(/\/$/, '');
  return (req, res) => {
    forward(req, res).catch((error: Error) => answer(res, 502, `upstream: ${error.message}`));
  };

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const asked = headerValue(req.headers[OVERRIDE])?.trim().toUpperCase();
    if (asked !== undefined && (req.method !== 'POST' || !OVERRIDABLE.has(asked))) {
      answer(
        res,
        400,
        `${OVERRIDE}: only a POST may ask for GET or HEAD (got ${req.method} asking for ${asked})`,
      );
      return;
    }
    const body = await readBounded(req, maxBodyBytes);
    if (body === undefined) {
      answer(res, 413, `request body over ${maxBodyBytes} bytes`);
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name) && name !== OVERRIDE) headers[name] = value;
    }
    // Node frames no GET body by itself: without Content-Length neither Rails nor the fakes would read it.
    if (body.byteLength > 0) headers['content-length'] = String(body.byteLength);
    else delete headers['content-length'];
    const target = new URL(`${basePath}${req.url ?? '/'}`, upstream);
    const transport = target.protocol === 'https:' ? https : http;
    await new Promise<void>((resolve, reject) => {
      const outgoing = transport.request(target, { method: asked ?? req.method, headers }, (upstreamRes) => {
        const back: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(upstreamRes.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) back[name] = value;
        }
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, back);
        upstreamRes.pipe(res);
        upstreamRes.on('end', resolve);
        upstreamRes.on('error', reject);
      });
      outgoing.on('error', reject);
      // The page gave up: stop the upstream call too.
      res.on('close', () => {
        if (!res.writableFinished) outgoing.destroy();
      });
      outgoing.end(body);
    });
  }
}

/** Start the proxy on 127.0.0.1 (a free port unless `port`). */
export async function startMethodOverrideProxy(
  options: MethodOverrideProxyOptions & { host?: string; port?: number },
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(methodOverrideProxy(options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The whole body, or undefined once it passes `limit` (the rest is not read). */
async function readBounded(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function answer(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: message }));
}
