/** The params types the generated methods take: path, query and body fields flat, a `oneOf` body kept per shape. */
import { describe, expectTypeOf, it } from 'vitest';
import type { DistributiveOmit, IdOf, ParamsOf, ResponseOf } from '../../../src/index.js';

/** An operation as openapi-typescript writes it: a path id, a query flag, a body of one of two shapes. */
type Append = {
  parameters: { path: { dataset_id: string }; query?: { dry_run?: boolean } };
  requestBody: {
    content: { 'application/json': { items: string[]; update?: boolean } | { job_url: string } };
  };
  responses: { 200: { content: { 'application/json': { data: { appended: number }; meta: unknown } } } };
};

describe('ParamsOf', () => {
  it('keeps each shape of a oneOf body, with the path and query fields on each', () => {
    expectTypeOf<ParamsOf<Append>>().toEqualTypeOf<
      | { dataset_id: string; dry_run?: boolean; items: string[]; update?: boolean }
      | { dataset_id: string; dry_run?: boolean; job_url: string }
    >();
  });

  it('the id taken first leaves each shape whole', () => {
    type Rest = DistributiveOmit<ParamsOf<Append>, 'dataset_id'>;
    expectTypeOf<{ items: string[] }>().toMatchTypeOf<Rest>();
    expectTypeOf<{ job_url: string }>().toMatchTypeOf<Rest>();
    // @ts-expect-error: neither shape
    const wrong: Rest = { other: 1 };
    void wrong;
    expectTypeOf<IdOf<Append, 'dataset_id'>>().toEqualTypeOf<string>();
  });

  it('unwraps the envelope of the result', () => {
    expectTypeOf<ResponseOf<Append, { readonly data: 'data' }>>().toEqualTypeOf<{ appended: number }>();
  });
});
