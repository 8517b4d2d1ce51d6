/**
 * Endpoints and what hangs off them: an endpoint starts with its primary pipeline as an active endpoint pipeline
 * (endpoints/create_valid); endpoint pipelines are listed on their endpoint; ROI validations are cluster tasks.
 */
import { missing, notFound, ok } from '../answers.js';
import type { HubHandler } from '../context.js';
import type { HubObject } from '../store.js';
import { create } from './crud.js';

const createEndpoint = create('endpoints');
const createEndpointPipeline = create('endpoint_pipelines');

function attach(endpointId: string | number, ctx: Parameters<HubHandler>[1], ep: HubObject): void {
  const endpoint = ctx.store.raw('endpoints', endpointId);
  if (!endpoint) return;
  const others = ((endpoint.endpoint_pipelines as HubObject[] | undefined) ?? []).filter(
    (p) => p.id !== ep.id,
  );
  ctx.store.patch('endpoints', endpointId, { endpoint_pipelines: [...others, ep] });
}

export const endpointHandlers: Record<string, HubHandler> = {
  createEndpoint(call, ctx) {
    const answer = createEndpoint(call, ctx);
    const endpoint = (answer.json as { data?: HubObject }).data;
    if (answer.status !== 200 || !endpoint) return answer;
    const ep = ctx.create('endpoint_pipelines', {
      endpoint_id: endpoint.id,
      pipeline_id: endpoint.primary_pipeline_id,
      active: true,
    });
    attach(endpoint.id, ctx, ep);
    return ok(ctx.store.get('endpoints', endpoint.id));
  },

  createEndpointPipeline(call, ctx) {
    const absent = missing(call.body, ['endpoint_id', 'pipeline_id']);
    if (absent) return absent;
    if (!ctx.store.raw('endpoints', call.body.endpoint_id as string)) return notFound('Endpoint');
    const answer = createEndpointPipeline(call, ctx);
    const ep = (answer.json as { data?: HubObject }).data;
    if (answer.status === 200 && ep) attach(call.body.endpoint_id as string, ctx, ep);
    return answer;
  },

  updateEndpointPipeline(call, ctx) {
    const id = call.params.id!;
    const ep = ctx.store.raw('endpoint_pipelines', id);
    if (!ep) return notFound('EndpointPipeline');
    const { active } = call.body;
    const updated = ctx.store.patch('endpoint_pipelines', id, {
      ...(active !== undefined ? { active } : {}),
      updated_at: new Date().toISOString(),
    })!;
    attach(updated.endpoint_id as string, ctx, updated);
    return ok(updated);
  },

  deleteEndpointPipeline(call, ctx) {
    const ep = ctx.store.remove('endpoint_pipelines', call.params.id!);
    if (!ep) return notFound('EndpointPipeline');
    const endpoint = ctx.store.raw('endpoints', ep.endpoint_id as string);
    if (endpoint) {
      const rest = ((endpoint.endpoint_pipelines as HubObject[] | undefined) ?? []).filter(
        (p) => p.id !== ep.id,
      );
      ctx.store.patch('endpoints', endpoint.id, { endpoint_pipelines: rest });
    }
    return ok({ ...ep, deleted: true });
  },

  createEndpointRoiValidation(call, ctx) {
    const endpoint = ctx.store.get('endpoints', call.params.endpoint_id!);
    if (!endpoint) return notFound('Endpoint');
    const absent = missing(call.body, ['expressions']);
    if (absent) return absent;
    const task = ctx.clusterTask(
      'a2ml.tasks_queue.tasks_hub_api.validate_roi_syntax_task',
      [{ expressions: call.body.expressions }],
      endpoint.project_id,
    );
    return ok(task);
  },
};
