/**
 * `APIPromise<T>`: what every call returns. Awaiting it gives the data; `.withResponse()` gives the data with the
 * HTTP response, the request id and the number of attempts. It is a real `Promise` (so `instanceof Promise`,
 * `Promise.all` and `await` behave as usual) whose `then/catch/finally` read the call's result lazily: a caller who
 * only wants `.withResponse()` never creates a second promise that could reject unhandled.
 */

/** What a call gives when you want more than the data. */
export interface CallResult<D = unknown> {
  data: D;
  response: Response;
  /** The service's request id (from the error policy's `requestIdHeaders`), when the response carries one. */
  requestId: string | undefined;
  /** HTTP attempts made (1 = no retry). */
  attempts: number;
  /** Milliseconds spent waiting between attempts. */
  totalRetryDelay: number;
}

/** A call in flight: awaits to its data, `.withResponse()` for the rest. */
export class APIPromise<T> extends Promise<T> {
  #data: Promise<T> | undefined;
  readonly #result: Promise<CallResult<T>>;

  /**
   * Creates an `APIPromise`.
   *
   * @param result The call's outcome: its data, response, request id and attempts.
   */
  constructor(result: Promise<CallResult<T>>) {
    // A no-op executor: `then`, `catch` and `finally` are overridden to read `result` instead.
    super(resolveNull);
    this.#result = result;
  }

  /** The data with the response, the request id and the attempts. */
  withResponse(): Promise<CallResult<T>> {
    return this.#result;
  }

  /** The HTTP response alone (its body has been read already). */
  asResponse(): Promise<Response> {
    return this.#result.then(responseOf);
  }

  #parse(): Promise<T> {
    this.#data ??= this.#result.then(dataOf);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass; `then` reads the call's result lazily
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    // biome-ignore lint/suspicious/noExplicitAny: the same signature as Promise's (callers write `.catch((e) => e)`)
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#parse().then(onfulfilled, onrejected);
  }

  // biome-ignore lint/suspicious/noExplicitAny: the same signature as Promise's
  override catch<R = never>(onrejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#parse().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#parse().finally(onfinally);
  }
}

function resolveNull(resolve: (value: never) => void): void {
  resolve(null as never);
}

function dataOf<T>(r: CallResult<T>): T {
  return r.data;
}

function responseOf(r: CallResult<unknown>): Response {
  return r.response;
}
