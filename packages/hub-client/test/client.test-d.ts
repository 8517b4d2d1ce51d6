/**
 * The HubClient surface as users compile against it: only the operations the real API has exist, params and
 * results are typed from the spec, special methods take the id first.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  APIPromise,
  CallResult,
  components,
  HubClient,
  Page,
  PagePromise,
  Trial,
  TrialListParams,
  TrialUpdateParams,
} from '../src/index.js';

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

  it('names the params and items of each resource, and every call is an APIPromise', () => {
    expectTypeOf<Trial>().toEqualTypeOf<S['Trial']>();
    expectTypeOf<TrialListParams>().toHaveProperty('experiment_session_id');
    // The id is the first argument; the params object is the rest.
    expectTypeOf(hub.trials.update).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(hub.trials.update).parameter(1).toEqualTypeOf<TrialUpdateParams | undefined>();
    expectTypeOf(hub.trials.list()).toMatchTypeOf<PagePromise<S['Trial']>>();
    expectTypeOf<Awaited<ReturnType<HubClient['trials']['list']>>>().toMatchTypeOf<Page<S['Trial']>>();
    expectTypeOf(hub.trials.get('t')).toEqualTypeOf<APIPromise<S['Trial']>>();
    expectTypeOf(hub.trials.get('t').withResponse()).resolves.toEqualTypeOf<CallResult<S['Trial']>>();
    expectTypeOf(hub.endpointPredictions.list).parameter(0).toEqualTypeOf<string>();
    // @ts-expect-error: limit is a number
    hub.trials.list({ limit: 'ten' });
  });

  it('withOptions returns a HubClient; the escape hatch is typed by the caller', () => {
    expectTypeOf(hub.withOptions({ retriesCount: 1 })).toEqualTypeOf<HubClient>();
    expectTypeOf(hub.get<{ ok: boolean }>('/api/v1/x')).resolves.toEqualTypeOf<{ ok: boolean }>();
    // @ts-expect-error: not an option of the Hub client
    hub.withOptions({ retries: 1 });
  });
});
