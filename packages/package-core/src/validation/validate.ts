/**
 * Request and response validation with the generated zod schemas. Request problems throw `MissingParamError`
 * before anything is sent, one line per problem (`trials[3].score: expected number, got string`). Responses are
 * checked per the client's mode: `'warn'` logs each failing field once (see warn-once.ts), `'error'` throws
 * `ResponseValidationError`. Generated objects are loose, so unknown properties pass through, and the caller always
 * gets the body as received (never a re-built copy).
 */
import type { $ZodIssue, $ZodType } from 'zod/v4/core';
import { MissingParamError, ResponseValidationError, type ValidationIssue } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ValidateMode } from '../core/options.js';
import { defaultRedactor, type Redactor } from '../internal/redact.js';
import { issuesMessage, toIssues } from './issues.js';
import { warnOnce } from './warn-once.js';

export { formatPath, issuesMessage, toIssues } from './issues.js';

/**
 * A zod 4 schema, classic (`zod`) or `zod/mini` (what codegen emits): both carry their own `safeParse`. Calling it
 * means this module imports no zod code of its own, so it ships in the root bundle with no lazy chunk split off it;
 * zod itself still loads only with the generated schemas, on a client's first validated call (load.ts).
 */
export type ParsableSchema = $ZodType & {
  /** Check a value: `success`, or the issues found. */
  safeParse(
    value: unknown,
    context?: { reportInput?: boolean },
  ): { success: true } | { success: false; error: { issues: $ZodIssue[] } };
};

/** Generated zod schemas of one operation (codegen's `operationSchemas[operationId]`). */
export interface OperationSchema {
  readonly path?: ParsableSchema;
  readonly query?: ParsableSchema;
  readonly body?: ParsableSchema;
  readonly response?: ParsableSchema;
}

/** Codegen's `operationSchemas` (its entries are built on first read). */
export type OperationSchemas = Readonly<Record<string, OperationSchema>>;

/** The parts of a request, as split from the caller's params. */
export interface RequestParts {
  path: Record<string, unknown> | undefined;
  query: Record<string, unknown> | undefined;
  body: unknown;
}

/** Throws `MissingParamError` listing every problem in the path params, query and body. */
export function validateRequest(
  operation: string,
  schema: OperationSchema | undefined,
  parts: RequestParts,
  redactor: Redactor = defaultRedactor,
): void {
  if (!schema) return;
  const issues: ValidationIssue[] = [];
  check(schema.path, parts.path ?? {}, issues);
  if (schema.query) check(schema.query, parts.query ?? {}, issues);
  if (schema.body && parts.body !== undefined) check(schema.body, parts.body, issues);
  if (issues.length > 0) {
    const redacted = redactIssues(issues, redactor);
    throw new MissingParamError(
      issuesMessage(`${operation}: invalid request parameters`, redacted),
      redacted,
      {
        operation,
        attempts: 0,
        redactor,
      },
    );
  }
}

function check(schema: ParsableSchema | undefined, value: unknown, issues: ValidationIssue[]): void {
  if (!schema) return;
  const found = failures(schema, value);
  if (found) issues.push(...toIssues(found));
}

/**
 * The issues of a value that fails its schema, or undefined when it passes. The check runs without `reportInput`
 * first: asking zod for the received values switches off its compiled fast path (5x slower on a small object), and
 * almost every value passes. Only a failing value is checked again, with the inputs the messages quote (`got null`).
 */
function failures(schema: ParsableSchema, value: unknown): $ZodIssue[] | undefined {
  if (schema.safeParse(value).success) return undefined;
  const r = schema.safeParse(value, { reportInput: true });
  return r.success ? undefined : r.error.issues;
}

/**
 * Check a 2xx body. `'error'` throws `ResponseValidationError`; `'warn'` logs each failing field once per
 * operation through `logger` (one logger per client) and lets the data through; `'off'` skips.
 */
export function validateResponse(
  operation: string,
  schema: ParsableSchema | undefined,
  body: unknown,
  mode: ValidateMode,
  logger: Logger,
  redactor: Redactor = defaultRedactor,
): void {
  if (!schema || mode === 'off') return;
  const found = failures(schema, body);
  if (!found) return;
  const issues = redactIssues(toIssues(found), redactor);
  if (mode === 'error') {
    const message = issuesMessage(`${operation}: the response does not match the spec`, issues);
    throw new ResponseValidationError(message, issues, body, { operation, redactor });
  }
  warnOnce(logger, operation, issues, redactor);
}

/** Messages may quote a received value; a secret the client knows never leaves in one. */
function redactIssues(issues: readonly ValidationIssue[], redactor: Redactor): ValidationIssue[] {
  return issues.map((i) => ({ path: redactor.string(i.path), message: redactor.string(i.message) }));
}
