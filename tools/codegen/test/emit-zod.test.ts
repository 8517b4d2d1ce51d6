import { readFileSync } from 'node:fs';
import { lazily, lazyRecord } from '@mlclients/package-core';
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { emitZodModule, ZodEmitter } from '../src/emit-zod.js';
import { parseSpec } from '../src/load-spec.js';
import { buildModel, type Json } from '../src/spec-model.js';
import { miniSpec } from './helpers.js';

/** Compiles one emitted expression, with the component declarations zod.ts would carry (and what it imports). */
function compile(schema: Json, components: Record<string, Json> = {}): z.ZodMiniType {
  const spec = parseSpec(
    'test.yaml',
    JSON.stringify({ openapi: '3.1.0', components: { schemas: components } }),
  );
  const emitter = new ZodEmitter(spec, components);
  const body = [...emitter.componentDeclarations(), `return ${emitter.emit(schema, ['x'])};`];
  const js = ts.transpileModule(`(function build() {\n${body.join('\n')}\n})`, {
    compilerOptions: { target: ts.ScriptTarget.ES2022 },
  }).outputText;
  return new Function('z', 'lazily', `return ${js}`)(z, lazily)() as z.ZodMiniType;
}

/** A random JSON Schema together with a generator of values it must accept. */
type Case = { schema: Json; value: fc.Arbitrary<unknown> };

const leaf: fc.Arbitrary<Case> = fc.constantFrom<Case>(
  { schema: { type: 'string' }, value: fc.string() },
  { schema: { type: 'integer' }, value: fc.integer() },
  { schema: { type: 'number' }, value: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { schema: { type: 'boolean' }, value: fc.boolean() },
  { schema: { type: ['string', 'null'] }, value: fc.option(fc.string(), { nil: null }) },
  { schema: { enum: ['a', 'b'] }, value: fc.constantFrom('a', 'b') },
  {
    schema: { type: 'object', additionalProperties: true },
    value: fc.dictionary(fc.string(), fc.jsonValue()),
  },
  { schema: {}, value: fc.jsonValue() },
);

const schemaCase: fc.Arbitrary<Case> = fc.letrec<{ node: Case }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('node').map((item) => ({
      schema: { type: 'array', items: item.schema },
      value: fc.array(item.value, { maxLength: 3 }),
    })),
    fc
      .dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,7}$/), fc.tuple(tie('node'), fc.boolean()), {
        maxKeys: 4,
      })
      .map((fields) => {
        const entries = Object.entries(fields);
        const schema = {
          type: 'object',
          properties: Object.fromEntries(entries.map(([key, [field]]) => [key, field.schema])),
          required: entries.filter(([, [, required]]) => required).map(([key]) => key),
        };
        const value = fc.record(Object.fromEntries(entries.map(([key, [field]]) => [key, field.value])), {
          requiredKeys: entries.filter(([, [, required]]) => required).map(([key]) => key),
        });
        return { schema, value };
      }),
  ),
})).node;

describe('the zod emitter', () => {
  it('accepts every value that matches the schema it was generated from', () => {
    fc.assert(
      fc.property(
        schemaCase.chain((c) => fc.tuple(fc.constant(c.schema), c.value)),
        ([schema, value]) => {
          const result = compile(schema).safeParse(value);
          expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps unknown properties of objects (responses pass through)', () => {
    const schema = compile({ type: 'object', required: ['id'], properties: { id: { type: 'integer' } } });
    expect(schema.parse({ id: 1, added_later: 'x' })).toEqual({ id: 1, added_later: 'x' });
  });

  it('names the path of each wrong field', () => {
    const trial = {
      type: 'object',
      required: ['uid', 'score'],
      properties: { uid: { type: 'string' }, score: { type: 'number' } },
    };
    const schema = compile(
      {
        type: 'object',
        properties: { trials: { type: 'array', items: { $ref: '#/components/schemas/Trial' } } },
      },
      { Trial: trial },
    );
    const result = schema.safeParse({
      trials: [{ uid: 'a', score: 1 }, { uid: 'b', score: 2 }, { uid: 'c', score: 3 }, { score: '0.9' }],
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['trials.3.uid', 'trials.3.score']));
  });

  it('handles a schema that refers to itself', () => {
    const node = {
      type: 'object',
      properties: {
        value: { type: 'integer' },
        children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
      },
    };
    const schema = compile({ $ref: '#/components/schemas/Node' }, { Node: node });
    expect(schema.safeParse({ value: 1, children: [{ value: 2, children: [{ value: 3 }] }] }).success).toBe(
      true,
    );
    expect(schema.safeParse({ value: 1, children: [{ value: 'two' }] }).success).toBe(false);
  });

  it('maps nullable, const, oneOf and allOf', () => {
    expect(compile({ type: 'string', nullable: true }).safeParse(null).success).toBe(true);
    expect(compile({ const: 'trial' }).safeParse('experiment').success).toBe(false);
    const either = compile({ oneOf: [{ type: 'string' }, { type: 'integer' }] });
    expect(
      either.safeParse('a').success && either.safeParse(3).success && !either.safeParse(true).success,
    ).toBe(true);
    const both = compile({
      allOf: [
        { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
        { type: 'object', required: ['b'], properties: { b: { type: 'integer' } } },
      ],
    });
    expect(both.safeParse({ a: 'x', b: 1 }).success).toBe(true);
    expect(both.safeParse({ a: 'x' }).success).toBe(false);
  });
});

describe('constraint keywords (zod/mini checks)', () => {
  const cases: { schema: Json; accepts: unknown[]; rejects: unknown[] }[] = [
    {
      schema: { type: 'string', minLength: 2, maxLength: 3 },
      accepts: ['ab', 'abc'],
      rejects: ['a', 'abcd', 3],
    },
    { schema: { type: 'string', pattern: '^[a-z]+$' }, accepts: ['abc'], rejects: ['ABC', ''] },
    {
      schema: { type: 'number', minimum: 0, maximum: 10, multipleOf: 0.5 },
      accepts: [0, 10, 2.5],
      rejects: [-1, 10.5, 0.3],
    },
    {
      schema: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 3 },
      accepts: [1, 2],
      rejects: [0, 3, 1.5],
    },
    {
      schema: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 2 },
      accepts: [[1], [1, 2]],
      rejects: [[], [1, 2, 3], ['1']],
    },
    {
      schema: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
      accepts: [{ a: 'x' }, {}],
      rejects: [{ a: 'x', b: 1 }],
    },
    {
      schema: {
        type: 'object',
        properties: { a: { type: 'string' } },
        additionalProperties: { type: 'integer' },
      },
      accepts: [{ a: 'x', b: 1 }],
      rejects: [{ a: 'x', b: 'y' }],
    },
    {
      schema: { type: 'object', additionalProperties: { type: 'boolean' } },
      accepts: [{ k: true }, {}],
      rejects: [{ k: 1 }],
    },
    {
      schema: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] },
      accepts: [['a', 1]],
      rejects: [[1, 'a']],
    },
    { schema: { enum: [1, 'a', null] }, accepts: [1, 'a', null], rejects: [2, 'b'] },
    {
      schema: { type: ['integer', 'string'], nullable: true },
      accepts: [1, 'x', null],
      rejects: [1.5, true],
    },
  ];
  it.each(cases)('$schema', ({ schema, accepts, rejects }) => {
    const compiled = compile(schema);
    for (const value of accepts) expect(compiled.safeParse(value).success, JSON.stringify(value)).toBe(true);
    for (const value of rejects) expect(compiled.safeParse(value).success, JSON.stringify(value)).toBe(false);
  });
});

/** Runs a whole generated zod.ts against a zod whose functions count their calls (each call builds a schema part). */
function loadModule(): { exports: Record<string, Record<string, unknown>>; calls: () => number } {
  const spec = parseSpec('mini.yaml', readFileSync(miniSpec, 'utf8'));
  const source = emitZodModule(buildModel(spec), '// test\n');
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  }).outputText;
  let calls = 0;
  const counting = Object.fromEntries(
    Object.entries(z).map(([name, value]) => [
      name,
      typeof value === 'function'
        ? (...args: unknown[]) => {
            calls++;
            return (value as (...a: unknown[]) => unknown)(...args);
          }
        : value,
    ]),
  );
  const exports: Record<string, Record<string, unknown>> = {};
  const require = (id: string) => {
    if (id === '@mlclients/package-core') return { lazily, lazyRecord };
    if (id !== 'zod/mini') throw new Error(`unexpected import ${id}`);
    return counting;
  };
  new Function('require', 'exports', js)(require, exports);
  return { exports, calls: () => calls };
}

describe('the generated module', () => {
  it('builds no schema at import, and each one once, on first read', () => {
    const { exports, calls } = loadModule();
    const { operationSchemas, schemas } = exports as {
      operationSchemas: Record<string, { response?: z.ZodMiniType; path?: z.ZodMiniType }>;
      schemas: Record<string, z.ZodMiniType>;
    };
    expect(calls()).toBe(0);
    // Listing the operations (what the runtime and the fakes do) builds nothing either.
    expect(Object.keys(operationSchemas)).toEqual(
      expect.arrayContaining(['listWidgets', 'createWidget', 'getWidget', 'getNodeTree']),
    );
    expect(calls()).toBe(0);

    const getWidget = operationSchemas.getWidget;
    const afterOne = calls();
    expect(afterOne).toBeGreaterThan(0);
    expect(getWidget?.response?.safeParse({ id: 'w1' }).success).toBe(false);
    expect(operationSchemas.getWidget).toBe(getWidget);
    // The Widget component was built for getWidget and is shared, not rebuilt, by createWidget's response.
    expect(operationSchemas.createWidget?.response).toBe(getWidget?.response);
    expect(schemas.Widget).toBe(getWidget?.response);
    expect(operationSchemas.getWidget).toBe(getWidget);
    const built = calls();
    void operationSchemas.getWidget;
    void schemas.Widget;
    expect(calls()).toBe(built);
  });

  it('keeps a schema that refers to itself working when built lazily', () => {
    const { exports } = loadModule();
    const tree = (exports.operationSchemas as Record<string, { response: z.ZodMiniType }>).getNodeTree
      ?.response;
    expect(tree?.safeParse({ children: [{ children: [] }] }).success).toBe(true);
    expect(tree?.safeParse({ children: [{ children: 'none' }] }).success).toBe(false);
  });
});

describe('X or null', () => {
  it('is emitted as nullable(X), so the failing field inside X is what zod reports', () => {
    const item = {
      type: 'object',
      required: ['algorithm_name'],
      properties: { algorithm_name: { type: 'string' } },
    };
    const spec: Json = { oneOf: [{ $ref: '#/components/schemas/Item' }, { type: 'null' }] };
    const emitter = new ZodEmitter(
      parseSpec('t.yaml', JSON.stringify({ openapi: '3.1.0', components: { schemas: { Item: item } } })),
      { Item: item },
    );
    expect(emitter.emit(spec, ['x'])).toBe('z.nullable(ItemSchema())');
    const schema = compile(spec, { Item: item });
    expect(schema.safeParse(null).success).toBe(true);
    const result = schema.safeParse({ algorithm_name: null });
    expect(result.error?.issues.map((i) => [i.code, i.path])).toEqual([['invalid_type', ['algorithm_name']]]);
  });

  it('keeps a real union when more than one non-null branch is allowed', () => {
    const schema = compile({ anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] });
    expect([schema.safeParse('a'), schema.safeParse(1), schema.safeParse(null)].every((r) => r.success)).toBe(
      true,
    );
    expect(schema.safeParse(1.5).success).toBe(false);
  });
});
