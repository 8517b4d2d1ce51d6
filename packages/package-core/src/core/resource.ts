/**
 * `APIResource`: the base of every resource class (`hub.trials`, `nucleus.datasets`). Generated resource classes
 * extend it with one thin method per operation; a service's hand-written subclasses add special methods on top.
 * The protected helpers run an operation of the generated table through the client (params split into path, query
 * and body by the table entry; validation, auth, middleware, retries and the error taxonomy all apply).
 */

import type { IterateOptions, PageIterable } from '../pagination/iterate.js';
import type { OperationEntry } from '../resource/table.js';
import type { APIPromise } from './api-promise.js';
import type { BaseClient } from './base-client.js';
import type { RequestOptions } from './options.js';
import type { PagePromise } from './page-promise.js';

/** Flat params of one call: path, query and body fields together, wire names unchanged. */
export type Params = Readonly<Record<string, unknown>> | undefined;

/** Base of every generated resource class (`client.trials`, `client.datasets`...): its calls go through the client. */
export abstract class APIResource {
  /**
   * The client this resource belongs to (its options, auth, logger). A service's resource subclass that needs its own
   * client type narrows it without a cast: `protected declare readonly _client: HubClient;` (resources are only ever
   * built by their client's field initialisers, so the narrower type holds).
   */
  protected readonly _client: BaseClient<object>;

  /** Made by the client (`client.trials` and the like); users do not construct resources. */
  constructor(client: BaseClient<object>) {
    this._client = client;
  }

  /** Run one operation; resolves to its data (the envelope unwrapped). */
  protected _request<T>(op: OperationEntry, params?: Params, options?: RequestOptions): APIPromise<T> {
    return this._client.request(op, params, options) as APIPromise<T>;
  }

  /** Run an operation of the client's spec by `operationId` (hand-written methods for operations of no resource). */
  protected _call<T>(operationId: string, params?: Params, options?: RequestOptions): APIPromise<T> {
    return this._client.call(operationId, params, options) as APIPromise<T>;
  }

  /** One page of a paginated operation; also iterable with `for await`. */
  protected _list<Item, B = unknown>(
    op: OperationEntry,
    params?: Params,
    options?: RequestOptions,
  ): PagePromise<Item, B> {
    return this._client.list<Item, B>(op, params, options);
  }

  /** Every item of a paginated operation (prefetch, concurrent offset pages). */
  protected _iterate<Item, B = unknown>(
    op: OperationEntry,
    params?: Params,
    options?: RequestOptions & IterateOptions,
  ): PageIterable<Item, B> {
    return this._client.iterate<Item, B>(op, params, options);
  }

  /** Warn once per client that this resource is deprecated by the API (generated on its methods). */
  protected _warnDeprecated(accessor: string): void {
    this._client.warnOnce(
      `resource:${accessor}`,
      `\`${accessor}\` is deprecated by the API and may be removed`,
    );
  }

  /** `params` with the id (the last path parameter, passed first by convention) set under its wire name. */
  protected _withId(name: string, id: unknown, params: Params): Record<string, unknown> {
    return params ? { ...params, [name]: id } : { [name]: id };
  }
}
