/**
 * The job envelope: a `JobMsg` holds N tasks of one type (`task_name` chooses how they are read), and the worker's
 * `JobReturnMsg` holds the job it ran, `ok`, the results in task order (read by task_name when ok; passed through as
 * given otherwise, null in practice) and the error text (a Python traceback) when not ok.
 */
import { z } from 'zod';
import {
  type ClassifyReturnMsg,
  ClassifyReturnMsgSchema,
  type ExtractFeaturesReturnMsg,
  ExtractFeaturesReturnMsgSchema,
  type TrainClassifierReturnMsg,
  TrainClassifierReturnMsgSchema,
} from './return-messages.js';
import {
  ClassifyFeaturesMsgSchema,
  ClassifyImageMsgSchema,
  ExtractFeaturesMsgSchema,
  TrainClassifierMsgSchema,
} from './task-messages.js';

/** `config.TASKS` */
export const TASK_NAMES = [
  'extract_features',
  'train_classifier',
  'classify_features',
  'classify_image',
] as const;
/** The name of one of spacer's tasks (`extract_features`, `train_classifier`...). */
export type TaskName = (typeof TASK_NAMES)[number];

/** zod schema of pyspacer's `JobMsg`: applies the asserts of its Python constructor; each error names its field. */
export const JobMsgSchema = z.discriminatedUnion(
  'task_name',
  [
    z.object({ task_name: z.literal('extract_features'), tasks: z.array(ExtractFeaturesMsgSchema) }),
    z.object({ task_name: z.literal('train_classifier'), tasks: z.array(TrainClassifierMsgSchema) }),
    z.object({ task_name: z.literal('classify_features'), tasks: z.array(ClassifyFeaturesMsgSchema) }),
    z.object({ task_name: z.literal('classify_image'), tasks: z.array(ClassifyImageMsgSchema) }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? `task_name must be one of ${TASK_NAMES.join(', ')}` : undefined,
  },
);
/** `JobMsg`: the type of what `JobMsgSchema` outputs (wire names kept, as pyspacer writes them). */
export type JobMsg = z.output<typeof JobMsgSchema>;
/** A job of one task type. */
export type JobMsgOf<T extends TaskName> = Extract<JobMsg, { task_name: T }>;
/** A task message of one type. */
export type TaskMsgOf<T extends TaskName> = JobMsgOf<T>['tasks'][number];

/** What each task type returns. */
export interface TaskResults {
  extract_features: ExtractFeaturesReturnMsg;
  train_classifier: TrainClassifierReturnMsg;
  classify_features: ClassifyReturnMsg;
  classify_image: ClassifyReturnMsg;
}
/** The result message of any task. */
export type TaskResult = TaskResults[TaskName];

/** The zod schema of each task's result message. */
export const RESULT_SCHEMAS = {
  extract_features: ExtractFeaturesReturnMsgSchema,
  train_classifier: TrainClassifierReturnMsgSchema,
  classify_features: ClassifyReturnMsgSchema,
  classify_image: ClassifyReturnMsgSchema,
} as const satisfies Record<TaskName, z.ZodType>;

/** `JobReturnMsg`: a job's outcome, either its results in task order (`ok: true`) or its error. */
export type JobReturnMsg =
  | {
      original_job: JobMsg;
      ok: true;
      /** In task order. */
      results: TaskResult[];
      error_message: string | null;
    }
  | {
      original_job: JobMsg;
      ok: false;
      /** Passed through as the worker wrote it: null in practice. */
      results: unknown;
      /** Python's traceback text, or `Error deserializing message: <repr>` from the mailman. */
      error_message: string | null;
    };

/** zod schema of pyspacer's `JobReturnMsg`: applies the asserts of its Python constructor; each error names its field. */
export const JobReturnMsgSchema = z
  .object({
    original_job: JobMsgSchema,
    ok: z.boolean(),
    results: z.unknown(),
    error_message: z.string().nullable(),
  })
  .transform((msg, ctx): JobReturnMsg => {
    if (!msg.ok) return { ...msg, ok: false };
    const parsed = z.array(RESULT_SCHEMAS[msg.original_job.task_name]).safeParse(msg.results);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ ...issue, path: ['results', ...issue.path] } as z.core.$ZodRawIssue);
      }
      return z.NEVER;
    }
    return { ...msg, ok: true, results: parsed.data };
  });

/** The results of a successful job, typed by its task. */
export function resultsOf<T extends TaskName>(
  msg: JobReturnMsg & { original_job: JobMsgOf<T> },
): TaskResults[T][] | undefined {
  return msg.ok ? (msg.results as TaskResults[T][]) : undefined;
}
