/**
 * Conversion between the manifest's lossless JSON model and the plain JS values users pass and receive as metadata.
 * Going in: integral JS numbers and bigints become Python ints (use `PyNumber.float(1)` to get `1.0`), other finite
 * numbers become floats, `undefined` properties are dropped as JSON.stringify does. Coming out: ints beyond 2^53
 * come back as bigint so nothing is silently rounded.
 */
import { type JsonValue, PyNumber } from './json-value.js';

/** A value that cannot be stored as JSON metadata (NaN, Infinity, a function, a symbol...); the message names its path. */
export class MetadataValueError extends Error {
  override name = 'MetadataValueError';
}

/**
 * A plain JS value as the lossless JSON model: integral numbers and bigints become Python ints, other finite numbers
 * floats, objects and Maps insertion-ordered Maps; `undefined` properties are dropped, `toJSON()` is honoured.
 *
 * @param path Where the value sits, for error messages (`$.meta.size`).
 * @throws {@link MetadataValueError} for a value JSON cannot hold.
 */
export function fromPlainJson(value: unknown, path = '$'): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof PyNumber) return value;
  if (typeof value === 'bigint') return PyNumber.int(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new MetadataValueError(`${path}: ${value} is not allowed in package metadata`);
    return Number.isInteger(value) && !Object.is(value, -0) ? PyNumber.int(value) : PyNumber.float(value);
  }
  if (Array.isArray(value)) return value.map((item, i) => fromPlainJson(item ?? null, `${path}[${i}]`));
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [String(k), fromPlainJson(v, `${path}.${String(k)}`)]));
  }
  if (typeof value === 'object') {
    const withToJson = value as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return fromPlainJson(withToJson.toJSON(), path);
    const map = new Map<string, JsonValue>();
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) map.set(k, fromPlainJson(v, `${path}.${k}`));
    }
    return map;
  }
  throw new MetadataValueError(`${path}: a ${typeof value} cannot be stored as JSON metadata`);
}

/** The lossless JSON model as plain JS values: Maps become objects, ints beyond 2^53 come back as bigint. */
export function toPlainJson(value: JsonValue): unknown {
  if (value instanceof PyNumber) {
    if (value.kind === 'float') return value.toNumber();
    const big = value.toBigInt();
    return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(big)
      : big;
  }
  if (Array.isArray(value)) return value.map(toPlainJson);
  // Object.fromEntries defines own properties, so a '__proto__' key cannot reach the prototype.
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, toPlainJson(v)]));
  return value;
}
