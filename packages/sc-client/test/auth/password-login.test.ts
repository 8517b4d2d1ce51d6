/**
 * The oauth2-proxy + dex login (passwordLogin) against servers that differ from the recorded one in ways a user can
 * meet: a form page that sets other cookies besides the csrf one (only the csrf value is posted) or none at all (the
 * form is posted without a Cookie header), a last page without a body, and a jar that still holds the session cookie
 * of an earlier login when the password is now refused (refused, not taken for logged in).
 */
import { CookieJar } from 'tough-cookie';
import { describe, expect, it } from 'vitest';
import { passwordLogin, type RawFetch } from '../../src/auth/password-login.js';
import { ScAuthenticationError } from '../../src/errors.js';

const ORIGIN = 'https://sc.example';
const redirect = (location: string, cookies: string[] = [], status = 302) =>
  new Response(null, {
    status,
    headers: [['location', location], ...cookies.map((c): [string, string] => ['set-cookie', c])],
  });
const form = (cookies: string[] = []) =>
  new Response('<html><form method="post"></form></html>', {
    status: 200,
    headers: [['content-type', 'text/html'], ...cookies.map((c): [string, string] => ['set-cookie', c])],
  });

interface Options {
  /** Set-Cookie headers of the form page. */
  formCookies?: string[];
  /** Whether the password is accepted. */
  accept?: boolean;
  /** The page the walk ends on after the callback. */
  landing?: () => Response;
}

/** oauth2-proxy + dex: /user/login -> /dex/auth (form) -> POST -> /callback (session cookie) -> /. */
function dex(options: Options = {}) {
  const posts: RequestInit[] = [];
  const fetchRaw: RawFetch = async (url, init) => {
    const { pathname } = new URL(url);
    if (init.method === 'POST') {
      posts.push(init);
      return options.accept === false ? form() : redirect('/callback', [], 303);
    }
    if (pathname === '/user/login') return redirect('/dex/auth', ['_oauth2_proxy_csrf=CSRF1; Path=/']);
    if (pathname === '/dex/auth') return form(options.formCookies);
    if (pathname === '/callback') return redirect('/', ['_oauth2_proxy=SESSION; Path=/']);
    return options.landing?.() ?? form();
  };
  return { fetchRaw, posts };
}

const cookieOf = (init: RequestInit | undefined) => (init?.headers as Record<string, string>)?.cookie;

describe('password login', () => {
  it('posts the csrf value, not the other cookies the form page sets', async () => {
    // A cookie of the form's own path comes first in the jar's list for that page.
    const { fetchRaw, posts } = dex({ formCookies: ['dex_state=S1; Path=/dex', 'dex_lang=en; Path=/'] });
    const jar = new CookieJar();
    await passwordLogin(fetchRaw, jar, ORIGIN, 'ann', 'pw');
    expect(cookieOf(posts[0])).toBe('CSRF1');
  });

  it('a form with no csrf cookie is posted without a Cookie header, and the login goes on', async () => {
    const posts: RequestInit[] = [];
    const { fetchRaw } = dex();
    const withoutCsrf: RawFetch = async (url, init) => {
      if (new URL(url).pathname === '/user/login') return redirect('/dex/auth');
      if (init.method === 'POST') posts.push(init);
      return fetchRaw(url, init);
    };
    const jar = new CookieJar();
    await passwordLogin(withoutCsrf, jar, ORIGIN, 'ann', 'pw');
    expect(cookieOf(posts[0])).toBeUndefined();
    expect(await jar.getCookieString(`${ORIGIN}/`)).toContain('_oauth2_proxy=SESSION');
  });

  it('a last page without a body ends the login as well', async () => {
    const { fetchRaw } = dex({ landing: () => new Response(null, { status: 204 }) });
    const jar = new CookieJar();
    await expect(passwordLogin(fetchRaw, jar, ORIGIN, 'ann', 'pw')).resolves.toBeUndefined();
    expect(await jar.getCookieString(`${ORIGIN}/`)).toContain('_oauth2_proxy=SESSION');
  });

  it('a refused password is refused even when the jar still holds an earlier session cookie', async () => {
    const jar = new CookieJar();
    await passwordLogin(dex().fetchRaw, jar, ORIGIN, 'ann', 'pw');
    const refused = passwordLogin(dex({ accept: false }).fetchRaw, jar, ORIGIN, 'ann', 'changed');
    await expect(refused).rejects.toBeInstanceOf(ScAuthenticationError);
    await expect(refused).rejects.toThrow('authentication failed for user "ann"');
  });
});
