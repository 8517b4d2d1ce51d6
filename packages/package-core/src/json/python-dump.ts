/**
 * The two Python `json` encodings quilt3 uses:
 * - `dumpManifestJson`: a manifest line (`ensure_ascii=False`, separators `", "`/`": "`, insertion order);
 * - `canonicalJson`: the top-hash input (`sort_keys=True`, separators `,`/`:`, `ensure_ascii=True`).
 */
import { type JsonValue, PyNumber } from './json-value.js';
import { pythonFloatRepr } from './python-float.js';

/** A value quilt3 would refuse to write (NaN or Infinity in a manifest). */
export class JsonEncodeError extends Error {
  override name = 'JsonEncodeError';
}

function renderNumber(number: PyNumber, allowNonFinite: boolean): string {
  if (number.kind === 'int') return BigInt(number.text).toString(); // '-0' -> '0', like Python int
  const text = pythonFloatRepr(Number(number.text));
  if (!allowNonFinite && /[NI]/.test(text)) {
    throw new JsonEncodeError(`${text} cannot be written to a manifest (quilt3 refuses NaN and Infinity)`);
  }
  return text;
}

const SHORT_ESCAPES: Record<number, string> = {
  34: '\\"',
  92: '\\\\',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
};

/** Strings pythonJsonString writes as they are: no quote, backslash or control; with `asciiOnly`, printable ASCII. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must be escaped
const PLAIN = /^[^"\\\u0000-\u001f]*$/;
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Python's string encoder; with `asciiOnly`, every code unit >= U+007F becomes `\uxxxx` (surrogate pairs for astral). */
export function pythonJsonString(value: string, asciiOnly: boolean): string {
  // The usual string needs no escape: one regular expression (machine code from the first call) says so, where the
  // loop below runs interpreted in a fresh process (a CLI writing a 10,000-entry manifest) for most of its strings.
  if ((asciiOnly ? PLAIN_ASCII : PLAIN).test(value)) return `"${value}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (c < 0x7f || !asciiOnly)) continue;
    out += value.slice(start, i);
    out += SHORT_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
    start = i + 1;
  }
  return `${out}${value.slice(start)}"`;
}

/** Code-point order (Python str order), not the UTF-16 order of `Array.prototype.sort`. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after U+E000..U+FFFF in code-point order.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** One manifest line's JSON (no newline), byte-for-byte what quilt3's jsonlines writer produces. */
export function dumpManifestJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return pythonJsonString(value, false);
  if (value instanceof PyNumber) return renderNumber(value, false);
  if (Array.isArray(value)) return `[${value.map(dumpManifestJson).join(', ')}]`;
  const parts: string[] = [];
  for (const [key, item] of value) parts.push(`${pythonJsonString(key, false)}: ${dumpManifestJson(item)}`);
  return `{${parts.join(', ')}}`;
}

/**
 * `json.dumps(value)` with Python's defaults: insertion order, separators `", "`/`": "`, `ensure_ascii=True`, and
 * NaN/Infinity written as Python writes them (`allow_nan=True`). This is what pyspacer stores for its messages.
 */
export function dumpPythonJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return pythonJsonString(value, true);
  if (value instanceof PyNumber) return renderNumber(value, true);
  if (Array.isArray(value)) return `[${value.map(dumpPythonJson).join(', ')}]`;
  const parts: string[] = [];
  for (const [key, item] of value) parts.push(`${pythonJsonString(key, true)}: ${dumpPythonJson(item)}`);
  return `{${parts.join(', ')}}`;
}

/** The canonical form hashed into the top hash. */
export function canonicalJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return pythonJsonString(value, true);
  if (value instanceof PyNumber) return renderNumber(value, true);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = [...value.keys()].sort(compareCodePoints);
  return `{${keys.map((key) => `${pythonJsonString(key, true)}:${canonicalJson(value.get(key) as JsonValue)}`).join(',')}}`;
}
