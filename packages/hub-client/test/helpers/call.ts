/** Call any operation of the spec through the PUBLIC resource methods of a HubClient, by operationId. */

import type { RequestOptions } from '@mlclients/package-core';
import { resources } from '../../src/generated/index.js';
import type { HubClient } from '../../src/index.js';

type AnyFn = (...args: unknown[]) => Promise<unknown>;

/** operationId -> [resource accessor, method name]. */
export const methodOf: ReadonlyMap<
  string,
  { accessor: string; method: string; pathParams: readonly string[] }
> = new Map(
  Object.values(resources).flatMap((r) =>
    Object.entries(r.operations).map(([method, op]) => [
      op.operationId,
      { accessor: r.accessor, method, pathParams: op.pathParams as readonly string[] },
    ]),
  ),
);

/** Every operationId of the spec. */
export const allOperationIds: string[] = [...methodOf.keys()].sort();

/**
 * Run `operationId` with flat params (path params included) the way a user would write the call: an operation with
 * path parameters takes the last one first (`get(id)`, `deploy(id, params)`, `list(endpointId, params)`).
 */
export function callOperation(
  hub: HubClient,
  operationId: string,
  params: Record<string, unknown>,
  options?: RequestOptions,
): Promise<unknown> {
  const m = methodOf.get(operationId);
  if (!m) throw new Error(`unknown operation ${operationId}`);
  const methods = (hub as unknown as Record<string, Record<string, AnyFn>>)[m.accessor]!;
  const method = methods[m.method]!.bind(methods);
  const idName = m.pathParams.at(-1);
  if (idName === undefined) return method(params, options);
  const { [idName]: id, ...rest } = params;
  return method(id, rest, options);
}
