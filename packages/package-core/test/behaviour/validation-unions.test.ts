/**
 * Which branch of a union speaks when a value matches none: the one the value is shaped like, then the one whose
 * discriminator it carries, then the one that got deepest into the value, then the one with fewer problems; and the
 * answer never depends on the order the spec lists the branches in. When every branch rejects the value's type, one
 * line lists what would have been accepted, each type once.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { toIssues } from '../../src/validation/validate.js';

function messagesOf(schema: z.ZodMiniType, value: unknown): string[] {
  const r = schema.safeParse(value, { reportInput: true });
  return r.success ? [] : toIssues(r.error.issues).map((i) => `${i.path}: ${i.message}`);
}

/** The messages for `value` against the union of `a` and `b`, which must be the same in both orders. */
function eitherOrder(a: z.ZodMiniType, b: z.ZodMiniType, value: unknown): string[] {
  const ab = messagesOf(z.union([a, b]), value);
  expect(messagesOf(z.union([b, a]), value)).toEqual(ab);
  return ab;
}

describe('the branch that speaks for a union', () => {
  it('the branch of the value’s type, even with more problems than a branch of another type', () => {
    const object = z.looseObject({ a: z.string(), b: z.string() });
    expect(eitherOrder(z.string(), object, { a: 1, b: 2 })).toEqual([
      'a: expected string, got number',
      'b: expected string, got number',
    ]);
  });

  it('the branch whose discriminator the value carries, even with more problems', () => {
    const a = z.looseObject({ kind: z.literal('a'), n: z.number() });
    const b = z.looseObject({ kind: z.literal('b'), n: z.string(), m: z.string() });
    expect(eitherOrder(a, b, { kind: 'b', n: 1, m: 2 })).toEqual([
      'n: expected string, got number',
      'm: expected string, got number',
    ]);
    // Inside a field, the discriminator is still the branch's own first level.
    const inField = messagesOf(z.object({ d: z.union([a, b]) }), { d: { kind: 'b', n: 1, m: 2 } });
    expect(inField).toEqual(['d.n: expected string, got number', 'd.m: expected string, got number']);
  });

  it('a discriminator wrong along with other fields still rules its branch out', () => {
    const a = z.looseObject({ kind: z.literal('a'), x: z.number() });
    const b = z.looseObject({ kind: z.literal('b'), p: z.string(), q: z.string(), r: z.string() });
    expect(eitherOrder(a, b, { kind: 'b', x: 's', p: 1, q: 1, r: 1 })).toEqual([
      'p: expected string, got number',
      'q: expected string, got number',
      'r: expected string, got number',
    ]);
  });

  it('a literal deeper than the branch’s first level is not a discriminator: depth decides', () => {
    const a = z.looseObject({ meta: z.looseObject({ v: z.literal(1) }) });
    const b = z.looseObject({ meta: z.looseObject({ w: z.looseObject({ x: z.string() }) }) });
    expect(eitherOrder(a, b, { meta: { v: 2, w: { x: 0 } } })).toEqual([
      'meta.w.x: expected string, got number',
    ]);
    // A string literal two levels down does not rule its branch out either.
    const literal = z.looseObject({
      meta: z.looseObject({ v: z.literal('one'), w: z.looseObject({ x: z.looseObject({ y: z.string() }) }) }),
    });
    const other = z.looseObject({ meta: z.looseObject({ w: z.looseObject({ x: z.string() }) }) });
    expect(eitherOrder(literal, other, { meta: { v: 'two', w: { x: { y: 5 } } } })).toEqual([
      'meta.v: expected "one", got string "two"',
      'meta.w.x.y: expected string, got number',
    ]);
  });

  it('a branch of the value’s type that fails a check beats a branch of another type', () => {
    expect(eitherOrder(z.number(), z.string().check(z.minLength(5)), 'ab')).toEqual([
      '(root): expected at least 5 characters, got 2',
    ]);
  });

  it('the branch that got deepest into the value, even with more problems', () => {
    const shallow = z.looseObject({ a: z.string() });
    const deep = z.looseObject({ a: z.looseObject({ b: z.looseObject({ c: z.string(), d: z.string() }) }) });
    expect(eitherOrder(shallow, deep, { a: { b: { c: 1, d: 2 } } })).toEqual([
      'a.b.c: expected string, got number',
      'a.b.d: expected string, got number',
    ]);
  });

  it('depth is that of the deepest problem of a branch, not its shallowest', () => {
    const mixed = z.looseObject({ a: z.string(), c: z.looseObject({ d: z.looseObject({ e: z.string() }) }) });
    const middle = z.looseObject({ c: z.looseObject({ d: z.string() }) });
    expect(eitherOrder(mixed, middle, { a: 1, c: { d: { e: 1 } } })).toEqual([
      'a: expected string, got number',
      'c.d.e: expected string, got number',
    ]);
  });

  it('branches that tie on every count: the first the spec lists speaks', () => {
    const text = z.looseObject({ a: z.string() });
    const flag = z.looseObject({ a: z.boolean() });
    expect(messagesOf(z.union([text, flag]), { a: 1 })).toEqual(['a: expected string, got number']);
    expect(messagesOf(z.union([flag, text]), { a: 1 })).toEqual(['a: expected boolean, got number']);
  });

  it('at the same depth, the branch with fewer problems', () => {
    const two = z.looseObject({ x: z.string(), y: z.string() });
    const one = z.looseObject({ x: z.number() });
    expect(eitherOrder(two, one, { x: true, y: 3 })).toEqual(['x: expected number, got boolean']);
  });
});

describe('a value no branch accepts the type of', () => {
  it('lists each accepted type once, nested unions included', () => {
    const a = z.union([z.string(), z.null()]);
    const b = z.union([z.null(), z.number()]);
    expect(messagesOf(z.union([a, b]), true)).toEqual([
      '(root): expected string or null or number, got boolean',
    ]);
    expect(
      messagesOf(z.object({ id: z.union([z.string(), z.string().check(z.minLength(2))]) }), { id: 1 }),
    ).toEqual(['id: expected string, got number']);
  });

  it('a branch rejecting the type and another failing inside: the one failing inside speaks', () => {
    const list = z.array(z.string());
    expect(eitherOrder(z.number(), list, ['a', 2])).toEqual(['[1]: expected string, got number']);
  });
});
