/**
 * Types of the resource methods, computed from the generated resource table and openapi-typescript's `paths`: wrong
 * params fail to compile, results are typed from the spec's 2xx response.
 */

import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import type { PagePromise } from '../core/page-promise.js';
import type { IterateOptions, PageIterable } from '../pagination/iterate.js';
import type { OperationEntry, ResourceEntry, ResourceTable } from './table.js';

/** Flatten an intersection for readable hovers; a union (a body of one of several shapes) stays a union. */
export type Simplify<T> = T extends unknown ? { [K in keyof T]: T[K] } & {} : never;

/** `Omit` applied to each member of a union, so a `oneOf` body keeps each of its shapes (plain `Omit` keeps only the keys they share). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A parameter group made usable: `{}` when the operation has none (`never`/undefined), else the group itself. */
export type Clean<T> = [NonNullable<T>] extends [never] ? {} : NonNullable<T>;

/** openapi-typescript's operation object for a table entry. */
export type OperationOf<Paths, Op extends OperationEntry> = Op['path'] extends keyof Paths
  ? Op['method'] extends keyof Paths[Op['path']]
    ? NonNullable<Paths[Op['path']][Op['method']]>
    : unknown
  : unknown;

/** Path parameters of an operation. */
export type PathParamsOf<O> = O extends { parameters: { path?: infer P } } ? Clean<P> : {};
/** Query parameters of an operation. */
export type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? Clean<Q> : {};
/** The JSON request body, or never. */
export type BodyOf<O> = O extends { requestBody?: infer RB }
  ? NonNullable<RB> extends { content: { 'application/json': infer B } }
    ? B
    : never
  : never;
/**
 * What an operation's JSON body adds to its flat params: the body's fields when it is an object (all optional when the
 * body itself is), nothing for an array, a primitive or no body.
 */
export type BodyFields<O> = [BodyOf<O>] extends [never]
  ? {}
  : BodyOf<O> extends readonly unknown[]
    ? {}
    : BodyOf<O> extends object
      ? IsEmptyObject<BodyOf<O>> extends true
        ? {}
        : O extends { requestBody: unknown }
          ? BodyOf<O>
          : Partial<BodyOf<O>>
      : {};

/**
 * `true` for an object type with no field but a `never` index signature: openapi-typescript's `Record<string, never>`
 * for `{ type: object }` with no properties. As body fields it adds none (intersected with the path params, its
 * index signature would make every param `never`); the runtime still sends `{}` when the body is required.
 */
export type IsEmptyObject<B> = string extends keyof B ? ([B[keyof B]] extends [never] ? true : false) : false;

/** One flat params object: path params, query params and (object) body fields, wire names unchanged. */
export type ParamsOf<O> = Simplify<PathParamsOf<O> & QueryOf<O> & BodyFields<O>>;

/** The statuses whose response is an operation's result. */
export type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206 | '2XX';
/** An operation's 2xx response object (openapi-typescript's `{ headers, content }`). */
export type SuccessResponse<O> = O extends { responses: infer R }
  ? R[Extract<keyof R, SuccessStatus>]
  : unknown;
/** The media types the runtime parses as JSON (`application/json`, `application/<x>+json`, with parameters). */
export type JsonMediaType =
  | 'application/json'
  | `application/json;${string}`
  | `application/${string}+json`
  | `application/${string}+json;${string}`;

/**
 * The body of a response object as the runtime hands it over (base-client's `responseType`): the JSON type when a
 * JSON media type is listed; else a `string` for `text/*`, an `ArrayBuffer` for anything else (zip, octet-stream,
 * images); `undefined` when the response has no body.
 */
export type ContentOf<R> = R extends { content: infer C }
  ? [Extract<keyof C, JsonMediaType>] extends [never]
    ? [Exclude<keyof C, `text/${string}`>] extends [never]
      ? string
      : [Extract<keyof C, `text/${string}`>] extends [never]
        ? ArrayBuffer
        : string | ArrayBuffer
    : C[Extract<keyof C, JsonMediaType>]
  : undefined;

/** The 2xx body as received (envelope included). */
export type RawResponseOf<O> = ContentOf<SuccessResponse<O>>;

/** The envelope option: `{ data: 'data' }` or undefined. */
export type EnvelopeSpec = { readonly data: string } | undefined;

/** The 2xx body after unwrapping the service's envelope. */
export type ResponseOf<O, E extends EnvelopeSpec> = E extends { readonly data: infer K extends string }
  ? RawResponseOf<O> extends { [P in K]: infer X }
    ? X
    : RawResponseOf<O>
  : RawResponseOf<O>;

/** Read a dot path type. */
export type GetPath<T, P extends string> = P extends `${infer H}.${infer R}`
  ? H extends keyof NonNullable<T>
    ? GetPath<NonNullable<T>[H], R>
    : unknown
  : P extends keyof NonNullable<T>
    ? NonNullable<T>[P]
    : unknown;

/** The item type of a paginated list operation. */
export type ItemOf<O, Op extends OperationEntry> = Op['pagination'] extends {
  readonly items: infer P extends string;
}
  ? NonNullable<GetPath<RawResponseOf<O>, P>> extends readonly (infer I)[]
    ? I
    : unknown
  : unknown;

/** The name of an operation's last path parameter (its method's first argument), or never. */
export type LastPathParam<Op extends OperationEntry> = Op['pathParams'] extends readonly [
  ...unknown[],
  infer L extends string,
]
  ? L
  : never;

/** `[params?, options?]` when every param is optional, `[params, options?]` otherwise. */
export type ParamArgs<P, Opt = RequestOptions> = {} extends P
  ? [params?: P, options?: Opt]
  : [params: P, options?: Opt];

/** The type of an operation's last path parameter (what its method takes first). */
export type IdOf<O, Name> = Name extends keyof PathParamsOf<O> ? PathParamsOf<O>[Name] : string | number;

/** The signature of a method that takes its last path parameter first, then the other params and the options. */
export type IdArgs<O, Op extends OperationEntry, R> = (
  id: IdOf<O, LastPathParam<Op>>,
  ...args: ParamArgs<Simplify<DistributiveOmit<ParamsOf<O>, LastPathParam<Op>>>>
) => R;

/**
 * The method built for one operation: `list` (paginated) returns a `PagePromise`; an operation with path
 * parameters takes the last one first; every call returns an `APIPromise`.
 */
export type MethodOf<Paths, Op extends OperationEntry, Name, E extends EnvelopeSpec> = Name extends 'list'
  ? Op['pagination'] extends object
    ? (
        ...args: ParamArgs<ParamsOf<OperationOf<Paths, Op>>>
      ) => PagePromise<ItemOf<OperationOf<Paths, Op>, Op>, RawResponseOf<OperationOf<Paths, Op>>>
    : PlainMethod<Paths, Op, E>
  : PlainMethod<Paths, Op, E>;

/** A method that is not a paginated `list`: `(id, params?, options?)` with path parameters, else `(params?, options?)`. */
export type PlainMethod<Paths, Op extends OperationEntry, E extends EnvelopeSpec> = [
  LastPathParam<Op>,
] extends [never]
  ? (
      ...args: ParamArgs<ParamsOf<OperationOf<Paths, Op>>>
    ) => APIPromise<ResponseOf<OperationOf<Paths, Op>, E>>
  : IdArgs<OperationOf<Paths, Op>, Op, APIPromise<ResponseOf<OperationOf<Paths, Op>, E>>>;

/** `iterate()` on resources whose `list` paginates. */
export type IterateMethodOf<Paths, R extends ResourceEntry> = R['operations'] extends {
  readonly list: infer L extends OperationEntry;
}
  ? L['pagination'] extends object
    ? {
        /** Every item of the list, page after page (see `iteratePages`). */
        iterate(
          ...args: ParamArgs<ParamsOf<OperationOf<Paths, L>>, RequestOptions & IterateOptions>
        ): PageIterable<ItemOf<OperationOf<Paths, L>, L>, RawResponseOf<OperationOf<Paths, L>>>;
      }
    : {}
  : {};

/** The methods of one resource. */
export type ResourceMethods<Paths, R extends ResourceEntry, E extends EnvelopeSpec> = {
  [K in keyof R['operations']]: MethodOf<Paths, R['operations'][K], K, E>;
} & IterateMethodOf<Paths, R>;

/** `client.<accessor>` for every resource of a table. */
export type ResourcesOf<Paths, T extends ResourceTable, E extends EnvelopeSpec> = {
  readonly [K in keyof T as T[K]['accessor']]: ResourceMethods<Paths, T[K], E>;
};
