/**
 * Every example payload written from the fact sheet (test/fixtures/fact-sheet-examples.ts, one or more per operation)
 * validates against the zod schemas generated from openapi/nucleus.yaml, and comes back unchanged (unknown fields
 * kept, nothing coerced). Every operation has an example of each part its spec declares.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { operationSchemas, operations } from '../src/generated/index.js';
import { examples } from './fixtures/fact-sheet-examples.js';

type Parts = { body?: z.ZodType; response?: z.ZodType };
const schemasOf = (op: string): Parts | undefined => (operationSchemas as Record<string, Parts>)[op];

function issues(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('fact sheet example payloads', () => {
  it('name only operations of the spec', () => {
    const unknown = examples.filter((e) => !(e.op in operations)).map((e) => e.op);
    expect(unknown).toEqual([]);
  });

  it('cover every operation: a request example where it has a body, a response example always', () => {
    const missing: string[] = [];
    for (const [id, op] of Object.entries(operations)) {
      const mine = examples.filter((e) => e.op === id);
      if (op.body && !mine.some((e) => e.body !== undefined)) missing.push(`${id} body`);
      if (!mine.some((e) => e.response !== undefined)) missing.push(`${id} response`);
    }
    expect(missing).toEqual([]);
  });

  describe.each(
    examples.map((e, i) => [`${e.op} #${i} (${e.source})`, e] as const),
  )('%s', (_name, example) => {
    const schemas = schemasOf(example.op);

    it.runIf(example.body !== undefined)('request body validates and is kept as sent', () => {
      expect(schemas?.body, 'the operation declares a body').toBeDefined();
      const body = schemas?.body as z.ZodType;
      expect(issues(body, example.body)).toEqual([]);
      expect(body.parse(example.body)).toEqual(example.body);
    });

    it.runIf(example.response !== undefined)('response validates and passes through unchanged', () => {
      expect(schemas?.response, 'the operation declares a JSON response').toBeDefined();
      const response = schemas?.response as z.ZodType;
      expect(issues(response, example.response)).toEqual([]);
      expect(response.parse(example.response)).toEqual(example.response);
    });
  });
});
