/**
 * Every operation called through NucleusClient against Prism serving openapi/nucleus.yaml: the request the client
 * builds (path encoding, query, JSON body, basic auth) must be one Prism accepts (else a 422 naming the violation),
 * and Prism's generated answer must pass the client's response validation in `'error'` mode.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  PRISM_STARTUP_TIMEOUT_MS,
  type RunningPrism,
  startPrism,
} from '../../../../tools/mock-server/src/prism.js';
import { operations } from '../../src/generated/index.js';
import { NucleusClient } from '../../src/index.js';
import { examples } from '../fixtures/fact-sheet-examples.js';

interface Op {
  operationId: string;
  pathParams: string[];
  body: boolean;
}
let prism: RunningPrism;
beforeAll(async () => {
  prism = await startPrism('openapi/nucleus.yaml');
}, PRISM_STARTUP_TIMEOUT_MS + 10_000);
afterAll(async () => {
  await prism?.stop();
});

it('calls all 137 operations through the client; Prism accepts every request and the client every answer', {
  timeout: 240_000,
}, async () => {
  const nu = new NucleusClient({
    apiKey: 'contract-key',
    endpoint: prism.url,
    validate: 'error',
    maxRetries: 0,
  });
  const failed: string[] = [];
  let called = 0;
  for (const op of Object.values(operations) as unknown as Op[]) {
    const example = examples.find((e) => e.op === op.operationId);
    const params: Record<string, unknown> = {};
    for (const name of op.pathParams)
      params[name] = name === 'index' || name === 'frame_number' ? 0 : `${name} a/b`;
    const body = example?.body;
    if (op.body && body && typeof body === 'object' && !Array.isArray(body)) Object.assign(params, body);
    try {
      await nu.call(op.operationId, params);
      called += 1;
    } catch (err) {
      const e = err as Error & { status?: number; response?: Response };
      failed.push(`${op.operationId}: ${e.message.slice(0, 300)}`);
    }
  }
  expect(failed).toEqual([]);
  expect(called).toBe(137);
});
