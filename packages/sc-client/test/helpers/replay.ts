/**
 * A fetch that answers from a recorded cassette: each request gets the first not yet used exchange with the same
 * method and URL; anything not recorded gets a 404 (so a client that asks for something the real client did not is
 * visible). Every request is kept for assertions. The cookie `Expires` dates of 2022 are moved to 2099, or a cookie
 * jar living in the present would drop the recorded cookies as expired; nothing else is changed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { CASSETTE_DIR } from './cassettes.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string | Uint8Array | undefined;
}

interface RawInteraction {
  request: { method: string; uri: string; body: string | Uint8Array | null };
  response: {
    status: { code: number };
    headers?: Record<string, string[]>;
    body: { string: string | Uint8Array };
  };
}

export interface Replay {
  fetch: typeof fetch;
  seen: SeenRequest[];
  /** Exchanges never asked for, as `METHOD url`. */
  unused(): string[];
  interactions: RawInteraction[];
}

export function replayFetch(...cassettes: string[]): Replay {
  const interactions = cassettes.flatMap(
    (name) =>
      (
        parse(readFileSync(resolve(CASSETTE_DIR, name), 'utf8'), { schema: 'yaml-1.1' }) as {
          interactions: RawInteraction[];
        }
      ).interactions,
  );
  const used = new Set<number>();
  const seen: SeenRequest[] = [];
  const impl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input as RequestInfo, init);
    const buf =
      req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(await req.arrayBuffer());
    const text = buf ? new TextDecoder().decode(buf) : undefined;
    const isText = buf !== undefined && !/multipart/i.test(req.headers.get('content-type') ?? '');
    seen.push({ method: req.method, url: req.url, headers: req.headers, body: isText ? text : buf });
    // A trailing slash is not a difference (the recordings list projects at `projects/`); an upload is matched by its
    // file name too, so concurrent uploads get the ids recorded for their files.
    const norm = (u: string) => new URL(u).href.replace(/\/(\?|$)/, '$1');
    const fileName = buf
      ? /filename="([^"]+)"/.exec(new TextDecoder('latin1').decode(buf.slice(0, 400)))?.[1]
      : undefined;
    const i = interactions.findIndex((x, n) => {
      if (
        used.has(n) ||
        x.request.method.toUpperCase() !== req.method ||
        norm(x.request.uri) !== norm(req.url)
      )
        return false;
      if (!fileName) return true;
      const recorded = x.request.body;
      const head =
        typeof recorded === 'string'
          ? recorded.slice(0, 400)
          : recorded
            ? new TextDecoder('latin1').decode(recorded.slice(0, 400))
            : '';
      return head.includes(`filename="${fileName}"`);
    });
    if (i < 0)
      return Response.json(
        { error_code: 'not_recorded', http_status: 404, message: `${req.method} ${req.url}` },
        { status: 404 },
      );
    used.add(i);
    const r = (interactions[i] as RawInteraction).response;
    const headers = new Headers();
    for (const [name, values] of Object.entries(r.headers ?? {})) {
      if (/^(content-length|transfer-encoding|content-encoding)$/i.test(name)) continue;
      for (const v of values)
        headers.append(
          name,
          name.toLowerCase() === 'set-cookie'
            ? v.replace(/Expires=[^;]*2022 [^;]*GMT/, 'Expires=Wed, 13 Apr 2099 12:12:17 GMT')
            : v,
        );
    }
    const status = r.status.code;
    const body = status === 204 || status === 304 ? null : r.body.string;
    return new Response(body as BodyInit | null, { status, headers });
  };
  return {
    fetch: impl as typeof fetch,
    seen,
    interactions,
    unused: () =>
      interactions.filter((_, n) => !used.has(n)).map((x) => `${x.request.method} ${x.request.uri}`),
  };
}
