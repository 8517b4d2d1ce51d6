/**
 * The oauth2-proxy + dex login dance of SC 1.x (sc-api.md §2.1), as recorded: `/user/login` -> `/oauth2/start`
 * (sets `_oauth2_proxy_csrf`) -> `/dex/auth` -> `/dex/auth/ldap` -> `/dex/auth/ldap/login` (200 HTML form) -> POST
 * the form -> 303 `/dex/approval` -> 303 `/oauth2/callback` -> 302 `/` (sets `_oauth2_proxy`, clears the csrf
 * cookie) -> 200 UI page. A wrong password gets the form again (200, no redirect), as dex does.
 */
import { readRequestText } from '@mlclients/package-core/testing';

export interface LoginState {
  users: Record<string, string>;
  /** Issued `_oauth2_proxy` values. */
  sessions: Set<string>;
  /** dex request id -> the user who passed the form */
  approved: Map<string, string>;
  codes: Map<string, string>;
}

const HTML = 'text/html; charset=utf-8';
const COOKIE_ATTRS = 'Path=/; HttpOnly; Secure; SameSite=Strict';

function random(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, '');
}

function redirect(status: number, location: string, cookies: string[] = []): Response {
  const headers = new Headers({ location, 'content-type': HTML });
  for (const c of cookies) headers.append('set-cookie', c);
  return new Response(`<a href="${location}">Found</a>.`, { status, headers });
}

export const LOGIN_FORM = `<!DOCTYPE html><html><head><title>Sonoma Creek</title></head><body><form method="post"><input name="login"/><input type="password" name="password"/></form></body></html>`;

export function cookieValue(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** Answer a login-dance route, or undefined when `url` is not one. */
export async function loginRoute(
  request: Request,
  url: URL,
  state: LoginState,
): Promise<Response | undefined> {
  const origin = url.origin;
  const p = url.pathname;
  if (p === '/user/login') return redirect(302, `${origin}/oauth2/start?rd=${origin}%2Fuser%2Flogin`);
  if (p === '/oauth2/start') {
    const csrf = random();
    return redirect(
      302,
      `${origin}/dex/auth?approval_prompt=force&client_id=impt&redirect_uri=${encodeURIComponent(`${origin}/oauth2/callback`)}&response_type=code&scope=openid+profile+groups+email+offline_access&state=${csrf}%3A%2F`,
      [`_oauth2_proxy_csrf=${csrf}; ${COOKIE_ATTRS}`],
    );
  }
  if (p === '/dex/auth') return redirect(302, `/dex/auth/ldap${url.search}`);
  if (p === '/dex/auth/ldap') return redirect(302, `/dex/auth/ldap/login?back=&state=${random()}`);
  if (p === '/dex/auth/ldap/login') {
    if (request.method === 'POST') {
      const form = new URLSearchParams(await readRequestText(request));
      const user = form.get('login') ?? '';
      const req = url.searchParams.get('state') ?? '';
      if (state.users[user] === undefined || state.users[user] !== form.get('password')) {
        return new Response(LOGIN_FORM.replace('<form', '<p>Invalid Email Address and password</p><form'), {
          status: 200,
          headers: { 'content-type': HTML },
        });
      }
      state.approved.set(req, user);
      return redirect(303, `/dex/approval?req=${req}`);
    }
    return new Response(LOGIN_FORM, { status: 200, headers: { 'content-type': HTML } });
  }
  if (p === '/dex/approval') {
    const user = state.approved.get(url.searchParams.get('req') ?? '');
    if (!user) return new Response('bad request', { status: 400, headers: { 'content-type': HTML } });
    const code = random();
    state.codes.set(code, user);
    return redirect(303, `${origin}/oauth2/callback?code=${code}&state=x%3A%2F`);
  }
  if (p === '/oauth2/callback') {
    const code = url.searchParams.get('code') ?? '';
    if (!state.codes.has(code) || !cookieValue(request, '_oauth2_proxy_csrf')) {
      return new Response('<html>Forbidden</html>', { status: 403, headers: { 'content-type': HTML } });
    }
    state.codes.delete(code);
    const session = `${random()}${random()}|${Date.now()}`;
    state.sessions.add(session);
    return redirect(302, '/', [
      `_oauth2_proxy_csrf=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict`,
      `_oauth2_proxy=${session}; ${COOKIE_ATTRS}`,
    ]);
  }
  if (p === '/oauth2/sign_out') {
    const s = cookieValue(request, '_oauth2_proxy');
    if (s) state.sessions.delete(s);
    return redirect(302, '/', [
      `_oauth2_proxy=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict`,
    ]);
  }
  if (p === '/' && request.method === 'GET') {
    return new Response('<!doctype html><html><body>Sonoma Creek</body></html>', {
      status: 200,
      headers: { 'content-type': 'text/html' },
    });
  }
  return undefined;
}
