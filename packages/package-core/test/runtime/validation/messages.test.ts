/**
 * What a failing field is called in errors and warnings: the deepest field that failed, also inside unions, and
 * `required` for a missing one. The Hub's own generated schemas reproduce the production case (a trial whose
 * hyperparameter has `algorithm_name: null`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
// Generated code only (zod schemas, no client): the real Hub shapes, as the bug report saw them.
import { operationSchemas as hub, schemas as hubSchemas } from '../../../../hub-client/src/generated/zod.js';
import { Redactor, ResponseValidationError } from '../../../src/index.js';
import { toIssues, validateResponse } from '../../../src/validation/validate.js';

const logger = { error() {}, warn() {}, info() {}, debug() {} };
const meta = { status: 200, pagination: { limit: 1, offset: 0, count: 1, total: 1 } };
const hyperparameter = { object: 'hyperparameter', id: 7, algorithm_name: 'tpe' };
const trial = { object: 'trial', id: 't1', hyperparameter };

function issuesOf(schema: z.ZodMiniType, value: unknown) {
  const r = schema.safeParse(value, { reportInput: true });
  return r.success ? [] : toIssues(r.error.issues);
}

function responseError(operation: string, schema: z.ZodMiniType | undefined, body: unknown) {
  try {
    validateResponse(operation, schema, body, 'error', logger);
  } catch (err) {
    return err as ResponseValidationError;
  }
  throw new Error('expected the response to be rejected');
}

describe('the Hub trial whose hyperparameter has algorithm_name: null', () => {
  const body = { data: [{ ...trial, hyperparameter: { ...hyperparameter, algorithm_name: null } }], meta };

  it("'error' throws ResponseValidationError naming the field, not the union", () => {
    const err = responseError('listTrials', hub.listTrials.response, body);
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.issues).toEqual([
      { path: 'data[0].hyperparameter.algorithm_name', message: 'expected string, got null' },
    ]);
    expect(err.message).toBe(
      'listTrials: the response does not match the spec\n  data[0].hyperparameter.algorithm_name: expected string, got null',
    );
  });

  it('names the same field through a union of the object and null (how it was generated before)', () => {
    const asUnion = z.looseObject({
      data: z.array(z.looseObject({ hyperparameter: z.union([hubSchemas.Hyperparameter, z.null()]) })),
    });
    expect(issuesOf(asUnion, body)).toEqual([
      { path: 'data[0].hyperparameter.algorithm_name', message: 'expected string, got null' },
    ]);
  });

  it('a missing required field inside the union says required', () => {
    const { id: _id, ...withoutId } = hyperparameter;
    const asUnion = z.union([hubSchemas.Hyperparameter, z.null()]);
    expect(issuesOf(asUnion, withoutId)).toEqual([{ path: 'id', message: 'required' }]);
    const err = responseError('getTrial', hub.getTrial.response, {
      data: { ...trial, hyperparameter: withoutId },
      meta: { status: 200 },
    });
    expect(err.issues).toEqual([{ path: 'data.hyperparameter.id', message: 'required' }]);
  });
});

describe('unions', () => {
  it('follows the branch the value is shaped like (array or single object)', () => {
    // deleteEndpointActuals answers either a list of cluster tasks or one.
    const err = responseError('deleteEndpointActuals', hub.deleteEndpointActuals.response, {
      data: [{ object: 'cluster_task', id: 'not-a-number' }],
      meta: { status: 200 },
    });
    expect(err.issues).toEqual([{ path: 'data[0].id', message: 'expected number, got string' }]);
  });

  it('prefers the branch whose discriminator matches, even when another branch has fewer problems', () => {
    const cat = z.looseObject({
      kind: z.literal('cat'),
      name: z.string(),
      lives: z.int(),
      indoor: z.boolean(),
    });
    // lives 8.5: zod says "int" for a number that is not one.
    const dog = z.looseObject({ kind: z.literal('dog'), name: z.string() });
    const pet = z.union([dog, cat]);
    expect(issuesOf(pet, { kind: 'cat', name: 'Tom', lives: 8.5, indoor: 'yes' })).toEqual([
      { path: 'lives', message: 'expected integer, got number' },
      { path: 'indoor', message: 'expected boolean, got string' },
    ]);
    expect(issuesOf(pet, { kind: 'dog', name: 3 })).toEqual([
      { path: 'name', message: 'expected string, got number' },
    ]);
  });

  it('says what would have been accepted when no branch fits the type at all', () => {
    expect(issuesOf(z.object({ id: z.union([z.string(), z.int()]) }), { id: true })).toEqual([
      { path: 'id', message: 'expected string or number, got boolean' },
    ]);
    expect(issuesOf(z.union([z.literal(1), z.literal(2)]), 3)).toEqual([
      { path: '(root)', message: 'expected 1 or 2, got number 3' },
    ]);
  });

  it('resolves unions nested in unions', () => {
    const inner = z.union([z.looseObject({ a: z.looseObject({ b: z.string() }) }), z.array(z.string())]);
    const outer = z.union([z.looseObject({ x: inner }), z.string()]);
    expect(issuesOf(outer, { x: { a: { b: 1 } } })).toEqual([
      { path: 'x.a.b', message: 'expected string, got number' },
    ]);
  });

  it('names the deepest field for any field of any nesting, with or without an "or null" union around it', () => {
    type Node = { schema: z.ZodMiniType; value: unknown; leaves: (string | number)[][] };
    const leaf = fc.constantFrom<Node>(
      { schema: z.string(), value: 'x', leaves: [[]] },
      { schema: z.number(), value: 1.5, leaves: [[]] },
      { schema: z.boolean(), value: true, leaves: [[]] },
    );
    const node: fc.Arbitrary<Node> = fc.letrec<{ n: Node }>((tie) => ({
      n: fc.oneof(
        { depthSize: 'small' },
        leaf,
        tie('n').map((item) => ({
          schema: z.array(item.schema),
          value: [item.value, item.value],
          leaves: item.leaves.map((p) => [1, ...p]),
        })),
        tie('n').map((item) => ({
          schema: z.union([item.schema, z.null()]),
          value: item.value,
          leaves: item.leaves,
        })),
        fc
          .uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), tie('n')), {
            minLength: 1,
            maxLength: 3,
            selector: ([k]) => k,
          })
          .map((fields) => ({
            schema: z.looseObject(Object.fromEntries(fields.map(([k, f]) => [k, f.schema]))),
            value: Object.fromEntries(fields.map(([k, f]) => [k, f.value])),
            leaves: fields.flatMap(([k, f]) => f.leaves.map((p) => [k, ...p])),
          })),
      ),
    })).n;
    fc.assert(
      fc.property(
        node.chain((n) => fc.tuple(fc.constant(n), fc.constantFrom(...n.leaves))),
        ([n, target]) => {
          // An object where a scalar was expected: wrong type, never accepted by a leaf nor by null.
          const broken = setAt(n.value, target, { wrong: true });
          const issues = issuesOf(n.schema, broken);
          expect(issues).toHaveLength(1);
          expect(issues[0]?.message).toMatch(/^expected (string|number|boolean)( or null)?, got object$/);
          expect(issues[0]?.path).toBe(formatted(target));
        },
      ),
      // Fewer runs under `npm run mutate` (every surviving mutant reruns it); the full 200 in the suite.
      { numRuns: Number(process.env.MUTATE_FAST_CHECK_RUNS) || 200 },
    );
  });
});

describe('messages', () => {
  it('words every kind of problem without relying on a zod locale', () => {
    const schema = z.strictObject({
      name: z.string().check(z.minLength(2)),
      tags: z.array(z.string()).check(z.maxLength(1)),
      score: z.number().check(z.gte(0)),
      step: z.int().check(z.multipleOf(5)),
      code: z.string().check(z.regex(/^[A-Z]+$/)),
      kind: z.enum(['a', 'b']),
    });
    const issues = issuesOf(schema, {
      name: 'x',
      tags: ['a', 'b'],
      score: -1,
      step: 7,
      code: 'abc',
      kind: 'c',
      more: 1,
    });
    expect(issues).toEqual([
      { path: 'name', message: 'expected at least 2 characters, got 1' },
      { path: 'tags', message: 'expected at most 1 items, got 2' },
      { path: 'score', message: 'expected >= 0, got number -1' },
      { path: 'step', message: 'expected a multiple of 5, got number 7' },
      { path: 'code', message: 'expected to match /^[A-Z]+$/, got string "abc"' },
      { path: 'kind', message: 'expected "a" or "b", got string "c"' },
      { path: '(root)', message: 'unexpected property "more"' },
    ]);
  });

  it('never quotes a value held under a secret-looking key, and masks the secrets the client knows', () => {
    const schema = z.looseObject({ project_api_token: z.enum(['a']), note: z.enum(['a']) });
    expect(issuesOf(schema, { project_api_token: 'tok-123', note: 'n' })[0]).toEqual({
      path: 'project_api_token',
      message: 'expected "a", got string',
    });
    const redactor = new Redactor(['s3cr3t-value']);
    let err: ResponseValidationError | undefined;
    try {
      validateResponse(
        'getThing',
        schema,
        { project_api_token: 'a', note: 's3cr3t-value' },
        'error',
        logger,
        redactor,
      );
    } catch (e) {
      err = e as ResponseValidationError;
    }
    expect(err?.message).not.toContain('s3cr3t-value');
    expect(JSON.stringify(err?.issues)).not.toContain('s3cr3t-value');
    expect(err?.issues[0]?.path).toBe('note');
  });
});

function setAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? setAt(v, rest, replacement) : v));
  const obj = value as Record<string, unknown>;
  return { ...obj, [head as string]: setAt(obj[head as string], rest, replacement) };
}

function formatted(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || '(root)';
}
