/**
 * `createClient`: a client built at run time from a resource table, for a spec without generated classes (tools,
 * tests, a quick look at a new service). A service package uses its generated client class instead
 * (`class HubClient extends GeneratedHubClient`); both run on the same `BaseClient`.
 */

import { buildResources } from '../resource/build.js';
import type { OperationTable, ResourceTable } from '../resource/table.js';
import type { EnvelopeSpec, ResourcesOf } from '../resource/types.js';
import { BaseClient } from './base-client.js';
import type { ClientOptions } from './options.js';

/** `createClient` options: the client options plus the generated tables. */
export interface CreateClientOptions<T extends ResourceTable = {}, E extends EnvelopeSpec = undefined>
  extends ClientOptions {
  /** Generated `resources`: builds `client.<accessor>.<operation>()`. @default {} */
  resources?: T;
  /** Generated `envelope`: the field of successful bodies that holds the payload. @default undefined (no unwrap) */
  envelope?: E;
}

/** A client made from a table: the `BaseClient` plus one accessor per resource. */
export type Client<
  Paths extends {},
  T extends ResourceTable = {},
  E extends EnvelopeSpec = undefined,
> = TableClient & ResourcesOf<Paths, T, E>;

/** The class behind `createClient`. */
export class TableClient extends BaseClient<CreateClientOptions<ResourceTable, EnvelopeSpec>> {
  #operations: OperationTable | undefined;

  /** Use `createClient(options)`, which types the resources from the table. */
  constructor(options: CreateClientOptions<ResourceTable, EnvelopeSpec>) {
    super(options);
    Object.assign(this, buildResources(this, options.resources ?? {}));
    const table: Record<string, OperationTable[string]> = {};
    for (const r of Object.values(options.resources ?? {})) {
      for (const op of Object.values(r.operations)) table[op.operationId] = op;
    }
    this.#operations = table;
  }

  protected override extraOperations(): OperationTable | undefined {
    return this.#operations;
  }
}

/**
 * Build a client. `Paths` is openapi-typescript's `paths`; the table and envelope come from codegen.
 *
 * @example
 * ```ts
 * import { createClient, headerToken } from '@mlclients/package-core';
 * import { envelope, resources, type paths } from './generated/index.js';
 *
 * const client = createClient<paths, typeof resources, typeof envelope>({
 *   baseUrl: 'https://api.example.com/v1',
 *   auth: headerToken(process.env.EXAMPLE_TOKEN ?? ''),
 *   resources,
 *   envelope,
 *   // zod and the schemas load on the first validated call, not at import
 *   operationSchemas: () => import('./generated/zod.js').then((m) => m.operationSchemas),
 * });
 * const page = await client.widgets.list({ limit: 10 });
 * for await (const w of client.widgets.iterate()) console.log(w.name);
 * ```
 */
export function createClient<
  Paths extends {},
  const T extends ResourceTable = {},
  const E extends EnvelopeSpec = undefined,
>(options: CreateClientOptions<T, E>): Client<Paths, T, E> {
  return new TableClient(options) as Client<Paths, T, E>;
}
