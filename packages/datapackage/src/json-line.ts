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
 * The indexes of the lines of `text` (split on '\n') holding a number token whose text `JSON.parse` would not keep:
 * a token (outside strings, from a '-' or digit on over `[0-9.eE+-]`) other than `0` or `-?[1-9][0-9]{0,14}` (a
 * float, an exponent, `-0`, more than 15 digits). Only meaningful for the lines `JSON.parse` accepts; in others it may
 * find anything, but a string is never taken past the end of its line, so they do not change what the next lines
 * give. One pass over the whole text in a loop the engine optimises: a regular expression per line, or over the
 * whole text, cost 3 to 5 times more for a 10,000-line manifest.
 */
export function linesWithInexactNumbers(text: string): Set<number> {
  const found = new Set<number>();
  const length = text.length;
  let line = 0;
  /** The next line break at or after the string being skipped (recomputed once passed). */
  let newline = -1;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // A string: to its closing quote (one not escaped by an odd run of backslashes), or to the end of its line.
      // indexOf jumps over the characters between, where most of a manifest's text is.
      if (newline < i) {
        newline = text.indexOf('\n', i);
        if (newline === -1) newline = length;
      }
      let quote = text.indexOf('"', i + 1);
      for (;;) {
        if (quote === -1 || quote > newline) {
          i = newline; // cut by the end of its line (or the text), which ends it
          if (i < length) line++;
          break;
        }
        let backslashes = 0;
        while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) {
          i = quote;
          break;
        }
        quote = text.indexOf('"', quote + 1);
      }
    } else if (c === NEWLINE) {
      line++;
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      const start = i;
      let digits = 0;
      let exact = true;
      for (; i < length; i++) {
        const d = text.charCodeAt(i);
        if (d >= DIGIT_0 && d <= DIGIT_9) digits++;
        else if (d === MINUS) exact &&= i === start;
        else if (d === DOT || d === LOWER_E || d === UPPER_E || d === PLUS) exact = false;
        else break;
      }
      i--; // the character after the token is looked at again
      const first = text.charCodeAt(c === MINUS ? start + 1 : start);
      // `0` alone, or up to 15 digits not starting with 0 (so `-0` and `01` are not exact).
      if (!exact || digits === 0 || digits > 15 || (first === DIGIT_0 && (digits > 1 || c === MINUS)))
        found.add(line);
    }
  }
  return found;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

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
