/**
 * resources.ts: the operation table is emitted as literal types plus a `JSON.parse` of string text. What a client
 * reads at run time must be exactly the entries the spec gives, whatever characters a path, server or extension
 * value holds, and the resource table must point at those same entry objects.
 */
import { readFileSync } from 'node:fs';
import { transform } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emitResourcesModule } from '../src/emit-resources.js';
import { parseSpec } from '../src/load-spec.js';
import { buildModel, type SpecModel } from '../src/spec-model.js';
import { miniSpec } from './helpers.js';

interface ResourcesModule {
  operations: Record<string, Record<string, unknown>>;
  resources: Record<string, { operations: Record<string, unknown> }>;
}

function miniModel(): SpecModel {
  return buildModel(parseSpec('mini.yaml', readFileSync(miniSpec, 'utf8')));
}

/** The emitted TypeScript, stripped of its types and imported as a module. */
async function load(source: string): Promise<ResourcesModule> {
  const { code } = await transform(source, { loader: 'ts', format: 'esm' });
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

describe('emitResourcesModule', () => {
  it('gives the runtime every operation of the spec, and resources that point at the same entries', async () => {
    const model = miniModel();
    const mod = await load(emitResourcesModule(model, '// test\n'));
    expect(Object.keys(mod.operations).sort()).toEqual(model.operations.map((op) => op.operationId).sort());
    for (const op of model.operations) {
      const entry = mod.operations[op.operationId];
      expect(entry).toMatchObject({ operationId: op.operationId, method: op.method, path: op.path });
      expect(entry?.pathParams).toEqual(op.parameters.filter((p) => p.in === 'path').map((p) => p.name));
    }
    for (const resource of model.resources) {
      for (const [method, op] of Object.entries(resource.operations)) {
        expect(mod.resources[resource.name]?.operations[method]).toBe(mod.operations[op.operationId]);
      }
    }
  });

  it('keeps any text in a path, a server or an extension value exactly (quotes, backslashes, line separators)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (text) => {
        const model = miniModel();
        const [first] = model.operations;
        if (!first) throw new Error('the mini spec has no operation');
        first.path = `/widgets/${text}`;
        first.servers = [`http://localhost/${text}`];
        first.extensions = { 'secret-fields': [text, "'", '\\', '\u2028', '$' + '{x}', '`'] };
        const mod = await load(emitResourcesModule(model, '// test\n'));
        const entry = mod.operations[first.operationId];
        expect(entry?.path).toBe(first.path);
        expect(entry?.servers).toEqual(first.servers);
        expect(entry?.extensions).toEqual(first.extensions);
      }),
      { numRuns: 25 },
    );
  });

  it('emits a spec without operations as an empty table', async () => {
    const model = miniModel();
    model.operations = [];
    model.resources = [];
    const mod = await load(emitResourcesModule(model, '// test\n'));
    expect(mod.operations).toEqual({});
  });
});
