/**
 * Registry workflows, as quilt3 applies them on build/push (`quilt3/workflows`): a registry may hold
 * `.quilt/workflows/config.yml` (YAML, checked against workflow-config-schema.ts with ajv). A push then picks a workflow
 * (the one asked for, else `default_workflow`, else none, which `is_workflow_required` (default true) refuses), checks
 * the commit message, the package name (`handle_pattern`, a regex searched anywhere in the name), the package metadata
 * (`metadata_schema`) and the entries (`entries_schema`, validated against `[{logical_key, size, meta}]`) with JSON
 * Schema draft-07, and writes the `workflow` header `{"id", "config", "schemas"?}` exactly as quilt3 does (the config's
 * and schemas' physical keys, S3 ones with their versionId). Without a config the header is removed, unless a workflow
 * was asked for, which fails.
 */
import { readFile } from 'node:fs/promises';
import { type JsonObject, type JsonValue, toPlainJson } from '@mlclients/package-core/json';
import { BlobNotFoundError, openBlobStore } from '@mlclients/package-core/storage';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { WorkflowConfigError, WorkflowValidationError } from './errors.js';
import type { Manifest } from './manifest.js';
import { formatPhysicalKey, localPhysicalKey, parsePhysicalKey } from './physical-key.js';
import type { PackageRegistry } from './registry.js';
import { SUPPORTED_CONFIG_VERSION, WORKFLOW_CONFIG_SCHEMA } from './workflow-config-schema.js';

/** Where a registry keeps its workflow configuration. */
export const WORKFLOW_CONFIG_KEY = '.quilt/workflows/config.yml';
const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/**
 * Which workflow a push uses: `undefined` means the config's default (quilt3's `...`), `null` means none (the CLI's
 * `--workflow ''`), a string names one.
 */
export type WorkflowChoice = string | null | undefined;

/** One workflow of a registry's `.quilt/workflows/config.yml`: what a push under it must satisfy. */
export interface WorkflowDefinition {
  name: string;
  handle_pattern?: string;
  metadata_schema?: string;
  entries_schema?: string;
  is_message_required?: boolean;
}

/** A registry's workflow configuration (`.quilt/workflows/config.yml`), as quilt3 reads it. */
export interface WorkflowConfigData {
  version: string | { base: string };
  is_workflow_required?: boolean;
  default_workflow?: string;
  workflows: Record<string, WorkflowDefinition>;
  schemas?: Record<string, { url: string }>;
}

/** ajv, loaded on first use: only registries with a workflow config pay for it (the CLI starts without it). */
async function ajv(): Promise<Ajv> {
  const { Ajv } = await import('ajv');
  // quilt3's jsonschema validators do not check `format`; neither do these.
  return new Ajv({ strict: false, validateFormats: false, allErrors: false });
}

function describeError(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'invalid';
  return `${first.instancePath === '' ? '(root)' : first.instancePath} ${first.message ?? 'is invalid'}`;
}

function parseVersion(text: string): [number, number, number] {
  const parts = text.split('.').map(Number);
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

function isSupported(version: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    const supported = SUPPORTED_CONFIG_VERSION[i] as number;
    if ((version[i] as number) !== supported) return (version[i] as number) < supported;
  }
  return true;
}

/** Refuses `$ref` anywhere in a schema, as quilt3 does ("Currently we don't support $ref in schema."). */
function assertNoRef(value: unknown, where: string): void {
  if (Array.isArray(value)) for (const item of value) assertNoRef(item, where);
  else if (value !== null && typeof value === 'object') {
    if (Object.hasOwn(value, '$ref')) throw new WorkflowConfigError(`schema ${where}: $ref is not supported`);
    for (const item of Object.values(value)) assertNoRef(item, where);
  }
}

/** Reads the bytes behind a schema URL and the physical key quilt3 records for it (S3: with its versionId). */
async function loadUrl(url: string): Promise<{ bytes: Uint8Array; physicalKey: string }> {
  const parsed = parsePhysicalKey(url);
  if (parsed.scheme === 'file') {
    return { bytes: await readFile(parsed.path), physicalKey: localPhysicalKey(parsed.path) };
  }
  const store = await openBlobStore(`${parsed.scheme}://${parsed.authority}`);
  const options = parsed.versionId === undefined ? undefined : { versionId: parsed.versionId };
  const bytes = await store.getBytes(parsed.path, options);
  const versionId = parsed.versionId ?? (await store.head(parsed.path))?.versionId;
  return {
    bytes,
    physicalKey: formatPhysicalKey(parsed.scheme, parsed.authority, parsed.path, versionId),
  };
}

/** A registry's workflow configuration, loaded, with the schemas its workflows name compiled. */
export class WorkflowConfig {
  readonly #ajv: Ajv;
  /** Schema id -> compiled validator and the physical key recorded in the header, in load order. */
  readonly #schemas = new Map<string, { validate: ValidateFunction; physicalKey: string }>();

  private constructor(
    readonly config: WorkflowConfigData,
    /** Where the config was read from (recorded as the header's `config`). */
    readonly physicalKey: string,
    validator: Ajv,
  ) {
    this.#ajv = validator;
  }

  /** The registry's workflow config, or undefined when it has none. */
  static async load(registry: PackageRegistry): Promise<WorkflowConfig | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await registry.store.getBytes(WORKFLOW_CONFIG_KEY);
    } catch (error) {
      if (error instanceof BlobNotFoundError) return undefined;
      throw new WorkflowConfigError(`could not load ${WORKFLOW_CONFIG_KEY}: ${(error as Error).message}`);
    }
    const versionId = (await registry.store.head(WORKFLOW_CONFIG_KEY))?.versionId;
    const { parse: parseYaml } = await import('yaml');
    let data: unknown;
    try {
      data = parseYaml(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new WorkflowConfigError(
        `could not parse ${WORKFLOW_CONFIG_KEY} as YAML: ${(error as Error).message}`,
      );
    }
    const validator = await ajv();
    const validate = validator.compile(WORKFLOW_CONFIG_SCHEMA);
    if (!validate(data)) {
      throw new WorkflowConfigError(
        `${WORKFLOW_CONFIG_KEY} failed validation: ${describeError(validate.errors)}`,
      );
    }
    const config = data as WorkflowConfigData;
    const versionText = typeof config.version === 'string' ? config.version : config.version.base;
    if (!isSupported(parseVersion(versionText))) {
      throw new WorkflowConfigError(`${WORKFLOW_CONFIG_KEY}: version '${versionText}' is not supported`);
    }
    return new WorkflowConfig(config, registry.physicalKeyOf(WORKFLOW_CONFIG_KEY, versionId), await ajv());
  }

  private async schema(id: string): Promise<ValidateFunction> {
    const known = this.#schemas.get(id);
    if (known) return known.validate;
    const url = this.config.schemas?.[id]?.url;
    if (url === undefined) throw new WorkflowConfigError(`there is no '${id}' in schemas`);
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) throw new WorkflowConfigError(`couldn't parse URL '${url}'`);
    if (parsePhysicalKey(url).scheme === 'file' && !this.physicalKey.startsWith('file://')) {
      throw new WorkflowConfigError(`local schema '${url}' can't be used on a remote registry`);
    }
    let loaded: { bytes: Uint8Array; physicalKey: string };
    try {
      loaded = await loadUrl(url);
    } catch (error) {
      throw new WorkflowConfigError(`couldn't load schema at ${url}: ${(error as Error).message}`);
    }
    let schema: unknown;
    try {
      schema = JSON.parse(new TextDecoder().decode(loaded.bytes));
    } catch {
      throw new WorkflowConfigError(`couldn't parse ${url} as JSON`);
    }
    assertNoRef(schema, `'${id}'`);
    if (schema !== null && typeof schema === 'object' && '$schema' in schema) {
      const meta = (schema as { $schema: unknown }).$schema;
      if (typeof meta !== 'string') throw new WorkflowConfigError('$schema must be a string');
      if (meta !== DRAFT_07) throw new WorkflowConfigError(`unsupported meta-schema: ${meta}`);
    }
    let validate: ValidateFunction;
    try {
      if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object'))
        throw new Error('a schema must be an object or a boolean');
      validate = this.#ajv.compile(schema as object);
    } catch (error) {
      throw new WorkflowConfigError(`schema '${id}' is not valid: ${(error as Error).message}`);
    }
    this.#schemas.set(id, { validate, physicalKey: loaded.physicalKey });
    return validate;
  }

  /**
   * Checks a package against the chosen workflow and returns the `workflow` header value quilt3 writes.
   * Throws `WorkflowValidationError` naming what failed.
   */
  async validate(params: {
    workflow: WorkflowChoice;
    name: string;
    manifest: Manifest;
    message: string | null | undefined;
  }): Promise<JsonObject> {
    const id = params.workflow === undefined ? (this.config.default_workflow ?? null) : params.workflow;
    let definition: Partial<WorkflowDefinition> = {};
    if (id === null) {
      if (this.config.is_workflow_required ?? true)
        throw new WorkflowValidationError('Workflow required, but none specified.');
    } else {
      const found = Object.hasOwn(this.config.workflows, id) ? this.config.workflows[id] : undefined;
      if (!found) throw new WorkflowValidationError(`There is no '${id}' workflow in config.`);
      definition = found;
    }
    let namePattern: RegExp | undefined;
    if (definition.handle_pattern) {
      try {
        namePattern = new RegExp(definition.handle_pattern);
      } catch (error) {
        throw new WorkflowConfigError(
          `workflow '${id}': handle_pattern is not a valid regex: ${(error as Error).message}`,
        );
      }
    }
    const metadata = definition.metadata_schema ? await this.schema(definition.metadata_schema) : undefined;
    const entries = definition.entries_schema ? await this.schema(definition.entries_schema) : undefined;

    if (definition.is_message_required && !params.message)
      throw new WorkflowValidationError('Commit message is required by workflow, but none was provided.');
    if (namePattern && !namePattern.test(params.name))
      throw new WorkflowValidationError(
        `Package name ${JSON.stringify(params.name)} doesn't match required pattern ${definition.handle_pattern}.`,
      );
    if (metadata) {
      const userMeta = params.manifest.header.get('user_meta');
      if (!metadata(userMeta === undefined ? {} : toPlainJson(userMeta)))
        throw new WorkflowValidationError(`Metadata failed validation: ${describeError(metadata.errors)}.`);
    }
    if (entries) {
      const list = params.manifest.sortedEntries().map((entry) => {
        const userMeta = entry.meta.get('user_meta');
        return {
          logical_key: entry.logicalKey,
          size: entry.size,
          meta: userMeta === undefined ? {} : toPlainJson(userMeta),
        };
      });
      if (!entries(list))
        throw new WorkflowValidationError(
          `Package entries failed validation: ${describeError(entries.errors)}.`,
        );
    }
    const header: JsonObject = new Map<string, JsonValue>([
      ['id', id],
      ['config', this.physicalKey],
    ]);
    if (this.#schemas.size > 0) {
      header.set(
        'schemas',
        new Map<string, JsonValue>([...this.#schemas].map(([schemaId, s]) => [schemaId, s.physicalKey])),
      );
    }
    return header;
  }
}

/**
 * Applies the registry's workflow to `manifest` as quilt3's build/push do: sets the `workflow` header (before
 * `message`, where quilt3 writes it) or removes it when the registry has no config.
 */
export async function applyWorkflow(
  registry: PackageRegistry,
  params: { workflow: WorkflowChoice; name: string; manifest: Manifest; message: string | null | undefined },
): Promise<void> {
  const config = await WorkflowConfig.load(registry);
  const header = params.manifest.header;
  if (!config) {
    if (params.workflow !== undefined) {
      throw new WorkflowConfigError(
        `${params.workflow === null ? 'None' : `'${params.workflow}'`} workflow is specified, but no workflows config exist.`,
      );
    }
    header.delete('workflow');
    return;
  }
  const value = await config.validate(params);
  // quilt3's order for a new header is version, user_meta, workflow, message; an existing key keeps its place.
  if (header.has('workflow') || !header.has('message')) {
    header.set('workflow', value);
    return;
  }
  const message = header.get('message') as JsonValue;
  header.delete('message');
  header.set('workflow', value);
  header.set('message', message);
}
