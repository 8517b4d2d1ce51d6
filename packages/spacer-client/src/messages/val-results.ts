/**
 * `ValResults` (the JSON at `valresult_loc`): per validation point, the top score, and the ground truth and estimate
 * as indices into `classes`. The constructor's asserts: equal lengths, every index in [0, len(classes)), and (since
 * Python takes `max()` of them) non-empty lists.
 */
import { z } from 'zod';
import { LabelIdSchema } from './label-id.js';

/** zod schema of pyspacer's `ValResults`: applies the asserts of its Python constructor; each error names its field. */
export const ValResultsSchema = z
  .strictObject({
    scores: z.array(z.number()),
    gt: z.array(z.int()),
    est: z.array(z.int()),
    classes: z.array(LabelIdSchema),
  })
  .superRefine((v, ctx) => {
    if (v.est.length !== v.gt.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['est'],
        message: `has ${v.est.length} entries, gt has ${v.gt.length}`,
      });
    }
    if (v.scores.length !== v.gt.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['scores'],
        message: `has ${v.scores.length} entries, gt has ${v.gt.length}`,
      });
    }
    for (const field of ['gt', 'est'] as const) {
      if (v[field].length === 0)
        ctx.addIssue({ code: 'custom', path: [field], message: 'must not be empty' });
      v[field].forEach((index, i) => {
        if (index < 0 || index >= v.classes.length) {
          ctx.addIssue({
            code: 'custom',
            path: [field, i],
            message: `index ${index} is outside classes (0-${v.classes.length - 1})`,
          });
        }
      });
    }
  });

/** `ValResults`: the type of what `ValResultsSchema` outputs (wire names kept, as pyspacer writes them). */
export type ValResults = z.output<typeof ValResultsSchema>;
