/**
 * Redaction: the one place that decides what a secret looks like. Logs, error messages, `error.cause`,
 * `error.body`, `error.headers` and `error.toJSON()` all pass through here, so a token never reaches a log line or a
 * crash report.
 *
 * The literal secrets live in a module-private WeakMap, not on the instance: a redactor reachable from an error or a
 * client (`util.inspect(err, { showHidden: true })`, `%o`) has nothing to print. Each secret is registered with the
 * forms a server may echo it in: raw, URL-encoded, JSON-escaped and base64.
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

/**
 * Nesting past this depth is replaced by {@link REDACTED} as a whole rather than returned unmasked: depth is no way
 * around redaction (JSON from a server may nest arbitrarily).
 */
const MAX_REDACT_DEPTH = 256;

/** What a reference back to an enclosing object becomes in a redacted copy. */
const CIRCULAR = '[Circular]';

/** Causes followed when copying an error (a cyclic chain ends here). */
const MAX_CAUSE_DEPTH = 16;

/** What `util.inspect` calls (Node's well-known symbol; no `node:util` import, so browsers load this file). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Each redactor's literal secrets, longest first; private to this module so no printer can reach them. */
const secretsOf = new WeakMap<Redactor, { set: Set<string>; sorted: string[] | undefined }>();

/** The forms a secret may come back in: raw, URL-encoded (both flavours), JSON-escaped, base64 (+ url-safe). */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(encodeURIComponent(secret));
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  forms.add(JSON.stringify(secret).slice(1, -1));
  const b64 = toBase64(secret);
  forms.add(b64);
  forms.add(b64.replace(/=+$/, ''));
  forms.add(b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  return [...forms].filter((f) => f.length >= MIN_LITERAL_SECRET_LENGTH);
}

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
  /**
   * Creates a `Redactor`.
   *
   * @param secrets Literal secrets to mask from the start (undefined and too-short values are skipped).
   */
  constructor(secrets: Iterable<string | undefined> = []) {
    secretsOf.set(this, { set: new Set(), sorted: undefined });
    for (const s of secrets) this.addSecret(s);
  }

  /** Remember a literal secret so it is masked wherever it appears, even inside a server's echo of the request. */
  addSecret(secret: string | undefined): void {
    if (typeof secret !== 'string' || secret.length < MIN_LITERAL_SECRET_LENGTH) return;
    const entry = secretsOf.get(this);
    if (!entry || entry.set.has(secret)) return;
    // Basic auth credentials travel base64-encoded; `secretForms` covers that and the other echoes.
    for (const form of secretForms(secret)) entry.set.add(form);
    entry.sorted = undefined;
  }

  /** Literal secrets, longest first (so a longer form is masked before a shorter one inside it). */
  #literals(): readonly string[] {
    const entry = secretsOf.get(this);
    if (!entry) return [];
    entry.sorted ??= [...entry.set].sort((a, b) => b.length - a.length);
    return entry.sorted;
  }

  /** Nothing to print: the secrets are not on the instance. */
  [INSPECT](): string {
    return 'Redactor {}';
  }

  /** `{}`: JSON.stringify of a redactor (or of an object holding one) shows no secret. */
  toJSON(): Record<string, never> {
    return {};
  }

  /** Client options safe to keep on a client: header values of secret headers masked. */
  options<T extends { headers?: Record<string, string | null | undefined> | undefined }>(options: T): T {
    if (!options.headers) return options;
    const headers: Record<string, string | null | undefined> = {};
    for (const [k, v] of Object.entries(options.headers)) {
      headers[k] = typeof v === 'string' ? (isSecretHeaderName(k) ? REDACTED : this.string(v)) : v;
    }
    return { ...options, headers };
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
    for (const secret of this.#literals()) {
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

  /**
   * A deep copy of a JSON-like value with secret keys masked and secret literals removed from strings. A value that
   * contains itself (a cyclic object a caller passed) is cut at the cycle: without that, two links back to the root
   * would make the copy exponential in `MAX_REDACT_DEPTH`.
   */
  value<T>(value: T, depth = 0, ancestors: Set<object> = new Set()): T {
    if (typeof value === 'string') return this.string(value) as T;
    if (value === null || typeof value !== 'object') return value;
    if (depth > MAX_REDACT_DEPTH) return REDACTED as T;
    if (ancestors.has(value)) return CIRCULAR as T;
    if (!Array.isArray(value) && !isPlainObject(value)) return value;
    ancestors.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1, ancestors)) as T;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        out[k] =
          SECRET_KEY_PATTERN.test(k) && v != null && v !== ''
            ? REDACTED
            : this.value(v, depth + 1, ancestors);
      }
      return out as T;
    } finally {
      ancestors.delete(value);
    }
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
  error(err: unknown, depth = 0): unknown {
    // A thrown non-Error (an abort reason, a rejected plain object) is masked like a JSON value.
    if (!(err instanceof Error)) return this.value(err);
    if (depth > MAX_CAUSE_DEPTH) return undefined;
    const copy = new Error(this.string(err.message));
    copy.name = err.name;
    const code = (err as { code?: unknown }).code;
    if (code !== undefined) (copy as Error & { code?: unknown }).code = code;
    if (err.stack) copy.stack = this.string(err.stack);
    if (err.cause !== undefined && err.cause !== err) copy.cause = this.error(err.cause, depth + 1);
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
