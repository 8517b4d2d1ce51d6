/**
 * The three pagination styles. A strategy reads a response body into items + the next request; it never fetches.
 *
 * - offset/limit with a total (Hub): next offset = offset + items on this page; stop on `offset >= total` or an
 *   empty page (the seed clients fetched the empty last page; with a total we do not need to).
 * - page token (Nucleus): send the response's `nextPageToken` back (in the POST body); stop when it is empty, or
 *   when it repeats (a server bug would otherwise loop forever, cf. AWS `stopOnSameToken`).
 * - next link (SC): request the URL in `next_page` as is; stop when it is null.
 */
import type { PaginationSpec } from '../resource/table.js';
import type { PageInfo, PageRequest } from './page.js';
import { getPath } from './path.js';

/** A page read from a body. */
export interface ParsedPage {
  items: unknown[];
  meta: unknown;
  info: PageInfo;
  next: PageRequest | undefined;
}

/** Read one body. */
export function parsePage(spec: PaginationSpec, request: PageRequest, body: unknown): ParsedPage {
  const raw = getPath(body, spec.items);
  const items = Array.isArray(raw) ? raw : [];
  const meta = metaOf(body, spec.items);
  switch (spec.style) {
    case 'offset': {
      const offsetParam = spec.offsetParam ?? 'offset';
      const offset = toNumber(request.params[offsetParam]) ?? 0;
      const total = toNumber(getPath(body, spec.total));
      const nextOffset = offset + items.length;
      const done = items.length === 0 || (total !== undefined && nextOffset >= total);
      return {
        items,
        meta,
        info: { style: 'offset', offset, total },
        next: done ? undefined : { params: { ...request.params, [offsetParam]: nextOffset } },
      };
    }
    case 'token': {
      const token = getPath(body, spec.nextToken);
      const current = request.params[spec.tokenParam];
      const next =
        typeof token === 'string' && token !== '' && token !== current
          ? { params: { ...request.params, [spec.tokenParam]: token } }
          : undefined;
      return {
        items,
        meta,
        info: { style: 'token', nextPageToken: next ? (token as string) : undefined },
        next,
      };
    }
    case 'next-link': {
      const link = getPath(body, spec.next);
      const next =
        typeof link === 'string' && link !== '' && link !== request.url
          ? { params: request.params, url: link }
          : undefined;
      return { items, meta, info: { style: 'next-link', nextPageUrl: next?.url }, next };
    }
  }
}

/** The offset/limit request of the page at `offset`, for concurrent offset fetching. */
export function offsetRequest(
  spec: PaginationSpec,
  base: PageRequest,
  offset: number,
  limit: number,
): PageRequest {
  if (spec.style !== 'offset') throw new TypeError('offsetRequest: not an offset pagination');
  return {
    params: { ...base.params, [spec.offsetParam ?? 'offset']: offset, [spec.limitParam ?? 'limit']: limit },
  };
}

function metaOf(body: unknown, itemsPath: string): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if ('meta' in b) return b.meta;
  const top = itemsPath.split('.')[0] as string;
  const { [top]: _items, ...rest } = b;
  return rest;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
