/**
 * The JSON Schema (draft-07) a registry's `.quilt/workflows/config.yml` must satisfy, as quilt3 checks it before using
 * it (its `config-1.schema.json`, version 1.1.0): `version` and at least one workflow are required, a workflow needs a
 * `name`, schemas need a `url`, and no unknown keys outside `catalog` sections.
 */
const VERSION = { type: 'string', pattern: '^[1-9][0-9]*(\\.(0|[1-9][0-9]*)){0,2}$' } as const;

export const WORKFLOW_CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['version', 'workflows'],
  additionalProperties: false,
  properties: {
    catalog: true,
    version: {
      oneOf: [
        VERSION,
        {
          type: 'object',
          additionalProperties: false,
          required: ['base'],
          properties: { base: VERSION, catalog: VERSION },
        },
      ],
    },
    is_workflow_required: { type: 'boolean' },
    default_workflow: { type: 'string' },
    workflows: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z_-][A-Za-z0-9_-]*$', maxLength: 64 },
      additionalProperties: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          catalog: true,
          name: { type: 'string', minLength: 1 },
          description: { type: 'string', minLength: 1 },
          handle_pattern: { type: 'string' },
          metadata_schema: { type: 'string' },
          entries_schema: { type: 'string' },
          is_message_required: { type: 'boolean' },
        },
      },
    },
    schemas: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        required: ['url'],
        properties: { url: { type: 'string' } },
      },
    },
    successors: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        required: ['title'],
        properties: { title: { type: 'string', minLength: 1 }, copy_data: { type: 'boolean' } },
      },
    },
  },
} as const;

/** The newest config version this library understands (quilt3's `CONFIG_DATA_VERSION`). */
export const SUPPORTED_CONFIG_VERSION: readonly [number, number, number] = [1, 1, 0];
