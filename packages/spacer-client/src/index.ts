/**
 * `@mlclients/spacer-client`: pyspacer's (CoralNet's) job messages, storage, configuration and queues for TypeScript.
 * The tasks themselves (PyTorch, scikit-learn) stay in Python; this package builds, validates, stores, submits and
 * reads the messages around them, byte-compatible with pyspacer 0.14.
 *
 * @example
 * ```ts
 * import { codecs, collectAll, dataLocation, examples, LocalQueue, SpacerStorage } from '@mlclients/spacer-client';
 *
 * const job = codecs.JobMsg.parse(examples.jobMsg()); // checked as pyspacer's constructors check it
 * console.log(codecs.JobMsg.encode(job)); // pyspacer's json.dumps(job.serialize()), byte for byte
 * // Run it with pyspacer's mailman (`python3 -m spacer.mailman env_job`, the default command) on this machine:
 * const queue = new LocalQueue({ storage: new SpacerStorage(), root: dataLocation('filesystem', '/tmp/spacer-jobs') });
 * await queue.submit(job);
 * for await (const done of collectAll(queue)) console.log(done.id, done.status, done.result?.ok);
 * ```
 *
 * @packageDocumentation
 */
export * from './codec/codec.js';
export * from './codec/codecs.js';
export * from './config.js';
export * from './errors.js';
export * from './messages/data-location.js';
export * from './messages/examples.js';
export * from './messages/extractor-spec.js';
export * from './messages/image-labels.js';
export * from './messages/job-messages.js';
export * from './messages/label-id.js';
export * from './messages/return-messages.js';
export * from './messages/task-messages.js';
export * from './messages/trainer-spec.js';
export * from './messages/val-results.js';
export * from './queues/batch-queue.js';
export * from './queues/job-queue.js';
export * from './queues/local-queue.js';
export * from './results/classify-scores.js';
export * from './results/error-message.js';
export * from './results/image-features.js';
export { type NpyArray, type NpyDtype, NpyFormatError, readNpy, writeNpy } from './results/npy.js';
export * from './results/val-results-stats.js';
export * from './storage/spacer-storage.js';
export { SpacerUrlStore, URL_TIMEOUT_MS } from './storage/url-store.js';
export { SPACER_WIRE_VERSION } from './version.js';
