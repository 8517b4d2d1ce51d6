/**
 * Loader for the VCR cassettes recorded by the Python `auger-hub-api-client` 0.7.4 against a real Hub
 * (`test/fixtures/hub-cassettes`, copied from the project's shared fixtures; see test/fixtures/README.md). Read-only:
 * the fixtures are ground truth.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse, type Tags } from 'yaml';

/** The monorepo root (this file is packages/hub-client/test/replay/cassettes.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** `packages/hub-client/test/fixtures/hub-cassettes`; throws (never skips) when the fixtures are missing. */
export function cassettesRoot(): string {
  const dir = resolve(repoRoot, 'packages/hub-client/test/fixtures/hub-cassettes');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`Hub cassettes not found at ${dir} (they are committed with the package's tests)`);
  }
  return dir;
}

/** Python 2 cassettes tag strings `!!python/unicode`; they are plain strings. */
const customTags: Tags = [
  { tag: 'tag:yaml.org,2002:python/unicode', resolve: (s: string) => s } as Tags[number],
];

export interface RecordedRequest {
  method: string;
  uri: string;
  url: URL;
  headers: Record<string, string>;
  /** The body as sent (gunzipped when the request was gzip-encoded). */
  bodyText: string;
  /** The body parsed as JSON, with Python's `NaN`/`Infinity` (invalid JSON) read as null; undefined when empty. */
  body: Record<string, unknown> | undefined;
  /** True when Python sent literal NaN/Infinity (what `JSON.stringify` writes as null). */
  hadNonFiniteNumbers: boolean;
  gzip: boolean;
}

export interface RecordedResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  bodyText: string;
  contentType: string;
}

export interface Interaction {
  request: RecordedRequest;
  response: RecordedResponse;
}

export interface Cassette {
  /** Path relative to the cassettes root, e.g. `trials/update_valid.yaml`. */
  name: string;
  /** First path segment: the cassette group (usually the resource). */
  group: string;
  interactions: Interaction[];
}

function headerMap(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {}))
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

function toText(body: unknown): { text: string; gzip: boolean } {
  if (body === null || body === undefined) return { text: '', gzip: false };
  if (typeof body === 'string') return { text: body, gzip: false };
  if (body instanceof Uint8Array) {
    const buf = Buffer.from(body);
    if (buf[0] === 0x1f && buf[1] === 0x8b) return { text: gunzipSync(buf).toString('utf8'), gzip: true };
    return { text: buf.toString('utf8'), gzip: false };
  }
  return { text: JSON.stringify(body), gzip: false };
}

/**
 * Read a recorded body. Python's json.dumps writes NaN/Infinity: read them the way JSON.stringify would have written
 * them (null). One cassette (`actuals/create_valid.yaml`) was hand-edited with unquoted keys
 * (`[{prediction_id:"...",actual: "0.75"}]`): quote them, the meaning is unambiguous.
 */
export function parsePythonJson(text: string): { value: unknown; nonFinite: boolean } {
  try {
    return { value: JSON.parse(text), nonFinite: false };
  } catch {
    const fixed = text.replace(/(?<=[[,:]\s*)-?(?:NaN|Infinity)(?=\s*[,\]}])/g, 'null');
    try {
      return { value: JSON.parse(fixed), nonFinite: fixed !== text };
    } catch {
      const quoted = fixed.replace(/([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:/g, '$1"$2":');
      return { value: JSON.parse(quoted), nonFinite: fixed !== text };
    }
  }
}

interface RawInteraction {
  request: { method: string; uri: string; headers?: Record<string, unknown>; body?: unknown };
  response: {
    status: { code: number; message: string };
    headers?: Record<string, unknown>;
    body?: { string?: unknown };
  };
}

export function parseCassette(file: string, root: string): Cassette {
  const doc = parse(readFileSync(file, 'utf8'), { customTags }) as { interactions: RawInteraction[] };
  const name = relative(root, file).split('\\').join('/');
  const interactions = doc.interactions.map((raw): Interaction => {
    const { text, gzip } = toText(raw.request.body);
    const parsed = text ? parsePythonJson(text) : { value: undefined, nonFinite: false };
    const responseHeaders = headerMap(raw.response.headers);
    return {
      request: {
        method: raw.request.method.toUpperCase(),
        uri: raw.request.uri,
        url: new URL(raw.request.uri),
        headers: headerMap(raw.request.headers),
        bodyText: text,
        body: parsed.value as Record<string, unknown> | undefined,
        hadNonFiniteNumbers: parsed.nonFinite,
        gzip,
      },
      response: {
        status: raw.response.status.code,
        statusText: raw.response.status.message,
        headers: responseHeaders,
        bodyText: toText(raw.response.body?.string).text,
        contentType: responseHeaders['content-type'] ?? '',
      },
    };
  });
  return { name, group: name.split('/')[0] ?? name, interactions };
}

/** Every cassette under the root, sorted by name. */
export function loadCassettes(root = cassettesRoot()): Cassette[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
    );
  return walk(root)
    .sort()
    .map((f) => parseCassette(f, root));
}
