/**
 * Nucleus credentials as a user gives them (nucleus-api.md §1): the API key as the Basic username with an empty
 * password, or a limited-access key in `x-limited-access-key`; exactly one of the two, from the options or else from
 * the environment, never mixed; an empty value counts as not given; a refusal names the options, the variables and
 * where both keys were found; the key is a secret the redactor knows before the first request.
 */
import { type AuthRequest, type AuthStrategy, MissingParamError } from '@mlclients/package-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY_ENV, LIMITED_ACCESS_KEY_ENV, nucleusAuth } from '../src/auth.js';

const saved: Record<string, string | undefined> = {};
beforeEach(() => {
  for (const name of [API_KEY_ENV, LIMITED_ACCESS_KEY_ENV]) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** The headers one attempt carries after the strategy ran. */
async function headersOf(auth: AuthStrategy): Promise<Headers> {
  const headers = new Headers();
  const req: AuthRequest = {
    operation: 'listDatasets',
    method: 'GET',
    url: 'https://api.scale.com/v1/nucleus/dataset',
    headers,
    body: undefined,
    bodyField: undefined,
    addSecret() {},
  };
  await auth.apply(req);
  return headers;
}

function refusal(make: () => unknown): MissingParamError {
  try {
    make();
  } catch (err) {
    if (err instanceof MissingParamError) return err;
    throw err;
  }
  throw new Error('expected a MissingParamError');
}

describe('the API key', () => {
  it('is the Basic username with an empty password, and a secret', async () => {
    const auth = nucleusAuth({ apiKey: 'live_0123456789' });
    const headers = await headersOf(auth);
    expect(headers.get('authorization')).toBe(`Basic ${btoa('live_0123456789:')}`);
    expect(headers.has('x-limited-access-key')).toBe(false);
    expect(auth.secrets()).toContain('live_0123456789');
  });

  it('comes from NUCLEUS_API_KEY when no option is given', async () => {
    process.env[API_KEY_ENV] = 'env_key_0123456';
    const headers = await headersOf(nucleusAuth({}));
    expect(headers.get('authorization')).toBe(`Basic ${btoa('env_key_0123456:')}`);
  });

  it('given as an option, is never combined with a limited key from the environment', async () => {
    process.env[LIMITED_ACCESS_KEY_ENV] = 'env_limited_key';
    const headers = await headersOf(nucleusAuth({ apiKey: 'explicit_key_01' }));
    expect(headers.get('authorization')).toBe(`Basic ${btoa('explicit_key_01:')}`);
    expect(headers.has('x-limited-access-key')).toBe(false);
  });
});

describe('the limited-access key', () => {
  it('goes bare in x-limited-access-key, with no Basic auth, and is a secret', async () => {
    const auth = nucleusAuth({ limitedAccessKey: 'lak_0123456789' });
    const headers = await headersOf(auth);
    expect(headers.get('x-limited-access-key')).toBe('lak_0123456789');
    expect(headers.has('authorization')).toBe(false);
    expect(auth.secrets()).toEqual(['lak_0123456789']);
  });

  it('comes from NUCLEUS_LIMITED_ACCESS_KEY when no option is given', async () => {
    process.env[LIMITED_ACCESS_KEY_ENV] = 'env_lak_012345';
    expect((await headersOf(nucleusAuth({}))).get('x-limited-access-key')).toBe('env_lak_012345');
  });

  it('given as an option, is never combined with an API key from the environment', async () => {
    process.env[API_KEY_ENV] = 'env_key_0123456';
    const headers = await headersOf(nucleusAuth({ limitedAccessKey: 'lak_explicit' }));
    expect(headers.get('x-limited-access-key')).toBe('lak_explicit');
    expect(headers.has('authorization')).toBe(false);
  });
});

describe('empty values count as not given', () => {
  it('an empty option falls back to the environment; an empty apiKey does not hide a limited key', async () => {
    process.env[API_KEY_ENV] = 'env_key_0123456';
    expect((await headersOf(nucleusAuth({ apiKey: '' }))).get('authorization')).toBe(
      `Basic ${btoa('env_key_0123456:')}`,
    );
    delete process.env[API_KEY_ENV];
    const headers = await headersOf(nucleusAuth({ apiKey: '', limitedAccessKey: 'lak_0123456789' }));
    expect(headers.get('x-limited-access-key')).toBe('lak_0123456789');
  });

  it('an empty limitedAccessKey beside an API key is not "both"', async () => {
    const headers = await headersOf(nucleusAuth({ apiKey: 'live_0123456789', limitedAccessKey: '' }));
    expect(headers.get('authorization')).toBe(`Basic ${btoa('live_0123456789:')}`);
  });

  it('blank environment variables are absent', () => {
    process.env[API_KEY_ENV] = '   ';
    process.env[LIMITED_ACCESS_KEY_ENV] = '';
    expect(refusal(() => nucleusAuth({})).message).toContain('no credentials');
  });
});

describe('refusals, before anything is sent', () => {
  it('both keys as options: names both options and both variables, and says they came from the options', () => {
    const err = refusal(() => nucleusAuth({ apiKey: 'live_0123456789', limitedAccessKey: 'lak_0123456789' }));
    expect(err.message).toBe(
      'NucleusClient: pass either `apiKey` (NUCLEUS_API_KEY) or `limitedAccessKey` (NUCLEUS_LIMITED_ACCESS_KEY), not both (both were found in the options)',
    );
    expect(err.issues).toEqual([
      { path: 'apiKey', message: 'mutually exclusive with limitedAccessKey' },
      { path: 'limitedAccessKey', message: 'mutually exclusive with apiKey' },
    ]);
    expect(err.message).not.toContain('live_0123456789');
    expect(err.message).not.toContain('lak_0123456789');
  });

  it('both keys in the environment: says they came from the environment', () => {
    process.env[API_KEY_ENV] = 'env_key_0123456';
    process.env[LIMITED_ACCESS_KEY_ENV] = 'env_lak_012345';
    const err = refusal(() => nucleusAuth({}));
    expect(err.message).toMatch(/not both \(both were found in the environment\)$/);
    expect(err.message).not.toContain('env_key_0123456');
  });

  it('no key anywhere: says how to give either', () => {
    const err = refusal(() => nucleusAuth({}));
    expect(err.message).toBe(
      'NucleusClient: no credentials: pass `apiKey` or set NUCLEUS_API_KEY, or pass `limitedAccessKey` or set NUCLEUS_LIMITED_ACCESS_KEY',
    );
    expect(err.issues).toEqual([
      { path: 'apiKey', message: 'required (or limitedAccessKey)' },
      { path: 'limitedAccessKey', message: 'required (or apiKey)' },
    ]);
  });
});
