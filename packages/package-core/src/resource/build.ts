/**
 * Resources built at run time from a resource table, for clients made with `createClient` (no generated classes).
 * The convention is the generated classes' one: `list(params?)` returns a `PagePromise` and `iterate(params?)`
 * exists when `list` paginates; an operation with path parameters takes the last one first (`get(id, params?)`,
 * `report(id)`), the rest in the params object; any other operation takes one flat params object.
 */

import type { BaseClient } from '../core/base-client.js';
import type { RequestOptions } from '../core/options.js';
import type { IterateOptions } from '../pagination/iterate.js';
import type { ResourceEntry, ResourceTable } from './table.js';

type Params = Readonly<Record<string, unknown>> | undefined;
/** A resource method built at run time: its real signature is {@link MethodOf}'s, computed from the spec's types. */
export type AnyMethod = (...args: never[]) => unknown;

/** The methods of one resource. */
export function buildResource(
  client: BaseClient<object>,
  resource: ResourceEntry,
): Record<string, AnyMethod> {
  const methods: Record<string, AnyMethod> = {};
  const warn = resource.deprecated
    ? () =>
        client.warnOnce(
          `resource:${resource.name}`,
          `\`${resource.accessor}\` is deprecated by the API and may be removed`,
        )
    : undefined;
  for (const [name, op] of Object.entries(resource.operations)) {
    const idParam = op.pathParams[op.pathParams.length - 1];
    if (name === 'list' && op.pagination) {
      methods.list = ((params?: Params, options?: RequestOptions) => {
        warn?.();
        return client.list(op, params, options);
      }) as AnyMethod;
      methods.iterate = ((params?: Params, options?: RequestOptions & IterateOptions) => {
        warn?.();
        return client.iterate(op, params, options);
      }) as AnyMethod;
    } else if (idParam) {
      methods[name] = ((id: unknown, params?: Params, options?: RequestOptions) => {
        warn?.();
        return client.request(op, { ...(params ?? {}), [idParam]: id }, options);
      }) as AnyMethod;
    } else {
      methods[name] = ((params?: Params, options?: RequestOptions) => {
        warn?.();
        return client.request(op, params, options);
      }) as AnyMethod;
    }
  }
  return methods;
}

/** Every resource of a table, keyed by accessor. */
export function buildResources(
  client: BaseClient<object>,
  table: ResourceTable,
): Record<string, Record<string, AnyMethod>> {
  const out: Record<string, Record<string, AnyMethod>> = {};
  for (const resource of Object.values(table)) out[resource.accessor] = buildResource(client, resource);
  return out;
}
