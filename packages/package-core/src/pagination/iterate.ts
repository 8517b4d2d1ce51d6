/**
 * `iterate()`: every item of a list, as an `AsyncIterable` with `.pages()` and `.toArray({ max })`.
 *
 * - The next page is requested while the caller consumes the current one (prefetch).
 * - Offset lists that report a total are fetched up to `concurrency` pages at once (p-limit), and still yielded in
 *   order; at most `2 × concurrency` pages are buffered, so memory does not grow with the list.
 * - Leaving a `for await` early (break, throw) aborts whatever is in flight.
 * - Each page request goes through the retrying fetch, so a transient failure is retried for that page: nothing is
 *   skipped or repeated.
 */
import type pLimitFn from 'p-limit';
import { DEFAULT_PAGE_CONCURRENCY } from '../core/constants.js';
import type { PaginationSpec } from '../resource/table.js';
import type { Page, PageLoader, PageRequest } from './page.js';
import { offsetRequest } from './strategies.js';

/** Options of `iterate()`. */
export interface IterateOptions {
  /** Pages fetched at once for offset lists with a known total. 1 disables concurrency. @default 4 */
  concurrency?: number;
  /** Stops the iteration (the loop then throws `AbortError`). */
  signal?: AbortSignal | undefined;
}

/** What `iterate()` returns. */
export interface PageIterable<T, B = unknown> extends AsyncIterable<T> {
  /** The pages instead of the items. */
  pages(): AsyncIterable<Page<T, B>>;
  /** Collect the items, at most `max` of them (stops fetching once reached). */
  toArray(options?: { max?: number }): Promise<T[]>;
}

const noop = () => {};

/** Build the iterable. Nothing is fetched until it is iterated. */
export function iteratePages<T, B>(
  spec: PaginationSpec,
  loader: PageLoader<T, B>,
  first: PageRequest,
  options: IterateOptions = {},
): PageIterable<T, B> {
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_PAGE_CONCURRENCY);

  async function* pages(): AsyncGenerator<Page<T, B>> {
    const userSignal = options.signal;
    // A signal that fired before the walk began: nothing is requested.
    userSignal?.throwIfAborted();
    let controller = new AbortController();
    const onAbort = () => controller.abort(userSignal?.reason);
    userSignal?.addEventListener('abort', onAbort, { once: true });
    const load = (req: PageRequest) => loader(req, controller.signal);
    try {
      let page = await load(first);

      const total = page.pagination.total;
      const pageSize = page.data.length;
      if (
        spec.style === 'offset' &&
        total !== undefined &&
        page.nextRequest &&
        concurrency > 1 &&
        pageSize > 0
      ) {
        const gate = (await loadPLimit())(concurrency);
        const bufferPages = concurrency * 2;
        const queue: Promise<Page<T, B>>[] = [];
        let nextOffset = (page.pagination.offset ?? 0) + pageSize;
        const fill = () => {
          while (queue.length < bufferPages && nextOffset < total) {
            const req = offsetRequest(spec, page.request, nextOffset, pageSize);
            nextOffset += pageSize;
            // The signal of this plan, taken now: a request still queued in the gate when the plan is dropped (short
            // page) or the walk ends must not start, nor run under the next plan's controller.
            const signal = controller.signal;
            const p = gate(() => (signal.aborted ? Promise.reject(signal.reason) : loader(req, signal)));
            p.catch(noop); // awaited later, or abandoned on early exit
            queue.push(p);
          }
        };
        fill();
        yield page;
        let short = false;
        while (queue.length > 0) {
          page = await (queue.shift() as Promise<Page<T, B>>);
          if (page.data.length === 0) return;
          // A short page before the end (the list shrank, or the server capped the page) means the planned offsets
          // no longer line up: drop the rest of the plan and walk on sequentially from this page.
          short = page.data.length < pageSize && page.nextRequest !== undefined;
          if (!short) fill();
          yield page;
          if (short) break;
        }
        if (!page.nextRequest) return;
        if (short) {
          controller.abort(); // cancel the abandoned plan
          controller = new AbortController();
          if (userSignal?.aborted) controller.abort(userSignal.reason);
        }
        // Continue one page at a time (after a short page, or when the total grew while we iterated).
        page = await load(page.nextRequest);
      }
      yield* sequential(page, load);
    } finally {
      controller.abort();
      userSignal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.data;
    },
    pages,
    async toArray({ max = Number.POSITIVE_INFINITY } = {}) {
      const out: T[] = [];
      if (max <= 0) return out;
      for await (const page of pages()) {
        for (const item of page.data) {
          out.push(item);
          if (out.length >= max) return out;
        }
      }
      return out;
    },
  };
}

/** One page at a time, the next one requested before the current one is handed out. */
async function* sequential<T, B>(
  start: Page<T, B>,
  load: (req: PageRequest) => Promise<Page<T, B>>,
): AsyncGenerator<Page<T, B>> {
  let page = start;
  for (;;) {
    const next = page.nextRequest ? load(page.nextRequest) : undefined;
    next?.catch(noop);
    yield page;
    if (!next) return;
    page = await next;
  }
}

/**
 * p-limit is loaded when a walk first fetches pages concurrently, not at import: every module a client imports at
 * start-up adds to its import cost (bench/import.bench.ts), and this one is needed only mid-iteration.
 */
let pLimitLoading: Promise<typeof pLimitFn> | undefined;
function loadPLimit(): Promise<typeof pLimitFn> {
  pLimitLoading ??= import('p-limit').then((m) => m.default);
  return pLimitLoading;
}
