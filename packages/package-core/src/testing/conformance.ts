/**
 * The conformance hook: every answer a fake gives is checked against the service's spec (its generated zod
 * schemas), so a fake cannot drift from what the real service promises. On by default under a test runner.
 */

/** Anything with zod's `safeParse`. */
export interface SafeParser {
  /** Check a value: `success`, or the `error` describing what does not conform. */
  safeParse(value: unknown): { success: boolean; error?: unknown };
}

/** What the spec says about one answer. */
export type ExpectedAnswer =
  /** Validate the JSON body with this schema. */
  | { schema: SafeParser }
  /** A text answer is what the spec declares (e.g. `text/plain` logs). */
  | { text: true }
  /** Accepted without a body check (e.g. the empty 400 Rails gives for malformed JSON). */
  | { any: true };

/** Looks up the expectation for an answer; a string is the reason the answer is not allowed at all. */
export type ExpectationLookup = (answer: {
  operationId: string;
  status: number;
  contentType: string;
}) => ExpectedAnswer | string;

/** How failures surface. 'error': the fake answers 500 naming the problem (and records it); 'warn': records it. */
export type ConformanceMode = 'error' | 'warn' | 'off';

/** The default: on ('error') under vitest/jest or NODE_ENV=test, off elsewhere. */
export function defaultConformanceMode(): ConformanceMode {
  const env = typeof process !== 'undefined' ? process.env : undefined;
  return env && (env.VITEST || env.JEST_WORKER_ID || env.NODE_ENV === 'test') ? 'error' : 'off';
}

/** Counters and problems, for a test's assertions and the printed summary. */
export class Conformance {
  readonly mode: ConformanceMode;
  /** Answers checked so far. */
  checked = 0;
  /** One line per answer that did not conform. */
  readonly problems: string[] = [];
  private readonly lookup: ExpectationLookup;

  /**
   * Creates a `Conformance`.
   *
   * @param lookup What the spec expects of an answer: its schema, text, or a problem to report.
   * @param mode `'error'` checks every answer; `'off'` none (see {@link defaultConformanceMode}).
   */
  constructor(lookup: ExpectationLookup, mode: ConformanceMode = defaultConformanceMode()) {
    this.lookup = lookup;
    this.mode = mode;
  }

  /** Check one answer; returns the problem (also recorded), or undefined when it conforms or checks are off. */
  check(answer: {
    operationId: string;
    method: string;
    path: string;
    status: number;
    contentType: string;
    body: unknown;
  }): string | undefined {
    if (this.mode === 'off') return undefined;
    this.checked++;
    const where = `${answer.operationId} ${answer.method} ${answer.path} -> ${answer.status}`;
    const expected = this.lookup(answer);
    let problem: string | undefined;
    if (typeof expected === 'string') problem = `${where}: ${expected}`;
    else if ('schema' in expected) {
      const r = expected.schema.safeParse(answer.body);
      if (!r.success) problem = `${where}: ${String(r.error)}`;
    } else if ('text' in expected && typeof answer.body !== 'string') {
      problem = `${where}: expected a text answer`;
    }
    if (problem) this.problems.push(problem);
    return problem;
  }

  /** Forget the answers checked and the problems found. */
  reset(): void {
    this.checked = 0;
    this.problems.length = 0;
  }
}
