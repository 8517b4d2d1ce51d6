/**
 * Hub: log in, create a project with an experiment session and 240 trials, then read every trial back with the
 * auto-paginating iterator. `iterate()` learns the total from the first page, fetches the other pages a few at a
 * time, and still yields the trials in order; it never asks for the empty page after the last one.
 */
import { HubClient } from '@mlclients/hub-client';
import { runAsProgram } from './support/run.js';
import type { Services } from './support/services.js';

export async function hubIterate({ hub: server }: Services): Promise<string> {
  // Any non-empty token works against the fake; against the real Hub use HUB_PROJECT_API_TOKEN (or tokens.create).
  const hub = new HubClient({ baseUrl: server.url, projectToken: 'example-project-token' });

  const organization = await hub.organizations.create({ name: 'examples' });
  const project = await hub.projects.create({ name: 'trials-tour', organization_id: organization.id });
  const experiment = await hub.experiments.create({ name: 'churn', project_id: project.id });
  const session = await hub.experimentSessions.create({
    experiment_id: experiment.id,
    project_id: project.id,
  });

  // PATCH /trials is the Hub's bulk upsert: every trial needs a uid (validation names `trials[i].uid` otherwise).
  const trials = Array.from({ length: 240 }, (_, i) => ({ uid: `trial-${i}`, score: (i % 97) / 97 }));
  await hub.trials.updateMany({ experiment_session_id: session.id, trials });

  const before = server.fake.journal.length;
  const ids = new Set<string>();
  for await (const trial of hub.trials.iterate({ experiment_session_id: session.id, limit: 50 }))
    ids.add(trial.id);
  const requests = server.fake.journal.length - before;
  return `hub: project "${project.name}" (id ${project.id}) has ${ids.size} trials; iterate() read them all in ${requests} requests of 50`;
}

await runAsProgram(import.meta.url, hubIterate);
