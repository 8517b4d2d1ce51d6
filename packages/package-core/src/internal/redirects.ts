/**
 * The redirect rule: a request follows a redirect only to its own origin (scheme, host, port) or to an origin the
 * client names in `allowedRedirectOrigins`. Anything else ends the call with a {@link RedirectRefusedError}, because
 * the request carries credentials fetch would otherwise re-send (a JSON body token, `x-api-key`); undici strips only
 * `Authorization` and `Cookie`. Transports are called with `redirect: 'manual'` and the hops are followed here.
 */

import { RedirectRefusedError } from '../core/errors.js';
import type { Redactor } from './redact.js';

/** Hops followed before a call gives up (fetch's own limit is 20; a same-origin chain longer than this is a loop). */
export const MAX_REDIRECTS = 10;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Is this a redirect with somewhere to go? */
export function isRedirect(res: Response): boolean {
  return REDIRECT_STATUSES.has(res.status) && res.headers.has('location');
}

/** Normalise origins the caller allows (`https://files.example.com/` -> `https://files.example.com`). */
export function normaliseOrigins(origins: readonly string[] | undefined): ReadonlySet<string> {
  return new Set((origins ?? []).map((o) => new URL(o).origin));
}

/** One hop: where to go and how (303, and 301/302 after a POST, become a GET without body, as in fetch). */
export interface RedirectHop {
  url: string;
  method: string;
  dropBody: boolean;
}

/** Decide one redirect: the next hop, or a {@link RedirectRefusedError} naming the status and the target origin. */
export function nextHop(
  res: Response,
  from: string,
  method: string,
  hops: number,
  allowed: ReadonlySet<string>,
  operation: string,
  redactor: Redactor,
): RedirectHop {
  let target: URL;
  try {
    target = new URL(res.headers.get('location') as string, from);
  } catch {
    throw refuse(res, operation, redactor, 'an invalid Location', '');
  }
  const origin = target.origin;
  if (origin !== new URL(from).origin && !allowed.has(origin)) {
    throw refuse(
      res,
      operation,
      redactor,
      `another origin (${origin}); pass allowedRedirectOrigins: ['${origin}'] to follow it`,
      origin,
    );
  }
  if (hops >= MAX_REDIRECTS)
    throw refuse(res, operation, redactor, `more than ${MAX_REDIRECTS} redirects`, origin);
  const toGet = res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST');
  return { url: target.toString(), method: toGet && method !== 'HEAD' ? 'GET' : method, dropBody: toGet };
}

function refuse(
  res: Response,
  operation: string,
  redactor: Redactor,
  why: string,
  targetOrigin: string,
): RedirectRefusedError {
  return new RedirectRefusedError(`${operation}: ${res.status} redirect refused: ${why}`, {
    status: res.status,
    headers: withoutLocation(res.headers),
    body: undefined,
    operation,
    redactor,
    targetOrigin,
  });
}

/** Response headers minus `Location` (its path or query may carry a token). */
function withoutLocation(headers: Headers): Headers {
  const out = new Headers(headers);
  out.delete('location');
  return out;
}
