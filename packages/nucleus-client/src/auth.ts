/**
 * How Nucleus authenticates (nucleus-api.md §1): the API key as the HTTP basic username with an EMPTY password, or,
 * instead, a limited-access key in `x-limited-access-key` (then no basic auth). Exactly one of the two: both, or
 * neither (after the environment), is refused before anything is sent, naming the options and the variables.
 */
import {
  type AuthStrategy,
  basicAuth,
  headerToken,
  MissingParamError,
  readEnv,
} from '@mlclients/package-core';

/** The two credentials of Nucleus. */
export interface NucleusKeys {
  /** API key (HTTP basic username, empty password). @default process.env.NUCLEUS_API_KEY */
  apiKey?: string | undefined;
  /** Limited-access key (`x-limited-access-key` header). @default process.env.NUCLEUS_LIMITED_ACCESS_KEY */
  limitedAccessKey?: string | undefined;
}

/** The environment variable `apiKey` is read from when the option is not given. */
export const API_KEY_ENV = 'NUCLEUS_API_KEY';
/** The environment variable `limitedAccessKey` is read from when the option is not given. */
export const LIMITED_ACCESS_KEY_ENV = 'NUCLEUS_LIMITED_ACCESS_KEY';

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

/**
 * The auth strategy of the options. The environment is read only when neither option is given, so an explicit
 * `apiKey` is never combined with a limited key from the environment.
 */
export function nucleusAuth(keys: NucleusKeys): AuthStrategy {
  let apiKey = nonEmpty(keys.apiKey);
  let limited = nonEmpty(keys.limitedAccessKey);
  let from = 'options';
  if (apiKey === undefined && limited === undefined) {
    apiKey = readEnv(API_KEY_ENV);
    limited = readEnv(LIMITED_ACCESS_KEY_ENV);
    from = 'environment';
  }
  if (apiKey !== undefined && limited !== undefined) {
    throw new MissingParamError(
      `NucleusClient: pass either \`apiKey\` (${API_KEY_ENV}) or \`limitedAccessKey\` (${LIMITED_ACCESS_KEY_ENV}), not both (both were found in the ${from})`,
      [
        { path: 'apiKey', message: 'mutually exclusive with limitedAccessKey' },
        { path: 'limitedAccessKey', message: 'mutually exclusive with apiKey' },
      ],
    );
  }
  if (apiKey !== undefined) return basicAuth({ username: apiKey, password: '' });
  if (limited !== undefined)
    return headerToken({ token: limited, header: 'x-limited-access-key', scheme: '' });
  throw new MissingParamError(
    `NucleusClient: no credentials: pass \`apiKey\` or set ${API_KEY_ENV}, or pass \`limitedAccessKey\` or set ${LIMITED_ACCESS_KEY_ENV}`,
    [
      { path: 'apiKey', message: 'required (or limitedAccessKey)' },
      { path: 'limitedAccessKey', message: 'required (or apiKey)' },
    ],
  );
}
