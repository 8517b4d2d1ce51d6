/**
 * The JSON value model used for manifests. Python's `json` keeps ints and floats apart and keeps ints exact, and
 * quilt3 preserves key insertion order; a plain JS object can do neither (integer-like keys are reordered, 1.0 === 1),
 * so manifests are held as Maps and `PyNumber`s and converted to plain values only at the public API boundary.
 */
export type JsonValue = null | boolean | string | PyNumber | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

/** A JSON number as Python reads it: `int` (arbitrary precision) when the token has no '.', 'e' or 'E', else `float`. */
export class PyNumber {
  /** A number from its JSON token; {@link PyNumber.int} and {@link PyNumber.float} make one from a JS value. */
  constructor(
    /** The source token (or a canonical rendering for numbers made in JS). */
    readonly text: string,
    /** Python's type for the token. */
    readonly kind: 'int' | 'float',
  ) {}

  /** A Python int (throws a RangeError for a non-integral number, as `BigInt()` does). */
  static int(value: number | bigint): PyNumber {
    return new PyNumber(BigInt(value).toString(), 'int');
  }

  /** A float even when the value is integral (JS `1.0` is indistinguishable from `1`; this is how to ask for `1.0`). */
  static float(value: number): PyNumber {
    // String(-0) is '0': keep the sign, as Python's repr (-0.0) does.
    return new PyNumber(Object.is(value, -0) ? '-0' : String(value), 'float');
  }

  /** The value as a JS number (ints beyond 2^53 lose precision: use `toBigInt`). */
  toNumber(): number {
    return Number(this.text);
  }

  /** The value as a bigint (exact for any int; throws a SyntaxError for a float token). */
  toBigInt(): bigint {
    return BigInt(this.text);
  }
}

/** Python truthiness, which decides whether quilt3 writes a directory-metadata line. */
export function isTruthy(value: JsonValue): boolean {
  if (value === null || value === false || value === '') return false;
  if (value instanceof PyNumber) return value.toNumber() !== 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  return true;
}

/** Deep copy, so a Package never shares mutable state with a builder. */
export function cloneJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, cloneJson(v)]));
  return value;
}
