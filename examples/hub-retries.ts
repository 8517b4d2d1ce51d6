/**
 * Hub: surviving a flaky server. The mock server's control route queues two 503s for the next `getProject` calls
 * (any HTTP client can do this: `curl -XPOST <url>/_mock/faults -d '{"status":503,"times":2}'`). The client retries
 * idempotent calls on 503 with exponential backoff and jitter, and `.withResponse()` tells how many attempts it took.
 */
import { HubClient } from '@mlclients/hub-client';
import { runAsProgram } from './support/run.js';
import type { Services } from './support/services.js';

export async function hubRetries({ hub: server }: Services): Promise<string> {
  // retryWaitSeconds: the first backoff (the default 0.5 s doubles each retry); short here so the example is quick.
  const hub = new HubClient({
    baseUrl: server.url,
    projectToken: 'example-project-token',
    retryWaitSeconds: 0.05,
  });
  const organization = await hub.organizations.create({ name: 'flaky' });
  const project = await hub.projects.create({ name: 'survives-503s', organization_id: organization.id });

  const queued = await fetch(`${server.url}/_mock/faults`, {
    method: 'POST',
    body: JSON.stringify({ status: 503, times: 2, operationId: 'getProject' }),
  });
  if (!queued.ok) throw new Error(`could not queue the faults: ${queued.status}`);

  const { data, attempts } = await hub.projects.get(project.id).withResponse();
  return `hub: 2 injected 503s on GET /projects/${data.id}, answered on attempt ${attempts} (retries with backoff, no code of yours)`;
}

await runAsProgram(import.meta.url, hubRetries);
