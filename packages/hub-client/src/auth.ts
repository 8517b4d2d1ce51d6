/**
 * How the Hub authenticates: ONE token merged into the JSON body of every request (GETs included), chosen in the
 * Python client's priority order (hub-api.md §1.3), and merged after the caller's params so it wins over a
 * same-named key. There is no header and no query parameter.
 */
import type { AuthStrategy, TokenSource } from '@mlclients/package-core';
import { operations } from './generated/index.js';

/** The four tokens of the Hub, in priority order, with the body field each travels in. */
export interface HubTokens {
  /** Project token (`project_api_token`): project and cluster context. Preferred. */
  projectToken?: TokenSource | undefined;
  /** Cluster token (`cluster_api_token`). */
  clusterToken?: TokenSource | undefined;
  /** User token (`token`), a JWT from `hub.tokens.create({ email, password })`. */
  token?: TokenSource | undefined;
  /** System token (`system_token`). */
  systemToken?: TokenSource | undefined;
}

/** `[option, body field]` in the order the real client picks them. */
export const TOKEN_PRIORITY = [
  ['projectToken', 'project_api_token'],
  ['clusterToken', 'cluster_api_token'],
  ['token', 'token'],
  ['systemToken', 'system_token'],
] as const;

/**
 * The path parameters an operation ALSO sends in its body (`x-path-params-in-body` in the spec: the nested
 * `endpoints/{endpoint_id}/...` list/create calls), read back from the request URL. The core puts a parameter in the
 * path only, and this hook is the one place that sees the body after that split.
 */
function pathParamsInBody(operationId: string, url: string): Record<string, string> {
  const op = (operations as Record<string, { path: string; extensions?: Record<string, unknown> }>)[
    operationId
  ];
  const names = op?.extensions?.['path-params-in-body'];
  if (!op || !Array.isArray(names)) return {};
  const template = op.path.split('/');
  const actual = new URL(url).pathname.split('/');
  const out: Record<string, string> = {};
  template.forEach((segment, i) => {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    if (name && names.includes(name) && actual[i] !== undefined) out[name] = decodeURIComponent(actual[i]);
  });
  return out;
}

/** The body field and source of the token the client will send, or undefined when none is configured. */
function pickToken(tokens: HubTokens): { field: string; source: TokenSource } | undefined {
  for (const [option, field] of TOKEN_PRIORITY) {
    const source = tokens[option];
    if (source !== undefined && source !== '') return { field, source };
  }
  return undefined;
}

/** The Hub's auth strategy (see the module comment). With no token configured, nothing is added. */
export function hubBodyAuth(tokens: HubTokens): AuthStrategy {
  const chosen = pickToken(tokens);
  return {
    kind: 'bodyToken',
    needsBody: true,
    async apply(req) {
      // The caller's own value of a same-named body field wins over the echoed path parameter.
      let body = { ...pathParamsInBody(req.operation, req.url), ...(req.body ?? {}) };
      if (chosen) {
        let token: string;
        if (typeof chosen.source === 'string') token = chosen.source;
        else {
          token = await chosen.source();
          req.addSecret(token);
        }
        body = { ...body, [req.bodyField ?? chosen.field]: token };
      }
      req.body = body;
    },
    secrets: () =>
      TOKEN_PRIORITY.map(([o]) => tokens[o]).filter((t): t is string => typeof t === 'string' && t !== ''),
  };
}
