/**
 * A client over a scripted fetch (no sockets, no MSW): what each attempt sent, and the answer the test scripts for
 * it. For the BaseClient behaviour tests, which must stay quick (the mutation area runs them for every mutant).
 */
import { BaseClient, type ClientOptions } from '../../src/index.js';
import type { OperationEntry } from '../../src/resource/table.js';

export const BASE = 'https://api.test.local/v1';

/** One attempt as the server saw it. */
export interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal | undefined;
}

export type Answer = (sent: Sent, index: number) => Response | Promise<Response>;

/** A fetch that records every attempt and answers with `answer` (default: `{}` as JSON). */
export function scriptedFetch(answer: Answer = () => Response.json({})) {
  const sent: Sent[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const body =
      init.body === undefined || init.body === null
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : await new Response(init.body).text();
    const attempt: Sent = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body,
      signal: init.signal ?? undefined,
    };
    sent.push(attempt);
    return answer(attempt, sent.length - 1);
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

/** An operation table entry: a JSON GET of `/things` unless overridden. */
export function op(entry: Partial<OperationEntry> & { operationId: string }): OperationEntry {
  return {
    method: 'get',
    path: '/things',
    pathParams: [],
    queryParams: [],
    body: false,
    bodyRequired: false,
    responseType: 'json',
    idempotent: true,
    ...entry,
  };
}

/** A plain client class (no generated tables, no service config). */
export class PlainClient extends BaseClient {}

/** A plain client on `BASE` with quick retries, over `fetch`. */
export function plainClient(fetch: typeof globalThis.fetch, options: Partial<ClientOptions> = {}) {
  return new PlainClient({
    baseUrl: BASE,
    fetch,
    initialRetryDelay: 1,
    maxRetryDelay: 1,
    retryJitter: 0,
    logLevel: 'off',
    ...options,
  });
}

/** The error a promise rejects with. */
export function failure(p: PromiseLike<unknown>): Promise<Error> {
  return Promise.resolve(p).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: Error) => e,
  );
}
