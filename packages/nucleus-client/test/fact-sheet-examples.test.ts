/**
 * Every example payload written from the fact sheet (test/fixtures/fact-sheet-examples.ts, one or more per operation)
 * validates against the zod schemas generated from openapi/nucleus.yaml, and comes back unchanged (unknown fields
 * kept, nothing coerced). Every operation has an example of each part its spec declares.
 */
import { describe, expect, it } from 'vitest';
import { operations } from '../src/generated/index.js';
import { operationSchemas } from '../src/generated/zod.js';
import { examples } from './fixtures/fact-sheet-examples.js';
import type { Issue, OperationLike, OperationParts, Schema } from './helpers/schema.js';

const schemasOf = (op: string): OperationParts | undefined =>
  (operationSchemas as unknown as Record<string, OperationParts>)[op];

function issues(schema: Schema, value: unknown): string[] {
  const result = schema.safeParse(value);
  const found = (result.error?.issues ?? []) as Issue[];
  return found.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('fact sheet example payloads', () => {
  it('name only operations of the spec', () => {
    const unknown = examples.filter((e) => !(e.op in operations)).map((e) => e.op);
    expect(unknown).toEqual([]);
  });

  it('cover every operation: a request example where it has a body, a response example always', () => {
    const missing: string[] = [];
    for (const [id, op] of Object.entries(operations as unknown as Record<string, OperationLike>)) {
      const mine = examples.filter((e) => e.op === id);
      if (op.body && !mine.some((e) => e.body !== undefined)) missing.push(`${id} body`);
      if (!mine.some((e) => e.response !== undefined)) missing.push(`${id} response`);
    }
    expect(missing).toEqual([]);
  });

  const cases = examples.flatMap((example, index) =>
    (['body', 'response'] as const)
      .filter((part) => example[part] !== undefined)
      .map((part) => ({ name: `${example.op} #${index} ${part} (${example.source})`, part, example })),
  );

  it.each(cases)('$name validates and passes through unchanged', ({ part, example }) => {
    const schema = schemasOf(example.op)?.[part];
    expect(schema, `the operation declares a JSON ${part}`).toBeDefined();
    expect(issues(schema as Schema, example[part])).toEqual([]);
    expect((schema as Schema).parse(example[part])).toEqual(example[part]);
  });
});
