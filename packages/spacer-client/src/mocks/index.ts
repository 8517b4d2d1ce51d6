/**
 * `@mlclients/spacer-client/mocks`: a fake AWS Batch API (MSW handlers for the AWS SDK's calls) and a fake spacer
 * worker that runs jobs from the messages alone.
 *
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { FakeBatchApi, FakeSpacerWorker } from '@mlclients/spacer-client/mocks';
 * const worker = new FakeSpacerWorker({ storage });
 * const batch = new FakeBatchApi({ worker });
 * const server = setupServer(...batch.handlers);
 * server.listen({ onUnhandledRequest: 'bypass' });
 * ```
 */

export {
  FakeBatchApi,
  type FakeBatchApiOptions,
  type FakeBatchJob,
  type FakeBatchStatus,
  MAX_DESCRIBE_JOBS,
} from './fake-batch.js';
export { compareLabels, type FakeClassifier } from './fake-classifier.js';
export { FakeSpacerWorker, type FakeWorkerOptions, preprocessLabels } from './fake-worker.js';
export { formatTraceback, PythonException, pythonRepr, spacerError } from './python-errors.js';
