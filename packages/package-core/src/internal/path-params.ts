/**
 * The path-parameter rule, checked before anything is sent: every parameter present, and none that would move the
 * request to another endpoint once the URL is normalised. openapi-fetch percent-encodes values with
 * `encodeURIComponent` (so `/`, `?`, `#` stay inside their segment), but `.` and `..` survive encoding and a URL
 * parser resolves them: `endpoints/{id}` with `..` would become the unscoped collection.
 */
import { MissingParamError } from '../core/errors.js';
import type { OperationEntry } from '../resource/table.js';

/** Segments that URL resolution removes or climbs out of. */
const DOT_SEGMENTS = new Set(['.', '..']);

/** Throw a {@link MissingParamError} naming the first path parameter that is missing, empty, a dot segment or not a finite number. */
export function checkPathParams(
  op: Pick<OperationEntry, 'operationId' | 'pathParams'>,
  path: Readonly<Record<string, unknown>> | undefined,
): void {
  for (const name of op.pathParams) {
    const value = path?.[name];
    if (value === undefined || value === null || value === '') {
      throw refuse(op.operationId, name, 'required', `missing path parameter \`${name}\``);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw refuse(op.operationId, name, `expected a finite number, got ${value}`);
    }
    if (typeof value === 'string' && DOT_SEGMENTS.has(value)) {
      throw refuse(op.operationId, name, `'${value}' is not allowed (it would address another endpoint)`);
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
      throw refuse(op.operationId, name, `expected a string or number, got ${describe(value)}`);
    }
  }
}

function refuse(operation: string, name: string, problem: string, message?: string): MissingParamError {
  return new MissingParamError(
    `${operation}: ${message ?? `path parameter \`${name}\`: ${problem}`}`,
    [{ path: name, message: problem }],
    { operation, attempts: 0 },
  );
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}
