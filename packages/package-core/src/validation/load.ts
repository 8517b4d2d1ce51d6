/**
 * Validation is loaded on first use, not at import: zod's own module graph costs more CPU to evaluate than the rest
 * of a client together (about 150-200 ms on these machines, 10x `openapi-fetch`). A client that never validates
 * (`validate: 'off'`) never loads it; one that does pays it once, on its first call, which awaits anyway.
 */
import { type OperationSchemas, validateRequest, validateResponse } from './validate.js';

/** The generated schemas, or a loader of them (`() => import('./zod.js').then((m) => m.operationSchemas)`). */
export type SchemaSource = OperationSchemas | (() => Promise<OperationSchemas>);

/** What a client validates with once loaded. */
export interface Validator {
  readonly schemas: OperationSchemas;
  /** Check a call's path, query and body against its schemas (throws `MissingParamError` naming each field). */
  readonly validateRequest: typeof validateRequest;
  /** Check a 2xx body against its schema, as the client's `validate` mode says (`'error'` throws, `'warn'` logs). */
  readonly validateResponse: typeof validateResponse;
}

/** One load per schema source (a generated client class shares its loader across every instance). */
const loaded = new WeakMap<object, Promise<Validator>>();

/** The validator for `source`, loading zod and the schemas the first time. */
export function loadValidator(source: SchemaSource): Promise<Validator> {
  let pending = loaded.get(source);
  if (!pending) {
    // Loading the schemas loads zod (validate.ts calls the schemas' own `safeParse` and imports no zod itself).
    const schemas = typeof source === 'function' ? source() : Promise.resolve(source);
    pending = schemas.then((s) => ({ schemas: s, validateRequest, validateResponse }));
    // A failed load (a broken install) is not cached: the next call tries again and reports it again.
    pending.catch(() => loaded.delete(source));
    loaded.set(source, pending);
  }
  return pending;
}
