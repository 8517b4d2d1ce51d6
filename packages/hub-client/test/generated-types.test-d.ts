/**
 * The generated types are the contract users compile against: a misspelled path, method or field must not compile.
 * Each `@ts-expect-error` below fails the typecheck if the line it guards ever starts compiling.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { components, paths } from '../src/generated/index.js';
import { operations, resources } from '../src/generated/index.js';

type Trial = components['schemas']['Trial'];

describe('hub generated types', () => {
  it('has the recorded paths and methods', () => {
    expectTypeOf<paths>().toHaveProperty('/api/v1/trials');
    expectTypeOf<paths['/api/v1/trials']>().toHaveProperty('patch');
    expectTypeOf<paths>().toHaveProperty('/api/v1/endpoints/{endpoint_id}/predictions');
    // @ts-expect-error: the Hub has no singular /api/v1/trial route
    expectTypeOf<paths['/api/v1/trial']>().toBeObject();
  });

  it('types the Trial fields as recorded', () => {
    expectTypeOf<Trial['id']>().toEqualTypeOf<string>();
    expectTypeOf<Trial['object']>().toEqualTypeOf<'trial'>();
    // @ts-expect-error: misspelled field
    expectTypeOf<Trial['score_valeu']>().toBeNumber();
  });

  it('keeps method and path literal in the resource table', () => {
    expectTypeOf(resources.trials.operations.list.method).toEqualTypeOf<'get'>();
    expectTypeOf(resources.trials.operations.updateMany.path).toEqualTypeOf<'/api/v1/trials'>();
    expectTypeOf(operations.deployProject.method).toEqualTypeOf<'patch'>();
    // @ts-expect-error: trials cannot be deleted on the Hub
    expectTypeOf(resources.trials.operations.delete).toBeObject();
  });
});
