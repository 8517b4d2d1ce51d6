/**
 * The HubClient surface as users compile against it: only the operations the real API has exist, params and
 * results are typed from the spec, special methods take the id first.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { components, HubClient } from '../src/index.js';

type S = components['schemas'];
declare const hub: HubClient;

describe('HubClient types', () => {
  it('types results from the spec (envelope unwrapped)', () => {
    expectTypeOf(hub.projects.get(31)).resolves.toEqualTypeOf<S['Project']>();
    expectTypeOf(hub.trials.updateMany({ trials: [{ uid: 'a' }] })).resolves.toEqualTypeOf<S['Trial'][]>();
    expectTypeOf(hub.projects.logs(31)).resolves.toEqualTypeOf<string>();
    expectTypeOf(hub.projects.deploy(31)).resolves.toEqualTypeOf<S['Project']>();
    expectTypeOf(hub.trials.refit('t', 's3://x')).resolves.toEqualTypeOf<S['Trial']>();
    expectTypeOf(hub.status.get({ object: 'Project', id: 1 })).resolves.toEqualTypeOf<S['StatusResult']>();
  });

  it('types ids as recorded (integers for projects, strings for trials)', () => {
    // @ts-expect-error: project ids are integers
    hub.projects.get('31');
    // @ts-expect-error: trial ids are strings
    hub.trials.get(1);
  });

  it('has only the operations the real API has', () => {
    // @ts-expect-error: trials cannot be deleted
    hub.trials.delete('t');
    // @ts-expect-error: cluster statuses are list-only
    hub.clusterStatuses.get(1);
    // @ts-expect-error: no such resource
    hub.users.list();
  });

  it('types special params', () => {
    // @ts-expect-error: the status object is an enum
    hub.status.get({ object: 'User', id: 1 });
    // @ts-expect-error: uid is required on every bulk-updated trial
    hub.trials.updateMany({ trials: [{ score: 1 }] });
    expectTypeOf(hub.trials.iterate).toBeFunction();
  });
});
