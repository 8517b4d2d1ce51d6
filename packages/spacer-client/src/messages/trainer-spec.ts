/**
 * Trainer specs (0.14.0, spacer/train_classifier.py): `{class_path, ...parameters that differ from the defaults}`.
 * Only the built-in `MiniBatchTrainer` is accepted (spacer imports `class_path` dynamically). Reading normalises as
 * Python does: the alias `'minibatch'` or a class-path string stands for the default trainer, parameters equal to
 * their default are dropped and the rest come back in the constructor's order; an unknown parameter is an error
 * (Python's TypeError).
 */
import { z } from 'zod';

/** The class path of spacer's one built-in trainer. */
export const MINIBATCH_TRAINER_CLASS_PATH = 'spacer.train_classifier.MiniBatchTrainer';
/** `_BUILTIN_TRAINERS` */
export const TRAINER_ALIASES: Readonly<Record<string, string>> = { minibatch: MINIBATCH_TRAINER_CLASS_PATH };

/** `MiniBatchTrainer.__init__` parameters and defaults, in signature order (the serialization order). */
export const MINIBATCH_TRAINER_DEFAULTS = {
  batch_size: 5000,
  mlp_hidden_layer_sizes: null,
  mlp_learning_rate_init: null,
  mlp_large_data_threshold: 50000,
  sgd_loss: 'log_loss',
  sgd_average: true,
  sgd_random_state: 0,
} as const;

/** zod schema of a `MiniBatchTrainer` spec object as given, before {@link TrainerSpecSchema} normalises it. */
export const MiniBatchTrainerShape = z.strictObject({
  class_path: z.literal(MINIBATCH_TRAINER_CLASS_PATH, {
    error: `class_path must be ${MINIBATCH_TRAINER_CLASS_PATH} (or the alias 'minibatch')`,
  }),
  batch_size: z.int().positive().optional(),
  mlp_hidden_layer_sizes: z.array(z.int().positive()).min(1).nullable().optional(),
  mlp_learning_rate_init: z.number().positive().nullable().optional(),
  mlp_large_data_threshold: z.int().nonnegative().optional(),
  sgd_loss: z.string().optional(),
  sgd_average: z.boolean().optional(),
  sgd_random_state: z.int().optional(),
});

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** zod schema of pyspacer's `TrainerSpec`: applies the asserts of its Python constructor; each error names its field. */
export const TrainerSpecSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { class_path: TRAINER_ALIASES[value] ?? value } : value),
  MiniBatchTrainerShape.transform((spec) => {
    // Python's serialize(): class_path, then each parameter that differs from its default, in signature order.
    const out: Record<string, unknown> = { class_path: spec.class_path };
    for (const [name, fallback] of Object.entries(MINIBATCH_TRAINER_DEFAULTS)) {
      const value = spec[name as keyof typeof spec];
      if (value !== undefined && !sameValue(value, fallback)) out[name] = value;
    }
    return out as z.output<typeof MiniBatchTrainerShape>;
  }),
);

/** `TrainerSpec`: the type of what `TrainerSpecSchema` outputs (wire names kept, as pyspacer writes them). */
export type TrainerSpec = z.output<typeof TrainerSpecSchema>;
/** What a caller may pass: a spec object, or `'minibatch'`, or the class path. */
export type TrainerSpecInput = z.input<typeof MiniBatchTrainerShape> | string;
