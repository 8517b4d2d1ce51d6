/**
 * Registry workflows (`.quilt/workflows/config.yml`) against what quilt3 8.0.0 did with the same config
 * (test/fixtures/quilt3-parity: refusals, and the `workflow` header bytes), plus the checks quilt3 makes that the
 * fixture does not exercise (handle_pattern, entries_schema, invalid configs, $ref).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowConfigError, WorkflowValidationError } from '../src/errors.js';
import { writeManifest } from '../src/manifest-format.js';
import { PackageBuilder } from '../src/package-builder.js';
import { PackageRegistry } from '../src/registry.js';
import { runCli } from './cli/run-cli.js';
import { tempDir, writeTree } from './helpers.js';
import { parity } from './parity-fixtures.js';
import { registryTargets } from './targets.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
beforeAll(async () => {
  work = await tempDir('dp-workflows-');
  process.env.MLC_DATAPKG_CACHE_DIR = join(work.path, 'cache');
});
afterAll(async () => {
  await work.cleanup();
});

/** A local registry holding `config` (with `@@REGISTRY@@` replaced by its path) and schema files. */
async function registryWith(config: string, schemas: Record<string, unknown> = {}) {
  const dir = join(work.path, `registry-${n++}`);
  await mkdir(join(dir, '.quilt/workflows'), { recursive: true });
  await writeFile(join(dir, '.quilt/workflows/config.yml'), config.replaceAll('@@REGISTRY@@', dir));
  for (const [name, schema] of Object.entries(schemas))
    await writeFile(join(dir, '.quilt/workflows', name), JSON.stringify(schema));
  return { dir, registry: await PackageRegistry.open(pathToFileURL(dir).href) };
}

const QUILT3_CONFIG = `version: "1"
is_workflow_required: false
default_workflow: needs-message
workflows:
  needs-message:
    name: Needs a message
    is_message_required: true
    metadata_schema: top
schemas:
  top:
    url: file://@@REGISTRY@@/.quilt/workflows/top.schema.json
`;
const TOP_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['owner'],
  properties: { owner: { type: 'string' } },
};

describe('workflows as quilt3 applies them', () => {
  it('refuses a push without a message when the workflow requires one (quilt3: WorkflowValidationError)', async () => {
    const { registry } = await registryWith(QUILT3_CONFIG, { 'top.schema.json': TOP_SCHEMA });
    const expected = parity.workflows['no-message'];
    expect(expected).toMatchObject({ error: 'WorkflowValidationError' });
    const builder = new PackageBuilder({ meta: { owner: 'me' } });
    await expect(builder.pushManifest(registry, 'team/wf')).rejects.toThrow(WorkflowValidationError);
    await expect(builder.pushManifest(registry, 'team/wf')).rejects.toThrow(
      (expected as { message: string }).message,
    );
    expect(await registry.listPackages()).toEqual([]);
  });

  it('refuses metadata the schema rejects, naming the field', async () => {
    const { registry } = await registryWith(QUILT3_CONFIG, { 'top.schema.json': TOP_SCHEMA });
    expect(parity.workflows['bad-meta']).toMatchObject({ error: 'WorkflowValidationError' });
    const builder = new PackageBuilder({ meta: { owner: 1 } });
    await expect(builder.pushManifest(registry, 'team/wf', { message: 'msg' })).rejects.toThrow(
      /Metadata failed validation: \/owner must be string/,
    );
  });

  it('writes the workflow header quilt3 writes, byte for byte', async () => {
    const { dir, registry } = await registryWith(QUILT3_CONFIG, { 'top.schema.json': TOP_SCHEMA });
    const expected = parity.workflows.ok as { manifest: string };
    const pkg = await new PackageBuilder({ meta: { owner: 'me' } }).pushManifest(registry, 'team/wf', {
      message: 'msg',
    });
    expect(pkg.manifestText()).toBe(expected.manifest.replaceAll('@@REGISTRY@@', dir));
  });

  it("workflow null (CLI --workflow '') skips validation but still records the config, as quilt3", async () => {
    const { dir, registry } = await registryWith(QUILT3_CONFIG, { 'top.schema.json': TOP_SCHEMA });
    const expected = parity.workflows['no-workflow'] as { manifest: string };
    const pkg = await new PackageBuilder({ meta: { owner: 1 } }).pushManifest(registry, 'team/wf', {
      workflow: null,
    });
    expect(pkg.manifestText()).toBe(expected.manifest.replaceAll('@@REGISTRY@@', dir));
  });

  it('without a config the header is dropped, and asking for a workflow fails', async () => {
    const dir = join(work.path, `plain-${n++}`);
    const registry = await PackageRegistry.open(pathToFileURL(dir).href);
    const builder = new PackageBuilder();
    const manifest = builder.manifest();
    manifest.header.set('workflow', new Map([['id', 'old']]));
    const loaded = PackageBuilder.fromManifest(manifest);
    const pkg = await loaded.pushManifest(registry, 'team/plain');
    expect(pkg.manifestText()).toBe('{"version": "v0", "message": null}\n');
    await expect(
      new PackageBuilder().pushManifest(registry, 'team/other', { workflow: 'x' }),
    ).rejects.toThrow(WorkflowConfigError);
  });

  it('checks handle_pattern and entries_schema; a required workflow must be chosen', async () => {
    const config = `version: "1.1"
workflows:
  labelled:
    name: Labelled
    handle_pattern: ^team/
    entries_schema: entries
schemas:
  entries:
    url: file://@@REGISTRY@@/.quilt/workflows/entries.json
`;
    const entries = {
      type: 'array',
      items: { type: 'object', properties: { meta: { type: 'object', required: ['label'] } } },
    };
    const { registry } = await registryWith(config, { 'entries.json': entries });
    const files = join(work.path, `files-${n++}`);
    await writeTree(files, { 'a.txt': 'a' });
    const builder = new PackageBuilder().set('a.txt', join(files, 'a.txt'));
    const allow = { allowLocalFiles: true };
    await expect(builder.pushManifest(registry, 'team/x', allow)).rejects.toThrow(
      'Workflow required, but none specified.',
    );
    await expect(builder.pushManifest(registry, 'team/x', { ...allow, workflow: 'nope' })).rejects.toThrow(
      "There is no 'nope' workflow in config.",
    );
    await expect(
      builder.pushManifest(registry, 'other/x', { ...allow, workflow: 'labelled' }),
    ).rejects.toThrow(/doesn't match required pattern/);
    await expect(
      builder.pushManifest(registry, 'team/x', { ...allow, workflow: 'labelled' }),
    ).rejects.toThrow(/Package entries failed validation: \/0\/meta must have required property 'label'/);
    builder.setMeta('a.txt', { label: 'cat' });
    const pkg = await builder.pushManifest(registry, 'team/x', { ...allow, workflow: 'labelled' });
    const header = JSON.parse(pkg.manifestText().split('\n')[0] as string);
    expect(header.workflow.id).toBe('labelled');
    expect(Object.keys(header.workflow.schemas)).toEqual(['entries']);
  });

  it('refuses an invalid config, an unsupported version and schemas with $ref, naming the problem', async () => {
    const noWorkflows = await registryWith('version: "1"\n');
    await expect(new PackageBuilder().pushManifest(noWorkflows.registry, 'team/a')).rejects.toThrow(
      /config.yml failed validation: \(root\) must have required property 'workflows'/,
    );
    const future = await registryWith('version: "2"\nworkflows:\n  w:\n    name: W\n');
    await expect(new PackageBuilder().pushManifest(future.registry, 'team/a')).rejects.toThrow(
      "version '2' is not supported",
    );
    const withRef = await registryWith(
      'version: "1"\ndefault_workflow: w\nworkflows:\n  w:\n    name: W\n    metadata_schema: s\nschemas:\n  s:\n    url: file://@@REGISTRY@@/.quilt/workflows/s.json\n',
      { 's.json': { properties: { a: { $ref: '#/definitions/x' } } } },
    );
    await expect(new PackageBuilder().pushManifest(withRef.registry, 'team/a')).rejects.toThrow(
      /\$ref is not supported/,
    );
    const badYaml = await registryWith('version: [\n');
    await expect(new PackageBuilder().pushManifest(badYaml.registry, 'team/a')).rejects.toThrow(
      WorkflowConfigError,
    );
  });

  it('datapkg push: refused without --message, accepted with one; --workflow "" skips', async () => {
    const { dir } = await registryWith(QUILT3_CONFIG, { 'top.schema.json': TOP_SCHEMA });
    const data = join(work.path, `cli-data-${n++}`);
    await writeTree(data, { 'a.txt': 'a' });
    const env = { MLC_DATAPKG_CACHE_DIR: join(work.path, 'cache') };
    const base = ['push', 'team/cli', '--dir', data, '--registry', dir, '--meta', '{"owner": "me"}'];
    const refused = await runCli(base, env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Commit message is required by workflow, but none was provided.');
    const accepted = await runCli(['--json', ...base, '--message', 'first'], env);
    expect(accepted.code, accepted.stderr).toBe(0);
    const skipped = await runCli([...base, '--workflow', '', '--meta', '{"owner": 2}', '--force'], env);
    expect(skipped.code, skipped.stderr).toBe(0);
    const registry = await PackageRegistry.open(dir);
    const latest = await registry.fetchManifest(await registry.resolveTopHash('team/cli'));
    expect(writeManifest(latest).split('\n')[0]).toContain('"workflow": {"id": null, "config": ');
  }, 120_000);
});

describe.each(registryTargets())('workflow config on the $name registry', (target) => {
  it('records where the config and schema were read (S3: pinned by versionId)', async () => {
    const open = await target.open();
    try {
      const { registry } = open;
      const configKey = '.quilt/workflows/config.yml';
      const schemaKey = '.quilt/workflows/top.schema.json';
      await registry.store.put(schemaKey, JSON.stringify(TOP_SCHEMA));
      const config = QUILT3_CONFIG.replace(/url: .*/, `url: ${registry.physicalKeyOf(schemaKey)}`);
      await registry.store.put(configKey, config);
      const builder = new PackageBuilder({ meta: { owner: 'me' } });
      await expect(builder.pushManifest(registry, 'team/wf')).rejects.toThrow(WorkflowValidationError);
      const pkg = await builder.pushManifest(registry, 'team/wf', { message: 'm' });
      const header = JSON.parse(pkg.manifestText().split('\n')[0] as string);
      expect(header.workflow).toEqual({
        id: 'needs-message',
        config: registry.physicalKeyOf(configKey, (await registry.store.head(configKey))?.versionId),
        schemas: {
          top: registry.physicalKeyOf(schemaKey, (await registry.store.head(schemaKey))?.versionId),
        },
      });
    } finally {
      await open.cleanup();
    }
  });
});
