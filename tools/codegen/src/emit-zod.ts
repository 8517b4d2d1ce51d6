/**
 * JSON Schema (OpenAPI 3.1 dialect) -> zod 4 source code.
 *
 * Why our own emitter: the maintained generators either need Node 22 (@hey-api/openapi-ts) or emit zod 3 code; the
 * subset of JSON Schema our specs use is small, and owning it lets us keep unknown properties (`z.looseObject`) and
 * cycles (`z.lazy`) right. Every construct we do not understand fails generation instead of being silently widened.
 *
 * The code targets `zod/mini` (functions, not methods, so a bundler keeps only what is used: ~5 KB gzip instead of
 * ~25 KB for classic zod), and builds nothing at import: each component and each operation's schemas are built on
 * first use and kept (importing every Hub schema eagerly cost ~100 ms of CPU).
 */
import type { LoadedSpec } from './load-spec.js';
import { isObject, type Json, type JsonObject, mediaKind, type SpecModel } from './spec-model.js';

const SCHEMA_REF = '#/components/schemas/';
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Keywords that only document a schema; they never change what is valid. */
const ANNOTATIONS = new Set([
  'description',
  'title',
  'example',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'format',
  'externalDocs',
  'xml',
  'discriminator',
  '$comment',
  'contentMediaType',
  'contentEncoding',
]);

export class ZodEmitter {
  /** Component names referenced through a cycle, emitted as `z.lazy`. */
  private readonly lazyRefs = new Set<string>();
  private readonly order: string[] = [];

  constructor(
    private readonly spec: LoadedSpec,
    private readonly schemas: Record<string, Json>,
  ) {
    this.sortComponents();
  }

  /** Name of the exported constant for a component schema. */
  static constName(component: string): string {
    const safe = component.replace(/[^A-Za-z0-9_$]/g, '_');
    return `${IDENTIFIER.test(safe) ? safe : `_${safe}`}Schema`;
  }

  /**
   * One `const <Name>Schema = lazily(() => ...)` per component, in dependency order; a reference is a call
   * (`<Name>Schema()`), so building one schema builds only what it uses.
   */
  componentDeclarations(): string[] {
    return this.order.map((name) => {
      const code = this.emit(this.schemas[name] ?? {}, ['components', 'schemas', name]);
      // A schema that refers to itself needs its type spelled out, or TypeScript infers `any` for the cycle.
      const annotation = this.lazyRefs.has(name)
        ? `: () => z.ZodMiniType<components['schemas'][${JSON.stringify(name)}]>`
        : '';
      return `const ${ZodEmitter.constName(name)}${annotation} = lazily(() => ${code});`;
    });
  }

  /** zod code for one schema; `pointer` is where it sits in the spec, for error messages. */
  emit(schema: Json, pointer: (string | number)[]): string {
    if (
      schema === true ||
      (isObject(schema) && Object.keys(schema).every((k) => ANNOTATIONS.has(k) || k.startsWith('x-')))
    ) {
      return 'z.unknown()';
    }
    if (schema === false) return 'z.never()';
    if (!isObject(schema)) this.spec.fail(pointer, 'a schema must be an object or a boolean');

    const known = new Set([
      ...ANNOTATIONS,
      '$ref',
      'type',
      'enum',
      'const',
      'nullable',
      'properties',
      'required',
      'additionalProperties',
      'items',
      'prefixItems',
      'minItems',
      'maxItems',
      'uniqueItems',
      'oneOf',
      'anyOf',
      'allOf',
      'minLength',
      'maxLength',
      'pattern',
      'minimum',
      'maximum',
      'exclusiveMinimum',
      'exclusiveMaximum',
      'multipleOf',
      'minProperties',
      'maxProperties',
      'patternProperties',
      'propertyNames',
    ]);
    for (const key of Object.keys(schema)) {
      if (!known.has(key) && !key.startsWith('x-')) {
        this.spec.fail([...pointer, key], `codegen does not support the JSON Schema keyword "${key}"`);
      }
    }

    const code = this.emitCore(schema, pointer);
    return schema.nullable === true ? nullable(code) : code;
  }

  private emitCore(schema: JsonObject, pointer: (string | number)[]): string {
    if (typeof schema.$ref === 'string') {
      if (!schema.$ref.startsWith(SCHEMA_REF)) {
        this.spec.fail([...pointer, '$ref'], `a schema $ref must point into ${SCHEMA_REF}`);
      }
      const name = schema.$ref.slice(SCHEMA_REF.length);
      const target = `${ZodEmitter.constName(name)}()`;
      // Back edges of a cycle stay deferred: building the schema must not call its own builder again.
      const ref = this.lazyRefs.has(name) ? `z.lazy(() => ${target})` : target;
      const siblings = Object.keys(schema).filter(
        (k) => k !== '$ref' && !ANNOTATIONS.has(k) && !k.startsWith('x-'),
      );
      if (siblings.length === 0) return ref;
      const { $ref: _ignored, ...rest } = schema;
      return `z.intersection(${ref}, ${this.emit(rest, pointer)})`;
    }
    if (Array.isArray(schema.allOf)) {
      const { allOf, ...rest } = schema;
      const parts = allOf.map((s, i) => this.emit(s, [...pointer, 'allOf', i]));
      if (hasConstraints(rest)) parts.push(this.emit(rest, pointer));
      return parts.reduce((acc, part) => `z.intersection(${acc}, ${part})`);
    }
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const options = schema[keyword];
      if (Array.isArray(options)) {
        const { [keyword]: _options, ...rest } = schema;
        // `oneOf: [X, {type: null}]` is "X or null": emitted as nullable(X), so a bad field inside X is reported
        // as itself rather than as a union that matched no branch.
        const branches = options.map((s, i) => ({ s, i })).filter(({ s }) => !isNullSchema(s));
        const emitted = branches.map(({ s, i }) => this.emit(s, [...pointer, keyword, i]));
        let union =
          emitted.length === 0
            ? 'z.null()'
            : emitted.length === 1
              ? (emitted[0] as string)
              : `z.union([${emitted.join(', ')}])`;
        if (branches.length > 0 && branches.length < options.length) union = nullable(union);
        return hasConstraints(rest) ? `z.intersection(${union}, ${this.emit(rest, pointer)})` : union;
      }
    }
    if (schema.const !== undefined) return `z.literal(${literal(schema.const)})`;
    if (Array.isArray(schema.enum)) return this.emitEnum(schema.enum, pointer);

    const types =
      typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
    if (types.length === 0) {
      // No `type`: infer from the keywords present, as JSON Schema validators do per keyword.
      if (schema.properties || schema.additionalProperties !== undefined)
        return this.emitObject(schema, pointer);
      if (schema.items) return this.emitArray(schema, pointer);
      return 'z.unknown()';
    }
    const nonNull = types.filter((t) => t !== 'null');
    const variants = nonNull.map((type) => this.emitType(String(type), schema, pointer));
    let code =
      variants.length === 0
        ? 'z.null()'
        : variants.length === 1
          ? (variants[0] as string)
          : `z.union([${variants.join(', ')}])`;
    if (nonNull.length > 0 && nonNull.length < types.length) code = nullable(code);
    return code;
  }

  private emitType(type: string, schema: JsonObject, pointer: (string | number)[]): string {
    switch (type) {
      case 'string': {
        const checks: string[] = [];
        if (typeof schema.minLength === 'number') checks.push(`z.minLength(${schema.minLength})`);
        if (typeof schema.maxLength === 'number') checks.push(`z.maxLength(${schema.maxLength})`);
        if (typeof schema.pattern === 'string')
          checks.push(`z.regex(new RegExp(${JSON.stringify(schema.pattern)}))`);
        return withChecks('z.string()', checks);
      }
      case 'integer':
      case 'number': {
        const checks: string[] = [];
        if (typeof schema.minimum === 'number') checks.push(`z.gte(${schema.minimum})`);
        if (typeof schema.maximum === 'number') checks.push(`z.lte(${schema.maximum})`);
        if (typeof schema.exclusiveMinimum === 'number') checks.push(`z.gt(${schema.exclusiveMinimum})`);
        if (typeof schema.exclusiveMaximum === 'number') checks.push(`z.lt(${schema.exclusiveMaximum})`);
        if (typeof schema.multipleOf === 'number') checks.push(`z.multipleOf(${schema.multipleOf})`);
        return withChecks(type === 'integer' ? 'z.int()' : 'z.number()', checks);
      }
      case 'boolean':
        return 'z.boolean()';
      case 'object':
        return this.emitObject(schema, pointer);
      case 'array':
        return this.emitArray(schema, pointer);
      default:
        this.spec.fail([...pointer, 'type'], `unknown type "${type}"`);
    }
  }

  private emitObject(schema: JsonObject, pointer: (string | number)[]): string {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const fields = Object.entries(properties).map(([key, value]) => {
      const code = this.emit(value, [...pointer, 'properties', key]);
      return `${propertyKey(key)}: ${required.has(key) ? code : `z.optional(${code})`}`;
    });
    const additional = schema.additionalProperties;
    if (fields.length === 0 && isObject(additional)) {
      return `z.record(z.string(), ${this.emit(additional, [...pointer, 'additionalProperties'])})`;
    }
    const shape = fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
    if (additional === false) return `z.strictObject(${shape})`;
    if (isObject(additional) && Object.keys(additional).length > 0) {
      return `z.catchall(z.object(${shape}), ${this.emit(additional, [...pointer, 'additionalProperties'])})`;
    }
    // Unknown properties pass through: the services add fields faster than specs follow.
    return `z.looseObject(${shape})`;
  }

  private emitArray(schema: JsonObject, pointer: (string | number)[]): string {
    if (Array.isArray(schema.prefixItems)) {
      const items = schema.prefixItems.map((s, i) => this.emit(s, [...pointer, 'prefixItems', i]));
      const rest =
        schema.items === false || schema.items === undefined
          ? ''
          : `, ${this.emit(schema.items, [...pointer, 'items'])}`;
      return `z.tuple([${items.join(', ')}]${rest})`;
    }
    const checks: string[] = [];
    if (typeof schema.minItems === 'number') checks.push(`z.minLength(${schema.minItems})`);
    if (typeof schema.maxItems === 'number') checks.push(`z.maxLength(${schema.maxItems})`);
    return withChecks(`z.array(${this.emit(schema.items ?? {}, [...pointer, 'items'])})`, checks);
  }

  private emitEnum(values: Json[], pointer: (string | number)[]): string {
    if (values.length === 0) this.spec.fail([...pointer, 'enum'], 'enum must list at least one value');
    if (values.every((v) => typeof v === 'string')) return `z.enum([${values.map(literal).join(', ')}])`;
    if (values.length === 1) return `z.literal(${literal(values[0] ?? null)})`;
    return `z.union([${values.map((v) => (v === null ? 'z.null()' : `z.literal(${literal(v)})`)).join(', ')}])`;
  }

  /** Depth-first order so each constant is declared before use; back edges (cycles) become lazy. */
  private sortComponents(): void {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string) => {
      const current = state.get(name);
      if (current === 'done') return;
      if (current === 'visiting') {
        this.lazyRefs.add(name);
        return;
      }
      state.set(name, 'visiting');
      for (const ref of collectRefs(this.schemas[name] ?? {})) {
        if (ref in this.schemas) visit(ref);
      }
      state.set(name, 'done');
      this.order.push(name);
    };
    for (const name of Object.keys(this.schemas).sort()) visit(name);
  }
}

function collectRefs(node: Json): string[] {
  if (Array.isArray(node)) return node.flatMap(collectRefs);
  if (!isObject(node)) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_REF)
      ? [value.slice(SCHEMA_REF.length)]
      : collectRefs(value),
  );
}

/** `{type: 'null'}`, `{const: null}`, `{enum: [null]}`: a branch that only admits null. */
function isNullSchema(schema: Json): boolean {
  if (!isObject(schema)) return false;
  const constraints = Object.keys(schema).filter((k) => !ANNOTATIONS.has(k) && !k.startsWith('x-'));
  if (constraints.length !== 1) return false;
  const type = schema.type;
  return (
    type === 'null' ||
    (Array.isArray(type) && type.length === 1 && type[0] === 'null') ||
    ('const' in schema && schema.const === null) ||
    (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null)
  );
}

function nullable(code: string): string {
  return code.startsWith('z.nullable(') ? code : `z.nullable(${code})`;
}

function withChecks(code: string, checks: string[]): string {
  return checks.length === 0 ? code : `${code}.check(${checks.join(', ')})`;
}

function hasConstraints(schema: JsonObject): boolean {
  return Object.keys(schema).some((k) => !ANNOTATIONS.has(k) && !k.startsWith('x-') && k !== 'nullable');
}

function literal(value: Json): string {
  return JSON.stringify(value);
}

function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** How a generated zod.ts imports package-core (the package-core-test target passes its own relative path). */
const DEFAULT_CORE_IMPORT = '@mlclients/package-core';

/** zod.ts: component schemas, then the per-operation request/response schemas, all built on first use. */
export function emitZodModule(model: SpecModel, header: string, coreImport = DEFAULT_CORE_IMPORT): string {
  const emitter = new ZodEmitter(model.spec, model.schemas);
  const declarations = emitter.componentDeclarations();
  // lazily/lazyRecord (package-core's validation): each schema is built on first use, so loading zod.ts is cheap.
  const imports = [`import { lazily, lazyRecord } from '${coreImport}';`, "import * as z from 'zod/mini';"];
  if (declarations.some((d) => d.includes("components['schemas']")))
    imports.push("import type { components } from './types.js';");
  const lines = [header, ...imports, '', ...declarations, ''];
  lines.push('/** One zod schema per entry of components.schemas, built on first read. */');
  lines.push('export const schemas = lazyRecord({');
  for (const name of Object.keys(model.schemas).sort())
    lines.push(`  ${propertyKey(name)}: ${ZodEmitter.constName(name)},`);
  lines.push('});', '');
  lines.push(
    '/** Request parts and the success response of every operation, keyed by operationId, built on first read. */',
  );
  lines.push('export const operationSchemas = lazyRecord({');
  for (const op of [...model.operations].sort((a, b) => a.operationId.localeCompare(b.operationId))) {
    const parts: string[] = [];
    for (const location of ['path', 'query', 'header'] as const) {
      const params = op.parameters.filter((p) => p.in === location);
      if (params.length === 0) continue;
      const fields = params.map((p, i) => {
        const code = emitter.emit(p.schema, [...op.pointer, 'parameters', i, 'schema']);
        return `${propertyKey(p.name)}: ${p.required ? code : `z.optional(${code})`}`;
      });
      parts.push(`    ${location}: z.looseObject({ ${fields.join(', ')} }),`);
    }
    if (op.body) {
      const code =
        mediaKind(op.body.contentType) === 'json'
          ? emitter.emit(op.body.schema, [
              ...op.pointer,
              'requestBody',
              'content',
              op.body.contentType,
              'schema',
            ])
          : 'z.unknown()';
      parts.push(`    body: ${code},`);
    }
    if (op.success?.schema !== undefined && op.success.contentType !== undefined) {
      const pointer = [
        ...op.pointer,
        'responses',
        String(op.success.status),
        'content',
        op.success.contentType,
        'schema',
      ];
      const kind = mediaKind(op.success.contentType);
      const code =
        kind === 'json'
          ? emitter.emit(op.success.schema, pointer)
          : kind === 'text'
            ? 'z.string()'
            : 'z.unknown()';
      parts.push(`    response: ${code},`);
    }
    lines.push(`  ${propertyKey(op.operationId)}: () => ({`, ...parts, '  }),');
  }
  lines.push('});', '');
  return lines.join('\n');
}
