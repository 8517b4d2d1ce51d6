/** An ScClient talking to an in-process SC fake (the fake's `handle` as the client's fetch). */
import { ScClient, type ScClientOptions } from '../../src/index.js';
import { createScFake, type ScFake, type ScFakeOptions } from '../../src/mocks/index.js';

export function fakeClient(fakeOptions: ScFakeOptions = {}, clientOptions: Partial<ScClientOptions> = {}) {
  const fake: ScFake = createScFake({ users: { admin: 'admin-password' }, ...fakeOptions });
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
    fake.handle(new Request(input as RequestInfo, init))) as typeof globalThis.fetch;
  const sc = new ScClient({
    host: 'https://sc.test',
    username: 'admin',
    password: 'admin-password',
    fetch,
    maxRetries: 0,
    validate: 'error',
    ...clientOptions,
  });
  return { fake, sc, fetch };
}
