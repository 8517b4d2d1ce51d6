/**
 * How the Hub authenticates: ONE token merged into the JSON body of every request (GETs included), chosen in the
 * Python client's priority order (hub-api.md §1.3), and merged after the caller's params so it wins over a
 * same-named key. There is no header and no query parameter.
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

/**
 * Operations of the nested `endpoints/{endpoint_id}/...` resources whose body ALSO carries `endpoint_id` (the Python
 * client sends every keyword argument in the body of list/create; recorded in endpoint_predictions/index.yaml,
 * endpoint_actuals/create_valid.yaml, endpoint_roi_validations/create.yaml). Show and delete do not.
 */
const ECHO_ENDPOINT_ID = new Set([
  'listEndpointPredictions',
  'createEndpointPrediction',
  'createEndpointActual',
  'createEndpointRoiValidation',
]);

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
      let body = req.body ?? {};
      if (ECHO_ENDPOINT_ID.has(req.operation) && body.endpoint_id === undefined) {
        const m = /\/endpoints\/([^/?#]+)\//.exec(new URL(req.url).pathname);
        if (m?.[1]) body = { ...body, endpoint_id: decodeURIComponent(m[1]) };
      }
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
