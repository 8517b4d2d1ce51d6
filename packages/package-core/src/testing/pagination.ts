/**
 * Pagination for fakes: MSW handlers that serve a list in each of the three styles, behaving like the real
 * services (offset with a total; page tokens; `next_page` links).
 */
import { type HttpHandler, HttpResponse, http } from 'msw';
import { type FaultPlan, withFaults } from './faults.js';
import { readJsonBody } from './request-body.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
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

type ItemsSource<T> = (request: Request, params: Record<string, unknown>) => T[] | Promise<T[]>;

async function requestParams(request: Request, where: 'query' | 'body'): Promise<Record<string, unknown>> {
  if (where === 'body') return (await readJsonBody(request)) ?? {};
  return Object.fromEntries(new URL(request.url).searchParams);
}

function int(v: unknown, fallback: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

/** Options of {@link offsetListHandler}. */
export interface OffsetListOptions<T> extends ListHandlerCommon {
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
export function offsetListHandler<T>(method: Method, url: string, o: OffsetListOptions<T>): HttpHandler {
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
      const slice = all.slice(offset, offset + limit);
      const page = { offset, limit, total: all.length };
      return HttpResponse.json(
        (o.body ?? ((d, p) => ({ data: d, meta: { total: p.total, count: d.length } })))(
          slice,
          page,
        ) as never,
      );
    }, o.faults),
  );
}

/** Options of {@link tokenListHandler}. */
export interface TokenListOptions<T> extends ListHandlerCommon {
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
export function tokenListHandler<T>(method: Method, url: string, o: TokenListOptions<T>): HttpHandler {
  return http[method](
    url,
    maybeFaulty(async ({ request }: { request: Request }) => {
      const params = await requestParams(request, o.in ?? 'body');
      const all = await o.items(request, params);
      const token = params[o.tokenParam ?? 'pageToken'];
      const offset =
        typeof token === 'string' && token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
      const limit = int(params[o.limitParam ?? 'pageSize'], o.defaultLimit ?? 50);
      const slice = all.slice(offset, offset + limit);
      const next =
        offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
      return HttpResponse.json(
        (o.body ?? ((d, n) => ({ items: d, nextPageToken: n })))(slice, next) as never,
      );
    }, o.faults),
  );
}

/** Options of {@link nextLinkListHandler}. */
export interface NextLinkListOptions<T> extends ListHandlerCommon {
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
      const limit = int(u.searchParams.get(o.pageSizeParam ?? 'page_size'), o.defaultLimit ?? 50);
      const offset = int(u.searchParams.get('cursor'), 0);
      const slice = all.slice(offset, offset + limit);
      let next: string | null = null;
      if (offset + limit < all.length) {
        const nu = new URL(u);
        nu.searchParams.set('cursor', String(offset + limit));
        nu.searchParams.set(o.pageSizeParam ?? 'page_size', String(limit));
        next = nu.toString();
      }
      return HttpResponse.json((o.body ?? ((d, n) => ({ items: d, next_page: n })))(slice, next) as never);
    }, o.faults),
  );
}
