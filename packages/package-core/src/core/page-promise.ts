/**
 * `PagePromise`: what `list()` returns. Await it for the first `Page`; iterate it with `for await` for every item of
 * every page (the next page is requested while the current one is consumed; leaving the loop early aborts it).
 * For concurrent page fetching, `iterate()` is the tool.
 */
import type { Page } from '../pagination/page.js';
import { APIPromise, type CallResult } from './api-promise.js';

export class PagePromise<Item, B = unknown> extends APIPromise<Page<Item, B>> implements AsyncIterable<Item> {
  /**
   * Creates a `PagePromise` (the runtime's `list()` does).
   *
   * @param result The call's outcome: the first page, its response, request id and attempts.
   */
  // biome-ignore lint/complexity/noUselessConstructor: narrows the parameter type for readers of the .d.ts
  constructor(result: Promise<CallResult<Page<Item, B>>>) {
    super(result);
  }

  /** `for await (const item of client.x.list())`: every item of this page and the pages after it, in order. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item> {
    const controller = new AbortController();
    try {
      let page: Page<Item, B> = await this;
      for (;;) {
        const next = page.hasNextPage() ? page.nextPage({ signal: controller.signal }) : undefined;
        next?.catch(noop); // awaited below, or abandoned when the caller leaves the loop
        yield* page.data;
        if (!next) return;
        page = await next;
      }
    } finally {
      controller.abort();
    }
  }
}

function noop(): void {}
