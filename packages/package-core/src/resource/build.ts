/**
 * The resource convention: from a resource table, one object per resource with a method per operation.
 * `list(params?)` returns a `Page`; `get(id, params?)`, `update(id, body)`, `delete(id, params?)` take the last path
 * parameter first; `create(body)` and special operations take one flat params object. `iterate(params?)` exists when
 * `list` paginates.
 */
import type { RequestOptions } from '../client/options.js';
import type { IterateOptions } from '../pagination/iterate.js';
import type { OperationEntry, ResourceEntry, ResourceTable } from './table.js';

/** What the builder needs from the client. */
export interface ResourceCore {
  request(
    op: OperationEntry,
    params: Record<string, unknown> | undefined,
    options?: RequestOptions,
  ): Promise<unknown>;
  list(
    op: OperationEntry,
    params: Record<string, unknown> | undefined,
    options?: RequestOptions,
  ): Promise<unknown>;
  iterate(
    op: OperationEntry,
    params: Record<string, unknown> | undefined,
    options?: RequestOptions & IterateOptions,
  ): unknown;
  /** Where the one-time warning about a deprecated resource goes. */
  readonly logger?: { warn(message: string): void };
}

type Params = Record<string, unknown> | undefined;
type AnyMethod = (...args: never[]) => unknown;

/** The methods of one resource. */
export function buildResource(core: ResourceCore, resource: ResourceEntry): Record<string, AnyMethod> {
  const methods: Record<string, AnyMethod> = {};
  for (const [name, op] of Object.entries(resource.operations)) {
    const idParam = op.pathParams[op.pathParams.length - 1];
    if (name === 'list' && op.pagination) {
      methods.list = ((params?: Params, options?: RequestOptions) =>
        core.list(op, params, options)) as AnyMethod;
      methods.iterate = ((params?: Params, options?: RequestOptions & IterateOptions) =>
        core.iterate(op, params, options)) as AnyMethod;
    } else if ((name === 'get' || name === 'update' || name === 'delete') && idParam) {
      methods[name] = ((id: unknown, params?: Params, options?: RequestOptions) =>
        core.request(op, { ...(params ?? {}), [idParam]: id }, options)) as AnyMethod;
    } else {
      methods[name] = ((params?: Params, options?: RequestOptions) =>
        core.request(op, params, options)) as AnyMethod;
    }
  }
  if (resource.deprecated && core.logger) {
    // Warn once per client and resource, on first use, not at construction (most clients never touch it).
    let warned = false;
    const logger = core.logger;
    for (const [name, fn] of Object.entries(methods)) {
      methods[name] = ((...args: never[]) => {
        if (!warned) {
          warned = true;
          logger.warn(`\`${resource.accessor}\` is deprecated by the API and may be removed`);
        }
        return fn(...args);
      }) as AnyMethod;
    }
  }
  return methods;
}

/** Every resource of a table, keyed by accessor. */
export function buildResources(
  core: ResourceCore,
  table: ResourceTable,
): Record<string, Record<string, AnyMethod>> {
  const out: Record<string, Record<string, AnyMethod>> = {};
  for (const resource of Object.values(table)) out[resource.accessor] = buildResource(core, resource);
  return out;
}
