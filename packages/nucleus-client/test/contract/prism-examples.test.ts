/**
 * The spec as another tool reads it: Prism (its own JSON Schema validator) serves openapi/nucleus.yaml, accepts every
 * fact-sheet example request, refuses the bad ones naming the field, and what it generates from each response schema
 * passes the generated zod schema. This catches spec constructs zod and Prism read differently (e.g. `prefixItems`,
 * which Prism ignores).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PRISM_STARTUP_TIMEOUT_MS,
  type RunningPrism,
  startPrism,
} from '../../../../tools/mock-server/src/prism.js';
import { operations } from '../../src/generated/index.js';
import { operationSchemas } from '../../src/generated/zod.js';
import { examples } from '../fixtures/fact-sheet-examples.js';
import type { OperationLike, OperationParts } from '../helpers/schema.js';

const table = operations as unknown as Record<string, OperationLike>;
const parts = operationSchemas as unknown as Record<string, OperationParts>;
let prism: RunningPrism;

beforeAll(async () => {
  prism = await startPrism('openapi/nucleus.yaml');
}, PRISM_STARTUP_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await prism?.stop();
});

async function send(operationId: string, body?: unknown): Promise<Response> {
  const op = table[operationId] as OperationLike;
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    name === 'index' || name === 'frame_number' ? '0' : encodeURIComponent(`${name} a/b`),
  );
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from('key:').toString('base64')}`,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${prism.url}${path}`, {
    method: op.method.toUpperCase(),
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

describe('openapi/nucleus.yaml through Prism', () => {
  it('accepts every fact-sheet example request', { timeout: 180_000 }, async () => {
    const refused: string[] = [];
    for (const example of examples) {
      const response = await send(example.op, example.body);
      await response.arrayBuffer();
      if (response.status >= 400) {
        refused.push(
          `${example.op} (${example.source}): ${response.status} ${response.headers.get('sl-violations')}`,
        );
      }
    }
    expect(refused).toEqual([]);
  });

  it('refuses bad requests and names the field', async () => {
    const box = {
      type: 'box',
      label: 'car',
      reference_id: 'r',
      geometry: { x: 1, y: 2, width: 3, height: 4 },
    };
    const cases: [string, unknown, string][] = [
      [
        'uploadAnnotations',
        { annotations: [{ ...box, geometry: { ...box.geometry, width: '3' } }] },
        'width',
      ],
      ['listJobs', { show_completed: true, limit: 50_001 }, 'limit'],
      ['listDatasetItems', { pageToken: null }, 'pageSize'],
      ['createExternalEvalFunction', { name: 'a b', is_external_function: true, level: 'item' }, 'name'],
      ['removeDatasetTags', { tags: 'prod' }, 'tags'],
    ];
    for (const [operationId, body, field] of cases) {
      const response = await send(operationId, body);
      await response.arrayBuffer();
      expect(response.status, operationId).toBe(422);
      expect(response.headers.get('sl-violations'), operationId).toContain(field);
    }
  });

  it('generates responses the zod schemas accept, for every operation', { timeout: 180_000 }, async () => {
    const rejected: string[] = [];
    let checked = 0;
    for (const [operationId, op] of Object.entries(table)) {
      const example = examples.find((e) => e.op === operationId);
      const response = await send(operationId, example?.body ?? (op.bodyRequired ? {} : undefined));
      const text = await response.text();
      const schema = parts[operationId]?.response;
      if (response.status >= 400 || !schema || text === '') {
        if (response.status >= 400) rejected.push(`${operationId}: status ${response.status}`);
        continue;
      }
      checked += 1;
      const result = schema.safeParse(JSON.parse(text));
      if (!result.success)
        rejected.push(`${operationId}: ${JSON.stringify(result.error?.issues).slice(0, 300)}`);
    }
    expect(rejected).toEqual([]);
    // Every operation answers JSON except the 204-capable evaluationsV2 delete, whose 200 Prism may leave empty.
    expect(checked).toBeGreaterThanOrEqual(136);
  });
});
