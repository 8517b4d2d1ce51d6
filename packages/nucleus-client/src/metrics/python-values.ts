import { MetricTypeError } from './errors.js';

/** Python's `repr`-ish rendering used by the filter pretty-printer (`'` later turned into `"` by the caller). */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : 'nan';
  if (Array.isArray(value)) return `[${value.map(pyStr).join(', ')}]`;
  if (value instanceof Set) return `{${[...value].map(pyStr).join(', ')}}`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyStr(k)}: ${pyStr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

const isNumeric = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';

/** Python `==` for JSON values (True == 1, lists and dicts compared by content). */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(
        (k) => k in b && pyEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return false;
}

/** Python ordering (`<`): numbers with numbers, strings with strings, lists element-wise; else TypeError. */
export function pyLess(a: unknown, b: unknown, op: string): boolean {
  if (isNumeric(a) && isNumeric(b)) return Number(a) < Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyLess(a[i], b[i], op);
    }
    return a.length < b.length;
  }
  throw new MetricTypeError(
    `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}

export function pyCompare(a: unknown, op: '>' | '>=' | '<' | '<=', b: unknown): boolean {
  switch (op) {
    case '<':
      return pyLess(a, b, op);
    case '>':
      return pyLess(b, a, op);
    case '<=':
      return pyLess(a, b, op) || pyEquals(a, b);
    case '>=':
      return pyLess(b, a, op) || pyEquals(a, b);
  }
}

/** `set(value)`: a string becomes the set of its characters (quirk 17), an iterable its elements. */
export function pySet(value: unknown): unknown[] {
  if (typeof value === 'string') return [...value];
  if (Array.isArray(value)) return value;
  if (value instanceof Set) return [...value];
  throw new MetricTypeError(`'${pyTypeName(value)}' object is not iterable`);
}

/** `x in set(value)`: unhashable x (lists, dicts) raise as in Python. */
export function pyIn(x: unknown, value: unknown): boolean {
  const members = pySet(value);
  if (x !== null && typeof x === 'object') throw new MetricTypeError(`unhashable type: '${pyTypeName(x)}'`);
  return members.some((m) => pyEquals(x, m));
}
