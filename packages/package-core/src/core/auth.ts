/**
 * Auth strategies. A strategy runs on EVERY attempt (inside the retry loop), so a token provider that refreshes is
 * asked again on a retry. Each strategy reports its secrets so the redactor can mask them everywhere.
 */
import { toBase64 } from '../internal/util.js';

/** A token, or a function that returns one (called on every attempt: refresh it there). */
export type TokenSource = string | (() => string | Promise<string>);

/** The request an auth strategy may modify. */
export interface AuthRequest {
  /** `operationId` of the call. */
  readonly operation: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  readonly url: string;
  /** Mutable request headers. */
  readonly headers: Headers;
  /**
   * The JSON body object; strategies with `needsBody` get `{}` when the call has no body. Mutate it in place (it is a
   * per-attempt copy).
   */
  body: Record<string, unknown> | undefined;
  /** Per-call override of the body field that carries the token (see {@link bodyToken}). */
  readonly bodyField: string | undefined;
  /** Register a secret obtained at request time (e.g. a refreshed token) with the redactor. */
  addSecret(secret: string): void;
}

/** How a client authenticates. Use the factories below, or implement it for anything else. */
export interface AuthStrategy {
  /** Short name for logs (`header`, `basic`, `bodyToken`, `cookie`, `custom`). */
  readonly kind: string;
  /** True when the token travels in the JSON body: every request then carries one (a GET too). */
  readonly needsBody?: boolean;
  /** Add the credentials to one attempt's request (headers, body field, cookie), before it is sent. */
  apply(request: AuthRequest): void | Promise<void>;
  /** Secrets known up front (masked in logs and errors). */
  secrets(): string[];
}

async function resolveToken(source: TokenSource, request: AuthRequest): Promise<string> {
  if (typeof source === 'string') return source;
  const token = await source();
  request.addSecret(token);
  return token;
}

function staticSecrets(...sources: (TokenSource | undefined)[]): string[] {
  return sources.filter((s): s is string => typeof s === 'string');
}

/** Options of {@link headerToken}. */
export interface HeaderTokenOptions {
  token: TokenSource;
  /** @default 'Authorization' */
  header?: string;
  /** Prefix before the token; empty string for none. @default 'Bearer' */
  scheme?: string;
}

/** The token in a header: `Authorization: Bearer <token>` by default, or e.g. `{ header: 'x-api-key', scheme: '' }`. */
export function headerToken(options: HeaderTokenOptions | TokenSource): AuthStrategy {
  const o: HeaderTokenOptions = typeof options === 'object' ? options : { token: options };
  const header = o.header ?? 'Authorization';
  const scheme = o.scheme ?? 'Bearer';
  return {
    kind: 'header',
    async apply(req) {
      const token = await resolveToken(o.token, req);
      req.headers.set(header, scheme ? `${scheme} ${token}` : token);
    },
    secrets: () => staticSecrets(o.token),
  };
}

/** HTTP basic auth (RFC 7617). Nucleus sends its API key as the username with an empty password. */
export function basicAuth(options: { username: string; password?: TokenSource }): AuthStrategy {
  return {
    kind: 'basic',
    async apply(req) {
      const password = options.password === undefined ? '' : await resolveToken(options.password, req);
      const pair = `${options.username}:${password}`;
      req.addSecret(pair);
      req.headers.set('Authorization', `Basic ${toBase64(pair)}`);
    },
    secrets: () =>
      staticSecrets(options.username.length >= 8 ? options.username : undefined, options.password),
  };
}

/** Options of {@link bodyToken}. */
export interface BodyTokenOptions {
  token: TokenSource;
  /** Body field that carries the token. @default 'token' */
  field?: string;
  /** Per-operation field name (e.g. the Hub's `project_api_token` on some routes); wins over `field`. */
  fieldFor?: (operationId: string) => string | undefined;
}

/**
 * The token merged into the JSON body, as the Auger Hub expects, GETs included (the runtime then sends the GET with
 * a body through the Node transport). The field can also be chosen per call with the `authBodyField` request option.
 */
export function bodyToken(options: BodyTokenOptions): AuthStrategy {
  return {
    kind: 'bodyToken',
    needsBody: true,
    async apply(req) {
      const field = req.bodyField ?? options.fieldFor?.(req.operation) ?? options.field ?? 'token';
      const token = await resolveToken(options.token, req);
      req.body = { ...(req.body ?? {}), [field]: token };
    },
    secrets: () => staticSecrets(options.token),
  };
}

/** A session cookie: `cookieSession('sid=abc')` or `cookieSession({ name: 'sid', value: 'abc' })`. */
export function cookieSession(options: string | { name: string; value: TokenSource }): AuthStrategy {
  return {
    kind: 'cookie',
    async apply(req) {
      const cookie =
        typeof options === 'string' ? options : `${options.name}=${await resolveToken(options.value, req)}`;
      const existing = req.headers.get('cookie');
      req.headers.set('cookie', existing ? `${existing}; ${cookie}` : cookie);
    },
    secrets: () =>
      typeof options === 'string'
        ? [options, options.split('=').slice(1).join('=')]
        : staticSecrets(options.value),
  };
}

/** Anything else: a function that edits the request. List its secrets so they are redacted. */
export function customAuth(
  apply: (request: AuthRequest) => void | Promise<void>,
  secrets: string[] = [],
): AuthStrategy {
  return { kind: 'custom', apply, secrets: () => secrets };
}

/** No auth. */
export const noAuth: AuthStrategy = { kind: 'none', apply() {}, secrets: () => [] };
