/**
 * The Hub client against its stateful fake (MSW, in this process): what a user's own tests can do too.
 */
import { HubClient, InvalidParamsError, NotFoundError, RetryableApiError } from '@mlclients/hub-client';
import { createHubFake } from '@mlclients/hub-client/mocks';
import { setupServer } from 'msw/node';

const HUB = 'http://hub.tour.test';

export async function hubTour(): Promise<void> {
  const fake = createHubFake({
    baseUrl: HUB,
    users: [{ email: 'ada@example.com', password: 'correct horse' }],
  });
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const anonymous = new HubClient({ baseUrl: HUB });
    const { token } = await anonymous.tokens.create({ email: 'ada@example.com', password: 'correct horse' });
    const hub = new HubClient({ baseUrl: HUB, token, retryWaitSeconds: 0.01 });
    console.log('logged in: a user token came back from POST /api/v1/tokens (never printed, never logged)');

    const organization = await hub.organizations.create({ name: 'tour-org' });
    const project = await hub.projects.create({ name: 'tour-project', organization_id: organization.id });
    for (let i = 0; i < 120; i++)
      await hub.experiments.create({ name: `experiment-${i}`, project_id: project.id });
    const page = await hub.experiments.list({ project_id: project.id, limit: 25 });
    console.log(
      `experiments: first page ${page.data.length} of ${page.pagination?.total}, hasNextPage=${page.hasNextPage()}`,
    );
    const before = fake.journal.length;
    let count = 0;
    for await (const _experiment of hub.experiments.iterate({ project_id: project.id, limit: 25 })) count++;
    console.log(
      `iterate(): ${count} experiments in ${fake.journal.length - before} requests (no empty last page)`,
    );

    const deployed = await hub.projects.deploy(project.id, { worker_type_id: 1, workers_count: 2 });
    console.log(`deploy: status ${deployed.status}`);

    try {
      await hub.experiments.get('does-not-exist');
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      console.log(`${error.name}: ${error.message}`);
    }
    try {
      // Deliberately bad input (the second trial has no uid): the cast gets it past the compiler, validation stops it.
      await hub.trials.updateMany({
        experiment_session_id: 's1',
        trials: [{ uid: 'a', score: 0.9 }, { score: 0.8 }],
      } as never);
    } catch (error) {
      console.log(`${(error as Error).name} before sending: ${(error as Error).message}`);
    }
    try {
      await hub.datasetManifests.create({} as never, { validate: 'off' });
    } catch (error) {
      if (!(error instanceof InvalidParamsError)) throw error;
      console.log(`${error.name} from the server: ${error.message}`);
    }

    fake.faults.serverUnavailable({ times: 1 });
    const again = await hub.projects.get(project.id);
    console.log(`a 503 then 200: get(${again.id}) succeeded after a retry`);
    fake.faults.serverUnavailable({ times: 10 });
    try {
      await hub.projects.get(project.id);
    } catch (error) {
      if (!(error instanceof RetryableApiError)) throw error;
      console.log(`503 every time: ${error.name} after ${error.attempts} attempts`);
    }
    fake.faults.clear();
  } finally {
    server.close();
  }
}
