/**
 * `Page<T>`: one page of a list call. `data` holds the items, `meta` the service's own metadata, `pagination` the
 * normalised position; `hasNextPage()` / `nextPage()` walk on by hand, `iterate()` walks for you.
 */
import { ClientError } from '../core/errors.js';

/** What fetching a page needs: the params to send and, for next-link pages, the absolute URL. */
export interface PageRequest {
  readonly params: Readonly<Record<string, unknown>>;
  readonly url?: string | undefined;
}

/** Where a page sits, whatever the pagination style. */
export interface PageInfo {
  readonly style: 'offset' | 'token' | 'next-link';
  /** Offset of the first item (offset style). */
  readonly offset?: number | undefined;
  /** Total items the server reports (offset style, when known). */
  readonly total?: number | undefined;
  /** The token that fetches the next page (token style). */
  readonly nextPageToken?: string | undefined;
  /** The URL of the next page (next-link style). */
  readonly nextPageUrl?: string | undefined;
}

/** Fetches the page a request describes. */
export type PageLoader<T, B> = (request: PageRequest, signal?: AbortSignal) => Promise<Page<T, B>>;

/** One page of items. */
export class Page<T, B = unknown> {
  /** Pages are made by the runtime (`list()`, `iteratePages()`); the parameters are its fields. */
  constructor(
    /** The items on this page. */
    readonly data: T[],
    /** The raw response body. */
    readonly body: B,
    /** The service's metadata: the body's `meta` when it has one, else the body without its items. */
    readonly meta: unknown,
    /** Normalised position. */
    readonly pagination: PageInfo,
    /** The request that fetched this page. */
    readonly request: PageRequest,
    /** The request for the next page; undefined on the last. */
    readonly nextRequest: PageRequest | undefined,
    private readonly loader: PageLoader<T, B>,
  ) {}

  /** Is there another page after this one? */
  hasNextPage(): boolean {
    return this.nextRequest !== undefined;
  }

  /** Fetch the next page. Throws when there is none. */
  nextPage(options: { signal?: AbortSignal } = {}): Promise<Page<T, B>> {
    if (!this.nextRequest) return Promise.reject(new ClientError('nextPage(): this is the last page'));
    return this.loader(this.nextRequest, options.signal);
  }
}
