/**
 * Cluster tasks: created without `project_id`, a task belongs to the project of the caller's project token
 * (cluster_tasks/create_valid answers `project_id: 31`, the token's project, for a body without one).
 */
import type { HubHandler } from '../context.js';
import { create } from './crud.js';

const createTask = create('cluster_tasks');

export const clusterTaskHandlers: Record<string, HubHandler> = {
  createClusterTask(call, ctx) {
    const project = ctx.tokenProject(call);
    if (call.body.project_id !== undefined || project === undefined) return createTask(call, ctx);
    return createTask({ ...call, body: { ...call.body, project_id: project } }, ctx);
  },
};
