/**
 * Regressions of the first fake (issue 10), as scenarios run in-process and over HTTP: parent filters that see the
 * parents the real server derives, a filter on a field an object lacks, the null field the spec forbids, the
 * session status transitions, error texts and `request_params` exactly as recorded, S3-shaped file URLs.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemas } from '../../src/generated/zod.js';
import type { HubFakeEnv } from '../helpers/fake-server.js';
import { cassettesRoot, parseCassette } from '../replay/cassettes.js';
import { rawCall, TOKEN } from './scenarios.js';

const TOKEN_FIELDS = ['project_api_token', 'cluster_api_token', 'token', 'system_token'];

export function regressionScenarios(env: HubFakeEnv): void {
  const call = (method: string, path: string, body?: Record<string, unknown>, token?: string | null) =>
    rawCall(env, method, path, body, token);
  const data = async (method: string, path: string, body?: Record<string, unknown>) => {
    const res = await call(method, path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data;
  };
  const ids = (items: { id: unknown }[]) => items.map((o) => o.id);

  describe(`fake Hub regressions (${env.transport})`, () => {
    /** Two projects, each with an experiment and a session created with `experiment_id` only (as a2ml does). */
    async function twoProjects() {
      const org = await data('POST', '/api/v1/organizations', { name: 'acme' });
      const out = [];
      for (const name of ['p1', 'p2']) {
        const project = await data('POST', '/api/v1/projects', { name, organization_id: org.id });
        const experiment = await data('POST', '/api/v1/experiments', {
          name: `e-${name}`,
          project_id: project.id,
        });
        const session = await data('POST', '/api/v1/experiment_sessions', { experiment_id: experiment.id });
        out.push({ org, project, experiment, session });
      }
      return out;
    }

    it('a session answers its experiment project, and project_id filters sessions by it', async () => {
      const [a, b] = await twoProjects();
      expect(a!.session.project_id).toBe(a!.project.id);
      const list = await data('GET', '/api/v1/experiment_sessions', { project_id: a!.project.id });
      expect(ids(list)).toEqual([a!.session.id]);
      const other = await data('GET', '/api/v1/experiment_sessions', { project_id: b!.project.id });
      expect(ids(other)).toEqual([b!.session.id]);
    });

    it('a filter on a field an object lacks matches nothing, not everything', async () => {
      await twoProjects();
      const orphan = await data('POST', '/api/v1/experiments', { name: 'no project' });
      await data('POST', '/api/v1/experiment_sessions', { experiment_id: orphan.id });
      expect(await data('GET', '/api/v1/experiment_sessions', { project_id: 999 })).toEqual([]);
      expect(await data('GET', '/api/v1/trials', { experiment_session_id: 'nope' })).toEqual([]);
      expect((await data('GET', '/api/v1/experiment_sessions', {})).length).toBe(3);
    });

    it('trials, pipelines, pipeline files, endpoints and cluster tasks carry their derived parents', async () => {
      const [a, b] = await twoProjects();
      await data('PATCH', '/api/v1/trials', {
        experiment_session_id: a!.session.id,
        trials: [{ uid: 'TA', score: 0.9, algorithm_name: 'SVC', algorithm_params: {} }],
      });
      await data('PATCH', '/api/v1/trials', {
        experiment_session_id: b!.session.id,
        trials: [{ uid: 'TB', score: 0.8, algorithm_name: 'SVC', algorithm_params: {} }],
      });
      const trial = await data('GET', '/api/v1/trials/TA');
      expect(trial.project_id).toBe(a!.project.id);
      expect(ids(await data('GET', '/api/v1/trials', { project_id: a!.project.id }))).toEqual(['TA']);

      const pipeline = await data('POST', '/api/v1/pipelines', { trial_id: 'TA' });
      expect(pipeline).toMatchObject({
        project_id: a!.project.id,
        organization_id: a!.org.id,
        experiment_session_id: a!.session.id,
        trial: { object: 'trial', id: 'TA', project_id: a!.project.id },
      });
      await data('POST', '/api/v1/pipelines', { trial_id: 'TB' });
      expect(ids(await data('GET', '/api/v1/pipelines', { project_id: a!.project.id }))).toEqual([
        pipeline.id,
      ]);
      expect(
        ids(await data('GET', '/api/v1/pipelines', { experiment_session_id: b!.session.id })),
      ).toHaveLength(1);

      const file = await data('POST', '/api/v1/pipeline_files', { trial_id: 'TA' });
      expect(file.experiment_session_id).toBe(a!.session.id);
      expect(
        ids(await data('GET', '/api/v1/pipeline_files', { experiment_session_id: b!.session.id })),
      ).toEqual([]);

      const endpoint = await data('POST', '/api/v1/endpoints', { pipeline_id: pipeline.id, name: 'e' });
      expect(endpoint).toMatchObject({
        project_id: a!.project.id,
        organization_id: a!.org.id,
        primary_experiment_session_id: a!.session.id,
        endpoint_pipelines: [{ object: 'endpoint_pipeline', pipeline_id: pipeline.id, active: true }],
      });
      expect(ids(await data('GET', '/api/v1/endpoints', { project_id: b!.project.id }))).toEqual([]);

      const task = await data('POST', `/api/v1/endpoints/${endpoint.id}/roi_validations`, {
        expressions: ['P = 1'],
      });
      expect(task).toMatchObject({ object: 'cluster_task', project_id: a!.project.id });
      expect(ids(await data('GET', '/api/v1/cluster_tasks', { project_id: a!.project.id }))).toEqual([
        task.id,
      ]);
    });

    it('trials.updateMany without an algorithm answers a trial the spec accepts (no null algorithm_name)', async () => {
      const [trial] = await data('PATCH', '/api/v1/trials', { trials: [{ uid: 'U1' }] });
      expect(trial.hyperparameter).toBeNull();
      expect(schemas.Trial.safeParse(trial).success).toBe(true);
      const [again] = await data('PATCH', '/api/v1/trials', {
        trials: [{ uid: 'U1', algorithm_name: 'SVC' }],
      });
      expect(again.hyperparameter).toMatchObject({
        object: 'hyperparameter',
        algorithm_name: 'SVC',
        algorithm_params: {},
      });
      const [kept] = await data('PATCH', '/api/v1/trials', { trials: [{ uid: 'U1', score: 0.5 }] });
      expect(kept.hyperparameter).toEqual(again.hyperparameter);
    });

    it('experiment session status moves only along its transitions', async () => {
      const [a] = await twoProjects();
      const path = `/api/v1/experiment_sessions/${a!.session.id}`;
      expect(a!.session.status).toBe('waiting');
      for (const status of ['preprocess', 'started', 'completed'])
        expect((await data('PATCH', path, { status })).status).toBe(status);
      const refused = await call('PATCH', path, { status: 'interrupted' });
      expect(refused.status).toBe(400);
      expect(refused.body.meta.errors).toEqual([
        {
          error_type: 'invalid_param',
          error_param: 'status',
          message: "Event 'interrupted' cannot transition from 'completed'",
        },
      ]);
      const [, b] = await twoProjects();
      const bogus = await call('PATCH', `/api/v1/experiment_sessions/${b!.session.id}`, { status: 'flying' });
      expect(bogus.body.meta.errors[0].message).toBe("Event 'flying' cannot transition from 'waiting'");
      expect(
        (
          await data('PATCH', `/api/v1/experiment_sessions/${b!.session.id}`, {
            status: 'waiting',
            message: 'm',
          })
        ).message,
      ).toBe('m');
    });

    it('file URLs are S3 URLs of the organization bucket, keys under workspace/projects/<name>/files', async () => {
      const [a] = await twoProjects();
      const upload = await data('POST', '/api/v1/project_file_urls', {
        project_id: a!.project.id,
        file_path: 'test.csv',
      });
      expect(upload.url).toBe(`https://${a!.org.main_bucket}.s3.us-west-1.amazonaws.com`);
      expect(a!.org.main_bucket).toMatch(/^auger-acme-[0-9a-z]{6}$/);
      expect(upload.fields).toMatchObject({
        key: 'workspace/projects/p1/files/test.csv',
        'x-amz-algorithm': 'AWS4-HMAC-SHA256',
      });
      const download = await data('GET', '/api/v1/project_file_urls', {
        project_id: a!.project.id,
        file_path: 'test.csv',
      });
      const url = new URL(download.url);
      expect(url.host).toBe(`${a!.org.main_bucket}.s3.us-west-1.amazonaws.com`);
      expect(url.pathname).toBe('/workspace/projects/p1/files/test.csv');
      expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    });

    /** Replays a recorded request (our token instead of the recorded one) and expects the recorded error body. */
    async function replayRecordedError(cassette: string, keepRecordedToken = false) {
      const root = cassettesRoot();
      const { request, response } = parseCassette(join(root, cassette), root).interactions[0]!;
      const body = { ...request.body };
      const recordedToken = TOKEN_FIELDS.some((f) => f in body);
      if (!keepRecordedToken) for (const f of TOKEN_FIELDS) delete body[f];
      const res = await call(
        request.method,
        request.url.pathname,
        body,
        keepRecordedToken || !recordedToken ? null : TOKEN,
      );
      expect(res.status).toBe(response.status);
      expect(res.body).toEqual(JSON.parse(response.bodyText));
    }

    it.each([
      'dataset_manifests/create_invalid.yaml',
      'status/get_status_invalid.yaml',
      'tokens/create_invalid.yaml',
      'experiments/delete_not_existing.yaml',
    ])('answers %s word for word', async (cassette) => {
      await replayRecordedError(cassette);
    });

    it('answers auth/token_invalid word for word', async () => {
      await replayRecordedError('auth/token_invalid.yaml', true);
    });

    it('answers trial_searches/update_invalid word for word', async () => {
      env.fake.store.insert('trial_searches', { object: 'trial_search', id: 42, status: 'requested' });
      const root = cassettesRoot();
      const uri = parseCassette(join(root, 'trial_searches/update_invalid.yaml'), root).interactions[0]!
        .request.url.pathname;
      const id = uri.split('/').at(-1)!;
      env.fake.store.insert('trial_searches', {
        object: 'trial_search',
        id: Number(id),
        status: 'requested',
      });
      await replayRecordedError('trial_searches/update_invalid.yaml');
    });

    it('answers predictions/create_invalid word for word, request_params with the token as ****', async () => {
      // The recorded pipeline, in project 1 (the recording's request_params.project_id).
      env.fake.store.insert('pipelines', { object: 'pipeline', id: '46188658d308607a', project_id: 1 });
      await replayRecordedError('predictions/create_invalid.yaml');
    });
  });
}
