/** HubClient against the stateful fake: auth, errors, retries, pagination, specials, bad input. */
import { describe, expect, it } from 'vitest';
import { GeneratedHubClient } from '../src/generated/index.js';
import {
  AuthenticationError,
  BadRequestError,
  ClientError,
  ConnectionError,
  createHubClient,
  errorParams,
  FatalApiError,
  HubClient,
  type HubClientOptions,
  InternalServerError,
  InvalidParamsError,
  MissingParamError,
  NetworkError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  RetryableApiError,
  TimeoutError,
  Trials,
} from '../src/index.js';
import { REDACTED } from '../src/mocks/index.js';
import { useHubFake } from './helpers/fake-server.js';

const BASE = 'http://hub.client.test';
const OPT = 'http://optimizers.client.test';
const PROJECT_TOKEN = 'project-token-0123456789';
const { fake, server } = useHubFake({
  baseUrl: BASE,
  optimizersUrl: OPT,
  tokens: [PROJECT_TOKEN, 'cluster-t', 'user-t', 'system-t'],
});

function hub(o: Partial<HubClientOptions> = {}) {
  return createHubClient({
    baseUrl: BASE,
    optimizersUrl: OPT,
    projectToken: PROJECT_TOKEN,
    retryWaitSeconds: 0,
    // The project's own tests check responses strictly (users get 'warn').
    validate: 'error',
    ...o,
  });
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('auth: one token in the body, priority project > cluster > user > system', () => {
  it.each([
    [
      { projectToken: PROJECT_TOKEN, clusterToken: 'cluster-t', token: 'user-t', systemToken: 'system-t' },
      'project_api_token',
    ],
    [
      { projectToken: undefined, clusterToken: 'cluster-t', token: 'user-t', systemToken: 'system-t' },
      'cluster_api_token',
    ],
    [{ projectToken: undefined, token: 'user-t', systemToken: 'system-t' }, 'token'],
    [{ projectToken: undefined, systemToken: 'system-t' }, 'system_token'],
  ])('%o sends %s only', async (tokens, field) => {
    await hub(tokens).experiments.list();
    const body = fake.journal[0]!.body!;
    const sentFields = ['project_api_token', 'cluster_api_token', 'token', 'system_token'].filter(
      (f) => f in body,
    );
    expect(sentFields).toEqual([field]);
    expect(body).toMatchObject({ limit: 50, offset: 0 });
  });

  it('a token may be a function, asked again on every attempt', async () => {
    let asked = 0;
    fake.faults.status(503, { operationId: 'listExperiments', times: 1 });
    await hub({
      projectToken: () => {
        asked++;
        return PROJECT_TOKEN;
      },
      retriesCount: 1,
    }).experiments.list();
    expect(asked).toBe(2);
  });

  it('never logs a token, even at debug level', async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    };
    const logger = { debug: capture, info: capture, warn: capture, error: capture };
    fake.faults.status(503, { operationId: 'listExperiments', times: 1 });
    await hub({ logger, logLevel: 'debug', retriesCount: 1 }).experiments.list({ project_id: 1 });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(PROJECT_TOKEN);
  });

  it('sends no token when none is configured (and the Hub answers 401)', async () => {
    const err = await failure(hub({ projectToken: undefined }).experiments.list());
    expect(fake.journal[0]!.body).toEqual({ limit: 50, offset: 0 });
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toBeInstanceOf(FatalApiError);
  });

  it('the journal (printed when an assertion on it fails) shows no token or password', async () => {
    const anon = hub({ projectToken: undefined });
    const { token } = await anon.tokens.create({ email: 'her@mail.com', password: 'pa55word-xyz' });
    await hub({ projectToken: undefined, token }).experiments.list();
    const printed = JSON.stringify(fake.journal);
    for (const secret of [token, 'pa55word-xyz']) expect(printed).not.toContain(secret);
    expect(fake.journal[1]!.body).toMatchObject({ token: REDACTED });
  });

  it('hub.tokens.create logs in; the user token then works; tokens never appear in messages', async () => {
    const anon = hub({ projectToken: undefined });
    const { token } = await anon.tokens.create({ email: 'her@mail.com', password: 'password' });
    expect(typeof token).toBe('string');
    const wrong = await failure(anon.tokens.create({ email: 'her@mail.com', password: 'wrong' }));
    expect(wrong).toBeInstanceOf(AuthenticationError);
    // The fake's password is literally 'password' (x-secret-fields registered it), so that word is masked too.
    expect((wrong as Error).message).toContain('Email or *** incorrect');
    expect((wrong as Error).message).not.toContain('wrong');
    const bad = await failure(hub({ projectToken: 'not-a-valid-token-123' }).projects.list());
    expect((bad as Error).message).not.toContain('not-a-valid-token-123');
    expect(JSON.stringify(bad)).not.toContain('not-a-valid-token-123');
  });
});

describe('errors (hub-api.md §5.2)', () => {
  it('400 JSON -> InvalidParamsError carrying each error_param', async () => {
    const err = await failure(hub().datasetManifests.create({} as never, { validate: 'off' }));
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(errorParams(err)).toEqual(['id', 'name', 'statistics']);
    expect((err as Error).message).toContain('id is required, name is required, statistics is required');
  });

  it('401, 403, 404, 500 -> FatalApiError subclasses; never retried', async () => {
    const h = hub({ retriesCount: 3 });
    expect(await failure(h.experiments.get('nope'))).toBeInstanceOf(NotFoundError);
    fake.faults.status(403, { operationId: 'listProjects' });
    expect(await failure(h.projects.list())).toBeInstanceOf(PermissionDeniedError);
    fake.faults.status(500, { operationId: 'listProjects', times: 5 });
    const e500 = await failure(h.projects.list());
    expect(e500).toBeInstanceOf(FatalApiError);
    expect(e500).not.toBeInstanceOf(RetryableApiError);
    expect((e500 as { attempts: number }).attempts).toBe(1);
  });

  it('400 without JSON -> FatalApiError (the Rails HTML page)', async () => {
    fake.faults.inject({
      operationId: 'createPrediction',
      status: 400,
      body: '<html><title>Action Controller: Exception caught</title></html>',
    });
    const err = await failure(
      hub().predictions.create({ pipeline_id: 'p', records: [[1]], features: ['a'] }),
    );
    expect(err).toBeInstanceOf(FatalApiError);
    expect(err).not.toBeInstanceOf(InvalidParamsError);
    expect((err as Error).message).toContain('Action Controller: Exception caught');
  });

  it.each([
    [503, InternalServerError],
    [429, RateLimitError],
    [422, RetryableApiError],
    [409, RetryableApiError],
  ])('%i -> RetryableApiError, retried for a GET until it succeeds', async (status, Class) => {
    fake.faults.status(status, { operationId: 'listProjects', times: 2 });
    const page = await hub({ retriesCount: 2 }).projects.list();
    expect(page.data).toEqual([]);
    fake.faults.status(status, { operationId: 'listProjects', times: 3 });
    const err = await failure(hub({ retriesCount: 2 }).projects.list());
    expect(err).toBeInstanceOf(Class);
    expect((err as { attempts: number }).attempts).toBe(3);
  });

  it('the 503 HTML page is a RetryableApiError with the page text, not a NetworkError', async () => {
    fake.faults.serverUnavailable({ times: 10 });
    const err = await failure(hub({ retriesCount: 1 }).trials.list());
    expect(err).toBeInstanceOf(RetryableApiError);
    expect(err).not.toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/503.*Application Error/);
  });

  it('a POST is not retried on a retryable status; the optimizer POSTs are (x-idempotent)', async () => {
    fake.faults.status(503, { method: 'POST', times: 1 });
    expect(await failure(hub({ retriesCount: 3 }).organizations.create({ name: 'o' }))).toBeInstanceOf(
      RetryableApiError,
    );
    fake.faults.status(503, { operationId: 'getFte', times: 2 });
    const fte = await hub({ retriesCount: 2 }).optimizers.fte({
      alg_name: 'svm',
      alg_params: { C: 1 },
      ncols: 4,
      nrows: 150,
    });
    expect(fte).toMatchObject({ estimated_time: expect.any(Number) });
  });
});

describe('retries of connection failures (unlike the seed client, which never retried a NetworkError)', () => {
  it('a GET is retried after a dropped connection', async () => {
    fake.faults.networkError({ operationId: 'getProject', times: 2 });
    const org = await hub().organizations.create({ name: 'acme' });
    const project = await hub().projects.create({ name: 'p', organization_id: org.id });
    const got = await hub({ retriesCount: 2 }).projects.get(project.id);
    expect(got.name).toBe('p');
    expect(fake.faults.pending).toBe(0);
  });

  it('a PATCH is not retried after a dropped connection: NetworkError', async () => {
    fake.faults.networkError({ operationId: 'updateOrganization', times: 1 });
    const org = await hub().organizations.create({ name: 'acme' });
    const err = await failure(
      hub({ retriesCount: 2 }).organizations.update(org.id, { role_to_assume_arn: 'arn' }),
    );
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as { attempts: number }).attempts).toBe(1);
  });

  it('connectionRetriesCount: 0 turns connection retries off', async () => {
    fake.faults.networkError({ operationId: 'listProjects', times: 1 });
    expect(await failure(hub({ retriesCount: 3, connectionRetriesCount: 0 }).projects.list())).toBeInstanceOf(
      NetworkError,
    );
  });

  it('an attempt past `timeout` is a TimeoutError', async () => {
    fake.faults.inject({ operationId: 'listProjects', delayMs: 2_000, times: 5 });
    const err = await failure(hub({ timeout: 50, retriesCount: 1 }).projects.list());
    expect(err).toBeInstanceOf(TimeoutError);
  });
});

describe('pagination: limit/offset in the body, iterate stops at total, pages fetched concurrently', () => {
  it('iterate makes exactly ceil(total/limit) requests (no empty last page)', async () => {
    const h = hub();
    for (let i = 0; i < 10; i++)
      await h.hyperparameters.create({ algorithm_name: `alg${i}`, algorithm_params: {} });
    fake.journal.length = 0;
    const all = await h.hyperparameters.iterate({ limit: 3 }).toArray();
    expect(all.map((x) => x.algorithm_name)).toEqual([...Array(10).keys()].map((i) => `alg${i}`));
    const offsets = fake.journal.map((j) => j.body?.offset).sort((a, b) => Number(a) - Number(b));
    expect(offsets).toEqual([0, 3, 6, 9]);
    expect(fake.journal.every((j) => j.body?.limit === 3)).toBe(true);
  });

  it('fetches the remaining pages concurrently once the total is known', async () => {
    const h = hub();
    for (let i = 0; i < 12; i++)
      await h.hyperparameters.create({ algorithm_name: `alg${i}`, algorithm_params: {} });
    let inFlight = 0;
    let maxInFlight = 0;
    const onStart = () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
    };
    const onEnd = () => {
      inFlight--;
    };
    server.server.events.on('request:start', onStart);
    server.server.events.on('request:end', onEnd);
    // Hold every page a little so that concurrent requests overlap (the assertion is on overlap, not on time).
    fake.faults.inject({ operationId: 'listHyperparameters', delayMs: 30, times: 4 });
    try {
      const all = await h.hyperparameters.iterate({ limit: 3 }, { concurrency: 3 }).toArray();
      expect(all).toHaveLength(12);
    } finally {
      server.server.events.removeListener('request:start', onStart);
      server.server.events.removeListener('request:end', onEnd);
    }
    expect(maxInFlight).toBeGreaterThan(1);
    const offsets = fake.journal
      .filter((j) => j.operationId === 'listHyperparameters')
      .map((j) => j.body?.offset);
    expect(offsets.sort((a, b) => Number(a) - Number(b))).toEqual([0, 3, 6, 9]);
  });

  it('list() sends {limit: 50, offset: 0} by default and passes filters in the body', async () => {
    const h = hub();
    const org = await h.organizations.create({ name: 'o' });
    await h.projects.create({ name: 'a', organization_id: org.id });
    await h.projects.create({ name: 'b', organization_id: org.id });
    fake.journal.length = 0;
    const page = await h.projects.list({ name: 'b' });
    expect(fake.journal[0]!.body).toEqual({
      limit: 50,
      offset: 0,
      name: 'b',
      project_api_token: REDACTED,
    });
    expect(page.data.map((p) => p.name)).toEqual(['b']);
    expect(page.pagination.total).toBe(1);
    expect(page.hasNextPage()).toBe(false);
  });
});

describe('special operations', () => {
  it('deploy -> deploying, undeploy -> undeploying, status.get, logs as text', async () => {
    const h = hub();
    const org = await h.organizations.create({ name: 'o' });
    const p = await h.projects.create({ name: 'p', organization_id: org.id });
    expect((await h.projects.deploy(p.id, { worker_type_id: 1, workers_count: 2 })).status).toBe('deploying');
    expect(await h.status.get({ object: 'Project', id: p.id })).toEqual({ status: 'deploying' });
    expect((await h.projects.undeploy(p.id)).status).toBe('undeploying');
    fake.store.insert('pod_logs', { object: 'pod_log', id: 1, project_id: p.id, data: 'Some logs\n' });
    expect(await h.projects.logs(p.id)).toBe('Some logs\n');
    expect((await h.projects.delete(p.id)).deleting).toBe(true);
    expect((await h.organizations.delete(org.id)).status).toBe('terminating');
  });

  it('status.get rejects an object outside the enum before sending', async () => {
    const err = await failure(hub().status.get({ object: 'User' as never, id: 1 }));
    expect(err).toBeInstanceOf(MissingParamError);
    expect((err as Error).message).toContain('object');
    expect(fake.journal).toHaveLength(0);
  });

  it('trials.updateMany upserts; refit returns a new trial', async () => {
    const h = hub();
    const updated = await h.trials.updateMany({
      experiment_session_id: 's1',
      trials: [{ uid: 'T1', score: 0.9, algorithm_name: 'SVC', algorithm_params: { C: 1 } }],
    });
    expect(updated.map((t) => t.id)).toEqual(['T1']);
    const refit = await h.trials.refit('T1', 's3://bucket/new.csv');
    expect(refit.id).not.toBe('T1');
    expect(refit.raw_data).toMatchObject({ refit_data_path: 's3://bucket/new.csv' });
  });

  it('project file URLs: presigned POST and signed GET', async () => {
    const h = hub();
    const org = await h.organizations.create({ name: 'o' });
    const p = await h.projects.create({ name: 'mt', organization_id: org.id });
    const post = await h.projectFileUrls.create({ project_id: p.id, file_path: 'test.csv' });
    expect(post.fields?.key).toBe('workspace/projects/mt/files/test.csv');
    const get = await h.projectFileUrls.getUrl({ project_id: p.id, file_path: 'test.csv' });
    expect(get.url).toContain('test.csv');
  });

  it('actuals: empty ack on create; delete by range returns the job (both forms)', async () => {
    const h = hub();
    expect(
      await h.actuals.create({ pipeline_id: 'P', actuals: [{ prediction_id: '1', actual: 1 }] }),
    ).toEqual({});
    const job = await h.actuals.deleteMany({
      pipeline_id: 'P',
      from: '2020-08-10',
      to: '2020-08-20',
      with_predictions: true,
    });
    expect(job).toMatchObject({ object: 'cluster_task', status: 'pending' });
    const ep = await h.endpoints.create({ pipeline_id: 'P', name: 'e' });
    expect(await h.endpointActuals.create(ep.id, { actuals: [] })).toEqual({});
    const jobs = await h.endpointActuals.deleteMany(ep.id, { from: '2020-08-10', to: '2020-08-20' });
    expect(Array.isArray(jobs)).toBe(true);
    const sentDelete = fake.journal.at(-1)!;
    expect(sentDelete.body).not.toHaveProperty('endpoint_id');
    const echoed = fake.journal.find((j) => j.operationId === 'createEndpointActual')!;
    expect(echoed.body).toMatchObject({ endpoint_id: ep.id });
  });

  it('nested resources need endpoint_id: MissingParamError before sending', async () => {
    const err = await failure(hub().endpointPredictions.list(undefined as never));
    expect(err).toBeInstanceOf(MissingParamError);
    expect((err as Error).message).toContain('endpoint_id');
    expect(fake.journal).toHaveLength(0);
  });

  it('optimizers: MissingParamError without optimizersUrl; gzip JSON bodies otherwise', async () => {
    const err = await failure(
      hub({ optimizersUrl: undefined }).optimizers.nextTrials({ optimizer_name: 'x' }),
    );
    expect(err).toBeInstanceOf(MissingParamError);
    expect((err as Error).message).toContain('optimizersUrl');
    expect(fake.journal).toHaveLength(0);
    const space = { 'sklearn.svm.SVC': { C: { type: 'float', bounds: [0.1, 10] } } };
    const [trials, context] = await hub().optimizers.nextTrials({
      optimizer_name: 'pso',
      optimizer_params: { batch_size: 2 },
      search_space: space,
    });
    expect(trials).toHaveLength(2);
    expect(context).toEqual({});
    const v2 = await hub().optimizers.nextTrialsV2({ trials_limit: 3, search_space: space });
    expect(v2.trials).toHaveLength(3);
    // The spec requires alg_params (the service answered 400 without it): caught before sending...
    const pre = await failure(hub().optimizers.fte({ alg_name: 'svm' } as never));
    expect(pre).toBeInstanceOf(MissingParamError);
    // ...and the fake answers like the service when it is sent anyway.
    const bad = await failure(hub().optimizers.fte({ alg_name: 'svm' } as never, { validate: 'off' }));
    expect(errorParams(bad)).toEqual(['alg_params']);
  });

  it('the deprecated clusters resource still works', async () => {
    const c = await hub().clusters.create({ name: 'c', organization_id: 1 });
    expect((await hub().clusters.delete(c.id)).deleted).toBe(true);
  });
});

describe('bad input and odd responses', () => {
  it('trials.updateMany with a trial missing uid fails before sending, naming trials[i].uid', async () => {
    const err = await failure(
      hub().trials.updateMany({ experiment_session_id: 's', trials: [{ uid: 'A' }, { score: 1 } as never] }),
    );
    expect(err).toBeInstanceOf(MissingParamError);
    expect((err as Error).message).toContain('trials[1].uid');
    expect((err as MissingParamError).issues.map((i) => i.path)).toEqual(['trials[1].uid']);
    expect(fake.journal).toHaveLength(0);
  });

  it('a non-JSON 200 on a JSON operation is a ClientError, not a crash', async () => {
    fake.faults.inject({ operationId: 'listProjects', status: 200, body: 'Some logs' });
    const err = await failure(hub().projects.list());
    expect(err).toBeInstanceOf(ClientError);
    expect(err).not.toBeInstanceOf(TypeError);
  });

  it('new HubClient(...) is the same client; baseUrl is required', () => {
    const h = new HubClient({ baseUrl: `${BASE}/some/prefix` });
    expect(typeof h.trials.updateMany).toBe('function');
    expect(() => createHubClient({} as HubClientOptions)).toThrow(MissingParamError);
  });
});

describe('the class shape (issue 8)', () => {
  it('new HubClient(o) and withOptions() are HubClients, with the subclassed resources', () => {
    const h = new HubClient({ baseUrl: BASE, projectToken: PROJECT_TOKEN });
    expect(h).toBeInstanceOf(HubClient);
    expect(h).toBeInstanceOf(GeneratedHubClient);
    const other = h.withOptions({ retriesCount: 0, optimizersUrl: OPT });
    expect(other).toBeInstanceOf(HubClient);
    expect(other.trials).toBeInstanceOf(Trials);
    expect(other.options).toMatchObject({ baseUrl: BASE, maxRetries: 0, servers: { optimizers: OPT } });
    expect(h.options.maxRetries).toBeUndefined();
  });

  it('options keep no token, and util.inspect shows none', async () => {
    const { inspect } = await import('node:util');
    const h = hub();
    expect(inspect(h, { depth: 6 })).not.toContain(PROJECT_TOKEN);
    expect(JSON.stringify(h.options)).not.toContain(PROJECT_TOKEN);
  });

  it('withOptions keeps the tokens and the seed option names it was built with', async () => {
    const h = hub().withOptions({ retriesCount: 1 });
    fake.faults.status(503, { operationId: 'listExperiments', times: 1 });
    const { attempts } = await h.experiments.list().withResponse();
    expect(attempts).toBe(2);
    expect(fake.journal.at(-1)!.body).toMatchObject({ project_api_token: REDACTED });
  });

  it('.withResponse() on a resource call: data, response, request id, attempts', async () => {
    const h = hub();
    const org = await h.organizations.create({ name: 'o' });
    fake.faults.status(503, { operationId: 'getOrganization', times: 1 });
    const r = await h.organizations.get(org.id).withResponse();
    expect(r.data).toMatchObject({ id: org.id, name: 'o' });
    expect(r.response.status).toBe(200);
    expect(r.attempts).toBe(2);
    expect('requestId' in r).toBe(true);
  });

  it('list() awaited is one Page; iterated with for await it is every item of every page', async () => {
    const h = hub();
    for (let i = 0; i < 7; i++)
      await h.hyperparameters.create({ algorithm_name: `a${i}`, algorithm_params: {} });
    const page = await h.hyperparameters.list({ limit: 3 });
    expect(page.data).toHaveLength(3);
    expect(page.hasNextPage()).toBe(true);
    const names: string[] = [];
    for await (const hp of h.hyperparameters.list({ limit: 3 })) names.push(hp.algorithm_name as string);
    expect(names).toEqual([...Array(7).keys()].map((i) => `a${i}`));
  });

  it('the escape hatch sends the Hub token in the body (GETs too) and maps errors', async () => {
    const h = hub();
    const org = await h.organizations.create({ name: 'raw' });
    fake.journal.length = 0;
    const got = await h.get<{ data: { id: number; name: string } }>(`/api/v1/organizations/${org.id}`);
    expect(got.data).toMatchObject({ id: org.id, name: 'raw' });
    expect(fake.journal[0]!.body).toEqual({ project_api_token: REDACTED });
    const created = await h.post<{ data: { name: string } }>('/api/v1/organizations', {
      body: { name: 'posted' },
    });
    expect(created.data.name).toBe('posted');
    expect(fake.journal[1]!.body).toEqual({ name: 'posted', project_api_token: REDACTED });
    const err = await failure(h.get('/api/v1/experiments/nope'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).not.toContain(PROJECT_TOKEN);
  });

  it('the optimizers are a named server: servers.optimizers works like optimizersUrl, gzip applied from the spec', async () => {
    const h = hub({ optimizersUrl: undefined, servers: { optimizers: `${OPT}/some/prefix` } });
    const v2 = await h.optimizers.nextTrialsV2({ trials_limit: 2, search_space: {} });
    expect(v2.trials).toHaveLength(2);
    const sent = fake.journal.at(-1)!;
    expect(sent.operationId).toBe('getNextTrialsV2');
    expect(sent.body).toMatchObject({ trials_limit: 2, project_api_token: REDACTED });
  });

  it('nested endpoint calls take the endpoint id first and still send it in the body (x-path-params-in-body)', async () => {
    const h = hub();
    const ep = await h.endpoints.create({ pipeline_id: 'P', name: 'e' });
    const pred = await h.endpointPredictions.create(ep.id, { records: [[1]], features: ['a'] });
    expect(fake.journal.at(-1)!.body).toMatchObject({ endpoint_id: ep.id });
    const page = await h.endpointPredictions.list(ep.id);
    expect(page.data.map((p) => p.id)).toContain(pred.id);
    expect(fake.journal.at(-1)!.body).toMatchObject({ endpoint_id: ep.id, limit: 50, offset: 0 });
  });

  it("'warn' by default: an unexpected null logs one warning naming the field, and the data comes back", async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m), error() {}, info() {}, debug() {} };
    const h = hub({ validate: undefined, logger, logLevel: 'warn' });
    const trial = {
      object: 'trial',
      id: 't1',
      hyperparameter: { object: 'hyperparameter', id: 1, algorithm_name: null, algorithm_params: {} },
    };
    const body = {
      data: [trial],
      meta: { status: 200, pagination: { limit: 50, offset: 0, count: 1, total: 1 } },
    };
    fake.faults.inject({ operationId: 'listTrials', status: 200, body, times: 2 });
    const page = await h.trials.list();
    expect(page.data).toEqual([trial]);
    await h.trials.list();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('listTrials');
    expect(warnings[0]).toContain('data[0].hyperparameter.algorithm_name');
    // The project's own tests (and the fakes) run with 'error': the same answer throws there.
    fake.faults.inject({ operationId: 'listTrials', status: 200, body });
    expect(await failure(hub().trials.list())).toBeInstanceOf(ResponseValidationError);
  });
});
