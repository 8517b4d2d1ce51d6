/**
 * A lossless JSON parser with Python `json.loads` semantics: ints and floats kept apart as `PyNumber` with their
 * source text, objects as insertion-ordered Maps (a duplicate key keeps its first position and takes the last value,
 * like a Python dict), and the non-standard `NaN`, `Infinity` and `-Infinity` accepted as Python accepts them.
 * (lossless-json keeps numbers exact but builds plain objects, which reorder integer-like keys such as "10" before
 * "a", and rejects NaN: both would change the bytes or the top hash of some real manifests.)
 */
import { type JsonObject, type JsonValue, PyNumber } from './json-value.js';

/** Text that is not JSON (as Python's `json.loads` reads it); the message gives the 1-based character position. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  /**
   * Creates a `JsonSyntaxError`.
   *
   * @param position 0-based offset of the character where parsing failed.
   */
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at character ${position + 1}`);
  }
}

const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SHORT_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Parse JSON as Python's `json.loads` does, losing nothing: numbers as {@link PyNumber} (int or float, source text
 * kept), objects as insertion-ordered Maps (a duplicate key: first position, last value).
 *
 * @throws `JsonSyntaxError` when the text is not JSON.
 */
export function parseJson(text: string): JsonValue {
  let pos = 0;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, pos);
  };
  const skipWhitespace = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else break;
    }
  };
  const literal = (word: string, value: JsonValue): JsonValue => {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return value;
    }
    return fail(`unexpected ${JSON.stringify(text.slice(pos, pos + 10))}`);
  };

  const parseString = (): string => {
    pos++; // opening quote
    let out = '';
    let start = pos;
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(start, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail('control character in string');
      if (c === 0x5c) {
        out += text.slice(start, pos);
        const e = text[pos + 1];
        if (e === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          pos += 6;
        } else if (e !== undefined && e in SHORT_ESCAPES) {
          out += SHORT_ESCAPES[e];
          pos += 2;
        } else {
          fail('invalid escape');
        }
        start = pos;
        continue;
      }
      pos++;
    }
  };

  const parseNumber = (): PyNumber => {
    NUMBER_PATTERN.lastIndex = pos;
    const match = NUMBER_PATTERN.exec(text);
    if (!match) return fail('invalid number');
    const token = match[0];
    pos += token.length;
    return new PyNumber(token, /[.eE]/.test(token) ? 'float' : 'int');
  };

  const parseValue = (depth: number): JsonValue => {
    if (depth > 1000) fail('nesting too deep');
    skipWhitespace();
    const c = text[pos];
    switch (c) {
      case '{': {
        pos++;
        const object: JsonObject = new Map();
        skipWhitespace();
        if (text[pos] === '}') {
          pos++;
          return object;
        }
        for (;;) {
          skipWhitespace();
          if (text[pos] !== '"') fail('expected a property name in double quotes');
          const key = parseString();
          skipWhitespace();
          if (text[pos] !== ':') fail("expected ':'");
          pos++;
          object.set(key, parseValue(depth + 1));
          skipWhitespace();
          if (text[pos] === ',') {
            pos++;
            continue;
          }
          if (text[pos] === '}') {
            pos++;
            return object;
          }
          fail("expected ',' or '}'");
        }
      }
      case '[': {
        pos++;
        const array: JsonValue[] = [];
        skipWhitespace();
        if (text[pos] === ']') {
          pos++;
          return array;
        }
        for (;;) {
          array.push(parseValue(depth + 1));
          skipWhitespace();
          if (text[pos] === ',') {
            pos++;
            continue;
          }
          if (text[pos] === ']') {
            pos++;
            return array;
          }
          fail("expected ',' or ']'");
        }
      }
      case '"':
        return parseString();
      case 't':
        return literal('true', true);
      case 'f':
        return literal('false', false);
      case 'n':
        return literal('null', null);
      case 'N':
        return literal('NaN', new PyNumber('NaN', 'float'));
      case 'I':
        return literal('Infinity', new PyNumber('Infinity', 'float'));
      case '-':
        if (text.startsWith('-Infinity', pos))
          return literal('-Infinity', new PyNumber('-Infinity', 'float'));
        return parseNumber();
      default:
        if (c !== undefined && c >= '0' && c <= '9') return parseNumber();
        return fail(c === undefined ? 'unexpected end of input' : `unexpected ${JSON.stringify(c)}`);
    }
  };

  const value = parseValue(0);
  skipWhitespace();
  if (pos !== text.length) fail('extra data after the JSON value');
  return value;
}
