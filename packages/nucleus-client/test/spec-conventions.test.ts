/**
 * openapi/nucleus.yaml follows the fact sheet's conventions (§1 auth, §2.2 path params, §4 pagination, §6 errors) and
 * the repo's resource conventions (openapi/README.md), read from the spec and the generated resource table.
 */
import { describe, expect, it } from 'vitest';
import { operations, resources } from '../src/generated/index.js';
import { operationSchemas } from '../src/generated/zod.js';
import type { OperationLike, OperationParts, Schema } from './helpers/schema.js';
import { deref, spec, specOperations } from './helpers/spec.js';

const allOperations = Object.values(operations as unknown as Record<string, OperationLike>);
const partsOf = (id: string) => (operationSchemas as unknown as Record<string, OperationParts>)[id];

describe('nucleus spec conventions', () => {
  it('authenticates with Basic (API key, empty password) or the limited-access header, never both', () => {
    expect(spec.components.securitySchemes).toMatchObject({
      apiKey: { type: 'http', scheme: 'basic' },
      limitedAccessKey: { type: 'apiKey', in: 'header', name: 'x-limited-access-key' },
    });
    // Two requirement objects = alternatives; one object with both keys would demand both.
    expect(spec.security).toEqual([{ apiKey: [] }, { limitedAccessKey: [] }]);
    expect(spec.servers[0].url).toBe('https://api.scale.com/v1/nucleus');
  });

  it('declares x-idempotent on every POST, true only on the POSTs that only read', () => {
    const posts = specOperations().filter((o) => o.method === 'post');
    expect(posts.filter((o) => typeof o.op['x-idempotent'] !== 'boolean').map((o) => o.path)).toEqual([]);
    const readOnly = posts.filter((o) => o.op['x-idempotent'] === true).map((o) => o.op.operationId);
    expect(new Set(readOnly)).toEqual(
      new Set([
        ...allOperations.filter((op) => op.pagination).map((op) => op.operationId),
        'listJobs',
        'listAutotagItems',
        'getIndexingStatus',
      ]),
    );
  });

  it('makes every operation that starts a server-side job non-idempotent, DELETEs included', () => {
    // A write answering an AsyncJob (alone or as its async form), a job id, or saying its work runs as a job.
    const startsJob = specOperations().filter(({ method, op }) => {
      if (method === 'get' || op.operationId === 'listJobs') return false;
      const text = JSON.stringify(deref(op.responses['200'])?.content?.['application/json']?.schema ?? {});
      return (
        text.includes('#/components/schemas/AsyncJob') ||
        /job_id/.test(text) ||
        /\bjob\b/i.test(`${op.description}`)
      );
    });
    expect(startsJob.length).toBeGreaterThanOrEqual(20);
    expect(
      startsJob.filter(({ op }) => op['x-idempotent'] !== false).map(({ op }) => op.operationId),
    ).toEqual([]);
    for (const id of ['deleteDataset', 'deleteAnnotations', 'deleteModel', 'deleteCustomIndex']) {
      expect(operations[id as keyof typeof operations].idempotent, id).toBe(false);
    }
  });

  it('declares the page-token POSTs of §4 with their row key, idempotent', () => {
    const tokenPaged = Object.fromEntries(
      allOperations
        .filter((op) => op.pagination?.style === 'token')
        .map((op) => [op.path, (op.pagination as { items: string }).items]),
    );
    expect(tokenPaged).toEqual({
      '/dataset/{dataset_id}/itemsPage': 'items',
      '/dataset/{dataset_id}/queryItemsPage': 'items',
      '/dataset/{dataset_id}/queryScenesPage': 'items',
      '/dataset/{dataset_id}/queryObjectsPage': 'items',
      '/slice/{slice_id}/itemsPage': 'items',
      '/dataset/{dataset_id}/exportForTrainingPage': 'data',
      '/dataset/{dataset_id}/exportForTrainingByScene': 'data',
      '/slice/{slice_id}/exportForTrainingPage': 'data',
      '/slice/{slice_id}/{model_id}/exportForTrainingPage': 'data',
    });
    for (const op of allOperations.filter((o) => o.pagination?.style === 'token')) {
      expect(op, op.operationId).toMatchObject({
        method: 'post',
        idempotent: true,
        pagination: {
          in: 'body',
          tokenParam: 'pageToken',
          limitParam: 'pageSize',
          nextToken: 'nextPageToken',
        },
      });
      const key = (op.pagination as { items: string }).items;
      const schemas = partsOf(op.operationId) as { body: Schema; response: Schema };
      // The last page: an empty, null or absent nextPageToken; a page without its rows is refused.
      for (const last of [{ nextPageToken: null }, { nextPageToken: '' }, {}]) {
        expect(schemas.response.safeParse({ [key]: [], ...last }).success, op.operationId).toBe(true);
      }
      expect(schemas.response.safeParse({ nextPageToken: 'x' }).success, op.operationId).toBe(false);
      // pageToken may be absent on the first page (the paginator fills it); pageSize may not.
      expect(schemas.body.safeParse({ pageToken: 'x', query: 'q' }).success, op.operationId).toBe(false);
    }
    // Evaluations V2 examples: the one offset pagination.
    expect(operations.listEvaluationV2Examples.pagination).toMatchObject({
      style: 'offset',
      limitParam: 'limit',
      offsetParam: 'offset',
      items: 'rows',
      total: 'total',
    });
  });

  it('carries JSON bodies on the DELETEs that have them', () => {
    const withBody = allOperations
      .filter((op) => op.method === 'delete' && op.bodyRequired)
      .map((op) => op.path);
    expect(new Set(withBody)).toEqual(
      new Set([
        '/dataset/{dataset_id}/tags',
        '/annotation/{dataset_id}',
        '/model/{model_id}/tag',
        '/model/{model_id}/trainedSliceId',
        '/dataset/{dataset_id}/tracks',
        '/indexing/{dataset_id}',
      ]),
    );
    // evaluationsV2 DELETE sends `{}` (optional), GETs declare none.
    expect(operations.deleteEvaluationV2).toMatchObject({ body: true, bodyRequired: false });
    expect(allOperations.filter((op) => op.method === 'get' && op.body)).toEqual([]);
  });

  it('answers bare arrays where the server does', () => {
    const bareArrays = specOperations()
      .filter(({ op }) => deref(op.responses['200'])?.content?.['application/json']?.schema?.type === 'array')
      .map(({ op }) => op.operationId);
    expect(new Set(bareArrays)).toEqual(
      new Set([
        'listDatasets',
        'listDatasetModelRuns',
        'listDatasetSlices',
        'listEvaluationsV2',
        'listSlices',
        'exportSliceRawJson',
        'exportSliceRawItems',
        'listSliceEmbeddings',
        'listJobs',
        'listJobErrors',
        'listEmbeddings',
        'listScenarioTests',
        'listScenarioTestEvaluations',
        'calculateModelMetrics',
      ]),
    );
  });

  it('declares path params as strings (integers for positions), percent-encoded whole', () => {
    for (const { path, op } of specOperations()) {
      const params = [...(spec.paths[path].parameters ?? []), ...(op.parameters ?? [])].map(deref);
      for (const param of params.filter((p) => p.in === 'path')) {
        const where = `${op.operationId} ${param.name}`;
        expect(['string', 'integer'], where).toContain(param.schema.type);
        expect(param.style ?? 'simple', where).toBe('simple');
        expect(param.allowReserved, where).toBeUndefined();
        if (param.schema.type === 'string') expect(param.description, where).toMatch(/percent-encoded/);
      }
    }
  });

  it('documents the undocumented error body and the statuses the Python client retries', () => {
    const error = spec.components.responses.Error;
    expect(Object.keys(error.content)).toEqual(['application/json', 'text/plain']);
    expect(error.content['application/json'].schema).toEqual({});
    expect(error.description).toMatch(/503, 504, 520, 524/);
    const withoutDefault = specOperations().filter(
      ({ op }) => op.responses.default?.$ref !== '#/components/responses/Error',
    );
    expect(withoutDefault.map(({ op }) => op.operationId)).toEqual([]);
  });

  it('says so in the description wherever the sheet does not know a response shape', () => {
    const unknown = specOperations().filter(({ op }) => {
      const schema = deref(op.responses['200'])?.content?.['application/json']?.schema;
      return schema !== undefined && Object.keys(schema).length === 0;
    });
    expect(unknown.length).toBeGreaterThan(10);
    for (const { op } of unknown) {
      expect(`${op.description}`, op.operationId).toMatch(/not (know|known|show)/);
    }
  });

  it("names each operation's counterpart in the Python client, at the fact sheet's commit", () => {
    for (const { op } of specOperations()) {
      expect(op.externalDocs?.description, op.operationId).toMatch(
        /^Python client: `[A-Za-z_.]+[^`]*` \(nucleus\//,
      );
      expect(op.externalDocs?.url, op.operationId).toMatch(
        /^https:\/\/github\.com\/scaleapi\/nucleus-python-client\/blob\/e672e4171b23\/nucleus\/[a-z0-9_/]+\.py$/,
      );
    }
  });

  it('follows the resource convention users will call', () => {
    expect(Object.keys(resources.datasets.operations)).toEqual(
      expect.arrayContaining(['list', 'get', 'create', 'delete']),
    );
    expect(resources.dataset_items).toMatchObject({ accessor: 'datasetItems' });
    expect(resources.dataset_items.operations.list.pagination).toBeDefined();
    expect(resources.jobs.operations.get).toMatchObject({
      path: '/job/{job_id}/info',
      pathParams: ['job_id'],
    });
    expect(Object.keys(resources.slices.operations)).toEqual(
      expect.arrayContaining(['list', 'get', 'create', 'delete']),
    );
    expect(resources.evaluations_v2.accessor).toBe('evaluationsV2');
    for (const resource of Object.values(resources)) {
      expect(resource.accessor).toMatch(/^[a-z][A-Za-z0-9]*$/);
      // `iterate` is derived from a paginated `list`; no operation may take the name.
      expect(Object.keys(resource.operations)).not.toContain('iterate');
    }
  });
});
