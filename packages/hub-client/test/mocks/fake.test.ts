/** The fake Hub in-process (MSW): the shared scenarios, plus what only an in-process fake offers. */
import { describe, expect, it } from 'vitest';
import { createHubClient } from '../../src/index.js';
import { createHubFake } from '../../src/mocks/index.js';
import { useHubFake } from '../helpers/fake-server.js';
import { regressionScenarios } from './regressions.js';
import { fakeScenarios, TOKEN } from './scenarios.js';

const env = useHubFake({
  baseUrl: 'http://hub.fake.test',
  optimizersUrl: 'http://optimizers.fake.test',
  tokens: [TOKEN],
});
fakeScenarios(env);
regressionScenarios(env);

describe('fake Hub (in-process only)', () => {
  it('answers any origin when no baseUrl is given (the client and the fake only share the path)', async () => {
    const anyOrigin = createHubFake({ requireToken: false });
    env.server.use(...anyOrigin.handlers); // dropped after the test
    const hub = createHubClient({ baseUrl: 'http://somewhere-else.test' });
    const org = await hub.organizations.create({ name: 'x' });
    expect(anyOrigin.store.get('organizations', org.id)).toMatchObject({ name: 'x' });
    expect((await hub.organizations.list()).data).toHaveLength(1);
  });

  it('starts from a seed, and reset() restores it', async () => {
    const seeded = createHubFake({
      seed: { projects: [{ id: 7, name: 'seeded', status: 'undeployed', deleting: false }] },
    });
    expect(seeded.store.get('projects', 7)).toMatchObject({
      object: 'project',
      deleted: false,
      name: 'seeded',
    });
    seeded.store.remove('projects', 7);
    seeded.reset();
    expect(seeded.store.list('projects')).toHaveLength(1);
  });
});
