/**
 * Predictions (legacy), prediction groups, and an endpoint's predictions (which are prediction groups). The
 * records check and its answer are the recorded ones (predictions/create_invalid): the message, and
 * `meta.request_params` echoing the parameters with the token as `****`, the model's own attributes wrapped under
 * its name (Rails' wrap_parameters) and the caller's project.
 */

import type { FakeCall } from '@mlclients/package-core/testing';
import { schemas } from '../../generated/zod.js';
import { hubError, maskedParams, missing, notFound, ok } from '../answers.js';
import { type HubContext, type HubHandler, itemOf, objectName } from '../context.js';

const RECORDS_MESSAGE =
  'records should be an array of arrays of plain values, each records size should be equal to the features count';

function attributesOf(resource: string): ReadonlySet<string> {
  const schema = (schemas as Record<string, { shape?: Record<string, unknown> }>)[itemOf(resource) ?? ''];
  return new Set(Object.keys(schema?.shape ?? {}));
}

function recordsProblem(call: FakeCall, ctx: HubContext, resource: string, projectId: unknown) {
  const { records, features } = call.body;
  const width = Array.isArray(features) ? features.length : -1;
  const plain = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  const valid =
    Array.isArray(records) && records.every((r) => Array.isArray(r) && r.length === width && r.every(plain));
  if (valid) return undefined;
  const attributes = attributesOf(resource);
  const wrapped = Object.fromEntries(
    Object.entries(call.body).filter(([k]) => attributes.has(k) && k !== 'id'),
  );
  // The server echoes the project of the caller's token (its before_action), else the pipeline's.
  const project = ctx.tokenProject(call) ?? projectId;
  return hubError(400, [{ error_type: 'invalid_param', error_param: 'records', message: RECORDS_MESSAGE }], {
    ...maskedParams(call.body),
    [objectName(resource)]: wrapped,
    ...(project != null ? { project_id: project } : {}),
  });
}

function createPrediction(resource: 'predictions' | 'prediction_groups'): HubHandler {
  return (call, ctx) => {
    const absent = missing(call.body, ['pipeline_id', 'records', 'features']);
    if (absent) return absent;
    const pipeline = ctx.store.get('pipelines', call.body.pipeline_id as string);
    return (
      recordsProblem(call, ctx, resource, pipeline?.project_id) ??
      ok(
        ctx.create(resource, call.body, {
          project_id: pipeline?.project_id ?? ctx.tokenProject(call) ?? null,
        }),
      )
    );
  };
}

export const predictionHandlers: Record<string, HubHandler> = {
  createPrediction: createPrediction('predictions'),
  createPredictionGroup: createPrediction('prediction_groups'),
  createEndpointPrediction(call, ctx) {
    const endpoint = ctx.store.get('endpoints', call.params.endpoint_id!);
    if (!endpoint) return notFound('Endpoint');
    const absent = missing(call.body, ['records', 'features']);
    if (absent) return absent;
    return (
      recordsProblem(call, ctx, 'endpoint_predictions', endpoint.project_id) ??
      ok(
        ctx.create('endpoint_predictions', call.body, {
          endpoint_id: endpoint.id,
          pipeline_id: endpoint.primary_pipeline_id ?? null,
          project_id: endpoint.project_id ?? null,
        }),
      )
    );
  },
};
