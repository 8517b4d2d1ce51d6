/** The fake Hub over real HTTP (`startMockServer('hub')`, as `npm run mock -- hub` serves it): the same scenarios. */
import { useHubFake } from '../helpers/fake-server.js';
import { regressionScenarios } from './regressions.js';
import { fakeScenarios, TOKEN } from './scenarios.js';

const env = useHubFake({ baseUrl: 'unused', optimizersUrl: 'unused', tokens: [TOKEN] }, 'http');
fakeScenarios(env);
regressionScenarios(env);
