/**
 * Request and response validation with the generated zod schemas. Request problems throw `MissingParamError`
 * before anything is sent, one line per problem (`trials[3].score: expected number, got string`). Responses are
 * checked per the client's mode; generated objects are loose, so unknown properties pass through, and the caller
 * always gets the body as received (never a re-built copy).
 */
import type { z } from 'zod';
import type { Logger } from '../client/logger.js';
import type { ValidateMode } from '../client/options.js';
import type { Redactor } from '../client/redact.js';
import { MissingParamError, ResponseValidationError, type ValidationIssue } from '../errors.js';

/** Generated zod schemas of one operation (codegen's `operationSchemas[operationId]`). */
export interface OperationSchema {
  readonly path?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response?: z.ZodType;
}

/** Codegen's `operationSchemas`. */
export type OperationSchemas = Readonly<Record<string, OperationSchema>>;

/** Longest list of problems spelled out in a message (the rest are counted). */
const MAX_ISSUES_IN_MESSAGE = 10;

/** `['trials', 3, 'score']` -> `trials[3].score`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || '(root)';
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** zod issues -> readable {path, message} pairs. */
export function toIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    const path = formatPath([...prefix, ...issue.path]);
    const input = (issue as { input?: unknown }).input;
    if (issue.code === 'invalid_type') {
      out.push({
        path,
        message:
          input === undefined
            ? `required (expected ${issue.expected})`
            : `expected ${issue.expected}, got ${typeName(input)}`,
      });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      out.push({ path, message: `does not match any allowed shape (${issue.message})` });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

/** One message listing the issues. */
export function issuesMessage(title: string, issues: readonly ValidationIssue[]): string {
  const lines = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((i) => `  ${i.path}: ${i.message}`);
  if (issues.length > MAX_ISSUES_IN_MESSAGE)
    lines.push(`  ... and ${issues.length - MAX_ISSUES_IN_MESSAGE} more`);
  return `${title}\n${lines.join('\n')}`;
}

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
  redactor?: Redactor,
): void {
  if (!schema) return;
  const issues: ValidationIssue[] = [];
  check(schema.path, parts.path ?? {}, issues);
  if (schema.query) check(schema.query, parts.query ?? {}, issues);
  if (schema.body && parts.body !== undefined) check(schema.body, parts.body, issues);
  if (issues.length > 0) {
    throw new MissingParamError(issuesMessage(`${operation}: invalid request parameters`, issues), issues, {
      operation,
      attempts: 0,
      redactor,
    });
  }
}

function check(schema: z.ZodType | undefined, value: unknown, issues: ValidationIssue[]): void {
  if (!schema) return;
  const r = schema.safeParse(value, { reportInput: true });
  if (!r.success) issues.push(...toIssues(r.error.issues));
}

/**
 * Check a 2xx body. `'error'` throws `ResponseValidationError`, `'warn'` logs, `'off'` skips.
 */
export function validateResponse(
  operation: string,
  schema: z.ZodType | undefined,
  body: unknown,
  mode: ValidateMode,
  logger: Logger,
  redactor?: Redactor,
): void {
  if (!schema || mode === 'off') return;
  const r = schema.safeParse(body, { reportInput: true });
  if (r.success) return;
  const issues = toIssues(r.error.issues);
  const message = issuesMessage(`${operation}: the response does not match the spec`, issues);
  if (mode === 'error') throw new ResponseValidationError(message, issues, body, { operation, redactor });
  logger.warn(redactor ? redactor.string(message) : message);
}
