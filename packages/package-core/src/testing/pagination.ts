/**
 * Pagination for fakes, in the three styles the services use (offset with a total; opaque page tokens;
 * `next_page` links): pure helpers that cut one page ({@link offsetPage}, {@link tokenPage}, {@link nextLinkPage}),
 * which the fake engine's handlers use, and MSW list handlers built on them.
 */
import { type HttpHandler, HttpResponse, http } from 'msw';
import { type FaultPlan, withFaults } from './faults.js';
import { readJsonBody } from './request-body.js';

/** The HTTP methods a list handler can answer (MSW's `http.get`, `http.post`...). */
export type ListHandlerMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Options every list handler takes. */
export interface ListHandlerCommon {
  /** Inject faults into this list's responses (see `withFaults`). */
  faults?: FaultPlan;
}

function maybeFaulty<Info extends { request: Request }, R>(
  resolver: (info: Info) => R,
  plan: FaultPlan | undefined,
) {
  return plan ? withFaults(resolver, plan) : resolver;
}

/** Every item of a list, for this request and its params (query or JSON body); the handler cuts the page. */
export type ItemsSource<T> = (request: Request, params: Record<string, unknown>) => T[] | Promise<T[]>;

async function requestParams(request: Request, where: 'query' | 'body'): Promise<Record<string, unknown>> {
  if (where === 'body') return (await readJsonBody(request)) ?? {};
  return Object.fromEntries(new URL(request.url).searchParams);
}

/** An integer parameter (number or numeric string), or the fallback. */
export function intParam(v: unknown, fallback: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}
const int = intParam;

/** One offset/limit page: the slice plus what `meta.pagination` reports (`count` = items on this page). */
export function offsetPage<T>(
  all: readonly T[],
  page: { offset: number; limit: number },
): { items: T[]; offset: number; limit: number; count: number; total: number } {
  const items = all.slice(page.offset, page.offset + page.limit);
  return { items, offset: page.offset, limit: page.limit, count: items.length, total: all.length };
}

function encodeToken(offset: number): string {
  return btoa(String(offset)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}
function decodeToken(token: string): number {
  try {
    const n = Number(atob(token.replace(/-/g, '+').replace(/_/g, '/')));
    return Number.isInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

/** One page of a page-token list. Tokens are opaque (base64url of the next offset); null when there is no next page. */
export function tokenPage<T>(
  all: readonly T[],
  page: { token?: string | null; limit: number },
): { items: T[]; nextToken: string | null } {
  const offset = page.token ? decodeToken(page.token) : 0;
  const items = all.slice(offset, offset + page.limit);
  return { items, nextToken: offset + page.limit < all.length ? encodeToken(offset + page.limit) : null };
}

/** One page of a next-link list: `next` is the absolute URL of the next page (a `cursor` query parameter). */
export function nextLinkPage<T>(
  all: readonly T[],
  url: URL,
  options: { pageSizeParam?: string; defaultLimit?: number } = {},
): { items: T[]; next: string | null } {
  const sizeParam = options.pageSizeParam ?? 'page_size';
  const limit = int(url.searchParams.get(sizeParam), options.defaultLimit ?? 50);
  const offset = Math.max(0, int(url.searchParams.get('cursor'), 0));
  const items = all.slice(offset, offset + limit);
  if (offset + limit >= all.length) return { items, next: null };
  const next = new URL(url);
  next.searchParams.set('cursor', String(offset + limit));
  next.searchParams.set(sizeParam, String(limit));
  return { items, next: next.toString() };
}

/** Options of {@link offsetListHandler}. */
export interface OffsetListOptions<T> extends ListHandlerCommon {
  /** The whole list the page is cut from. */
  items: ItemsSource<T>;
  /** Where limit/offset arrive. @default 'query' */
  in?: 'query' | 'body';
  /** @default 'limit' */
  limitParam?: string;
  /** @default 'offset' */
  offsetParam?: string;
  /** @default 50 */
  defaultLimit?: number;
  /** Largest page served whatever the client asks (servers cap page sizes). @default Infinity */
  maxLimit?: number;
  /** Response body for a slice. @default `{ data, meta: { total, count } }` */
  body?: (slice: T[], page: { offset: number; limit: number; total: number }) => unknown;
}

/** An offset/limit list with a total. */
export function offsetListHandler<T>(
  method: ListHandlerMethod,
  url: string,
  o: OffsetListOptions<T>,
): HttpHandler {
  return http[method](
    url,
    maybeFaulty(async ({ request }: { request: Request }) => {
      const params = await requestParams(request, o.in ?? 'query');
      const all = await o.items(request, params);
      const limit = Math.min(
        int(params[o.limitParam ?? 'limit'], o.defaultLimit ?? 50),
        o.maxLimit ?? Infinity,
      );
      const offset = int(params[o.offsetParam ?? 'offset'], 0);
      const page = offsetPage(all, { offset, limit });
      return HttpResponse.json(
        (o.body ?? ((d, p) => ({ data: d, meta: { total: p.total, count: d.length } })))(
          page.items,
          page,
        ) as never,
      );
    }, o.faults),
  );
}

/** Options of {@link tokenListHandler}. */
export interface TokenListOptions<T> extends ListHandlerCommon {
  /** The whole list the page is cut from. */
  items: ItemsSource<T>;
  /** @default 'body' */
  in?: 'query' | 'body';
  /** @default 'pageToken' */
  tokenParam?: string;
  /** @default 'pageSize' */
  limitParam?: string;
  /** @default 50 */
  defaultLimit?: number;
  /** @default `{ items, nextPageToken }` */
  body?: (slice: T[], nextPageToken: string | null) => unknown;
}

/** A page-token list. Tokens are opaque (base64 of the next offset). */
export function tokenListHandler<T>(
  method: ListHandlerMethod,
  url: string,
  o: TokenListOptions<T>,
): HttpHandler {
  return http[method](
    url,
    maybeFaulty(async ({ request }: { request: Request }) => {
      const params = await requestParams(request, o.in ?? 'body');
      const all = await o.items(request, params);
      const token = params[o.tokenParam ?? 'pageToken'];
      const page = tokenPage(all, {
        token: typeof token === 'string' ? token : null,
        limit: int(params[o.limitParam ?? 'pageSize'], o.defaultLimit ?? 50),
      });
      return HttpResponse.json(
        (o.body ?? ((d, n) => ({ items: d, nextPageToken: n })))(page.items, page.nextToken) as never,
      );
    }, o.faults),
  );
}

/** Options of {@link nextLinkListHandler}. */
export interface NextLinkListOptions<T> extends ListHandlerCommon {
  /** The whole list the page is cut from. */
  items: ItemsSource<T>;
  /** @default 'page_size' */
  pageSizeParam?: string;
  /** @default 50 */
  defaultLimit?: number;
  /** @default `{ items, next_page }` */
  body?: (slice: T[], nextPage: string | null) => unknown;
}

/** A next-link list: `next_page` is the absolute URL of the next page (with a `cursor` query parameter). */
export function nextLinkListHandler<T>(url: string, o: NextLinkListOptions<T>): HttpHandler {
  return http.get(
    url,
    maybeFaulty(async ({ request }: { request: Request }) => {
      const u = new URL(request.url);
      const all = await o.items(request, Object.fromEntries(u.searchParams));
      const page = nextLinkPage(all, u, {
        ...(o.pageSizeParam ? { pageSizeParam: o.pageSizeParam } : {}),
        ...(o.defaultLimit ? { defaultLimit: o.defaultLimit } : {}),
      });
      return HttpResponse.json(
        (o.body ?? ((d, n) => ({ items: d, next_page: n })))(page.items, page.next) as never,
      );
    }, o.faults),
  );
}
