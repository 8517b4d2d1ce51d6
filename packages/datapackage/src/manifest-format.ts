/**
 * Reading and writing quilt3's JSONL manifest. The writer reproduces quilt3's bytes: Python default separators, raw
 * UTF-8, keys in insertion order for the header and quilt3's fixed order for entries, a '\n' after every line, lines
 * in tree order (header, directory-meta lines, entry lines).
 */

import {
  dumpManifestJson,
  isTruthy,
  type JsonObject,
  JsonSyntaxError,
  type JsonValue,
  PyNumber,
  pythonJsonString,
} from '@mlclients/package-core/json';
import { ManifestFormatError } from './errors.js';
import { linesWithInexactNumbers, parseJsonLine, parsePlainLine, plainToJson } from './json-line.js';
import { compareTreeOrder } from './logical-key.js';
import { Manifest, type ManifestEntry } from './manifest.js';

/** Options of {@link readManifest}. */
export interface ReadManifestOptions {
  /** Accept entry lines without `meta` (quilt-rs does, quilt3 does not). Default false. */
  lenient?: boolean;
}

/** Default per-line limit, `DEFAULT_MANIFEST_MAX_RECORD_SIZE` in quilt3 (S3 Select and Athena need it). */
export const MANIFEST_MAX_RECORD_SIZE = 1_000_000;

/** Parse a quilt3 JSONL manifest (a header line, then one line per entry). */
export function readManifest(input: string | Uint8Array, options: ReadManifestOptions = {}): Manifest {
  // ignoreBOM keeps a leading byte-order mark in the text, so that bytes with one are refused as a string with one is
  // (quilt3 refuses both; TextDecoder would otherwise drop it silently).
  const text =
    typeof input === 'string'
      ? input
      : new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
  if (text.charCodeAt(0) === 0xfeff) throw new ManifestFormatError('starts with a byte-order mark', 1);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new ManifestFormatError('the manifest is empty');

  const limit = recordSizeLimit();
  // Which lines have a number JSON.parse would not keep: one scan of the text instead of one per line, made when the
  // first entry line that is not in quilt3's exact shape needs it (lines in that shape have no such number).
  let inexact: Set<number> | undefined;
  const inexactLines = () => {
    inexact ??= linesWithInexactNumbers(text);
    return inexact;
  };
  const lineText = (index: number): string => {
    const raw = lines[index] as string;
    const line = raw.charCodeAt(raw.length - 1) === 0x0d ? raw.slice(0, -1) : raw;
    // The limit the writer enforces, so that whatever is read can be written again (install record, push).
    if (line.length > limit / 4 && Buffer.byteLength(line) > limit) {
      throw new ManifestFormatError(
        `the line is ${Buffer.byteLength(line)} bytes; quilt3 allows ${limit} (QUILT_MANIFEST_MAX_RECORD_SIZE)`,
        index + 1,
      );
    }
    return line;
  };
  const parseLine = (index: number, line: string): JsonObject => {
    if (line.trim() === '') throw new ManifestFormatError('blank line', index + 1);
    let value: JsonValue;
    try {
      // parseJson's answer, through JSON.parse where that loses nothing (a line not scanned yet is scanned on its own)
      value = parseJsonLine(line, inexact && !inexact.has(index));
    } catch (error) {
      if (error instanceof JsonSyntaxError) throw new ManifestFormatError(error.message, index + 1);
      throw error;
    }
    if (!(value instanceof Map)) throw new ManifestFormatError('expected a JSON object', index + 1);
    return value;
  };

  const header = parseLine(0, lineText(0));
  header.delete('top_hash'); // obsolete since quilt PR #130; never hashed
  const manifest = new Manifest(header);

  for (let i = 1; i < lines.length; i++) {
    const line = lineText(i);
    const entry =
      quilt3Entry(line) ??
      (inexactLines().has(i) ? undefined : ordinaryEntry(line)) ??
      entryOfLine(parseLine(i, line), i + 1, manifest, options);
    if (entry === undefined) continue; // a directory line
    if (manifest.has(entry.logicalKey)) {
      throw new ManifestFormatError(`duplicate logical key ${JSON.stringify(entry.logicalKey)}`, i + 1);
    }
    try {
      manifest.set(entry);
    } catch (error) {
      throw new ManifestFormatError((error as Error).message, i + 1);
    }
  }
  return manifest;
}

/** A JSON string without escapes or control characters: its text between the quotes is its value. */
const PLAIN_STRING = '"([^"\\\\\\x00-\\x1f]*)"';

/**
 * An entry line exactly as quilt3 and datapkg write most of them: one physical key, a size of at most 15 digits (an
 * exact int), a `{type, value}` hash, empty meta, Python's separators, and strings without escapes.
 */
const QUILT3_ENTRY_LINE = new RegExp(
  `^\\{"logical_key": ${PLAIN_STRING}, "physical_keys": \\[${PLAIN_STRING}\\], "size": (0|[1-9][0-9]{0,14}), ` +
    `"hash": \\{"type": ${PLAIN_STRING}, "value": ${PLAIN_STRING}\\}, "meta": \\{\\}\\}$`,
);

/**
 * The entry of a line in quilt3's usual shape (QUILT3_ENTRY_LINE), read with one regular expression: no object per
 * line from JSON.parse to check and convert, the most of a large manifest's read time and garbage. The same entry as
 * the general path gives that line; undefined for any other line. @internal exported for its test
 */
export function quilt3Entry(line: string): ManifestEntry | undefined {
  const match = QUILT3_ENTRY_LINE.exec(line);
  if (match === null) return undefined;
  const hash: JsonObject = new Map();
  hash.set('type', match[4] as string);
  hash.set('value', match[5] as string);
  return {
    logicalKey: match[1] as string,
    physicalKey: match[2] as string,
    size: Number(match[3]),
    hash,
    meta: new Map(),
  };
}

/**
 * The entry of a line as quilt3 writes them (exactly `logical_key`, `physical_keys` (strings), `size` (non-negative
 * or null), `hash` and `meta` (objects or null), every number an exact int), straight from JSON.parse's object: no
 * Map for the line and no PyNumber for its size; only the kept hash and meta become parseJson's Maps. Undefined for
 * any other line (and for anything unusual in these): `entryOfLine` decides it, with its errors.
 */
function ordinaryEntry(line: string): ManifestEntry | undefined {
  const plain = parsePlainLine(line, true);
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) return undefined;
  const fields = plain as Record<string, unknown>;
  const { logical_key: logicalKey, physical_keys: physicalKeys, size, hash, meta } = fields;
  if (
    typeof logicalKey !== 'string' ||
    !Array.isArray(physicalKeys) ||
    physicalKeys.length === 0 ||
    !(physicalKeys.length === 1
      ? typeof physicalKeys[0] === 'string'
      : physicalKeys.every((key) => typeof key === 'string')) ||
    !(size === null || (typeof size === 'number' && size >= 0)) ||
    !isPlainObjectOrNull(hash) ||
    !isPlainObjectOrNull(meta) ||
    Object.keys(fields).length !== 5 // nothing else (whatever it holds, the general path reads it)
  )
    return undefined;
  // Depth 1: the values of the line's own fields, as parseJsonLine converts them.
  const hashValue = hash === null ? null : (typeAndValue(hash as object) ?? plainToJson(hash, 1));
  const metaValue =
    meta === null || isEmpty(meta as object) ? new Map<string, JsonValue>() : plainToJson(meta, 1);
  if (hashValue === undefined || metaValue === undefined) return undefined;
  return {
    logicalKey,
    physicalKey: physicalKeys[0] as string,
    size,
    hash: hashValue as JsonObject | null,
    meta: metaValue as JsonObject,
  };
}

/** The usual hash, `{"type": string, "value": string}` in that order, as parseJson's Map (else undefined). */
function typeAndValue(hash: object): JsonObject | undefined {
  const { type, value } = hash as Record<string, unknown>;
  if (typeof type !== 'string' || typeof value !== 'string') return undefined;
  let count = 0;
  for (const key in hash) {
    if (key !== (count === 0 ? 'type' : count === 1 ? 'value' : undefined)) return undefined;
    count++;
  }
  const map: JsonObject = new Map();
  map.set('type', type);
  map.set('value', value);
  return map;
}

function isEmpty(object: object): boolean {
  for (const _ in object) return false;
  return true;
}

function isPlainObjectOrNull(value: unknown): boolean {
  return value === null || (typeof value === 'object' && !Array.isArray(value));
}

/** The entry of a parsed line (undefined for a directory line, whose metadata is recorded), or its error. */
function entryOfLine(
  line: JsonObject,
  lineNumber: number,
  manifest: Manifest,
  options: ReadManifestOptions,
): ManifestEntry | undefined {
  const logicalKey = line.get('logical_key');
  if (typeof logicalKey !== 'string')
    throw new ManifestFormatError("'logical_key' must be a string", lineNumber);
  const physicalKeys = line.get('physical_keys');
  if (!Array.isArray(physicalKeys) || physicalKeys.length === 0) {
    const directory = logicalKey.replace(/\/+$/, '');
    const meta = line.get('meta') ?? null;
    if (directory === '') manifest.header.set('user_meta', meta);
    else manifest.directoryMeta.set(directory, meta);
    return undefined;
  }
  const physicalKey = physicalKeys[0];
  if (typeof physicalKey !== 'string') {
    throw new ManifestFormatError(
      `'physical_keys' of ${JSON.stringify(logicalKey)} must hold URLs`,
      lineNumber,
    );
  }
  for (const field of ['size', 'hash', 'meta']) {
    if (!line.has(field) && !(field === 'meta' && options.lenient)) {
      throw new ManifestFormatError(
        `entry ${JSON.stringify(logicalKey)} has no '${field}' (quilt3 requires it)`,
        lineNumber,
      );
    }
  }
  const size = line.get('size');
  if (
    size !== null &&
    !(size instanceof PyNumber && Number.isFinite(size.toNumber()) && size.toNumber() >= 0)
  ) {
    throw new ManifestFormatError(
      `'size' of ${JSON.stringify(logicalKey)} must be a non-negative number`,
      lineNumber,
    );
  }
  const hash = line.get('hash');
  if (hash !== null && !(hash instanceof Map)) {
    throw new ManifestFormatError(
      `'hash' of ${JSON.stringify(logicalKey)} must be an object or null`,
      lineNumber,
    );
  }
  const meta = line.get('meta') ?? null;
  if (isTruthy(meta) && !(meta instanceof Map)) {
    throw new ManifestFormatError(`'meta' of ${JSON.stringify(logicalKey)} must be an object`, lineNumber);
  }
  return {
    logicalKey,
    physicalKey,
    size: size === null ? null : size.toNumber(),
    hash: hash as JsonObject | null,
    meta: meta instanceof Map ? meta : new Map(), // quilt3: `meta or {}`
  };
}

function recordSizeLimit(): number {
  const fromEnv = Number(process.env.QUILT_MANIFEST_MAX_RECORD_SIZE);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : MANIFEST_MAX_RECORD_SIZE;
}

/** Every line of the manifest in write order, without newlines. */
export function* manifestLines(manifest: Manifest): Generator<string> {
  const limit = recordSizeLimit();
  const checked = (line: string, what: string): string => {
    if (line.length > limit / 4 && Buffer.byteLength(line) > limit) {
      throw new ManifestFormatError(
        `the manifest line for ${what} is ${Buffer.byteLength(line)} bytes; quilt3 allows ${limit} (QUILT_MANIFEST_MAX_RECORD_SIZE)`,
      );
    }
    return line;
  };
  yield checked(dumpManifestJson(manifest.header), 'the header');
  const directories = [...manifest.directoryMeta.keys()].sort(compareTreeOrder);
  for (const directory of directories) {
    const meta = manifest.directoryMeta.get(directory) as JsonValue;
    if (!isTruthy(meta)) continue;
    const line = new Map<string, JsonValue>([
      ['logical_key', `${directory}/`],
      ['meta', meta],
    ]);
    yield checked(dumpManifestJson(line), `${directory}/`);
  }
  for (const entry of manifest.sortedEntries()) yield checked(entryLine(entry), entry.logicalKey);
}

/**
 * `dumpManifestJson` of an entry line (`logical_key`, `physical_keys`, `size`, `hash`, `meta`, in quilt3's order),
 * built without the Map of the line: for a large manifest that Map and its generic encoding were most of the write.
 */
function entryLine(entry: ManifestEntry): string {
  const size =
    entry.size === null
      ? 'null'
      : Number.isSafeInteger(entry.size)
        ? String(entry.size) // what PyNumber.int renders for a safe integer
        : dumpManifestJson(PyNumber.int(entry.size));
  const hash = entry.hash === null ? 'null' : hashJson(entry.hash);
  const meta = entry.meta.size === 0 ? '{}' : dumpManifestJson(entry.meta);
  return `{"logical_key": ${pythonJsonString(entry.logicalKey, false)}, "physical_keys": [${pythonJsonString(entry.physicalKey, false)}], "size": ${size}, "hash": ${hash}, "meta": ${meta}}`;
}

/** `dumpManifestJson` of a hash object; the usual `{type, value}` of two strings without the generic encoder. */
function hashJson(hash: JsonObject): string {
  const type = hash.get('type');
  const value = hash.get('value');
  if (hash.size === 2 && typeof type === 'string' && typeof value === 'string') {
    // The first key without destructuring an iterator (slow in code not optimised yet, which a CLI run mostly is).
    if (hash.keys().next().value === 'type')
      return `{"type": ${pythonJsonString(type, false)}, "value": ${pythonJsonString(value, false)}}`;
  }
  return dumpManifestJson(hash);
}

/**
 * The manifest as quilt3 writes it, in pieces of about `pieceLength` characters, each ending with a line's newline:
 * for a file, written piece by piece, which never holds the whole text (for 10,000 entries, a 2.3 MB string and the
 * 2.3 MB buffer made of it, whose fresh memory cost more than writing them). A line over the record size limit throws
 * when its piece is asked for.
 */
export function* manifestPieces(manifest: Manifest, pieceLength = 65_536): Generator<string> {
  let piece = '';
  for (const line of manifestLines(manifest)) {
    piece += `${line}\n`;
    if (piece.length >= pieceLength) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}

/** The manifest as quilt3 writes it (JSONL, Python-compatible JSON). */
export function writeManifest(manifest: Manifest): string {
  // Joined once (one flat string) rather than appended line by line (a rope of 20,000 pieces, flattened again by
  // whatever writes it).
  const lines = [...manifestLines(manifest)];
  lines.push('');
  return lines.join('\n');
}
