/** Every operation through HubClient against the fake in-process (MSW); see all-operations.ts. */
import { useHubFake } from '../helpers/fake-server.js';
import { allOperationsScenario, CONFORMANCE_TOKEN } from './all-operations.js';

const env = useHubFake({
  baseUrl: 'http://hub.conformance.test',
  optimizersUrl: 'http://optimizers.conformance.test',
  tokens: [CONFORMANCE_TOKEN],
});
allOperationsScenario(env);
