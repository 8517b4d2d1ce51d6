/**
 * The shape every call's params must have, checked before validation and before anything is sent: a plain object
 * (a string would be spread into `{"0": "x"}`), and no `NaN` or `±Infinity` anywhere in it (`JSON.stringify` turns
 * them into `null`, and the schema check reports them as "expected number, got number").
 */
import { MissingParamError } from '../core/errors.js';

/** Depth the walk for non-finite numbers goes to; deeper values are the server's business, not a typo. */
const MAX_DEPTH = 64;

/** Throw a {@link MissingParamError} naming `params` or the first non-finite number's path. */
export function checkRequestParams(operation: string, params: unknown): void {
  if (params === undefined || params === null) return;
  if (typeof params !== 'object' || Array.isArray(params)) {
    const got = Array.isArray(params) ? 'array' : typeof params;
    throw new MissingParamError(
      `${operation}: params: expected an object of named parameters, got ${got}`,
      [{ path: 'params', message: `expected object, got ${got}` }],
      { operation, attempts: 0 },
    );
  }
  const bad = findNonFinite(params, '', 0);
  if (bad) {
    throw new MissingParamError(
      `${operation}: ${bad.path}: expected a finite number, got ${bad.value}`,
      [{ path: bad.path, message: `expected a finite number, got ${bad.value}` }],
      { operation, attempts: 0 },
    );
  }
}

function findNonFinite(
  value: unknown,
  path: string,
  depth: number,
): { path: string; value: number } | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, value };
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonFinite(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  // for-in over a plain object (checked above) visits its own enumerable keys, with no entries array per call.
  for (const k in value) {
    const found = findNonFinite((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1);
    if (found) return found;
  }
  return undefined;
}
