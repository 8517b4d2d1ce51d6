/**
 * Fake conformance over the WHOLE API: a scenario that calls every operation of the spec through HubClient against
 * the fake, then checks that every operation got a 200 and that every answer validated against the spec's zod
 * schemas (the engine's conformance hook). Run in-process (conformance.test.ts) and over HTTP
 * (conformance.http.test.ts).
 */
import { expect, it } from 'vitest';
import { createHubClient } from '../../src/index.js';
import { allOperationIds } from '../helpers/call.js';
import type { HubFakeEnv } from '../helpers/fake-server.js';

export const CONFORMANCE_TOKEN = 't0k3n-for-conformance';

export function allOperationsScenario(env: HubFakeEnv): void {
  it(`every operation answers 200 from the fake, and every fake response validates against the spec (${env.transport})`, async () => {
    const hub = createHubClient({
      baseUrl: env.baseUrl,
      optimizersUrl: env.optimizersUrl,
      projectToken: CONFORMANCE_TOKEN,
    });
    const { fake } = env;

    await hub.tokens.create({ email: 'her@mail.com', password: 'password' });
    const org = await hub.organizations.create({ name: 'acme' });
    await hub.organizations.list({ name: 'acme' });
    await hub.organizations.get(org.id);
    await hub.organizations.update(org.id, { role_to_assume_arn: 'arn:aws:iam::1:role/x' });

    const project = await hub.projects.create({ name: 'mt-test', organization_id: org.id });
    await hub.projects.list();
    await hub.projects.get(project.id);
    await hub.projects.update(project.id, { default_worker_nodes_count: 5 });
    await hub.projects.deploy(project.id, { worker_type_id: 1, workers_count: 2 });
    await hub.projects.undeploy(project.id);
    await hub.projects.logs(project.id);
    await hub.status.get({ object: 'Project', id: project.id });

    const file = await hub.projectFiles.create({
      project_id: project.id,
      name: 'f',
      file_name: 'f.csv',
      url: 'files/f.csv',
    });
    await hub.projectFiles.list({ project_id: project.id });
    await hub.projectFiles.get(file.id);
    await hub.projectFiles.delete(file.id);
    await hub.projectFileUrls.create({ project_id: project.id, file_path: 'test.csv' });
    await hub.projectFileUrls.getUrl({ project_id: project.id, file_path: 'test.csv' });

    const manifest = await hub.datasetManifests.create({ id: 100500, name: 'test', statistics: { x: 1 } });
    await hub.datasetManifests.list();
    await hub.datasetManifests.get(manifest.id);
    await hub.datasetManifests.update(manifest.id, { dataset_url: 's3://bucket/path' });

    const experiment = await hub.experiments.create({
      id: 'e1',
      name: 'exp',
      dataset_manifest_id: manifest.id,
    });
    await hub.experiments.list();
    await hub.experiments.get(experiment.id);
    await hub.experiments.update(experiment.id, { name: 'renamed' });

    const session = await hub.experimentSessions.create({
      experiment_id: experiment.id,
      model_settings: { x: 1 },
    });
    await hub.experimentSessions.list({ project_id: project.id });
    await hub.experimentSessions.get(session.id);
    for (const status of ['preprocess', 'started', 'completed'] as const)
      await hub.experimentSessions.update(session.id, { status });

    const hp = await hub.hyperparameters.create({ algorithm_name: 'SVM', algorithm_params: { x: 1 } });
    await hub.hyperparameters.list();
    await hub.hyperparameters.get(hp.id);

    await hub.trials.updateMany({
      experiment_session_id: session.id,
      trials: [{ uid: 'T1', score: 0.9, algorithm_name: 'SVC' }],
    });
    await hub.trials.create({ id: 'T2' });
    await hub.trials.list({ experiment_session_id: session.id });
    await hub.trials.get('T1');
    await hub.trials.update('T1', {
      score_name: 'f1',
      hyperparameter: { algorithm_name: 'SVC', algorithm_params: {} },
    });
    await hub.trials.refit('T1', 's3://some_new_path.csv');

    const pipeline = await hub.pipelines.create({ trial_id: 'T1' });
    await hub.pipelines.list();
    await hub.pipelines.get(pipeline.id);
    await hub.pipelines.update(pipeline.id, { status: 'packaging' });
    const pf = await hub.pipelineFiles.create({ trial_id: 'T1' });
    await hub.pipelineFiles.list();
    await hub.pipelineFiles.get(pf.id);

    const prediction = await hub.predictions.create({
      pipeline_id: pipeline.id,
      records: [[1, null]],
      features: ['a', 'b'],
    });
    await hub.predictions.list();
    await hub.predictions.get(prediction.id);
    const group = await hub.predictionGroups.create({
      pipeline_id: pipeline.id,
      records: [[1]],
      features: ['a'],
    });
    await hub.predictionGroups.list();
    await hub.predictionGroups.get(group.id);

    const endpoint = await hub.endpoints.create({ pipeline_id: pipeline.id, name: 'e' });
    await hub.endpoints.list();
    await hub.endpoints.get(endpoint.id);
    await hub.endpoints.update(endpoint.id, { name: 'my super endpoint' });
    const ep = await hub.endpointPipelines.create({
      endpoint_id: endpoint.id,
      pipeline_id: pipeline.id,
      active: true,
    });
    await hub.endpointPipelines.update(ep.id, { active: false });
    await hub.endpointPipelines.delete(ep.id);
    const epred = await hub.endpointPredictions.create(endpoint.id, {
      records: [[1.1, 1.2]],
      features: ['a', 'b'],
    });
    await hub.endpointPredictions.list(endpoint.id);
    await hub.endpointPredictions.get(epred.id, { endpoint_id: endpoint.id });
    await hub.endpointActuals.create(endpoint.id, { prediction_group_id: epred.id, actuals: [] });
    await hub.endpointActuals.deleteMany(endpoint.id, { from: '2020-08-10', to: '2020-08-20' });
    await hub.endpointRoiValidations.create(endpoint.id, { expressions: ['P = true'] });
    await hub.actuals.create({ pipeline_id: pipeline.id, actuals: [{ prediction_id: '1', actual: '0.75' }] });
    await hub.actuals.deleteMany({
      pipeline_id: pipeline.id,
      from: '2020-08-10',
      to: '2020-08-20',
      with_predictions: true,
    });

    const alert = await hub.reviewAlerts.create({
      endpoint_id: endpoint.id,
      kind: 'model_accuracy',
      threshold: 0.9,
    });
    await hub.reviewAlerts.list();
    await hub.reviewAlerts.get(alert.id);
    await hub.reviewAlerts.update(alert.id, { threshold: 0.8 });
    await hub.reviewAlerts.delete(alert.id);
    fake.store.insert('review_alert_items', {
      object: 'review_alert_item',
      deleted: false,
      id: 2,
      endpoint_id: endpoint.id,
      values: [0.7],
    });
    await hub.reviewAlertItems.list();
    await hub.reviewAlertItems.get(2);

    const similar = await hub.similarTrialsRequests.create({
      algorithm_name: 'SVC',
      algorithm_params_hash: 'h',
      limit: 5,
    });
    await hub.similarTrialsRequests.get(similar.id);
    const warm = await hub.warmStartRequests.create({
      dataset_manifest_id: manifest.id,
      score_name: 'logloss',
    });
    await hub.warmStartRequests.get(warm.id);
    const search = await hub.trialSearches.create({ trials_total_count: 125, search_space: { version: 1 } });
    await hub.trialSearches.list();
    await hub.trialSearches.get(search.id);
    fake.store.patch('trial_searches', search.id, { status: 'done' });
    await hub.trialSearches.update(search.id, { trials_limit: 12, trials_history: [] });

    const task = await hub.clusterTasks.create({
      name: 'auger_ml.tasks_queue.tasks.list_project_files',
      args: null,
    });
    await hub.clusterTasks.list();
    await hub.clusterTasks.get(task.id);
    await hub.clusterTasks.update(task.id, { status: 'success', result: { x: 1 } });
    fake.store.insert('cluster_statuses', {
      object: 'cluster_status',
      id: 1,
      cluster_id: 340,
      cpu: 3,
      created_at: '2019-03-22T13:24:49.200Z',
    });
    await hub.clusterStatuses.list({ cluster_id: 340 });
    fake.store.insert('instance_types', {
      object: 'instance_type',
      deleted: false,
      id: 'c5.large',
      description: '2xCPU 4.0 GB RAM',
    });
    await hub.instanceTypes.list();
    fake.store.insert('pod_logs', {
      object: 'pod_log',
      id: 1,
      timestamp: '2019-05-15T22:28:15.407Z',
      project_id: project.id,
      data: 'x\n',
    });
    await hub.podLogs.list({ project_id: project.id });

    const cluster = await hub.clusters.create({ name: 'c', organization_id: org.id });
    await hub.clusters.list();
    await hub.clusters.get(cluster.id);
    await hub.clusters.delete(cluster.id);

    const space = {
      'sklearn.svm.SVC': {
        C: { type: 'float', bounds: [0.1, 10] },
        kernel: { type: 'categorical', values: ['rbf'] },
      },
    };
    await hub.optimizers.nextTrials({
      optimizer_name: 'pso',
      optimizer_params: { batch_size: 2 },
      search_space: space,
    });
    await hub.optimizers.nextTrialsV2({ trials_limit: 2, search_space: space, trials_history: [] });
    await hub.optimizers.fte({ alg_name: 'svm', alg_params: { C: 1 }, ncols: 4, nrows: 150 });

    await hub.experiments.delete(experiment.id);
    await hub.endpoints.delete(endpoint.id);
    await hub.projects.delete(project.id);
    await hub.organizations.delete(org.id);

    const ok = new Set(fake.journal.filter((j) => j.status === 200).map((j) => j.operationId));
    expect(allOperationIds.filter((id) => !ok.has(id))).toEqual([]);
    expect(fake.engine.conformance.problems).toEqual([]);
    console.log(
      `fake conformance (${env.transport}): ${ok.size}/${allOperationIds.length} operations answered 200, ${fake.journal.length} answers valid against the spec`,
    );
  });
}
