import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ZodEmitter } from '../src/emit-zod.js';
import { parseSpec } from '../src/load-spec.js';
import type { Json } from '../src/spec-model.js';

/** Compiles one emitted expression; component references resolve through `components`. */
function compile(schema: Json, components: Record<string, Json> = {}): z.ZodType {
  const spec = parseSpec(
    'test.yaml',
    JSON.stringify({ openapi: '3.1.0', components: { schemas: components } }),
  );
  const emitter = new ZodEmitter(spec, components);
  const declarations = emitter
    .componentDeclarations()
    .map((d) => d.replace(/^export /, '').replace(/: z\.ZodType<[^>]+>/, ''));
  const body = `${declarations.join('\n')}\nreturn ${emitter.emit(schema, ['x'])};`;
  return new Function('z', body)(z) as z.ZodType;
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
