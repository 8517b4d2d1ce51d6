/**
 * The escape hatch: `client.get/post/put/patch/delete(path, options)` reach any path, declared in the spec or not,
 * with the client's auth, retries, redaction and error classes. Use it for an endpoint the generated resources do
 * not have yet; the answer is the raw JSON (type it yourself).
 */
import { HubClient, NotFoundError } from '@mlclients/hub-client';
import { runAsProgram } from './support/run.js';
import type { Services } from './support/services.js';

export async function escapeHatch({ hub: server }: Services): Promise<string> {
  const hub = new HubClient({ baseUrl: server.url, projectToken: 'example-project-token' });
  const organization = await hub.organizations.create({ name: 'raw' });

  // The Hub wants its token and paging in the JSON body of a GET; the raw call merges the token in the same way.
  const raw = await hub.get<{
    data: { id: number; name: string }[];
    meta: { pagination: { total: number } };
  }>('/api/v1/organizations', { body: { limit: 10 } });

  let undeclared = '';
  try {
    await hub.get('/api/v1/not_in_the_spec');
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    undeclared = `${error.name} ${error.status}`;
  }
  const names = raw.data.map((o) => o.name);
  return `escape hatch: hub.get('/api/v1/organizations') -> ${raw.meta.pagination.total} organization(s) [${names.join(', ')}] (created id ${organization.id}); an undeclared path -> ${undeclared}`;
}

await runAsProgram(import.meta.url, escapeHatch);
