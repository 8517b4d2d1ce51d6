/** Every operation through HubClient against the fake over real HTTP (`startMockServer('hub')`). */
import { useHubFake } from '../helpers/fake-server.js';
import { allOperationsScenario, CONFORMANCE_TOKEN } from './all-operations.js';

const env = useHubFake({ baseUrl: 'unused', optimizersUrl: 'unused', tokens: [CONFORMANCE_TOKEN] }, 'http');
allOperationsScenario(env);
