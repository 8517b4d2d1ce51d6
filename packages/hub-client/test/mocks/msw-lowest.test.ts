/**
 * The fake under the lowest msw the peer ranges allow (`^2.13`: msw 2.13.0, installed as the `msw-lowest` alias).
 * Every import of `msw` and `msw/node` in this file's graph (package-core's engine and fail-loud server included)
 * is the old version, so a regression in how an older msw hands GET bodies to the fake (the 401s of msw 2.10-2.12)
 * fails here.
 */
import { describe, expect, it, vi } from 'vitest';
import { useHubFake } from '../helpers/fake-server.js';
import { regressionScenarios } from './regressions.js';
import { fakeScenarios, TOKEN } from './scenarios.js';

vi.mock('msw', async () => await import('msw-lowest'));
vi.mock('msw/node', async () => await import('msw-lowest/node'));

describe('msw under test', () => {
  it('is the lowest allowed version', async () => {
    const { readFile } = await import('node:fs/promises');
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const lowest = JSON.parse(await readFile(require.resolve('msw-lowest/package.json'), 'utf8')) as {
      version: string;
    };
    expect(lowest.version).toBe('2.13.0');
    expect((await import('msw')).http).toBe((await import('msw-lowest')).http);
  });
});

const env = useHubFake({
  baseUrl: 'http://hub.lowest.test',
  optimizersUrl: 'http://optimizers.lowest.test',
  tokens: [TOKEN],
});
fakeScenarios(env);
regressionScenarios(env);
