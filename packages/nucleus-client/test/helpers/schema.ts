/**
 * What the tests need of a generated schema and of a resource-table entry, structurally, so they hold whichever zod
 * flavour (classic or mini) and whichever operation entry shape codegen emits.
 */
export interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: Issue[][];
}

export interface Schema {
  parse(value: unknown): unknown;
  safeParse(value: unknown): { success: boolean; error?: { issues: readonly unknown[] } };
}

export interface OperationParts {
  path?: Schema;
  query?: Schema;
  body?: Schema;
  response?: Schema;
}

export interface OperationLike {
  operationId: string;
  method: string;
  path: string;
  pathParams: readonly string[];
  queryParams: readonly string[];
  body: boolean;
  bodyRequired: boolean;
  idempotent: boolean;
  pagination?: Readonly<Record<string, unknown>>;
}
