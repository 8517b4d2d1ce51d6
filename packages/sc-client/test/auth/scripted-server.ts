/**
 * A scripted SC server for the session tests: a fetch answering `METHOD /path` (or `/path` for any method) from a
 * route table, 404 JSON otherwise, that records every request it gets.
 */

/** Route handlers by `METHOD /path` or `/path`. */
export type Routes = Record<string, (req: Request) => Response | Promise<Response>>;

/** A JSON response. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });

/** The fetch, the requests it saw (clones, bodies unread) and their `METHOD /path` list. */
export function scriptedServer(routes: Routes) {
  const seen: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input as RequestInfo, init);
    seen.push(req.clone());
    const { pathname } = new URL(req.url);
    const route = routes[`${req.method} ${pathname}`] ?? routes[pathname];
    return route ? route(req) : json({ message: `no route ${pathname}` }, 404);
  }) as typeof globalThis.fetch;
  return { fetch, seen, paths: () => seen.map((r) => `${r.method} ${new URL(r.url).pathname}`) };
}
