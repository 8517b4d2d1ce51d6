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

/** An HTML page (what oauth2-proxy and dex answer; the session reads one on an API path as "logged out"). */
export const html = (status = 200) =>
  new Response('<html>login</html>', { status, headers: { 'content-type': 'text/html; charset=utf-8' } });

/**
 * oauth2-proxy + dex in three hops: `/user/login` -> `/dex/auth` (form, csrf cookie `CSRF1`) -> POST -> `/callback`
 * (session cookie `_oauth2_proxy=SESSION<n>` for the n-th login) -> `/`. `accept` decides whether a posted form logs
 * in; a refused one gets the form page again.
 */
export function dexLoginRoutes(accept: (body: string) => boolean = () => true): Routes {
  let logins = 0;
  return {
    'GET /user/login': () =>
      new Response(null, {
        status: 302,
        headers: { location: '/dex/auth', 'set-cookie': '_oauth2_proxy_csrf=CSRF1; Path=/' },
      }),
    'GET /dex/auth': () => html(),
    'POST /dex/auth': async (req) => {
      if (!accept(await req.text())) return html();
      logins++;
      return new Response(null, { status: 303, headers: { location: '/callback' } });
    },
    'GET /callback': () =>
      new Response(null, {
        status: 302,
        headers: { location: '/', 'set-cookie': `_oauth2_proxy=SESSION${logins}; Path=/` },
      }),
    'GET /': () => html(),
  };
}
