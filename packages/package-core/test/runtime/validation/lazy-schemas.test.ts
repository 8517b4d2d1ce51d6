/**
 * Generated schemas are built on first use: importing a service's zod.ts builds nothing (it used to cost ~100 ms of
 * CPU for the Hub), and reading `operationSchemas[id]` builds that operation's schemas once.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Module = typeof import('../../../../hub-client/src/generated/zod.js');

/** Properties whose getter has run (they turn into plain values). */
function built(record: object): string[] {
  return Object.entries(Object.getOwnPropertyDescriptors(record))
    .filter(([, d]) => d.get === undefined)
    .map(([k]) => k);
}

describe('a generated zod module', () => {
  let mod: Module;
  beforeEach(async () => {
    vi.resetModules();
    mod = await import('../../../../hub-client/src/generated/zod.js');
  });

  it('builds no schema at import', () => {
    expect(Object.keys(mod.operationSchemas).length).toBeGreaterThan(50);
    expect(built(mod.operationSchemas)).toEqual([]);
    expect(built(mod.schemas)).toEqual([]);
  });

  it('builds one operation on first read, and keeps it', () => {
    const first = mod.operationSchemas.listTrials;
    expect(built(mod.operationSchemas)).toEqual(['listTrials']);
    expect(mod.operationSchemas.listTrials).toBe(first);
    // What the runtime does with it.
    const schemas: Readonly<Record<string, { response?: unknown }>> = mod.operationSchemas;
    expect(schemas.listTrials?.response).toBe(first.response);
    expect(schemas.noSuchOperation?.response).toBeUndefined();
    expect(built(mod.schemas)).toEqual([]);
  });
});
