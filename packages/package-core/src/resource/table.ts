/**
 * The shape of codegen's `resources` table (openapi/README.md), declared structurally so the generated `as const`
 * objects fit without importing anything from this package.
 */

/** `x-pagination`, passed through from the spec. Paths are dot paths into the response body. */
export type PaginationSpec =
  | {
      readonly style: 'offset';
      /** Where limit/offset travel. @default 'query' */
      readonly in?: 'query' | 'body';
      readonly limitParam?: string;
      readonly offsetParam?: string;
      readonly defaultLimit?: number;
      readonly items: string;
      readonly total?: string;
      readonly count?: string;
    }
  | {
      readonly style: 'token';
      readonly in?: 'query' | 'body';
      readonly tokenParam: string;
      readonly limitParam?: string;
      readonly items: string;
      readonly nextToken: string;
    }
  | {
      readonly style: 'next-link';
      readonly items: string;
      readonly next: string;
    };

/** One operation of a resource. */
export interface OperationEntry {
  readonly operationId: string;
  /** Lower-case HTTP method. */
  readonly method: string;
  /** Path template, `{name}` placeholders. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  /** Whether the operation takes a JSON body. */
  readonly body: boolean;
  readonly bodyRequired: boolean;
  /** How the 2xx body is read; `'auto'` (undeclared endpoints): JSON when the response says so, else text. */
  readonly responseType: 'json' | 'text' | 'binary' | 'none' | 'auto';
  /** Safe to retry (HTTP method default or `x-idempotent`). */
  readonly idempotent: boolean;
  readonly deprecated?: boolean;
  readonly pagination?: PaginationSpec;
  /** The spec's per-operation `servers` URLs (informational; the fakes serve them). */
  readonly servers?: readonly string[];
  /** The named server the operation lives on (`x-server-name` of its `servers`): `options.servers[server]`. */
  readonly server?: string;
  /** The operation's other `x-` fields, without the `x-` (`content-encoding`, `path-params-in-body`). */
  readonly extensions?: { readonly [name: string]: unknown };
}

/** Codegen's `operations`: every operation by `operationId`. */
export type OperationTable = { readonly [operationId: string]: OperationEntry };

/** One resource: `client.<accessor>.<operation>()`. */
export interface ResourceEntry {
  readonly name: string;
  readonly accessor: string;
  readonly item?: string | null;
  readonly deprecated?: boolean;
  readonly operations: { readonly [operation: string]: OperationEntry };
}

/** Codegen's `resources`. */
export type ResourceTable = { readonly [name: string]: ResourceEntry };
