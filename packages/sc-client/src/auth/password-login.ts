/**
 * The SC username/password login: oauth2-proxy in front of dex (sc-api.md §2.1), exactly as recorded in
 * `session.yaml`: redirects are followed by hand from `/user/login` to dex's HTML form, collecting cookies (the
 * `_oauth2_proxy_csrf` one above all); the form is POSTed with the raw csrf value as `Cookie` (the Python client's
 * quirk, kept because the recording shows it); the redirects after the POST end with the `_oauth2_proxy` session
 * cookie. The password travels only in that one form body; it is never logged or put in an error.
 */
import type { CookieJar } from 'tough-cookie';
import { ScAuthenticationError } from '../errors.js';

/** A fetch that never follows redirects by itself (`redirect: 'manual'` is passed). */
export type RawFetch = (url: string, init: RequestInit) => Promise<Response>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** More hops than the recorded dance (4 before the form, 3 after) means something else is going on. */
const MAX_HOPS = 12;

async function store(jar: CookieJar, res: Response, url: string): Promise<void> {
  for (const cookie of res.headers.getSetCookie()) {
    await jar.setCookie(cookie, url, { ignoreError: true });
  }
}

async function get(fetchRaw: RawFetch, jar: CookieJar, url: string): Promise<Response> {
  const cookie = await jar.getCookieString(url);
  const res = await fetchRaw(url, { method: 'GET', redirect: 'manual', headers: cookie ? { cookie } : {} });
  await store(jar, res, url);
  return res;
}

/** Follow 30x hops with GETs; returns the first non-redirect answer, its URL and how many hops were taken. */
async function follow(
  fetchRaw: RawFetch,
  jar: CookieJar,
  first: Response,
  url: string,
): Promise<{ res: Response; url: string; hops: number }> {
  let res = first;
  let hops = 0;
  while (REDIRECTS.has(res.status)) {
    const location = res.headers.get('location');
    if (!location) break;
    if (++hops > MAX_HOPS)
      throw new ScAuthenticationError(`login: more than ${MAX_HOPS} redirects from ${url}`);
    await res.body?.cancel();
    url = new URL(location, url).toString();
    res = await get(fetchRaw, jar, url);
  }
  return { res, url, hops };
}

/**
 * Log in; on success the jar holds `_oauth2_proxy`. Throws {@link ScAuthenticationError} (without the password) when
 * the credentials are refused.
 */
export async function passwordLogin(
  fetchRaw: RawFetch,
  jar: CookieJar,
  origin: string,
  username: string,
  password: string,
): Promise<void> {
  const start = `${origin}/user/login`;
  const first = await get(fetchRaw, jar, start);
  const form = await follow(fetchRaw, jar, first, start);
  await form.res.body?.cancel();
  if (form.res.status !== 200) {
    throw new ScAuthenticationError(
      `login: the login form at ${new URL(form.url).pathname} answered ${form.res.status} (expected 200)`,
    );
  }
  const csrf = (await jar.getCookies(form.url)).find((c) => c.key === '_oauth2_proxy_csrf')?.value;
  const body = new URLSearchParams({ login: username, password }).toString();
  const posted = await fetchRaw(form.url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // As recorded: the raw csrf value, not `name=value` (sc_session.py sends it so).
      ...(csrf ? { cookie: csrf } : {}),
    },
    body,
  });
  await store(jar, posted, form.url);
  const after = await follow(fetchRaw, jar, posted, form.url);
  await after.res.body?.cancel();
  const session = (await jar.getCookies(after.url)).find((c) => c.key === '_oauth2_proxy');
  if (after.hops === 0 || !session) {
    throw new ScAuthenticationError(
      `login: authentication failed for user "${username}", check the credentials (${posted.status} from the login form)`,
    );
  }
}
