/** The pieces under the CLI's output and input: table fitting, tab rows, record files and their line numbers. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { issueAt, readRecords } from '../../src/cli/input-files.js';
import { fitColumnWidths, renderMachineReadable, renderTable } from '../../src/cli/output.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nu-input-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('tables', () => {
  it('fitColumnWidths: never widens a column, fits the budget unless every column is at the minimum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 20, max: 300 }),
        (natural, width) => {
          const fitted = fitColumnWidths(natural, width);
          const budget = width - 1 - natural.length * 3;
          fitted.forEach((w, i) => {
            expect(w).toBeLessThanOrEqual(natural[i]!);
            expect(w).toBeGreaterThanOrEqual(Math.min(natural[i]!, 8));
          });
          const total = fitted.reduce((a, b) => a + b, 0);
          if (total > budget)
            expect(fitted.every((w, i) => w === Math.min(natural[i]!, 8) || w <= 8)).toBe(true);
        },
      ),
    );
  });

  it('a rendered table is no wider than the terminal when the columns can shrink that far', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.string({ minLength: 0, maxLength: 60, unit: 'grapheme-ascii' }), {
            minLength: 3,
            maxLength: 3,
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.integer({ min: 40, max: 120 }),
        (rows, width) => {
          const text = renderTable(['id', 'name', 'url'], rows, width);
          for (const line of text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(width);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('machine-readable rows: one line per row, tabs between cells, none inside', () => {
    expect(
      renderMachineReadable([
        ['a', 'b\tc', null],
        [1, 'x\ny', undefined],
      ]),
    ).toBe('a\tb c\t\n1\tx y\t\n');
  });
});

describe('record files', () => {
  it('NDJSON: blank lines skipped, records named by their line', async () => {
    const path = join(work, 'r.ndjson');
    await writeFile(path, '{"a":1}\n\n  \n{"a":2}\n');
    const file = await readRecords(path);
    expect(file.records).toEqual([{ a: 1 }, { a: 2 }]);
    expect(file.where(1)).toBe(`${path} line 4`);
    expect(issueAt(file, 'items[1].reference_id', 'duplicate of index 0')).toBe(
      `${path} line 4: reference_id: duplicate of ${path} line 1`,
    );
  });

  it('a JSON array: records named by index', async () => {
    const path = join(work, 'r.json');
    await writeFile(path, ' [{"a":1},{"a":2}]');
    const file = await readRecords(path);
    expect(file.where(1)).toBe(`${path} [1]`);
  });

  it('a missing file, a folder and bad JSON are usage errors naming the file', async () => {
    await expect(readRecords(join(work, 'nope.json'))).rejects.toThrow(
      new UsageError(`${join(work, 'nope.json')}: no such file`),
    );
    await expect(readRecords(work)).rejects.toThrow(`${work}: is a folder`);
    const bad = join(work, 'bad.json');
    await writeFile(bad, '[{"a":1},]');
    await expect(readRecords(bad)).rejects.toThrow(new RegExp(`^${bad}: not valid JSON`));
  });
});
