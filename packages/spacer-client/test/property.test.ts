/** decode(encode(m)) is m for generated messages, and the encoding is JSON with the same value. */
import { parseJson, toPlainJson } from '@mlclients/package-core/json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codecs } from '../src/codec/codecs.js';
import { EXTRACTOR_CLASS_PATHS } from '../src/messages/extractor-spec.js';
import type { JobMsg, JobReturnMsg } from '../src/messages/job-messages.js';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const int = fc.integer({ min: -(2 ** 31), max: 2 ** 31 });
const float = fc.double({ noNaN: true, noDefaultInfinity: true });
const bigLabel = fc.bigInt({ min: 2n ** 53n + 1n, max: 2n ** 70n }).map((b) => (b % 2n ? b : -b));
const label = fc.oneof(int, bigLabel, text);
const rowcol = fc.tuple(fc.nat(20000), fc.nat(20000));

const location = fc.oneof(
  fc.record({
    storage_type: fc.constant('s3' as const),
    key: text,
    bucket_name: fc.stringMatching(/^[a-z0-9.-]{3,20}$/),
  }),
  fc.record({
    storage_type: fc.constantFrom('filesystem' as const, 'memory' as const, 'url' as const),
    key: text,
    bucket_name: fc.constant(null),
  }),
);
const writable = location.filter((l) => l.storage_type !== 'url');
const sha = fc.stringMatching(/^[0-9a-f]{64}$/);
const extractor = fc.oneof(
  fc.record({
    class_path: fc.constant(EXTRACTOR_CLASS_PATHS.efficientnet),
    data_locations: fc.record({ weights: location }),
    data_hashes: fc.option(fc.record({ weights: sha }), { nil: undefined }).map((h) => h ?? {}),
  }),
  fc.record({
    class_path: fc.constant(EXTRACTOR_CLASS_PATHS.vgg16),
    data_locations: fc.record({ definition: location, weights: location }),
    data_hashes: fc.constant({}),
  }),
  fc.record({
    class_path: fc.constant(EXTRACTOR_CLASS_PATHS.dummy),
    data_locations: fc.constant({}),
    data_hashes: fc.constant({}),
    feature_dim: fc.integer({ min: 1, max: 5000 }),
  }),
);
const trainer = fc
  .record(
    {
      batch_size: fc.integer({ min: 1, max: 100000 }),
      mlp_hidden_layer_sizes: fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 3 }),
      mlp_learning_rate_init: fc.double({ min: 1e-6, max: 1, noNaN: true }),
      sgd_loss: fc.constantFrom('log_loss', 'hinge'),
      sgd_average: fc.boolean(),
      sgd_random_state: fc.nat(100),
    },
    { requiredKeys: [] },
  )
  .map((params) =>
    codecs.TrainerSpec.parse({ class_path: 'spacer.train_classifier.MiniBatchTrainer', ...params }),
  );
// Distinct locations per set: Python's ImageLabels is a dict keyed by location.
const imageLabels = fc.uniqueArray(
  fc.record({
    loc: location,
    annotations: fc.array(fc.tuple(fc.nat(5000), fc.nat(5000), label), { maxLength: 4 }),
  }),
  {
    maxLength: 3,
    selector: (e) => JSON.stringify([e.loc.storage_type, e.loc.key, e.loc.bucket_name]),
  },
);

const tasks = {
  extract_features: fc.record({
    job_token: text,
    extractor,
    rowcols: fc.array(rowcol, { minLength: 1, maxLength: 5 }),
    image_loc: location,
    feature_loc: writable,
  }),
  train_classifier: fc.record({
    job_token: text,
    trainer,
    nbr_epochs: fc.nat(50),
    clf_type: fc.constantFrom('LR' as const, 'MLP' as const),
    labels: fc.record({ train: imageLabels, ref: imageLabels, val: imageLabels }),
    previous_model_locs: fc.array(location, { maxLength: 3 }),
    model_loc: location,
    valresult_loc: location,
    feature_cache_dir: fc.constantFrom('auto', 'disabled', '/var/cache/spacer'),
  }),
  classify_features: fc.record({ job_token: text, feature_loc: location, classifier_loc: location }),
  classify_image: fc.record({
    job_token: text,
    extractor,
    rowcols: fc.array(rowcol, { maxLength: 5 }),
    image_loc: location,
    classifier_loc: location,
  }),
};
const classifyResult = fc.record({
  runtime: float,
  scores: fc.array(
    fc.tuple(
      fc.option(fc.nat(), { nil: null }),
      fc.option(fc.nat(), { nil: null }),
      fc.array(float, { maxLength: 4 }),
    ),
    {
      maxLength: 3,
    },
  ),
  classes: fc.array(label, { maxLength: 4 }),
  valid_rowcol: fc.boolean(),
});
const results = {
  extract_features: fc.record({ extractor_loaded_remotely: fc.boolean(), runtime: float }),
  train_classifier: fc.record({
    acc: float,
    pc_accs: fc.array(float, { maxLength: 3 }),
    ref_accs: fc.array(float, { maxLength: 5 }),
    runtime: float,
  }),
  classify_features: classifyResult,
  classify_image: classifyResult,
};

const job: fc.Arbitrary<JobMsg> = fc.oneof(
  ...(Object.keys(tasks) as (keyof typeof tasks)[]).map((name) =>
    fc.record({
      task_name: fc.constant(name),
      tasks: fc.array(tasks[name] as fc.Arbitrary<unknown>, { maxLength: 3 }),
    }),
  ),
) as fc.Arbitrary<JobMsg>;
const jobReturn: fc.Arbitrary<JobReturnMsg> = job.chain((original_job) =>
  fc.oneof(
    fc.record({
      original_job: fc.constant(original_job),
      ok: fc.constant(true as const),
      results: fc.array(results[original_job.task_name] as fc.Arbitrary<never>, { maxLength: 3 }),
      error_message: fc.constant(null),
    }),
    fc.record({
      original_job: fc.constant(original_job),
      ok: fc.constant(false as const),
      results: fc.constant(null),
      error_message: text,
    }),
  ),
);

describe('decode(encode(m)) == m', () => {
  it('for generated jobs', () => {
    fc.assert(
      fc.property(job, (m) => {
        const encoded = codecs.JobMsg.encode(m);
        expect(codecs.JobMsg.decode(encoded)).toEqual(codecs.JobMsg.parse(m));
        // Plain JSON (no NaN/Infinity here) with the value Python serialised.
        JSON.parse(encoded);
        expect(toPlainJson(parseJson(encoded))).toEqual(toPlainJson(codecs.JobMsg.toPython(m)));
        // ASCII only, as json.dumps writes by default.
        expect(/^[\x20-\x7e]*$/.test(encoded)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('for generated job returns', () => {
    fc.assert(
      fc.property(jobReturn, (m) => {
        const encoded = codecs.JobReturnMsg.encode(m);
        expect(codecs.JobReturnMsg.decode(encoded)).toEqual(codecs.JobReturnMsg.parse(m));
        expect(toPlainJson(parseJson(encoded))).toEqual(toPlainJson(codecs.JobReturnMsg.toPython(m)));
        expect(Number.isNaN(JSON.parse(encoded))).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});
