/** Method + path -> operation and its resource, from the generated tables (package-core's router underneath). */

import { operations, resources } from '@mlclients/hub-client';
import { createRouter, type RoutableOperation } from '@mlclients/package-core/testing';

/** An operation found by {@link buildOperationIndex}. */
export interface OperationMatch {
  operationId: string;
  resource: string;
  op: string;
  params: Record<string, string>;
}

/** Method + path -> operation. Literal segments win over `{params}`. */
export function buildOperationIndex(): {
  /** The operation (with its resource and path parameters) a request is for, or undefined. */
  match(method: string, pathname: string): OperationMatch | undefined;
} {
  const owner = new Map<string, { resource: string; op: string }>();
  for (const [resource, def] of Object.entries(resources)) {
    for (const [op, o] of Object.entries(def.operations as Record<string, { operationId: string }>))
      owner.set(o.operationId, { resource, op });
  }
  const router = createRouter(Object.values(operations) as RoutableOperation[]);
  return {
    match(method, pathname) {
      const m = router.match(method, pathname);
      if (!m) return undefined;
      return { ...m, ...(owner.get(m.operationId) ?? { resource: '', op: '' }) };
    },
  };
}
