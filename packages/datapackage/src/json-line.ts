/**
 * Parsing one manifest line fast. The lossless parser (package-core's `parseJson`: Python's `json.loads` semantics,
 * ints and floats kept apart with their source text, objects as insertion-ordered Maps) walks the text one character
 * at a time in JavaScript: for a 10,000-entry manifest that was most of the time `install` spent before copying
 * anything, where the engine's `JSON.parse` takes a tenth of it. `JSON.parse` gives the same answer unless the line
 * has a number whose text it would not keep (a float, an exponent, `-0`, more than 15 digits), an integer-like key (a
 * plain object moves those first), deep nesting, or is not JSON at all (or is only Python's JSON: `NaN`, `Infinity`).
 * Those lines, and only those, go to the lossless parser, which also reports the syntax errors.
 */
import { type JsonObject, type JsonValue, PyNumber, parseJson } from '@mlclients/package-core/json';

/**
 * A JSON string (valid JSON only: a line `JSON.parse` accepted). It never crosses a line break, so a scan of many
 * lines at once sees each line's strings exactly as a scan of that line alone would.
 */
const STRING = /"[^"\\\n]*(?:\\.[^"\\\n]*)*"/g;
/** Outside strings, every number token (and nothing else: `true`, `false`, `null` have no digit or minus). */
const NUMBER_TOKEN = /-?[0-9][0-9.eE+-]*/g;
/** An int whose text `String(Number(text))` gives back exactly (not `-0`, at most 15 digits). */
const EXACT_INT = /^(?:0|-?[1-9][0-9]{0,14})$/;
/** Deeper than this goes to the lossless parser, which decides (it refuses nesting over 1,000). */
const MAX_FAST_DEPTH = 64;

/** Not representable without loss: use the lossless parser. */
const LOSSY = Symbol('lossy');

/**
 * The line's value exactly as `parseJson(line)` returns it (and its errors, for a line that is not JSON).
 * `numbersExact`: what {@link linesWithInexactNumbers} found for this line, when the caller scanned its whole text
 * (true: every number keeps its text); omitted, the line is scanned here.
 */
export function parseJsonLine(line: string, numbersExact?: boolean): JsonValue {
  const plain = parsePlainLine(line, numbersExact);
  // Not JSON for JSON.parse: parseJson throws the lossless parser's error (or accepts Python's NaN and Infinity).
  if (plain === undefined) return parseJson(line);
  const value = fromPlain(plain, 0);
  return value === LOSSY ? parseJson(line) : value;
}

/**
 * `JSON.parse(line)` when its numbers keep their text (every number an exact int), else undefined (not JSON for
 * `JSON.parse`, or another number): the caller then takes `parseJson`'s answer. `numbersExact` as in parseJsonLine.
 * Parts of the value become parseJson's answer through {@link plainToJson}.
 */
export function parsePlainLine(line: string, numbersExact?: boolean): unknown {
  if (numbersExact === false) return undefined;
  let plain: unknown;
  try {
    plain = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (numbersExact === undefined && linesWithInexactNumbers(line).size > 0) return undefined;
  return plain;
}

/**
 * The indexes of the lines of `text` (split on '\n') holding a number token whose text `JSON.parse` would not keep.
 * One scan of the whole text: for a manifest of exact ints only, a regular-expression pass instead of one per line.
 * Only meaningful for the lines `JSON.parse` accepts (in other lines, tokens are whatever the scan makes of them).
 */
export function linesWithInexactNumbers(text: string): Set<number> {
  const outsideStrings = text.replace(STRING, '""');
  const found = new Set<number>();
  const inexact = (part: string) => (part.match(NUMBER_TOKEN) ?? []).some((token) => !EXACT_INT.test(token));
  if (!inexact(outsideStrings)) return found;
  // Strings never span lines, so the lines of the scanned text are the lines of `text`.
  outsideStrings.split('\n').forEach((line, index) => {
    if (inexact(line)) found.add(index);
  });
  return found;
}

/**
 * What `parseJsonLine` gives for this part of a line JSON.parse read (at this nesting depth), or undefined when that
 * needs the lossless parser (an integer-like key, deep nesting). Only for lines whose numbers keep their text.
 */
export function plainToJson(value: unknown, depth: number): JsonValue | undefined {
  const converted = fromPlain(value, depth);
  return converted === LOSSY ? undefined : converted;
}

/** True for a key a plain object orders before the others (an array index: integer-like, below 2^32 - 1). */
function isIndexKey(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 0x30 && first <= 0x39 && /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

function fromPlain(value: unknown, depth: number): JsonValue | typeof LOSSY {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return new PyNumber(String(value), 'int'); // every token checked: an exact int
  if (depth >= MAX_FAST_DEPTH) return LOSSY;
  if (Array.isArray(value)) {
    const array: JsonValue[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = fromPlain(value[i], depth + 1);
      if (item === LOSSY) return LOSSY;
      array[i] = item;
    }
    return array;
  }
  const object: JsonObject = new Map();
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (isIndexKey(key)) return LOSSY;
    const item = fromPlain(record[key], depth + 1);
    if (item === LOSSY) return LOSSY;
    object.set(key, item);
  }
  return object;
}
