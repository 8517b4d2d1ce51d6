/**
 * The generated classes: names, the last-path-param-first convention, JSDoc, deprecation, named servers, and the
 * generated code run against a stubbed fetch (the sandbox lives inside the repo so `@mlclients/package-core`
 * resolves to its sources).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pascalCase, singular } from '../src/emit-classes.js';
import { generateTarget } from '../src/generate.js';
import { parseSpec } from '../src/load-spec.js';
import { buildModel } from '../src/spec-model.js';
import { codegenRoot, makeSandbox, runCodegen } from './helpers.js';

/** The mini spec plus what it lacks: a nested resource, a deprecated one, summaries and a named server. */
async function extendedSpec(): Promise<string> {
  const mini = await readFile(path.join(codegenRoot, 'test/fixtures/mini.yaml'), 'utf8');
  return mini
    .replace(
      'x-resources:\n',
      `x-resources:
  widget_parts: { item: Part }
  old_things: { deprecated: true, description: "Going away" }
  scores: {}
`,
    )
    .replace(
      'paths:\n',
      `paths:
  /widgets/{widget_id}/parts/{part_id}:
    parameters:
      - { name: widget_id, in: path, required: true, schema: { type: string } }
      - { name: part_id, in: path, required: true, schema: { type: integer } }
    get:
      operationId: getWidgetPart
      x-resource: widget_parts
      x-operation: get
      summary: Get one part
      description: "Parts are nested under widgets. A */ in a description stays inside the comment."
      x-path-params-in-body: [widget_id]
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Part" } } } }
  /old:
    get:
      operationId: listOldThings
      x-resource: old_things
      x-operation: list
      deprecated: true
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object } } } }
  /score:
    post:
      operationId: computeScore
      x-resource: scores
      x-operation: compute
      servers:
        - { url: "http://localhost:7777", x-server-name: scorer }
      x-content-encoding: gzip
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [values], properties: { values: { type: array, items: { type: number } } } } } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object, properties: { score: { type: number } } } } } }
`,
    );
}

describe('names', () => {
  it.each([
    ['experiment_sessions', 'ExperimentSession'],
    ['cluster_statuses', 'ClusterStatus'],
    ['trial_searches', 'TrialSearch'],
    ['status', 'Status'],
    ['similar_trials_requests', 'SimilarTrialsRequest'],
    ['dataset_items', 'DatasetItem'],
    ['slice_data', 'SliceData'],
    ['boxes', 'Box'],
    ['categories', 'Category'],
  ])('singular(%s) = %s', (name, expected) => {
    expect(singular(name)).toBe(expected);
  });

  it('pascalCase', () => {
    expect(pascalCase('pod_logs')).toBe('PodLogs');
    expect(pascalCase('package-core-test')).toBe('PackageCoreTest');
  });
});

describe('generated resource classes', () => {
  let files: Map<string, string>;
  let root: string;
  let out: string;

  beforeAll(async () => {
    root = await makeSandbox();
    await writeFile(path.join(root, 'openapi/mini.yaml'), await extendedSpec());
    files = await generateTarget(root, {
      name: 'mini',
      spec: 'openapi/mini.yaml',
      out: 'packages/mini-client/src/generated',
    });
    // Inside the repo, so the generated imports resolve like a real client package's.
    out = await mkdtemp(path.join(codegenRoot, 'test/.generated-'));
    for (const [file, text] of files) {
      await mkdir(path.dirname(path.join(out, file)), { recursive: true });
      await writeFile(path.join(out, file), text);
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('writes one file per resource, an index and the client', () => {
    expect([...files.keys()].filter((f) => f.startsWith('resources/')).sort()).toEqual([
      'resources/index.ts',
      'resources/node-trees.ts',
      'resources/old-things.ts',
      'resources/scores.ts',
      'resources/widget-parts.ts',
      'resources/widgets.ts',
    ]);
    const client = files.get('client.ts') ?? '';
    expect(client).toContain(
      'export class GeneratedMiniClient<O extends object = ClientOptions> extends BaseClient<O>',
    );
    expect(client).toContain('readonly nodeTrees: NodeTrees = new NodeTrees(this);');
    expect(client).toContain('readonly widgetParts: WidgetParts = new WidgetParts(this);');
    expect(files.get('index.ts')).toContain("export { GeneratedMiniClient } from './client.js';");
  });

  it('names the types after the resource and takes the last path parameter first', () => {
    const widgets = files.get('resources/widgets.ts') ?? '';
    expect(widgets).toContain('export type Widget = components[\'schemas\']["Widget"];');
    expect(widgets).toContain('export type WidgetListParams = ParamsOf<Ops["listWidgets"]>;');
    expect(widgets).toContain(
      'export type WidgetGetParams = DistributiveOmit<ParamsOf<Ops["getWidget"]>, "widget_id">;',
    );
    expect(widgets).toMatch(/ {2}create\(params: WidgetCreateParams, options\?: RequestOptions\)/);
    expect(widgets).toMatch(
      / {2}log\(widgetId: IdOf<Ops\["getWidgetLog"\], "widget_id">, params\?: WidgetLogParams/,
    );
    expect(widgets).toMatch(
      / {2}iterate\(params\?: WidgetListParams, options\?: RequestOptions & IterateOptions\)/,
    );
    const parts = files.get('resources/widget-parts.ts') ?? '';
    expect(parts).toMatch(
      / {2}get\(partId: IdOf<Ops\["getWidgetPart"\], "part_id">, params: WidgetPartGetParams/,
    );
  });

  it('carries the spec text as JSDoc, safely, and marks deprecations', () => {
    const parts = files.get('resources/widget-parts.ts') ?? '';
    expect(parts).toContain(
      '   * Get one part\n   *\n   * Parts are nested under widgets. A *\\/ in a description',
    );
    expect(parts).toContain('`GET /widgets/{widget_id}/parts/{part_id}` (`getWidgetPart`)');
    const old = files.get('resources/old-things.ts') ?? '';
    expect(old).toContain(' * Going away\n *\n * @deprecated');
    expect(old).toContain('this._warnDeprecated("oldThings");');
  });

  it('puts the named server and the extensions in the table', async () => {
    const { operations } = (await import(path.join(out, 'resources.ts'))) as {
      operations: Record<string, Record<string, unknown>>;
    };
    expect(operations.computeScore).toMatchObject({
      servers: ['http://localhost:7777'],
      server: 'scorer',
      extensions: { 'content-encoding': 'gzip' },
    });
    // The literal types say the same (the runtime indexes `paths` with them).
    expect(files.get('resources.ts')).toMatch(/computeScore: \{[^\n]*readonly server: "scorer";/);
  });

  it('runs: ids first, nested params in the path, named server, envelope unwrapped, deprecation warned once', async () => {
    const { GeneratedMiniClient } = (await import(path.join(out, 'index.ts'))) as {
      GeneratedMiniClient: new (
        o: object,
      ) => Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;
    };
    const seen: { method: string; url: string; body: string | undefined }[] = [];
    const fetch = async (url: string, init: RequestInit) => {
      seen.push({
        method: String(init.method),
        url,
        body: typeof init.body === 'string' ? init.body : undefined,
      });
      if (url.endsWith('/log'))
        return new Response('log text', { headers: { 'content-type': 'text/plain' } });
      return Response.json({ data: { id: 1, name: 'w' } });
    };
    // x-path-params-in-body gives the nested GET a body: it goes through the GET-with-body transport.
    const getWithBody = async (req: {
      method: string;
      url: string;
      body: string | Uint8Array | undefined;
    }) => {
      seen.push({ method: req.method, url: req.url, body: String(req.body) });
      return Response.json({ data: 'part' });
    };
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m), error() {}, info() {}, debug() {} };
    const client = new GeneratedMiniClient({
      baseUrl: 'https://mini.test/v1',
      servers: { scorer: 'https://scorer.test' },
      fetch,
      getWithBody,
      logger,
      logLevel: 'warn',
      validate: 'off',
    });
    expect(await client.widgets!.get!('a b')).toEqual({ id: 1, name: 'w' });
    expect(await client.widgets!.log!('w1')).toBe('log text');
    expect(await client.widgetParts!.get!(7, { widget_id: 'w9' })).toBe('part');
    await client.scores!.compute!({ values: [1] });
    await client.oldThings!.list!();
    await client.oldThings!.list!();
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET https://mini.test/v1/widgets/a%20b',
      'GET https://mini.test/v1/widgets/w1/log',
      'GET https://mini.test/v1/widgets/w9/parts/7',
      'POST https://scorer.test/score',
      'GET https://mini.test/v1/old',
      'GET https://mini.test/v1/old',
    ]);
    expect(seen[2]?.body).toBe('{"widget_id":"w9"}');
    expect(warnings).toEqual(['`oldThings` is deprecated by the API and may be removed']);
  });
});

describe('npm run generate with nested output', () => {
  it('removes a resource file no spec generates any more, and --check names it first', async () => {
    const root = await makeSandbox();
    try {
      expect((await runCodegen(root)).code).toBe(0);
      const stray = path.join(root, 'packages/mini-client/src/generated/resources/gone.ts');
      await writeFile(stray, '// left over\n');
      const check = await runCodegen(root, '--check');
      expect(check.code).toBe(1);
      expect(check.stderr).toContain(
        'stale: packages/mini-client/src/generated/resources/gone.ts is not generated',
      );
      const run = await runCodegen(root);
      expect(run.stdout).toContain('removed packages/mini-client/src/generated/resources/gone.ts');
      await expect(readFile(stray, 'utf8')).rejects.toThrow();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('x-server-name', () => {
  const spec = (servers: string) => `openapi: 3.1.0
info: { title: t, version: "1" }
paths:
  /a:
    post:
      operationId: doA
      servers:
${servers}
      responses: { "200": { description: ok } }
`;

  it('refuses two names on one operation, and a name that is not camelCase, with the line', () => {
    const two = spec(
      '        - { url: "http://a", x-server-name: one }\n        - { url: "http://b", x-server-name: two }',
    );
    expect(() => buildModel(parseSpec('t.yaml', two))).toThrow(
      /^t\.yaml:8:9: the servers of one operation must share one x-server-name/,
    );
    const snake = spec('        - { url: "http://a", x-server-name: my_server }');
    expect(() => buildModel(parseSpec('t.yaml', snake))).toThrow(/x-server-name must be a camelCase name/);
  });
});
