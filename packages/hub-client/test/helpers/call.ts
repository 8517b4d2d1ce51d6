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

/** Run `operationId` with flat params (path params included) the way a user would write the call. */
export function callOperation(
  hub: HubClient,
  operationId: string,
  params: Record<string, unknown>,
  options?: RequestOptions,
): Promise<unknown> {
  const m = methodOf.get(operationId);
  if (!m) throw new Error(`unknown operation ${operationId}`);
  const methods = (hub as unknown as Record<string, Record<string, AnyFn>>)[m.accessor]!;
  const { id, ...rest } = params;
  switch (operationId) {
    case 'deployProject':
      return methods.deploy!(id, rest, options);
    case 'undeployProject':
      return methods.undeploy!(id, options);
    case 'getProjectLogs':
      return methods.logs!(id, options);
  }
  if ((m.method === 'get' || m.method === 'update' || m.method === 'delete') && m.pathParams.includes('id')) {
    return methods[m.method]!(id, rest, options);
  }
  return methods[m.method]!(params, options);
}
