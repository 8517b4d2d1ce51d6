/**
 * Route coverage of the fact sheet (shared/reference/sc-api.md): every row of §3 (the SC-era client) and of §3.1
 * (Geti), written as the request a client sends, resolves to exactly the operation of openapi/sc.yaml meant for it.
 * Rows with no operation say why.
 */
import { describe, expect, it } from 'vitest';
import { operations } from '../src/generated/resources.js';
import { declaredResponse, matchRoutes } from './helpers/spec-routes.js';

const ws = '/api/v1.0/workspaces/624c004b234370fcf24bf38c';
const p = `${ws}/projects/6255dd08234370fcf24c1c1b`;
const d = `${p}/datasets/6255dd08234370fcf24c1c1a`;
const image = `${d}/media/images/6255dd09234370fcf24c1c2b`;
const video = `${d}/media/videos/6255dd09234370fcf24c1c2c`;
const frame = `${video}/frames/30`;
const model = `${p}/model_groups/g1/models/m1`;
const geti = '/api/v1/organizations/000000000000000000000001/workspaces/624c004b234370fcf24bf38c';
const gp = `${geti}/projects/6255dd08234370fcf24c1c1b`;
const gd = `${gp}/datasets/6255dd08234370fcf24c1c1a`;

/** [row, method, path as sent, operationId]. */
const SECTION_3: [string, string, string, keyof typeof operations][] = [
  ['1', 'GET', '/api/v1.0/product_info', 'getProductInfo'],
  ['2', 'GET', '/api/v1.0/workspaces', 'listWorkspaces'],
  ['3', 'GET', `${ws}/projects/`, 'listProjectsTrailingSlash'],
  ['3', 'GET', `${ws}/projects`, 'listProjects'],
  ['4', 'POST', `${ws}/projects`, 'createProject'],
  ['5', 'PUT', p, 'updateProject'],
  ['6', 'DELETE', p, 'deleteProject'],
  ['7', 'GET', `${p}/status`, 'getProjectStatus'],
  ['8', 'GET', `${d}/media`, 'getMediaCounts'],
  ['9', 'GET', `${d}/media/images`, 'listImages'],
  ['10', 'GET', `${d}/media/videos`, 'listVideos'],
  ['11', 'POST', `${d}/media/images`, 'createImage'],
  ['12', 'POST', `${d}/media/videos`, 'createVideo'],
  ['13', 'DELETE', image, 'deleteImage'],
  ['13', 'DELETE', video, 'deleteVideo'],
  ['14', 'GET', `${image}/display/full`, 'downloadImage'],
  ['15', 'GET', `${image}/display/thumb`, 'downloadImageThumbnail'],
  ['16', 'GET', `${video}/display/stream`, 'downloadVideo'],
  ['17', 'GET', `${frame}/display/full`, 'downloadVideoFrame'],
  ['18', 'GET', `${image}/annotations/latest`, 'getImageAnnotation'],
  ['19', 'POST', `${image}/annotations`, 'createImageAnnotation'],
  ['20', 'GET', `${frame}/annotations/latest`, 'getVideoFrameAnnotation'],
  ['20', 'POST', `${frame}/annotations`, 'createVideoFrameAnnotation'],
  ['21', 'GET', `${video}/annotations/latest`, 'getVideoAnnotations'],
  ['22', 'GET', `${image}/predictions/auto`, 'getImagePrediction'],
  ['22', 'GET', `${frame}/predictions/online`, 'getVideoFramePrediction'],
  ['23', 'GET', `${video}/predictions/latest`, 'getVideoPredictions'],
  ['25', 'GET', `${p}/configuration`, 'getConfiguration'],
  ['26', 'POST', `${p}/configuration`, 'setConfiguration'],
  ['27', 'GET', `${p}/configuration/global`, 'getGlobalConfiguration'],
  ['28', 'POST', `${p}/configuration/global`, 'setGlobalConfiguration'],
  ['29', 'GET', `${p}/configuration/task_chain/6255dd08234370fcf24c1c1f`, 'getTaskConfiguration'],
  ['30', 'POST', `${p}/configuration/task_chain/6255dd08234370fcf24c1c1f`, 'setTaskConfiguration'],
  ['31', 'GET', '/api/v1.0/supported_algorithms', 'listSupportedAlgorithms'],
  ['32', 'POST', `${p}/train`, 'trainProject'],
  ['33', 'GET', `${ws}/jobs`, 'listJobs'],
  ['34', 'GET', `${ws}/jobs/job1`, 'getJob'],
  ['34', 'DELETE', `${ws}/jobs/job1`, 'cancelJob'],
  ['35', 'GET', `${p}/model_groups`, 'listModelGroups'],
  ['36', 'GET', model, 'getModel'],
  ['37', 'GET', `${model}/export`, 'exportModel'],
  ['38', 'GET', `${model}/optimized_models/o1/export`, 'exportOptimizedModel'],
  ['39', 'GET', `${p}/thumbnail`, 'getProjectThumbnail'],
  ['40', 'POST', '/api/v1/service_accounts/access_token', 'createAccessToken'],
];

/** Row 24 (a prediction's `maps[].url`) is an opaque server-given URL: the client GETs it as is. */
const SECTION_3_WITHOUT_OPERATION = ['24'];

const SECTION_3_1: [string, string, string, keyof typeof operations][] = [
  ['prefix', 'GET', `${geti}/projects/6255dd08234370fcf24c1c1b`, 'getProject'],
  ['project list', 'GET', `${geti}/projects`, 'listProjects'],
  ['media list', 'POST', `${gd}/media:query`, 'queryMedia'],
  ['datasets', 'GET', `${gp}/datasets`, 'listDatasets'],
  ['datasets', 'POST', `${gp}/datasets`, 'createDataset'],
  ['datasets', 'DELETE', gd, 'deleteDataset'],
  ['datasets', 'GET', `${gd}/statistics`, 'getDatasetStatistics'],
  ['datasets', 'POST', `${gd}/training_revisions/r1/media:query`, 'queryTrainingRevisionMedia'],
  ['training', 'POST', `${gp}:train`, 'trainProjectTask'],
  ['jobs', 'GET', `${geti}/jobs`, 'listJobs'],
  ['models', 'POST', `${gp}/model_groups/g1:activate`, 'activateModelGroup'],
  ['models', 'POST', `${gp}/model_groups/g1/models/m1:optimize`, 'optimizeModel'],
  ['models', 'POST', `${gp}/model_groups/g1/models/m1:purge`, 'purgeModel'],
  ['prediction', 'POST', `${gp}/pipelines/active:predict`, 'predictWithActivePipeline'],
  ['prediction', 'POST', `${gp}/pipelines/active:batch_predict`, 'batchPredictWithActivePipeline'],
  ['prediction', 'POST', `${gp}/pipelines/active:explain`, 'explainWithActivePipeline'],
  ['prediction', 'POST', `${gp}/pipelines/active:batch_explain`, 'batchExplainWithActivePipeline'],
  ['algorithms', 'GET', `${gp}/supported_algorithms`, 'listProjectSupportedAlgorithms'],
  ['deployment', 'POST', `${gp}/code_deployments:prepare`, 'prepareCodeDeployment'],
  ['deployment', 'GET', `${gp}/code_deployments/c1`, 'getCodeDeployment'],
  ['deployment', 'GET', `${gp}/code_deployments/c1/download`, 'downloadCodeDeployment'],
  ['import/export', 'OPTIONS', `${geti}/projects/uploads/resumable`, 'getProjectUploadCapabilities'],
  ['import/export', 'POST', `${geti}/projects/uploads/resumable`, 'createProjectUpload'],
  ['import/export', 'HEAD', `${geti}/projects/uploads/resumable/f1`, 'getProjectUploadOffset'],
  ['import/export', 'PATCH', `${geti}/projects/uploads/resumable/f1`, 'appendProjectUpload'],
  ['import/export', 'OPTIONS', `${geti}/datasets/uploads/resumable`, 'getDatasetUploadCapabilities'],
  ['import/export', 'POST', `${geti}/datasets/uploads/resumable`, 'createDatasetUpload'],
  ['import/export', 'HEAD', `${geti}/datasets/uploads/resumable/f1`, 'getDatasetUploadOffset'],
  ['import/export', 'PATCH', `${geti}/datasets/uploads/resumable/f1`, 'appendDatasetUpload'],
  ['import/export', 'POST', `${geti}/projects:import`, 'importProject'],
  ['import/export', 'POST', `${geti}/datasets:prepare-for-import`, 'prepareDatasetImport'],
  ['import/export', 'POST', `${geti}/projects:import-from-dataset`, 'importProjectFromDataset'],
  ['import/export', 'POST', `${gp}:export`, 'exportProject'],
  ['import/export', 'POST', `${gd}:prepare-for-export`, 'prepareDatasetExport'],
  [
    'annotation GET none',
    'GET',
    `${gd}/media/images/6255dd09234370fcf24c1c2b/annotations/latest`,
    'getImageAnnotation',
  ],
  ['§2.6 organization', 'GET', '/api/v1/profile', 'getProfile'],
  ['§2.6 organization', 'GET', '/api/v1/personal_access_tokens/organization', 'getTokenOrganization'],
];

describe('fact sheet route coverage', () => {
  it.each(SECTION_3)('§3 row %s: %s %s -> %s', (_row, method, path, operationId) => {
    expect(matchRoutes(method, path).map((m) => m.operationId)).toEqual([operationId]);
  });

  it('covers every row of §3 (1-40) but the opaque result-map URL', () => {
    const rows = new Set([...SECTION_3.map(([row]) => row), ...SECTION_3_WITHOUT_OPERATION]);
    expect([...rows].map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it.each(SECTION_3_1)('§3.1 %s: %s %s -> %s', (_area, method, path, operationId) => {
    expect(matchRoutes(method, path).map((m) => m.operationId)).toEqual([operationId]);
  });

  it.each([
    'getImageAnnotation',
    'getVideoFrameAnnotation',
    'getVideoAnnotations',
  ] as const)('%s: 200 is the scene, 204 (SC and Geti) and 404 (SC) say "no annotation" (§5.2, §3.1)', (operationId) => {
    expect(operations[operationId].successStatus).toBe(200);
    expect(declaredResponse(operationId, 204)?.mediaTypes).toEqual([]);
    expect(declaredResponse(operationId, 404)?.schemaName).toBe('Error');
  });

  it('has no operation the two tables above leave out', () => {
    const covered = new Set([...SECTION_3, ...SECTION_3_1].map(([, , , id]) => id));
    expect(Object.keys(operations).filter((id) => !covered.has(id as keyof typeof operations))).toEqual([]);
  });
});
