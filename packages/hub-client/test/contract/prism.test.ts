/**
 * Contract tests against Prism on openapi/hub.yaml: one call per operation of the spec, through the public
 * HubClient methods, with params built from the spec's own required fields. Each request must pass Prism's request
 * validation (no `sl-violations` header, a 2xx answer), and the client must parse Prism's response (validated
 * against the generated zod schemas: `validate: 'error'`).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeHttpTransport } from '@mlclients/package-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { createHubClient } from '../../src/index.js';
import { allOperationIds, callOperation } from '../helpers/call.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
// biome-ignore lint/suspicious/noExplicitAny: a parsed OpenAPI document
const spec = parse(readFileSync(resolve(repoRoot, 'openapi/hub.yaml'), 'utf8')) as any;
const prismUrl = inject('prismUrl');

type Schema = Record<string, unknown>;

function deref(s: Schema | undefined): Schema {
  let cur = s ?? {};
  while (typeof cur.$ref === 'string')
    cur = spec.components.schemas[(cur.$ref as string).split('/').pop()!] as Schema;
  return cur;
}

/** A minimal valid value for a schema: required properties only, one item per array. */
function sample(s0: Schema | undefined): unknown {
  const s = deref(s0);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (Array.isArray(s.anyOf)) return sample(s.anyOf[0] as Schema);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return 'abc';
    case 'integer':
      return 1;
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    case 'array':
      return [sample(s.items as Schema)];
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const name of (s.required ?? []) as string[]) out[name] = sample(props[name]);
      return out;
    }
    default:
      return 'abc';
  }
}

/** operationId -> {path, method, operation object}. */
const byId = new Map<string, { path: string; op: Record<string, unknown> }>();
for (const [path, item] of Object.entries(
  spec.paths as Record<string, Record<string, Record<string, unknown>>>,
)) {
  for (const op of Object.values(item)) byId.set(op.operationId as string, { path, op });
}

function paramsFor(operationId: string): Record<string, unknown> {
  const { op } = byId.get(operationId)!;
  const params: Record<string, unknown> = {};
  const body = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content?.[
    'application/json'
  ]?.schema;
  Object.assign(params, (sample(body) as Record<string, unknown> | undefined) ?? {});
  for (const p of (op.parameters ?? []) as { name: string; in: string; schema: Schema }[]) {
    if (p.in === 'path') params[p.name] = sample(p.schema);
  }
  if (op['x-pagination']) params.limit = 2;
  return params;
}

/** Prism's verdicts, per request. */
const verdicts: { url: string; status: number; violations: string | null }[] = [];
function record(res: Response): Response {
  verdicts.push({ url: res.url, status: res.status, violations: res.headers.get('sl-violations') });
  return res;
}

const hub = createHubClient({
  baseUrl: prismUrl,
  optimizersUrl: prismUrl,
  projectToken: 'contract-test-token',
  retriesCount: 0,
  validate: 'error',
  fetch: (input, init) => globalThis.fetch(input, init).then(record),
  getWithBody: (req) => nodeHttpTransport(req).then(record),
});

/** The operations the spec marks `x-content-encoding: gzip` (the optimizers service). */
const GZIP_OPS = new Set(
  [...byId].filter(([, { op }]) => op['x-content-encoding'] === 'gzip').map(([id]) => id),
);
const called = new Set<string>();
afterAll(() => {
  console.log(
    `Prism contract: ${called.size}/${allOperationIds.length} operations called, requests accepted, responses parsed`,
  );
});

describe('contract: every operation against Prism', () => {
  it('the spec and the resource table agree on the operations', () => {
    expect([...byId.keys()].sort()).toEqual(allOperationIds);
  });

  it.each(allOperationIds)('%s', async (operationId) => {
    verdicts.length = 0;
    // Prism cannot read gzip request bodies ("Invalid JSON"), so the optimizer calls go uncompressed here; their gzip
    // bodies are proven against the recorded traffic (test/replay) and the fake (test/client.test.ts).
    const options = GZIP_OPS.has(operationId) ? { compressBody: false as const } : undefined;
    const result = await callOperation(hub, operationId, paramsFor(operationId), options);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]!.violations).toBeNull();
    expect(verdicts[0]!.status).toBe(200);
    if (operationId === 'getProjectLogs') expect(typeof result).toBe('string');
    else expect(result).toBeDefined();
    called.add(operationId);
  });

  it('Prism rejects what the spec forbids (the check above has teeth)', async () => {
    verdicts.length = 0;
    await expect(hub.datasetManifests.create({} as never, { validate: 'off' })).rejects.toMatchObject({
      status: 400,
    });
    expect(verdicts[0]!.violations).toContain('required');
    // ...and reads GET bodies too (the Hub's GETs carry theirs in the body).
    verdicts.length = 0;
    await expect(
      hub.status.get({ object: 'User' as never, id: 1 }, { validate: 'off' }),
    ).rejects.toMatchObject({
      status: 400,
    });
    expect(verdicts[0]!.violations).toContain('object');
  });
});
