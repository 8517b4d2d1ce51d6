/** Actuals: an empty ack on create (actuals/create_valid), a cluster task on delete (actuals/delete_valid). */
import { missing, notFound, ok, withoutTokens } from '../answers.js';
import type { HubHandler } from '../context.js';

const DELETE_TASK = 'a2ml.tasks_queue.tasks_hub_api.delete_actuals_task';

export const actualHandlers: Record<string, HubHandler> = {
  createActual(call) {
    return missing(call.body, ['pipeline_id', 'actuals']) ?? ok({});
  },
  createEndpointActual(call, ctx) {
    if (!ctx.store.get('endpoints', call.params.endpoint_id!)) return notFound('Endpoint');
    return missing(call.body, ['actuals']) ?? ok({});
  },
  deleteActuals(call, ctx) {
    const absent = missing(call.body, ['pipeline_id']);
    if (absent) return absent;
    const pipeline = ctx.store.get('pipelines', call.body.pipeline_id as string);
    return ok(
      ctx.clusterTask(
        DELETE_TASK,
        [withoutTokens(call.body)],
        pipeline?.project_id ?? ctx.tokenProject(call),
      ),
    );
  },
  /** The recording answers an array of tasks here (endpoint_actuals/delete). */
  deleteEndpointActuals(call, ctx) {
    const endpoint = ctx.store.get('endpoints', call.params.endpoint_id!);
    if (!endpoint) return notFound('Endpoint');
    const args = [{ ...withoutTokens(call.body), endpoint_id: endpoint.id }];
    return ok([ctx.clusterTask(DELETE_TASK, args, endpoint.project_id)]);
  },
};
