/** The asserts of spacer's constructors (§12 of the fact sheet), each as a refusal that names the field. */
import { describe, expect, it } from 'vitest';
import { codecs } from '../src/codec/codecs.js';
import { SpacerMessageError } from '../src/errors.js';
import { dataLocation, locationFilename } from '../src/messages/data-location.js';
import { exampleJob, exampleResult, examples } from '../src/messages/examples.js';
import { EXTRACTOR_CLASS_PATHS, extractorFeatureDim } from '../src/messages/extractor-spec.js';
import { TASK_NAMES } from '../src/messages/job-messages.js';

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SpacerMessageError);
    return [...(error as SpacerMessageError).issues];
  }
  throw new Error('expected a SpacerMessageError');
}

describe('ExtractFeaturesMsg asserts', () => {
  it('refuses a message without job_token (Python: KeyError)', () => {
    const { job_token: _, ...rest } = examples.extractFeaturesMsg();
    expect(issuesOf(() => codecs.ExtractFeaturesMsg.parse(rest))).toEqual([
      { path: 'job_token', message: 'required (expected string)' },
    ]);
  });

  it('refuses empty rowcols, with spacer’s text', () => {
    const msg = { ...examples.extractFeaturesMsg(), rowcols: [] };
    expect(issuesOf(() => codecs.ExtractFeaturesMsg.encode(msg))).toEqual([
      { path: 'rowcols', message: 'Invalid message, rowcols entry is empty.' },
    ]);
  });

  it('refuses a rowcol that is not a pair', () => {
    const msg = { ...examples.extractFeaturesMsg(), rowcols: [[120, 101, 121]] };
    expect(issuesOf(() => codecs.ExtractFeaturesMsg.encode(msg as never))[0]?.path).toBe('rowcols[0]');
  });

  it('refuses a url feature_loc (not writable)', () => {
    const msg = { ...examples.extractFeaturesMsg(), feature_loc: dataLocation('url', 'https://...') };
    expect(issuesOf(() => codecs.ExtractFeaturesMsg.encode(msg))).toEqual([
      { path: 'feature_loc.storage_type', message: "Write not supported for 'url' storage type." },
    ]);
  });

  it('names the task inside a job', () => {
    const job = exampleJob('extract_features', 3);
    job.tasks[2] = { ...job.tasks[1]!, rowcols: [] };
    expect(issuesOf(() => codecs.JobMsg.encode(job))[0]?.path).toBe('tasks[2].rowcols');
  });

  it('accepts ClassifyImageMsg with empty rowcols (spacer asserts nothing there)', () => {
    expect(() =>
      codecs.ClassifyImageMsg.encode({ ...examples.classifyImageMsg(), rowcols: [] }),
    ).not.toThrow();
  });
});

describe('DataLocation asserts', () => {
  it('needs bucket_name for s3', () => {
    expect(issuesOf(() => dataLocation('s3', 'k'))).toEqual([
      { path: 'bucket_name', message: 'Need bucket_name to use s3.' },
    ]);
  });

  it('knows only spacer’s storage types', () => {
    expect(issuesOf(() => codecs.DataLocation.parse({ storage_type: 'gcs', key: 'k' }))[0]).toEqual({
      path: 'storage_type',
      message: 'Storage type not valid.',
    });
  });

  it('derives the filename like Python (url path, not query)', () => {
    expect(locationFilename(dataLocation('url', 'https://h/a/b/c.png?X-Amz-Signature=1'))).toBe('c.png');
    expect(locationFilename(dataLocation('filesystem', '/data/img1.features'))).toBe('img1.features');
  });
});

describe('trainer specs', () => {
  const withTrainer = (trainer: unknown) => ({ ...examples.trainClassifierMsg(), trainer }) as never;

  it('serialises the default trainer as its class path only', () => {
    expect(codecs.TrainerSpec.encode({ class_path: 'spacer.train_classifier.MiniBatchTrainer' })).toBe(
      '{"class_path": "spacer.train_classifier.MiniBatchTrainer"}',
    );
    expect(codecs.TrainerSpec.encode('minibatch' as never)).toBe(
      '{"class_path": "spacer.train_classifier.MiniBatchTrainer"}',
    );
  });

  it('adds a parameter that differs from its default', () => {
    expect(
      codecs.TrainerSpec.encode({
        class_path: 'spacer.train_classifier.MiniBatchTrainer',
        batch_size: 10000,
      }),
    ).toBe('{"class_path": "spacer.train_classifier.MiniBatchTrainer", "batch_size": 10000}');
  });

  it('refuses a class path it cannot resolve to a trainer', () => {
    expect(
      issuesOf(() => codecs.TrainClassifierMsg.encode(withTrainer('spacer.nope.Trainer')))[0]?.path,
    ).toBe('trainer.class_path');
    expect(
      issuesOf(() => codecs.TrainClassifierMsg.encode(withTrainer('spacer.messages.JobMsg')))[0]?.path,
    ).toBe('trainer.class_path');
  });

  it('reads the legacy trainer_name form as the new one', () => {
    const { trainer: _, ...rest } = examples.trainClassifierMsg();
    const legacy = codecs.TrainClassifierMsg.parse({ ...rest, trainer_name: 'minibatch' });
    expect(legacy).toEqual(examples.trainClassifierMsg());
  });

  it('refuses an unknown clf_type', () => {
    expect(
      issuesOf(() =>
        codecs.TrainClassifierMsg.encode({ ...examples.trainClassifierMsg(), clf_type: 'SVM' } as never),
      ),
    ).toEqual([{ path: 'clf_type', message: 'clf_type must be one of LR, MLP' }]);
  });
});

describe('ValResults asserts', () => {
  it('refuses indices outside classes and unequal lengths', () => {
    const issues = issuesOf(() =>
      codecs.ValResults.parse({ scores: [0.5, 0.5], gt: [0, 2], est: [-1], classes: [1, 2] }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(['est', 'est[0]', 'gt[1]'].sort());
  });
});

describe('jobs and returns', () => {
  it('refuses an unknown task_name', () => {
    expect(issuesOf(() => codecs.JobMsg.parse({ task_name: 'segment', tasks: [] }))[0]).toEqual({
      path: 'task_name',
      message:
        'task_name must be one of extract_features, train_classifier, classify_features, classify_image',
    });
  });

  it('reads ok results by the original task (a train result is not a classify result)', () => {
    const msg = {
      original_job: exampleJob('classify_features'),
      ok: true,
      results: [exampleResult('train_classifier')],
      error_message: null,
    };
    expect(issuesOf(() => codecs.JobReturnMsg.parse(msg)).map((i) => i.path)).toContain('results[0].scores');
  });

  it.each(TASK_NAMES)('round-trips %s jobs of one and three tasks, ok and not ok', (task) => {
    for (const count of [1, 3]) {
      const job = exampleJob(task, count);
      expect(codecs.JobMsg.decode(codecs.JobMsg.encode(job))).toEqual(job);
      for (const ret of [
        {
          original_job: job,
          ok: true as const,
          results: Array(count).fill(exampleResult(task)),
          error_message: null,
        },
        { original_job: job, ok: false as const, results: null, error_message: 'some error message' },
      ]) {
        expect(codecs.JobReturnMsg.decode(codecs.JobReturnMsg.encode(ret))).toEqual(ret);
      }
    }
  });

  it('writes -0.0 with its sign, as json.dumps does (found by the property test)', () => {
    const text = codecs.ExtractFeaturesReturnMsg.encode({ extractor_loaded_remotely: false, runtime: -0 });
    expect(text).toBe('{"extractor_loaded_remotely": false, "runtime": -0.0}');
    expect(Object.is(codecs.ExtractFeaturesReturnMsg.decode(text).runtime, -0)).toBe(true);
  });

  it('keeps labels beyond 2^53 exact', () => {
    const big = 2n ** 64n + 1n;
    const v = { scores: [0.5], gt: [0], est: [0], classes: [big, 'x'] };
    const text = codecs.ValResults.encode(v);
    expect(text).toBe('{"scores": [0.5], "gt": [0], "est": [0], "classes": [18446744073709551617, "x"]}');
    expect(codecs.ValResults.decode(text).classes[0]).toBe(big);
  });

  it('gives the extractor’s feature dimension', () => {
    expect(extractorFeatureDim(examples.extractFeaturesMsg().extractor)).toBe(1280);
    const dummy = codecs.ExtractorSpec.parse({
      class_path: 'spacer.extractors.DummyExtractor',
      data_locations: {},
    });
    expect(dummy).toEqual({
      class_path: EXTRACTOR_CLASS_PATHS.dummy,
      data_locations: {},
      data_hashes: {},
      feature_dim: 4096,
    });
  });
});
