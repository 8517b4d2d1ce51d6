/**
 * The words a user reads when a request or a response does not match the spec: each bound said the way it is meant
 * (at least / at most / exactly, > / >= / < / <=), a value quoted only when it is short and not under a secret key,
 * a message that stays readable with many problems, `MissingParamError` before anything is sent with the operation
 * in it, and the validator loaded once per schema source (a failed load is tried again).
 */
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { MissingParamError, Redactor, ResponseValidationError } from '../../src/index.js';
import { loadValidator } from '../../src/validation/load.js';
import {
  formatPath,
  issuesMessage,
  toIssues,
  validateRequest,
  validateResponse,
} from '../../src/validation/validate.js';
import { MAX_WARNED_FIELDS } from '../../src/validation/warn-once.js';

function messagesOf(schema: z.ZodMiniType, value: unknown): string[] {
  const r = schema.safeParse(value, { reportInput: true });
  return r.success ? [] : toIssues(r.error.issues).map((i) => `${i.path}: ${i.message}`);
}

const logger = { error() {}, warn: vi.fn(), info() {}, debug() {} };

describe('bounds', () => {
  it('string and list lengths: at least, at most, exactly', () => {
    expect(messagesOf(z.string().check(z.maxLength(3)), 'abcdef')).toEqual([
      '(root): expected at most 3 characters, got 6',
    ]);
    expect(messagesOf(z.string().check(z.length(4)), 'ab')).toEqual([
      '(root): expected exactly 4 characters, got 2',
    ]);
    expect(messagesOf(z.array(z.number()).check(z.minLength(2)), [1])).toEqual([
      '(root): expected at least 2 items, got 1',
    ]);
  });

  it('numbers: > and < when the bound itself is excluded, >= and <= when it is allowed', () => {
    expect(messagesOf(z.number().check(z.gt(0)), 0)).toEqual(['(root): expected > 0, got number 0']);
    expect(messagesOf(z.number().check(z.lt(1)), 1)).toEqual(['(root): expected < 1, got number 1']);
    expect(messagesOf(z.number().check(z.lte(10)), 11)).toEqual(['(root): expected <= 10, got number 11']);
    expect(messagesOf(z.number().check(z.gte(1)), 0.5)).toEqual(['(root): expected >= 1, got number 0.5']);
  });
});

describe('what is said about the value received', () => {
  it('its type for a wrong type (null, a list, NaN), "integer" for a fraction where an int belongs, "required" for a missing field', () => {
    const schema = z.object({ a: z.string(), b: z.string(), c: z.number(), d: z.int(), e: z.string() });
    expect(messagesOf(schema, { a: null, b: [], c: Number.NaN, d: 1.5 })).toEqual([
      'a: expected string, got null',
      'b: expected string, got array',
      'c: expected number, got NaN',
      'd: expected integer, got number',
      'e: required',
    ]);
  });

  it('a short string is quoted; one over 40 characters is shown as its type only', () => {
    const schema = z.enum(['ok']);
    expect(messagesOf(schema, 'x'.repeat(40))).toEqual([
      `(root): expected "ok", got string "${'x'.repeat(40)}"`,
    ]);
    expect(messagesOf(schema, 'x'.repeat(41))).toEqual(['(root): expected "ok", got string']);
  });

  it('a boolean or a number is shown with its value; an object by its type', () => {
    const schema = z.literal('yes');
    expect(messagesOf(schema, true)).toEqual(['(root): expected "yes", got boolean true']);
    expect(messagesOf(schema, 3)).toEqual(['(root): expected "yes", got number 3']);
    expect(messagesOf(schema, { a: 1 })).toEqual(['(root): expected "yes", got object']);
  });

  it('a value under a secret-looking key is never shown, however deep', () => {
    const schema = z.object({ auth: z.object({ api_key: z.literal('k') }), items: z.array(z.literal(1)) });
    expect(messagesOf(schema, { auth: { api_key: 'live-key' }, items: [2] })).toEqual([
      'auth.api_key: expected "k", got string',
      'items[0]: expected 1, got number 2',
    ]);
  });

  it('a format other than a pattern is named; a never field is not allowed; several unknown properties are listed', () => {
    expect(messagesOf(z.email(), 'not-an-email')).toEqual([
      '(root): expected email format, got string "not-an-email"',
    ]);
    expect(messagesOf(z.object({ x: z.never() }), { x: 1 })).toEqual(['x: not allowed']);
    expect(messagesOf(z.strictObject({}), { a: 1, b: 2 })).toEqual([
      '(root): unexpected properties "a", "b"',
    ]);
  });

  it('a bad record key, a union with no branch to follow, a custom check, a missing literal', () => {
    expect(messagesOf(z.record(z.string().check(z.minLength(2)), z.number()), { b: 1 })).toEqual([
      'b: invalid key',
    ]);
    const shapes = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('box') }),
      z.object({ kind: z.literal('polygon') }),
    ]);
    expect(messagesOf(shapes, { kind: 'circle' })).toEqual(['kind: does not match any allowed shape']);
    expect(
      messagesOf(z.string().check(z.refine((v) => v === v.trim(), 'no surrounding spaces')), ' a '),
    ).toEqual(['(root): no surrounding spaces']);
    expect(messagesOf(z.object({ kind: z.literal('trial') }), {})).toEqual(['kind: required']);
  });

  it('a bigint literal is written as JavaScript writes it', () => {
    expect(messagesOf(z.literal(5n), 6n)).toEqual(['(root): expected 5n, got bigint']);
  });
});

describe('paths and long lists', () => {
  it('paths: the root, a list at the top, nested fields', () => {
    expect(formatPath([])).toBe('(root)');
    expect(formatPath([0, 'name'])).toBe('[0].name');
    expect(formatPath(['data', 3, 'tags', 0])).toBe('data[3].tags[0]');
  });

  it('ten problems are all listed; past ten, the rest are counted', () => {
    const issues = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ path: `f${i}`, message: 'required' }));
    const ten = issuesMessage('op: invalid', issues(10)).split('\n');
    expect(ten).toHaveLength(11);
    expect(ten.at(-1)).toBe('  f9: required');
    const twelve = issuesMessage('op: invalid', issues(12)).split('\n');
    expect(twelve).toHaveLength(12);
    expect(twelve.at(-1)).toBe('  ... and 2 more');
  });
});

describe('request validation', () => {
  const schema = {
    path: z.object({ id: z.string() }),
    query: z.object({ limit: z.optional(z.int()) }),
    body: z.object({ score: z.number() }),
  };

  it('every part is checked and every problem named, with the operation, before anything is sent', () => {
    let err: unknown;
    try {
      validateRequest('scoreWidget', schema, { path: {}, query: { limit: 2.5 }, body: { score: 'high' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingParamError);
    const e = err as MissingParamError;
    expect(e.message).toBe(
      'scoreWidget: invalid request parameters\n  id: required\n  limit: expected integer, got number\n  score: expected number, got string',
    );
    expect(e.attempts).toBe(0);
  });

  it('missing path and query objects are empty ones; a missing body is not checked; no schema, no check', () => {
    expect(() =>
      validateRequest('op', schema, { path: { id: 'w1' }, query: undefined, body: undefined }),
    ).not.toThrow();
    expect(() =>
      validateRequest('op', schema, { path: undefined, query: undefined, body: undefined }),
    ).toThrow('id: required');
    expect(() =>
      validateRequest(
        'op',
        { query: z.object({ q: z.string() }) },
        { path: undefined, query: undefined, body: 1 },
      ),
    ).toThrow('q: required');
    expect(() =>
      validateRequest('op', undefined, { path: undefined, query: { bad: 1 }, body: 'x' }),
    ).not.toThrow();
  });
});

describe('response validation', () => {
  const schema = z.object({ id: z.string() });

  it("'error' throws naming the operation and the field, with the body as received", () => {
    const body = { id: 7 };
    let err: unknown;
    try {
      validateResponse('getWidget', schema, body, 'error', logger);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect((err as ResponseValidationError).message).toBe(
      'getWidget: the response does not match the spec\n  id: expected string, got number',
    );
  });

  it("'error' names the operation on the error and masks the client's secrets in its body", () => {
    let err: unknown;
    try {
      validateResponse(
        'getWidget',
        schema,
        { id: 7, note: 'tok-0123456789' },
        'error',
        logger,
        new Redactor(['tok-0123456789']),
      );
    } catch (e) {
      err = e;
    }
    expect((err as ResponseValidationError).operation).toBe('getWidget');
    expect(JSON.stringify((err as ResponseValidationError).body)).not.toContain('tok-0123456789');
  });

  it("'off', a body that matches, or no schema: nothing is said", () => {
    logger.warn.mockClear();
    validateResponse('getWidget', schema, { id: 7 }, 'off', logger);
    validateResponse('getWidget', schema, { id: 'w1' }, 'warn', logger);
    validateResponse('getWidget', undefined, { id: 7 }, 'error', logger);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it("'warn' counts one more item as 'item' and more as 'items'", () => {
    const warn = vi.fn();
    const log = { ...logger, warn };
    const list = z.array(z.object({ n: z.string() }));
    validateResponse('listA', list, [{ n: 1 }, { n: 2 }], 'warn', log);
    validateResponse('listB', list, [{ n: 1 }, { n: 2 }, { n: 3 }], 'warn', log);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /\[0\]\.n: expected string, got number \(and 1 more item\)$/,
    );
    expect(String(warn.mock.calls[1]?.[0])).toMatch(/\(and 2 more items\)$/);
  });
});

describe("'warn' reports each field once", () => {
  it('a list item at index 12 is the same field as the one at index 3', () => {
    const warn = vi.fn();
    const log = { ...logger, warn }; // one logger: one client
    const list = z.object({ data: z.array(z.object({ n: z.string() })) });
    const items = (bad: number) => Array.from({ length: 13 }, (_, i) => ({ n: i === bad ? 1 : 'ok' }));
    validateResponse('listC', list, { data: items(3) }, 'warn', log);
    validateResponse('listC', list, { data: items(12) }, 'warn', log);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('a list that is null and an item of that list are two fields', () => {
    const warn = vi.fn();
    const log = { ...logger, warn }; // one logger: one client
    const list = z.object({ tags: z.array(z.string()) });
    validateResponse('getD', list, { tags: null }, 'warn', log);
    validateResponse('getD', list, { tags: [1] }, 'warn', log);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[1]?.[0])).toContain('tags[0]: expected string, got number');
  });

  it('once exactly MAX_WARNED_FIELDS fields were reported, nothing more is logged', () => {
    const warn = vi.fn();
    const log = { ...logger, warn }; // one logger: one client
    const counts = z.record(z.string(), z.number());
    const bad = (from: number, n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, 'x']));
    validateResponse('getE', counts, bad(0, MAX_WARNED_FIELDS), 'warn', log);
    expect(String(warn.mock.calls[0]?.[0])).toContain('further response validation warnings are not logged');
    validateResponse('getE', counts, bad(5000, 1), 'warn', log);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('loading the validator', () => {
  it('once per schema source, whether given as schemas or as a loader', async () => {
    const schemas = { getWidget: {} };
    const a = await loadValidator(schemas);
    expect(a.schemas).toBe(schemas);
    expect(await loadValidator(schemas)).toBe(a);
    let loads = 0;
    const loader = async () => {
      loads++;
      return schemas;
    };
    const b = await loadValidator(loader);
    expect(await loadValidator(loader)).toBe(b);
    expect(b.schemas).toBe(schemas);
    expect(loads).toBe(1);
    expect(typeof b.validateRequest).toBe('function');
    expect(typeof b.validateResponse).toBe('function');
  });

  it('a failed load is reported, and tried again on the next call', async () => {
    let fail = true;
    const loader = async () => {
      if (fail) throw new Error('cannot load zod');
      return {};
    };
    await expect(loadValidator(loader)).rejects.toThrow('cannot load zod');
    fail = false;
    await expect(loadValidator(loader)).resolves.toMatchObject({ schemas: {} });
  });
});
