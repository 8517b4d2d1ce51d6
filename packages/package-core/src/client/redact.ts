/**
 * Redaction: the one place that decides what a secret looks like. Logs, error messages, `error.cause`,
 * `error.body`, `error.headers` and `error.toJSON()` all pass through here, so a token never reaches a log line or a
 * crash report.
 */
import { toBase64 } from './util.js';

/** What a masked value is replaced with (the Stainless SDKs use the same marker). */
export const REDACTED = '***';

/**
 * Header names whose values are always secret. Compared lower-case. `cookie`/`set-cookie` carry session ids;
 * `x-amz-security-token` follows openai-node.
 */
export const SECRET_HEADER_NAMES: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'api-key',
  'x-api-key',
  'x-auth-token',
  'x-amz-security-token',
]);

/** The words that make a key (JSON field, query parameter, header name) secret. One list for the patterns below. */
const SECRET_WORDS = 'token|password|passwd|secret|authorization|cookie|api[-_]?key|session|credential';

/**
 * Keys in JSON bodies, query strings and headers whose values are secret: the Hub's `token` and
 * `project_api_token`, passwords, API keys, session cookies.
 */
export const SECRET_KEY_PATTERN = new RegExp(SECRET_WORDS, 'i');

/** Secrets shorter than this are not searched for inside free text (a 2-character "token" would mask everything). */
const MIN_LITERAL_SECRET_LENGTH = 4;

/** Matches `"token": "value"` style pairs inside JSON text (error bodies that were not parsed, log lines). */
const JSON_PAIR_PATTERN = new RegExp(
  String.raw`("[^"]*(?:${SECRET_WORDS})[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"`,
  'gi',
);
/** Matches `token=value` pairs inside URLs and form bodies. */
const QUERY_PAIR_PATTERN = new RegExp(
  String.raw`([?&;\s][^=&\s?]*(?:${SECRET_WORDS})[^=&\s]*=)[^&\s#"']*`,
  'gi',
);
/** Matches `Bearer xxx` / `Basic xxx` credentials in free text. */
const AUTH_SCHEME_PATTERN = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{4,}/g;

/**
 * A set of literal secret values (the configured token, the password) plus the pattern rules above. One instance per
 * client; auth strategies register their secrets into it.
 */
export class Redactor {
  private readonly literals = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const s of secrets) this.addSecret(s);
  }

  /** Remember a literal secret so it is masked wherever it appears, even inside a server's echo of the request. */
  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= MIN_LITERAL_SECRET_LENGTH) {
      this.literals.add(secret);
      // Basic auth credentials travel base64-encoded; mask that form too.
      if (secret.includes(':')) this.literals.add(toBase64(secret));
    }
  }

  /**
   * Remember the values of secret headers (`Authorization`, `Cookie`, `x-api-key`...) given as plain options, so a
   * token passed as a default header is masked like one given to an auth strategy.
   */
  addSecretHeaders(headers: Record<string, string | null | undefined> | undefined): void {
    if (!headers) return;
    for (const [k, v] of Object.entries(headers)) {
      if (!v) continue;
      if (!isSecretHeaderName(k)) continue;
      this.addSecret(v);
      const space = v.indexOf(' ');
      if (space > 0) this.addSecret(v.slice(space + 1)); // `Bearer <token>`
    }
  }

  /** Mask secrets inside free text. */
  string(text: string): string {
    let out = text;
    for (const secret of this.literals) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    if (out.length > 0) {
      out = out
        .replace(JSON_PAIR_PATTERN, `$1"${REDACTED}"`)
        .replace(QUERY_PAIR_PATTERN, `$1${REDACTED}`)
        .replace(AUTH_SCHEME_PATTERN, `$1 ${REDACTED}`);
    }
    return out;
  }

  /** A deep copy of a JSON-like value with secret keys masked and secret literals removed from strings. */
  value<T>(value: T, depth = 0): T {
    if (typeof value === 'string') return this.string(value) as T;
    if (value === null || typeof value !== 'object' || depth > 32) return value;
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1)) as T;
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY_PATTERN.test(k) && v != null && v !== '' ? REDACTED : this.value(v, depth + 1);
    }
    return out as T;
  }

  /** Headers as a plain object, secret ones masked. */
  headers(headers: Headers | Record<string, string> | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    if (!headers) return out;
    const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
    for (const [k, v] of entries) {
      out[k.toLowerCase()] = isSecretHeaderName(k) ? REDACTED : this.string(v);
    }
    return out;
  }

  /** A redacted stand-in for an arbitrary thrown value, safe to attach as `cause`. */
  error(err: unknown): unknown {
    // A thrown non-Error (an abort reason, a rejected plain object) is masked like a JSON value.
    if (!(err instanceof Error)) return this.value(err);
    const copy = new Error(this.string(err.message));
    copy.name = err.name;
    const code = (err as { code?: unknown }).code;
    if (code !== undefined) (copy as Error & { code?: unknown }).code = code;
    if (err.stack) copy.stack = this.string(err.stack);
    if (err.cause !== undefined && err.cause !== err) copy.cause = this.error(err.cause);
    return copy;
  }
}

/** A redactor with no literal secrets: pattern rules only. */
export const defaultRedactor = new Redactor();

/** A header whose value is secret: a known name (`authorization`, `cookie`...) or a secret-looking one (`x-hub-token`). */
function isSecretHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADER_NAMES.has(lower) || SECRET_KEY_PATTERN.test(lower);
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
