/**
 * The fake Hub's behaviour, as scenarios run twice: in-process behind MSW (fake.test.ts) and over real HTTP behind
 * `tools/mock-server` (fake.http.test.ts). Raw calls, so what is asserted is what the wire carries: GETs send their
 * JSON body through node:http like the client does.
 */
import { nodeHttpTransport } from '@mlclients/package-core';
import { describe, expect, it } from 'vitest';
import type { HubFakeEnv } from '../helpers/fake-server.js';

export const TOKEN = 'fake-project-token';

/** A raw Hub call with the token in the body, GETs through node:http like the client does. */
export async function rawCall(
  env: HubFakeEnv,
  method: string,
  path: string,
  body: Record<string, unknown> = {},
  token: string | null = TOKEN,
) {
  const payload = JSON.stringify(token === null ? body : { ...body, project_api_token: token });
  const headers = new Headers({ 'content-type': 'application/json' });
  const url = `${env.baseUrl}${path}`;
  const res =
    method === 'GET'
      ? await nodeHttpTransport({
          url,
          method,
          headers,
          body: payload,
          signal: new AbortController().signal,
          operation: 'raw',
        })
      : await fetch(url, { method, headers, body: payload });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  // biome-ignore lint/suspicious/noExplicitAny: raw JSON under test
  const parsed: any = type.includes('json') && text ? JSON.parse(text) : text;
  return { status: res.status, type, body: parsed };
}

export function fakeScenarios(env: HubFakeEnv): void {
  const call = (method: string, path: string, body?: Record<string, unknown>, token?: string | null) =>
    rawCall(env, method, path, body, token);
  const fake = () => env.fake;

  describe(`fake Hub (${env.transport})`, () => {
    it('creates, gets and lists with the real pagination (empty last page)', async () => {
      const org = await call('POST', '/api/v1/organizations', { name: 'acme' });
      expect(org.status).toBe(200);
      expect(org.body.data).toMatchObject({
        object: 'organization',
        deleted: false,
        name: 'acme',
        status: 'created',
      });
      for (const name of ['a', 'b', 'c']) {
        const p = await call('POST', '/api/v1/projects', { name, organization_id: org.body.data.id });
        expect(p.body.data).toMatchObject({ object: 'project', status: 'undeployed', deleting: false });
      }
      const page = await call('GET', '/api/v1/projects', { limit: 2, offset: 2 });
      expect(page.body.meta.pagination).toEqual({ limit: 2, offset: 2, count: 1, total: 3 });
      const empty = await call('GET', '/api/v1/projects', { limit: 2, offset: 4 });
      expect(empty.body).toEqual({
        data: [],
        meta: { status: 200, pagination: { limit: 2, offset: 4, count: 0, total: 3 } },
      });
      const filtered = await call('GET', '/api/v1/projects', { name: 'b' });
      expect(filtered.body.data.map((p: { name: string }) => p.name)).toEqual(['b']);
      const one = await call('GET', `/api/v1/projects/${page.body.data[0].id}`);
      expect(one.body.data.name).toBe('c');
    });

    it('400 names each missing required field; 401 on a wrong token; 404 "Couldn\'t find X"', async () => {
      const bad = await call('POST', '/api/v1/dataset_manifests', {});
      expect(bad.status).toBe(400);
      expect(bad.body.meta.errors.map((e: { error_param: string }) => e.error_param)).toEqual([
        'id',
        'name',
        'statistics',
      ]);
      const wrong = await call('GET', '/api/v1/experiments', {}, 'wrong');
      expect(wrong.status).toBe(401);
      expect(wrong.body.meta.errors[0]).toEqual({
        error_type: 'unauthenticated',
        message: 'User should be logged in',
      });
      const none = await call('GET', '/api/v1/experiments', {}, null);
      expect(none.status).toBe(401);
      const gone = await call('DELETE', '/api/v1/experiments/nope');
      expect(gone.body).toEqual({
        meta: { status: 404, errors: [{ message: "Couldn't find Experiment", error_type: 'not_found' }] },
      });
    });

    it('deploy -> deploying, undeploy -> undeploying, and DELETE shapes', async () => {
      const org = await call('POST', '/api/v1/organizations', { name: 'o' });
      const p = await call('POST', '/api/v1/projects', { name: 'p', organization_id: org.body.data.id });
      const id = p.body.data.id;
      expect(
        (await call('PATCH', `/api/v1/projects/${id}/deploy`, { worker_type_id: 1, workers_count: 2 })).body
          .data.status,
      ).toBe('deploying');
      expect((await call('GET', '/api/v1/status', { object: 'Project', id })).body.data).toEqual({
        status: 'deploying',
      });
      expect((await call('GET', '/api/v1/status', { object: 'Project', id })).body.data).toEqual({
        status: 'running',
      });
      expect((await call('PATCH', `/api/v1/projects/${id}/undeploy`)).body.data.status).toBe('undeploying');
      const del = await call('DELETE', `/api/v1/projects/${id}`);
      expect(del.body.data).toMatchObject({ deleted: false, deleting: true });
      const delOrg = await call('DELETE', `/api/v1/organizations/${org.body.data.id}`);
      expect(delOrg.body.data).toMatchObject({ deleted: false, status: 'terminating' });
      const e = await call('POST', '/api/v1/experiments', { id: 'e1', name: 'x' });
      expect((await call('DELETE', `/api/v1/experiments/${e.body.data.id}`)).body.data).toMatchObject({
        id: 'e1',
        deleted: true,
      });
      expect((await call('GET', '/api/v1/experiments/e1')).status).toBe(404);
      const status = await call('GET', '/api/v1/status', { object: 'User', id: 1 });
      expect(status.body.meta.errors[0].error_param).toBe('object');
      const logs = await call('GET', `/api/v1/projects/${id}/logs`);
      expect(logs.type).toMatch(/^text\/plain/);
    });

    it('empty acks, bulk trial update, nested endpoint resources', async () => {
      expect((await call('POST', '/api/v1/actuals', { pipeline_id: 'p', actuals: [] })).body).toEqual({
        data: {},
        meta: { status: 200 },
      });
      const trials = await call('PATCH', '/api/v1/trials', {
        experiment_session_id: 's',
        trials: [{ uid: 'T1', score: 0.5 }, { score: 1 }],
      });
      expect(trials.body.meta.errors).toEqual([
        { error_type: 'invalid_param', error_param: 'trials[1].uid', message: 'is required' },
      ]);
      const ok = await call('PATCH', '/api/v1/trials', {
        experiment_session_id: 's',
        trials: [{ uid: 'T1', score: 0.5, algorithm_name: 'SVC' }],
      });
      expect(ok.body).toMatchObject({
        data: [{ object: 'trial', id: 'T1', score_value: 0.5 }],
        meta: { status: 200 },
      });
      const refit = await call('POST', '/api/v1/trials', { id: 'T1', refit_data_path: 's3://x.csv' });
      expect(refit.body.data.id).not.toBe('T1');
      expect(refit.body.data.raw_data.refit_data_path).toBe('s3://x.csv');
      expect((await call('GET', '/api/v1/endpoints/missing/predictions')).status).toBe(404);
      const ep = await call('POST', '/api/v1/endpoints', { pipeline_id: 'P1', name: 'e' });
      const eid = ep.body.data.id;
      const pred = await call('POST', `/api/v1/endpoints/${eid}/predictions`, {
        endpoint_id: eid,
        records: [[1, 2]],
        features: ['a', 'b'],
      });
      expect(pred.body.data).toMatchObject({
        object: 'prediction_group',
        endpoint_id: eid,
        records_count: 1,
      });
      const preds = await call('GET', `/api/v1/endpoints/${eid}/predictions`, { endpoint_id: eid });
      expect(preds.body.meta.pagination.total).toBe(1);
      const delActuals = await call('DELETE', `/api/v1/endpoints/${eid}/actuals`, {
        from: '2020-01-01',
        to: '2020-01-02',
      });
      expect(delActuals.body.data[0].object).toBe('cluster_task');
      const roi = await call('POST', `/api/v1/endpoints/${eid}/roi_validations`, {
        endpoint_id: eid,
        expressions: ['P = true'],
      });
      expect(roi.body.data.object).toBe('cluster_task');
    });

    it('endpoint predictions are prediction groups: each gets its own UUID, none replaces another', async () => {
      const ep = await call('POST', '/api/v1/endpoints', { pipeline_id: 'P1', name: 'e' });
      const eid = ep.body.data.id;
      const ids: string[] = [];
      for (let n = 0; n < 2; n++) {
        const pred = await call('POST', `/api/v1/endpoints/${eid}/predictions`, {
          records: [[n]],
          features: ['a'],
        });
        ids.push(pred.body.data.id);
      }
      expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(ids[1]).not.toBe(ids[0]);
      const preds = await call('GET', `/api/v1/endpoints/${eid}/predictions`);
      expect(preds.body.meta.pagination.total).toBe(2);
    });

    it('a POST with X-HTTP-Method-Override: GET is the GET (how fetch, which cannot send a GET body, reaches it)', async () => {
      await call('POST', '/api/v1/organizations', { name: 'a' });
      await call('POST', '/api/v1/organizations', { name: 'b' });
      const res = await fetch(`${env.baseUrl}/api/v1/organizations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-http-method-override': 'GET' },
        body: JSON.stringify({ name: 'b', limit: 1, project_api_token: TOKEN }),
      });
      const body = (await res.json()) as { data: { name: string }[]; meta: { pagination: unknown } };
      expect(body.data.map((o) => o.name)).toEqual(['b']);
      expect(body.meta.pagination).toEqual({ limit: 1, offset: 0, count: 1, total: 1 });
      expect(fake().journal.at(-1)).toMatchObject({ operationId: 'listOrganizations', method: 'GET' });
    });

    it('runs package-core fault plans (scripted here)', async () => {
      const stats = { calls: 0, injected: 0, byKind: {} };
      fake().faults.plan({
        sequence: [{ kind: 'status', status: 502, body: 'Bad Gateway' }, { kind: 'reset' }, null],
        stats,
      });
      expect((await call('GET', '/api/v1/instance_types')).status).toBe(502);
      await expect(call('GET', '/api/v1/instance_types')).rejects.toThrow();
      expect((await call('GET', '/api/v1/instance_types')).status).toBe(200);
      expect(stats).toMatchObject({ calls: 3, injected: 2 });
    });

    it('injects faults: status pages, network errors', async () => {
      fake().faults.serverUnavailable({ operationId: 'listTrials', times: 2 });
      expect((await call('GET', '/api/v1/trials')).status).toBe(503);
      expect((await call('GET', '/api/v1/trials')).status).toBe(503);
      expect((await call('GET', '/api/v1/trials')).status).toBe(200);
      fake().faults.networkError();
      await expect(fetch(`${env.baseUrl}/api/v1/projects/1`, { method: 'DELETE' })).rejects.toThrow();
    });
  });
}
