/**
 * Hub: error handling. Every client throws the same classes (from @mlclients/package-core, re-exported by each
 * client): bad input is refused before anything is sent, with the field named; a 404 is a `NotFoundError`; a server
 * that keeps failing ends in a `RetryableApiError` that says how many attempts were made. Catch the family you can
 * handle (`ApiError`, `ClientError`) or one class.
 */
import {
  ApiError,
  HubClient,
  MissingParamError,
  NotFoundError,
  RetryableApiError,
} from '@mlclients/hub-client';
import { runAsProgram } from './support/run.js';
import type { Services } from './support/services.js';

export async function hubErrors({ hub: server }: Services): Promise<string> {
  const hub = new HubClient({
    baseUrl: server.url,
    projectToken: 'example-project-token',
    retryWaitSeconds: 0.01,
    logLevel: 'off', // the last case logs its retries at 'warn' otherwise
  });
  const seen: string[] = [];

  try {
    // The second trial has no uid. The cast gets it past the compiler; validation still stops it.
    await hub.trials.updateMany({
      experiment_session_id: 's1',
      trials: [{ uid: 'a', score: 0.9 }, { score: 0.8 }],
    } as never);
  } catch (error) {
    if (!(error instanceof MissingParamError)) throw error;
    seen.push(`${error.name} (nothing sent)`);
  }

  try {
    await hub.projects.get(987654);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    seen.push(`${error.name} ${error.status}`);
  }

  await fetch(`${server.url}/_mock/faults`, {
    method: 'POST',
    body: JSON.stringify({ status: 503, times: 10 }),
  });
  try {
    await hub.projects.list();
  } catch (error) {
    if (!(error instanceof RetryableApiError)) throw error;
    // Every ApiError carries the status, the server's body, the request id and the attempts.
    seen.push(`${error.name} ${error.status} after ${error.attempts} attempts`);
    if (!(error instanceof ApiError)) throw new Error('RetryableApiError is an ApiError');
  } finally {
    await fetch(`${server.url}/_mock/faults`, { method: 'DELETE' });
  }
  return `errors: ${seen.join('; ')}`;
}

await runAsProgram(import.meta.url, hubErrors);
