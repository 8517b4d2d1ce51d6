/**
 * What every handler file of the fake Hub shares: the store, the options, and the few steps several resources take
 * (create with defaults, move an in-progress object on, start a cluster task, know the caller's project).
 */

import { resources } from '@mlclients/hub-client';
import type { FakeAnswer, FakeCall } from '@mlclients/package-core/testing';
import { TOKEN_FIELDS, withoutTokens } from './answers.js';
import { advancedStatus, defaultsFor, stateMachine } from './defaults.js';
import type { HubObject, HubStore } from './store.js';

/** Options of `createHubFake`. */
export interface HubFakeOptions {
  /** Origin of the Hub the client talks to. @default any origin (`*`) */
  baseUrl?: string;
  /** Origin of the optimizers service. @default any origin (`*`) */
  optimizersUrl?: string;
  /**
   * Tokens the fake accepts (in any of the four body fields). A request with another token, or none, gets 401.
   * Tokens issued by `tokens.create` are added. @default undefined: any non-empty token is accepted
   */
  tokens?: string[];
  /**
   * The project each project token belongs to. The real Hub knows it: a cluster task created without
   * `project_id` answers the token's project, and 400 `request_params` echo it. @default none known
   */
  tokenProjects?: Record<string, string | number>;
  /** Answer 401 to requests that carry no token at all. @default true */
  requireToken?: boolean;
  /** Users for `POST /tokens` (`email` + `password`). @default undefined: any email; the password `wrong` fails */
  users?: { email: string; password: string }[];
  /** Move in-progress states on when an object is read again (see `advancedStatus`). @default true */
  autoAdvance?: boolean;
  /** Objects to start with, per resource (`{ projects: [{ id: 1, name: 'p' }] }`); `object`/`deleted` are filled in. */
  seed?: Partial<Record<string, Record<string, unknown>[]>>;
  /** Check every answer against openapi/hub.yaml. @default 'error' under a test runner, else 'off' */
  conformance?: 'error' | 'warn' | 'off';
}

/** A handler of the fake Hub. */
export type HubHandler = (call: FakeCall, ctx: HubContext) => FakeAnswer;

type ResourceTable = Record<string, { item: string }>;

/** The item class of a resource (`PredictionGroup` for `endpoint_predictions`). */
export function itemOf(resource: string): string | undefined {
  return (resources as ResourceTable)[resource]?.item;
}

/** The `object` name of a resource's items: its item class in snake_case (`PredictionGroup` -> `prediction_group`). */
export function objectName(resource: string): string {
  const item = itemOf(resource);
  return item ? item.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase() : resource.replace(/s$/, '');
}

/** The model name in "Couldn't find X" (the Rails class name). */
export function modelName(resource: string): string {
  return itemOf(resource) ?? resource;
}

export class HubContext {
  /** Objects read once in an in-progress state (`table:id`): the next read moves them on. */
  private readonly seen = new Set<string>();
  readonly acceptedTokens: Set<string> | undefined;

  constructor(
    readonly store: HubStore,
    readonly options: HubFakeOptions,
  ) {
    this.acceptedTokens = options.tokens ? new Set(options.tokens) : undefined;
  }

  /** Create and store an object with the server's defaults; `extra` overrides the body. */
  create(resource: string, body: Record<string, unknown>, extra: Record<string, unknown> = {}): HubObject {
    const fields = withoutTokens(body);
    const id = this.store.normalizeId(
      resource,
      (fields.id as string | number | undefined) ?? this.store.nextId(resource),
    );
    this.store.insert(resource, {
      object: objectName(resource),
      deleted: false,
      ...defaultsFor(resource, fields, id),
      ...fields,
      ...extra,
      id,
    });
    // As answered: with the parents the server derives.
    return this.store.get(resource, id)!;
  }

  /** The object as a read sees it, after moving it on one step (unless `autoAdvance: false`). */
  advance(resource: string, obj: HubObject): HubObject {
    if (this.options.autoAdvance === false) return obj;
    const table = this.store.tableName(resource);
    const next = advancedStatus(table, obj.status);
    if (!next) return obj;
    const key = `${table}:${String(obj.id)}`;
    if (!this.seen.has(key)) {
      this.seen.add(key);
      return obj;
    }
    this.seen.delete(key);
    const fields: Record<string, unknown> = { status: next };
    if (table === 'projects')
      fields.state_machine = stateMachine(next, next === 'running' ? 'Running' : 'Stopped');
    return this.store.patch(resource, obj.id, fields) ?? obj;
  }

  /** The project the caller's project token belongs to, when the fake knows it. */
  tokenProject(call: FakeCall): string | number | undefined {
    for (const field of TOKEN_FIELDS) {
      const token = call.body[field];
      if (typeof token === 'string' && this.options.tokenProjects?.[token] !== undefined)
        return this.options.tokenProjects[token];
    }
    return undefined;
  }

  /** A cluster task, as the server starts one for async work. */
  clusterTask(name: string, args: unknown[], projectId: unknown, result: unknown = null): HubObject {
    return this.create('cluster_tasks', { name, args }, { project_id: projectId ?? null, result });
  }

  reset(): void {
    this.seen.clear();
    if (this.acceptedTokens) {
      this.acceptedTokens.clear();
      for (const t of this.options.tokens ?? []) this.acceptedTokens.add(t);
    }
  }
}
