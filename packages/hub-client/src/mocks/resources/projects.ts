/** Projects: deploy/undeploy (the state machine moves), logs (plain text), and delete (see crud). */
import { notFound, ok, withoutTokens } from '../answers.js';
import type { HubHandler } from '../context.js';
import { stateMachine } from '../defaults.js';

function deployment(deploying: boolean): HubHandler {
  return (call, ctx) => {
    const id = call.params.id!;
    if (!ctx.store.raw('projects', id)) return notFound('Project');
    const status = deploying ? 'deploying' : 'undeploying';
    const fields = withoutTokens(call.body);
    return ok(
      ctx.store.patch('projects', id, {
        status,
        state_machine: stateMachine(status, deploying ? 'Starting' : 'Stopping'),
        ...(fields.worker_type_id !== undefined ? { default_worker_type_id: fields.worker_type_id } : {}),
        ...(fields.workers_count !== undefined ? { default_workers_count: fields.workers_count } : {}),
        ...(fields.kubernetes_stack !== undefined
          ? { default_kubernetes_stack: fields.kubernetes_stack }
          : {}),
        updated_at: new Date().toISOString(),
      }),
    );
  };
}

export const projectHandlers: Record<string, HubHandler> = {
  deployProject: deployment(true),
  undeployProject: deployment(false),
  /** The pod logs of the project as one text (projects/get_logs); extra parameters are ignored. */
  getProjectLogs(call, ctx) {
    const id = call.params.id!;
    if (!ctx.store.raw('projects', id)) return notFound('Project');
    const text = ctx.store
      .list('pod_logs', { project_id: id })
      .map((l) => String(l.data ?? ''))
      .join('');
    return { status: 200, text, contentType: 'text/plain; charset=utf-8' };
  },
};
