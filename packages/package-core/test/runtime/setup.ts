/** One fail-loud MSW server per test file. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { installFakeServer } from '../../src/testing/index.js';
import { makeFake } from './helpers.js';

export function useFake(counts?: Parameters<typeof makeFake>[0]) {
  const fake = makeFake(counts);
  const server = installFakeServer({ beforeAll, afterEach, afterAll }, ...fake.handlers);
  return { ...fake, server };
}
