/**
 * Fake conformance: every response the fake produced must validate against the spec (the generated zod schemas).
 * Call {@link expectJournalConforms} in `afterAll` (or at the end of a test) of every suite that uses the fake.
 */
import { expect } from 'vitest';
import { operationSchemas, operations, schemas } from '../../src/generated/index.js';
import type { FakeJournalEntry } from '../../src/mocks/index.js';

/** Problems with one journal entry, or [] when it conforms. */
export function conformanceProblems(entry: FakeJournalEntry): string[] {
  const where = `${entry.operationId} ${entry.method} ${entry.path} -> ${entry.status}`;
  // Injected faults (503 pages, a text 200...) are not the fake's own answers.
  if (entry.injected) return [];
  if (entry.status === 200) {
    if (entry.contentType.startsWith('text/plain')) {
      const op = (operations as Record<string, { responseType: string }>)[entry.operationId];
      return op?.responseType === 'text' ? [] : [`${where}: text/plain from an operation that answers JSON`];
    }
    const schema = (
      operationSchemas as Record<
        string,
        { response?: { safeParse(v: unknown): { success: boolean; error?: unknown } } }
      >
    )[entry.operationId]?.response;
    if (!schema) return [`${where}: no response schema`];
    const r = schema.safeParse(entry.response);
    return r.success ? [] : [`${where}: ${String(r.error)}`];
  }
  if ([400, 401, 404].includes(entry.status)) {
    if (entry.contentType.startsWith('text/html'))
      return entry.status === 400 ? [] : [`${where}: HTML error`];
    const r = schemas.ErrorEnvelope.safeParse(entry.response);
    return r.success ? [] : [`${where}: ${String(r.error)}`];
  }
  return [`${where}: the fake answered a status the spec does not declare`];
}

export function expectJournalConforms(journal: readonly FakeJournalEntry[]): void {
  const problems = journal.flatMap(conformanceProblems);
  expect(problems).toEqual([]);
}
