/**
 * One spec for both eras (sc-api.md §1.1, §3.1): the server template `/api/{api_version}{organization}` covers the SC
 * base paths and Geti's organization prefix, and the few operations that are never under the organization say so with
 * their own `servers`.
 */
import { describe, expect, it } from 'vitest';
import { operations } from '../src/generated/resources.js';
import { matchRoutes, serverPathPattern, spec } from './helpers/spec-routes.js';

const ws = '624c004b234370fcf24bf38c';
const project = '6255dd08234370fcf24c1c1b';
const org = '000000000000000000000001';
const ids = (path: string, method = 'GET') => matchRoutes(method, path).map((m) => m.operationId);

describe('sc server template', () => {
  it('declares the base path and organization as server variables', () => {
    const [server] = spec.servers as {
      url: string;
      variables: Record<string, { default: string; enum?: string[]; description: string }>;
    }[];
    expect(server?.url).toBe('https://{host}/api/{api_version}{organization}');
    expect(server?.variables.api_version?.enum).toEqual(['v1.0', 'v1']);
    expect(server?.variables.organization?.default).toBe('');
    // The test helper matches `{organization}` as `/organizations/<id>` or nothing: the form this description gives.
    expect(server?.variables.organization?.description).toContain('`/organizations/{org id}`');
    expect(new RegExp(`^${serverPathPattern(server as never)}$`).test('/api/v2')).toBe(false);
  });

  it('reaches the same operation through every era of base path', () => {
    for (const base of ['/api/v1.0', '/api/v1', `/api/v1/organizations/${org}`]) {
      expect(ids(`${base}/workspaces`)).toEqual(['listWorkspaces']);
      expect(ids(`${base}/workspaces/${ws}/projects`)).toEqual(['listProjects']);
      expect(ids(`${base}/workspaces/${ws}/projects/${project}:train`, 'POST')).toEqual(['trainProjectTask']);
      expect(ids(`${base}/workspaces/${ws}/projects/${project}/train`, 'POST')).toEqual(['trainProject']);
    }
  });

  it('keeps product_info, profile and the token routes outside the organization', () => {
    expect(ids('/api/v1.0/product_info')).toEqual(['getProductInfo']);
    expect(ids('/api/v1/product_info')).toEqual(['getProductInfo']);
    expect(ids(`/api/v1/organizations/${org}/product_info`)).toEqual([]);
    expect(ids('/api/v1/profile')).toEqual(['getProfile']);
    expect(ids(`/api/v1/organizations/${org}/profile`)).toEqual([]);
    expect(ids('/api/v1/personal_access_tokens/organization')).toEqual(['getTokenOrganization']);
    // The PAT exchange only ever existed at /api/v1 (SC 1.2).
    expect(ids('/api/v1/service_accounts/access_token', 'POST')).toEqual(['createAccessToken']);
    expect(ids('/api/v1.0/service_accounts/access_token', 'POST')).toEqual([]);
    const ownServers = Object.values(operations)
      .filter((op) => 'servers' in op)
      .map((op) => op.operationId)
      .sort();
    expect(ownServers).toEqual(['createAccessToken', 'getProductInfo', 'getProfile', 'getTokenOrganization']);
    // One named server, so the runtime sends them to `options.servers.apiRoot` instead of the organization's base URL.
    for (const id of ownServers) expect((operations[id] as { server?: string }).server).toBe('apiRoot');
  });

  it('marks every operation that only one era has', () => {
    const era = (id: keyof typeof operations) => {
      const op = operations[id] as { extensions?: { era?: string } };
      return op.extensions?.era ?? 'both';
    };
    const byEra = { sc: [] as string[], geti: [] as string[], both: [] as string[] };
    for (const id of Object.keys(operations) as (keyof typeof operations)[]) byEra[era(id) as 'sc'].push(id);
    expect(byEra.sc).toContain('listImages');
    expect(byEra.sc).toContain('getImagePrediction');
    expect(byEra.geti).toContain('queryMedia');
    expect(byEra.geti).toContain('predictWithActivePipeline');
    expect(byEra.both).toContain('createImage');
    expect(byEra.both).toContain('setTaskConfiguration');
    expect(Object.values(byEra).flat()).toHaveLength(Object.keys(operations).length);
  });
});
