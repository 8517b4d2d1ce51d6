/** The fake Hub over real HTTP (`startMockServer('hub')`, as `npm run mock -- hub` serves it): the same scenarios. */
import { describe, expect, it } from 'vitest';
import { useHubFake } from '../helpers/fake-server.js';
import { regressionScenarios } from './regressions.js';
import { fakeScenarios, TOKEN } from './scenarios.js';

const env = useHubFake({ baseUrl: 'unused', optimizersUrl: 'unused', tokens: [TOKEN] }, 'http');
fakeScenarios(env);
regressionScenarios(env);

describe('fake Hub over HTTP (any client)', () => {
  it('reads the GET body an undici-based transport sends (MSW could not intercept it; a server can)', async () => {
    const { request } = await import('undici');
    await request(`${env.baseUrl}/api/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'p', organization_id: 1, project_api_token: TOKEN }),
    }).then((r) => r.body.dump());
    const res = await request(`${env.baseUrl}/api/v1/projects`, {
      method: 'GET',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'p', project_api_token: TOKEN }),
    });
    expect(res.statusCode).toBe(200);
    const body = (await res.body.json()) as { data: { name: string }[] };
    expect(body.data.map((p) => p.name)).toEqual(['p']);
  });
});
