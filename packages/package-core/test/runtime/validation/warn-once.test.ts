/** `'warn'` mode: each operation's failing field is logged once per client (per logger), never thrown. */
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { Redactor } from '../../../src/index.js';
import { validateResponse } from '../../../src/validation/validate.js';
import { MAX_WARNED_FIELDS } from '../../../src/validation/warn-once.js';

function recordingLogger() {
  const warn = vi.fn();
  const logger = { warn, error: vi.fn(), info: vi.fn(), debug: vi.fn() };
  return { logger, lines: () => warn.mock.calls.map((c) => String(c[0])) };
}

const page = z.looseObject({ data: z.array(z.looseObject({ id: z.int(), name: z.string() })) });
const items = (n: number, bad: Record<string, unknown>) =>
  Array.from({ length: n }, (_, i) => ({ id: i, name: `n${i}`, ...bad }));

describe('warnings in warn mode', () => {
  it('one field failing in many items of a list is one warning, counted, and not repeated on the next page', () => {
    const { logger, lines } = recordingLogger();
    const body = { data: items(5, { name: null }) };
    const before = structuredClone(body);
    validateResponse('listThings', page, body, 'warn', logger);
    expect(body).toEqual(before);
    expect(lines()).toEqual([
      'listThings: the response does not match the spec; the data is returned as received (each field is reported once)\n' +
        '  data[0].name: expected string, got null (and 4 more items)',
    ]);
    validateResponse('listThings', page, { data: items(3, { name: null }) }, 'warn', logger);
    expect(lines()).toHaveLength(1);
  });

  it('a new field, or the same field of another operation, is a new warning', () => {
    const { logger, lines } = recordingLogger();
    validateResponse('listThings', page, { data: items(1, { name: null }) }, 'warn', logger);
    validateResponse('listThings', page, { data: items(1, { name: null, id: 'x' }) }, 'warn', logger);
    validateResponse('searchThings', page, { data: items(1, { name: null }) }, 'warn', logger);
    expect(lines()).toHaveLength(3);
    expect(lines()[1]).toContain('data[0].id: expected number, got string');
    expect(lines()[1]).not.toContain('data[0].name');
    expect(lines()[2]).toMatch(/^searchThings: .*\n {2}data\[0\]\.name: expected string, got null$/);
  });

  it('stays bounded: past MAX_WARNED_FIELDS fields it says so once and stops', () => {
    const { logger, lines } = recordingLogger();
    const counts = z.record(z.string(), z.number());
    const bad = (from: number, n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, 'x']));
    validateResponse('getCounts', counts, bad(0, MAX_WARNED_FIELDS + 1), 'warn', logger);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toContain(`... and ${MAX_WARNED_FIELDS + 1 - 10} more`);
    expect(lines()[0]).toContain('further response validation warnings are not logged');
    validateResponse('getCounts', counts, bad(5000, 3), 'warn', logger);
    expect(lines()).toHaveLength(1);
  });

  it('masks the secrets the client knows', () => {
    const { logger, lines } = recordingLogger();
    const schema = z.looseObject({ mode: z.enum(['a', 'b']) });
    validateResponse('getMode', schema, { mode: 'tok-123456' }, 'warn', logger, new Redactor(['tok-123456']));
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toContain('mode: expected "a" or "b", got string');
    expect(lines()[0]).not.toContain('tok-123456');
  });
});
