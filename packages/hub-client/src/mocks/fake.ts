/**
 * A stateful fake of the whole Auger Hub API (and its optimizers service), assembled on package-core's fake engine:
 * the engine routes by the generated operation table, reads the request from any transport, runs the fault
 * switchboard, keeps the redacted journal and checks every answer against openapi/hub.yaml. This file only puts
 * the Hub's parts together: the resources' handlers (`resources/`), the defaults (`defaults.ts`), the store's
 * derived parents and filters (`store.ts`) and the Hub's wording (`answers.ts`).
 */

import { operations, resources } from '@mlclients/hub-client';
import {
  createFakeEngine,
  type ExpectedAnswer,
  type FakeEngine,
  type JournalEntry,
  REDACTED,
  type RoutableOperation,
  type SafeParser,
} from '@mlclients/package-core/testing';
import type { RequestHandler } from 'msw';
import { operationSchemas, schemas } from '../generated/zod.js';
import { hubError, TOKEN_FIELDS } from './answers.js';
import { HubContext, type HubFakeOptions, type HubHandler, objectName } from './context.js';
import { Faults } from './faults.js';
import { actualHandlers } from './resources/actuals.js';
import { authError, authHandlers } from './resources/auth.js';
import { clusterTaskHandlers } from './resources/cluster-tasks.js';
import { conventionHandler } from './resources/crud.js';
import { endpointHandlers } from './resources/endpoints.js';
import { fileHandlers } from './resources/files.js';
import { optimizerHandlers } from './resources/optimizers.js';
import { predictionHandlers } from './resources/predictions.js';
import { projectHandlers } from './resources/projects.js';
import { sessionHandlers } from './resources/sessions.js';
import { statusHandlers } from './resources/status.js';
import { trialHandlers } from './resources/trials.js';
import { HubStore } from './store.js';

export type { HubFakeOptions } from './context.js';
export { REDACTED };

/** One request the fake answered (status 0: the connection was dropped by an injected fault). */
export type FakeJournalEntry = JournalEntry;

/** What {@link createHubFake} returns. */
export interface HubFake {
  /** MSW handlers: `setupServer(...fake.handlers)` or `server.use(...fake.handlers)`. */
  handlers: RequestHandler[];
  /** Answer one WHATWG Request (what `tools/mock-server` calls for each HTTP request). */
  handle(request: Request): Promise<Response>;
  /** The in-memory state (seed it, inspect it). */
  store: HubStore;
  /** Fault injection. */
  faults: Faults;
  /** Every answered request, in order, secrets redacted. */
  journal: FakeJournalEntry[];
  /** The engine underneath (conformance counters, router). */
  engine: FakeEngine;
  /** Empty the store, the journal and the faults, and re-apply the seed. */
  reset(): void;
}

/** Values the journal never shows: tokens, passwords, issued credentials. */
const SECRET_KEYS = [...TOKEN_FIELDS, 'password', 'x-amz-security-token', 'secret_key', 'security_token'];

/** The specials: operations whose logic is not the plain convention. */
const SPECIAL_HANDLERS: Readonly<Record<string, HubHandler>> = {
  ...authHandlers,
  ...statusHandlers,
  ...projectHandlers,
  ...fileHandlers,
  ...actualHandlers,
  ...clusterTaskHandlers,
  ...trialHandlers,
  ...sessionHandlers,
  ...endpointHandlers,
  ...predictionHandlers,
  ...optimizerHandlers,
};

/** What openapi/hub.yaml allows for an answer (the conformance hook). */
function expectation(answer: {
  operationId: string;
  status: number;
  contentType: string;
}): ExpectedAnswer | string {
  const { operationId, status, contentType } = answer;
  if (status === 200) {
    if (contentType.startsWith('text/plain'))
      return (operations as Record<string, { responseType: string }>)[operationId]?.responseType === 'text'
        ? { text: true }
        : 'text/plain from an operation that answers JSON';
    const schema = (operationSchemas as unknown as Record<string, { response?: SafeParser }>)[operationId]
      ?.response;
    return schema ? { schema } : 'no response schema';
  }
  // Production Rails answers malformed JSON with an empty 400 (predictions/create_invalid_with_nan_blank_response).
  if (status === 400 && contentType.startsWith('text/html')) return { any: true };
  if ([400, 401, 404].includes(status)) return { schema: schemas.ErrorEnvelope };
  return `status ${status} is not declared by the spec`;
}

/**
 * Build the Hub's stateful fake: serve it with MSW (`fake.handlers`) or any server (`fake.handle(request)`).
 *
 * @example
 * ```ts
 * const fake = createHubFake({ baseUrl: 'http://hub.test', seed: { projects: [{ id: 1, name: 'p' }] } });
 * setupServer(...fake.handlers).listen();
 * fake.faults.status(503, { operationId: 'listTrials', times: 2 });
 * ```
 */
export function createHubFake(options: HubFakeOptions = {}): HubFake {
  const store = new HubStore();
  const ctx = new HubContext(store, options);
  const faults = new Faults();

  const handlers: Record<string, (call: Parameters<HubHandler>[0]) => ReturnType<HubHandler>> = {};
  for (const [resource, def] of Object.entries(resources)) {
    for (const [op, o] of Object.entries(def.operations as Record<string, { operationId: string }>)) {
      const handler = SPECIAL_HANDLERS[o.operationId] ?? conventionHandler(resource, op);
      if (handler) handlers[o.operationId] = (call) => handler(call, ctx);
    }
  }

  const engine = createFakeEngine({
    name: 'hub',
    operations: Object.values(operations) as RoutableOperation[],
    handlers,
    faults,
    secretKeys: SECRET_KEYS,
    expectations: expectation,
    ...(options.conformance ? { conformance: options.conformance } : {}),
    before: (call) => authError(call, ctx),
    noRoute: (method, path) =>
      hubError(404, [{ error_type: 'not_found', message: `No route matches [${method}] "${path}"` }]),
    malformedBody: () => ({ status: 400, text: '', contentType: 'text/html; charset=UTF-8' }),
    faultBody: (status) => hubError(status, [{ error_type: 'injected', message: `injected ${status}` }]),
    headers: () => ({ 'X-Request-Id': globalThis.crypto.randomUUID() }),
  });

  const applySeed = () => {
    for (const [resource, items] of Object.entries(options.seed ?? {})) {
      for (const item of items ?? []) {
        const id = store.normalizeId(
          resource,
          (item.id as string | number | undefined) ?? store.nextId(resource),
        );
        store.insert(resource, { object: objectName(resource), deleted: false, ...item, id });
      }
    }
  };
  applySeed();

  const hubOrigin = options.baseUrl ? new URL(options.baseUrl).origin : '*';
  const optimizersOrigin = options.optimizersUrl ? new URL(options.optimizersUrl).origin : '*';
  return {
    // Every path under /api/v1 reaches the fake (an unknown one gets the Hub's 404); the optimizers service's
    // operations (their own `servers` in the spec) are answered on its origin.
    handlers: engine.mswHandlers(
      (op) => (op.servers ? optimizersOrigin : hubOrigin),
      [`${hubOrigin}/api/v1/*`],
    ),
    handle: engine.handle,
    store,
    faults,
    journal: engine.journal.entries,
    engine,
    reset() {
      store.clear();
      ctx.reset();
      faults.clear();
      engine.journal.clear();
      applySeed();
    },
  };
}
