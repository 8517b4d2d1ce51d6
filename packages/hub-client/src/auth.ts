/**
 * How the Hub authenticates: ONE token merged into the JSON body of every request (GETs included), chosen in the
 * Python client's priority order (hub-api.md §1.3), and merged after the caller's params so it wins over a
 * same-named key. There is no header and no query parameter. (Path parameters the body also carries are spec data,
 * `x-path-params-in-body`, applied by the core's middleware, not here.)
 */
import type { AuthStrategy, TokenSource } from '@mlclients/package-core';

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
      if (!chosen) return;
      let token: string;
      if (typeof chosen.source === 'string') token = chosen.source;
      else {
        token = await chosen.source();
        req.addSecret(token);
      }
      // `req.body` is this attempt's own copy (`needsBody`: `{}` when the call has none).
      req.body = { ...req.body, [req.bodyField ?? chosen.field]: token };
    },
    secrets: () =>
      TOKEN_PRIORITY.map(([o]) => tokens[o]).filter((t): t is string => typeof t === 'string' && t !== ''),
  };
}
