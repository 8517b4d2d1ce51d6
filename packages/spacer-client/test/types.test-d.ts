/** Type tests: the unions narrow as a caller relies on. */
import { expectTypeOf, it } from 'vitest';
import type { JobMsg, JobReturnMsg, TaskResult } from '../src/messages/job-messages.js';
import type { LabelId } from '../src/messages/label-id.js';
import type { ExtractFeaturesMsg, TrainClassifierMsg } from '../src/messages/task-messages.js';
import type { FinishedJob } from '../src/queues/job-queue.js';

it('narrows jobs by task_name and returns by ok', () => {
  const job = {} as JobMsg;
  if (job.task_name === 'extract_features') expectTypeOf(job.tasks).toEqualTypeOf<ExtractFeaturesMsg[]>();
  if (job.task_name === 'train_classifier')
    expectTypeOf(job.tasks[0]).toEqualTypeOf<TrainClassifierMsg | undefined>();
  const ret = {} as JobReturnMsg;
  if (ret.ok) expectTypeOf(ret.results).toEqualTypeOf<TaskResult[]>();
  else expectTypeOf(ret.results).toBeUnknown();
  expectTypeOf<LabelId>().toEqualTypeOf<number | bigint | string>();
  expectTypeOf<FinishedJob['status']>().toEqualTypeOf<'SUCCEEDED' | 'FAILED' | 'DROPPED' | 'CANCELLED'>();
  // @ts-expect-error: s3 locations are plain objects with a storage type from spacer's list only
  const bad: ExtractFeaturesMsg['feature_loc'] = { storage_type: 'gcs', key: 'k', bucket_name: null };
  void bad;
});
