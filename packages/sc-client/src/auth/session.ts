/**
 * `ScSession`: everything the SC/Geti server needs before and around an API call, as a `fetch` the core sends
 * through (`ClientOptions.fetch`):
 * - the way in (sc-api.md §2): oauth2-proxy/dex login with cookies (tough-cookie jar), or a personal access token
 *   (`x-api-key` on Geti >= 1.14; otherwise exchanged at `service_accounts/access_token` for a Bearer token);
 * - discovery (§1.2, §2.5, §2.6): the API version from `product_info` (`/api/v1` first, then the legacy `/api/v1.0`),
 *   the organization (Geti) and the workspace ("Default Workspace" unless one is named);
 * - the base path: the client is built on placeholder bases (`/__sc_api__`, `/__sc_root__`) that are replaced here by
 *   `/api/<version>[/organizations/<org>]` and `/api/<version>` once discovery ran;
 * - recovery (§5.2): a 401/403 or an HTML page from an API route in a password session logs in again ONCE and
 *   replays the request; a 503 on a non-idempotent call is replayed once after a second (the core retries
 *   idempotent ones); Geti writes carry `x-geti-csrf-protection: 1`.
 * The password and token live in private fields only; they are never logged or put in an error.
 */
import { ConnectionError } from '@mlclients/package-core';
import { CookieJar } from 'tough-cookie';
import type { Dispatcher } from 'undici';
import { insecureTlsDispatcher } from '#platform';
import { ScAuthenticationError } from '../errors.js';
import { passwordLogin, type RawFetch } from './password-login.js';

/** What the session needs from the client options. */
export interface ScSessionOptions {
  host: string;
  username?: string | undefined;
  password?: string | undefined;
  token?: string | undefined;
  /** Workspace id or name. @default the one named "Default Workspace" (Geti: the only one) */
  workspace?: string | undefined;
  /** Check the server's TLS certificate. @default true */
  verifyTls?: boolean | undefined;
  /** The transport (tests inject one). @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /** Wait before replaying a 503, ms (the Python client waits 1 s). @default 1000 */
  retry503Delay?: number | undefined;
}

/** What discovery found. */
export interface ScServerInfo {
  /** `product-version` as the server gave it. */
  productVersion: string;
  /** `1.0`, `1.1`, `1.2`, `2.6`... (the part before `-`, as the Python client reduces it). */
  version: string;
  /** Geti (a `build-version` in `product_info`) rather than Sonoma Creek. */
  geti: boolean;
  /** `/api/v1.0` or `/api/v1`. */
  apiPath: string;
  organizationId: string | undefined;
  workspaceId: string;
  /** Annotation coordinates: normalized 0..1 up to SC 1.1, pixels from SC 1.2 (§4.4). */
  coordinates: 'normalized' | 'pixels';
  auth: 'password' | 'api-key' | 'bearer';
}

export const API_PLACEHOLDER = '/__sc_api__';
export const ROOT_PLACEHOLDER = '/__sc_root__';
/** Geti <= 1.13 used this fixed organization (§1.1). */
const FIXED_ORGANIZATION = '000000000000000000000001';

/** `host` -> origin: `https://` added when there is no scheme, trailing slashes dropped (§1.1). */
export function originOf(host: string): string {
  const trimmed = host.trim().replace(/\/+$/, '');
  if (!trimmed) throw new ScAuthenticationError('ScClient: `host` is required');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  return new URL(withScheme).origin;
}

function versionNumber(version: string): [number, number] {
  const [major, minor] = version.split('.').map((p) => Number.parseInt(p, 10));
  return [Number.isFinite(major) ? (major as number) : 0, Number.isFinite(minor) ? (minor as number) : 0];
}

function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = versionNumber(version);
  return a > major || (a === major && b >= minor);
}

function isHtml(res: Response): boolean {
  return /text\/html/i.test(res.headers.get('content-type') ?? '');
}

/**
 * The login and discovery of one SC/Geti server, and the auth of every request: password login (oauth2-proxy/dex)
 * or a personal access token, the product version, API path, organization and workspace found on first use,
 * re-login once on an expired session.
 */
export class ScSession {
  readonly origin: string;
  readonly jar = new CookieJar();
  readonly #username: string | undefined;
  readonly #password: string | undefined;
  readonly #token: string | undefined;
  readonly #workspace: string | undefined;
  readonly #transport: typeof fetch;
  readonly #dispatcher: Dispatcher | undefined;
  readonly #retry503Delay: number;
  #bearer: string | undefined;
  #info: Promise<ScServerInfo> | undefined;
  #login: Promise<void> | undefined;
  /** Logins performed (the first and every re-login), for tests and diagnostics. */
  logins = 0;

  /**
   * Creates a `ScSession`.
   *
   * @throws {@link ScAuthenticationError} without a `token` or both `username` and `password`.
   */
  constructor(options: ScSessionOptions) {
    this.origin = originOf(options.host);
    this.#username = options.username;
    this.#password = options.password;
    this.#token = options.token || undefined;
    this.#workspace = options.workspace;
    this.#transport = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#dispatcher = options.verifyTls === false ? insecureTlsDispatcher() : undefined;
    this.#retry503Delay = options.retry503Delay ?? 1000;
    if (!this.#token && (!this.#username || !this.#password)) {
      throw new ScAuthenticationError(
        'ScClient: pass `token` (a personal access token), or both `username` and `password`',
      );
    }
  }

  /** The secrets the core's redactor masks in logs and errors. */
  secrets(): string[] {
    return [this.#password, this.#token, this.#bearer].filter(
      (s): s is string => typeof s === 'string' && s !== '',
    );
  }

  /** How this session authenticates: `api-key` (a token) or `password`. */
  get mode(): ScServerInfo['auth'] {
    return this.#token ? 'api-key' : 'password';
  }

  /** The raw transport: no redirects followed, TLS per `verifyTls`. */
  readonly #raw: RawFetch = async (url, init) => {
    try {
      return await this.#transport(url, {
        ...init,
        redirect: init.redirect ?? 'manual',
        ...(this.#dispatcher ? { dispatcher: this.#dispatcher } : {}),
      } as RequestInit);
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      // fetch's own "fetch failed" says nothing: name the server and the cause (ECONNREFUSED, a TLS error...).
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const code = cause?.code;
      throw new ConnectionError(
        `cannot reach ${this.origin}: ${code ?? cause?.message ?? (err as Error).message}`,
        {
          cause: err,
          ...(code ? { code } : {}),
        },
      );
    }
  };

  /** Log in (password mode); concurrent callers share one login. */
  async login(): Promise<void> {
    if (!this.#username || !this.#password) return;
    this.#login ??= (async () => {
      this.logins++;
      await this.jar.removeAllCookies();
      await passwordLogin(
        this.#raw,
        this.jar,
        this.origin,
        this.#username as string,
        this.#password as string,
      );
    })().finally(() => {
      this.#login = undefined;
    });
    return this.#login;
  }

  /** Discovery, once (re-run after a failure). */
  info(): Promise<ScServerInfo> {
    this.#info ??= this.#discover().catch((err) => {
      this.#info = undefined;
      throw err;
    });
    return this.#info;
  }

  /** Auth headers for a request to `url` in the current mode. */
  async #authHeaders(url: string, method: string, info: Pick<ScServerInfo, 'auth' | 'geti'> | undefined) {
    const headers: Record<string, string> = {};
    const auth = info?.auth ?? this.mode;
    if (auth === 'password') {
      const cookie = await this.jar.getCookieString(url);
      if (cookie) headers.cookie = cookie;
    } else if (auth === 'api-key' && this.#token) headers['x-api-key'] = this.#token;
    else if (auth === 'bearer' && this.#bearer) headers.authorization = `Bearer ${this.#bearer}`;
    if (info?.geti && !['GET', 'HEAD', 'OPTIONS'].includes(method)) headers['x-geti-csrf-protection'] = '1';
    return headers;
  }

  /** A GET of a JSON API route during discovery (following the server's redirects, e.g. the recorded 308s). */
  async #discoveryGet(path: string, auth: ScServerInfo['auth']): Promise<{ status: number; json: unknown }> {
    let url = `${this.origin}${path}`;
    for (let hop = 0; hop < 5; hop++) {
      const res = await this.#raw(url, {
        method: 'GET',
        headers: await this.#authHeaders(url, 'GET', { auth, geti: false }),
      });
      const location = res.headers.get('location');
      if ([301, 302, 307, 308].includes(res.status) && location) {
        await res.body?.cancel();
        url = new URL(location, url).toString();
        continue;
      }
      if (!/json/i.test(res.headers.get('content-type') ?? '')) {
        await res.body?.cancel();
        return { status: res.status === 200 ? 401 : res.status, json: undefined };
      }
      return { status: res.status, json: await res.json() };
    }
    return { status: 310, json: undefined };
  }

  async #productInfo(auth: ScServerInfo['auth']) {
    for (const apiPath of ['/api/v1', '/api/v1.0']) {
      const { status, json } = await this.#discoveryGet(`${apiPath}/product_info`, auth);
      if (status === 200 && json && typeof json === 'object')
        return { apiPath, json: json as Record<string, unknown> };
      if (status === 401 || status === 403) return { apiPath, json: undefined, status };
    }
    return { apiPath: '/api/v1.0', json: undefined, status: 404 };
  }

  async #discover(): Promise<ScServerInfo> {
    let auth: ScServerInfo['auth'] = this.mode;
    if (auth === 'password') await this.login();
    let product = await this.#productInfo(auth);
    if (!product.json && auth === 'api-key') {
      // Not Geti >= 1.14: exchange the personal access token for a bearer token (§2.2).
      const url = `${this.origin}/api/v1/service_accounts/access_token`;
      const res = await this.#raw(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service_id: this.#token }),
      });
      const text = await res.text();
      let body: Record<string, unknown> | undefined;
      try {
        body =
          res.ok && /json/i.test(res.headers.get('content-type') ?? '')
            ? (JSON.parse(text) as Record<string, unknown>)
            : undefined;
      } catch {
        body = undefined;
      }
      if (!body || typeof body.access_token !== 'string') {
        throw new ScAuthenticationError(
          `the personal access token was refused (${res.status}); it has probably expired or is not valid for ${this.origin}`,
        );
      }
      this.#bearer = body.access_token;
      auth = 'bearer';
      product = await this.#productInfo(auth);
    }
    if (!product.json) {
      throw new ScAuthenticationError(
        `${this.origin}: product_info answered ${product.status ?? 'no JSON'}; is this an SC / Geti server, and are the credentials valid?`,
      );
    }
    const productVersion = String(product.json['product-version'] ?? '');
    const geti = typeof product.json['build-version'] === 'string';
    // `1.0`/`1.1` as whole numbers: Geti 1.10-1.19 start with `1.1` too, and need their organization (1.9+).
    const version = /^1\.0(?!\d)/.test(productVersion)
      ? '1.0'
      : /^1\.1(?!\d)/.test(productVersion)
        ? '1.1'
        : (productVersion.split('-')[0] ?? '');
    const apiPath = product.apiPath;
    let organizationId: string | undefined;
    if (geti && atLeast(version, 1, 9)) {
      organizationId = atLeast(version, 1, 14) ? await this.#organization(auth) : FIXED_ORGANIZATION;
    }
    const base = `${apiPath}${organizationId ? `/organizations/${organizationId}` : ''}`;
    const workspaceId = await this.#workspaceId(base, auth, geti);
    return {
      productVersion,
      version,
      geti,
      apiPath,
      organizationId,
      workspaceId,
      coordinates: !geti && (version === '1.0' || version === '1.1') ? 'normalized' : 'pixels',
      auth,
    };
  }

  async #organization(auth: ScServerInfo['auth']): Promise<string> {
    const path = auth === 'password' ? '/api/v1/profile' : '/api/v1/personal_access_tokens/organization';
    const { status, json } = await this.#discoveryGet(path, auth);
    const body = (json ?? {}) as {
      organizationId?: string;
      organizations?: { organizationId: string; organizationCreatedAt?: string }[];
    };
    if (typeof body.organizationId === 'string') return body.organizationId;
    const orgs = [...(body.organizations ?? [])].sort((a, b) =>
      String(a.organizationCreatedAt ?? '').localeCompare(String(b.organizationCreatedAt ?? '')),
    );
    if (orgs[0]) return orgs[0].organizationId;
    throw new ScAuthenticationError(`${path} answered ${status} without an organization id`);
  }

  async #workspaceId(base: string, auth: ScServerInfo['auth'], geti: boolean): Promise<string> {
    const { status, json } = await this.#discoveryGet(`${base}/workspaces`, auth);
    const list = (
      Array.isArray(json)
        ? json
        : ((json as { items?: unknown[]; workspaces?: unknown[] } | undefined)?.workspaces ??
          (json as { items?: unknown[] } | undefined)?.items ??
          [])
    ) as { id: string; name: string }[];
    if (status !== 200) throw new ScAuthenticationError(`${base}/workspaces answered ${status}`);
    const wanted = this.#workspace;
    const found = wanted
      ? list.find((w) => w.id === wanted || w.name === wanted)
      : geti && list.length === 1
        ? list[0]
        : list.find((w) => w.name === 'Default Workspace');
    if (!found) {
      const names = list.map((w) => `"${w.name}" (${w.id})`).join(', ') || 'none';
      throw new ScAuthenticationError(
        wanted
          ? `workspace "${wanted}" not found; the server has: ${names}`
          : `no "Default Workspace" (or single workspace); the server has: ${names}; pass \`workspace\``,
      );
    }
    return found.id;
  }

  /** The URL with the placeholders replaced. */
  #resolve(url: string, info: ScServerInfo): string {
    const u = new URL(url);
    const org = info.organizationId ? `/organizations/${info.organizationId}` : '';
    if (u.pathname.startsWith(API_PLACEHOLDER))
      u.pathname = `${info.apiPath}${org}${u.pathname.slice(API_PLACEHOLDER.length)}`;
    else if (u.pathname.startsWith(ROOT_PLACEHOLDER))
      u.pathname = `${info.apiPath}${u.pathname.slice(ROOT_PLACEHOLDER.length)}`;
    return u.toString();
  }

  /** The fetch the client sends every API call through (see the module comment). */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const info = await this.info();
    const request = new Request(input as RequestInfo, init);
    const method = request.method.toUpperCase();
    const body = method === 'GET' || method === 'HEAD' ? undefined : await request.arrayBuffer();
    const url = this.#resolve(request.url, info);
    const send = async () => {
      const headers = new Headers(request.headers);
      for (const [k, v] of Object.entries(await this.#authHeaders(url, method, info))) headers.set(k, v);
      return this.#transport(url, {
        method,
        headers,
        body,
        redirect: 'follow',
        signal: init?.signal ?? request.signal,
        ...(this.#dispatcher ? { dispatcher: this.#dispatcher } : {}),
      } as RequestInit);
    };
    let res = await send();
    if (res.status === 401 || res.status === 403 || (isHtml(res) && res.ok)) {
      if (info.auth === 'password') {
        await res.body?.cancel();
        await this.login();
        res = await send();
      }
      if (isHtml(res) && res.ok) {
        // An HTML page where JSON or bytes were expected is the login page: the session (or token) is not valid.
        await res.body?.cancel();
        return Response.json(
          {
            error_code: 'unauthorized',
            http_status: 401,
            message:
              info.auth === 'password'
                ? 'the server answered with its login page after a fresh login'
                : 'the server answered with its login page: the token has probably expired',
          },
          { status: 401 },
        );
      }
    }
    if (res.status === 503 && !['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(method)) {
      await res.body?.cancel();
      await new Promise((r) => setTimeout(r, this.#retry503Delay));
      res = await send();
    }
    return res;
  };

  /** Sign out (password mode; failures ignored, as the Python client does). */
  async logout(): Promise<void> {
    if (this.mode !== 'password' || !this.#info) return;
    try {
      const url = `${this.origin}/oauth2/sign_out`;
      const res = await this.#raw(url, {
        method: 'GET',
        headers: await this.#authHeaders(url, 'GET', undefined),
      });
      await res.body?.cancel();
    } catch {
      // ignored
    }
    await this.jar.removeAllCookies();
  }
}
