/**
 * JSON Schema (OpenAPI 3.1 dialect) -> zod 4 source code.
 *
 * Why our own emitter: the maintained generators either need Node 22 (@hey-api/openapi-ts) or emit zod 3 code; the
 * subset of JSON Schema our specs use is small, and owning it lets us keep unknown properties (`z.looseObject`) and
 * cycles (`z.lazy`) right. Every construct we do not understand fails generation instead of being silently widened.
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

  componentDeclarations(): string[] {
    return this.order.map((name) => {
      const code = this.emit(this.schemas[name] ?? {}, ['components', 'schemas', name]);
      // A schema that refers to itself needs its type spelled out, or TypeScript infers `any` for the cycle.
      const annotation = this.lazyRefs.has(name)
        ? `: z.ZodType<components['schemas'][${JSON.stringify(name)}]>`
        : '';
      return `export const ${ZodEmitter.constName(name)}${annotation} = ${code};`;
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

    let code = this.emitCore(schema, pointer);
    if (schema.nullable === true) code = `${code}.nullable()`;
    return code;
  }

  private emitCore(schema: JsonObject, pointer: (string | number)[]): string {
    if (typeof schema.$ref === 'string') {
      if (!schema.$ref.startsWith(SCHEMA_REF)) {
        this.spec.fail([...pointer, '$ref'], `a schema $ref must point into ${SCHEMA_REF}`);
      }
      const name = schema.$ref.slice(SCHEMA_REF.length);
      const target = ZodEmitter.constName(name);
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
        const union =
          options.length === 1
            ? this.emit(options[0] ?? {}, [...pointer, keyword, 0])
            : `z.union([${options.map((s, i) => this.emit(s, [...pointer, keyword, i])).join(', ')}])`;
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
    if (nonNull.length > 0 && nonNull.length < types.length) code = `${code}.nullable()`;
    return code;
  }

  private emitType(type: string, schema: JsonObject, pointer: (string | number)[]): string {
    switch (type) {
      case 'string': {
        let code = 'z.string()';
        if (typeof schema.minLength === 'number') code += `.min(${schema.minLength})`;
        if (typeof schema.maxLength === 'number') code += `.max(${schema.maxLength})`;
        if (typeof schema.pattern === 'string')
          code += `.regex(new RegExp(${JSON.stringify(schema.pattern)}))`;
        return code;
      }
      case 'integer':
      case 'number': {
        let code = type === 'integer' ? 'z.number().int()' : 'z.number()';
        if (typeof schema.minimum === 'number') code += `.gte(${schema.minimum})`;
        if (typeof schema.maximum === 'number') code += `.lte(${schema.maximum})`;
        if (typeof schema.exclusiveMinimum === 'number') code += `.gt(${schema.exclusiveMinimum})`;
        if (typeof schema.exclusiveMaximum === 'number') code += `.lt(${schema.exclusiveMaximum})`;
        if (typeof schema.multipleOf === 'number') code += `.multipleOf(${schema.multipleOf})`;
        return code;
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
      return `${propertyKey(key)}: ${required.has(key) ? code : `${code}.optional()`}`;
    });
    const additional = schema.additionalProperties;
    if (fields.length === 0 && isObject(additional)) {
      return `z.record(z.string(), ${this.emit(additional, [...pointer, 'additionalProperties'])})`;
    }
    const shape = fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
    if (additional === false) return `z.strictObject(${shape})`;
    if (isObject(additional) && Object.keys(additional).length > 0) {
      return `z.object(${shape}).catchall(${this.emit(additional, [...pointer, 'additionalProperties'])})`;
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
    let code = `z.array(${this.emit(schema.items ?? {}, [...pointer, 'items'])})`;
    if (typeof schema.minItems === 'number') code += `.min(${schema.minItems})`;
    if (typeof schema.maxItems === 'number') code += `.max(${schema.maxItems})`;
    return code;
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

function hasConstraints(schema: JsonObject): boolean {
  return Object.keys(schema).some((k) => !ANNOTATIONS.has(k) && !k.startsWith('x-') && k !== 'nullable');
}

function literal(value: Json): string {
  return JSON.stringify(value);
}

function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** zod.ts: component schemas, then the per-operation request/response schemas. */
export function emitZodModule(model: SpecModel, header: string): string {
  const emitter = new ZodEmitter(model.spec, model.schemas);
  const declarations = emitter.componentDeclarations();
  const imports = ["import { z } from 'zod';"];
  if (declarations.some((d) => d.includes("components['schemas']")))
    imports.push("import type { components } from './types.js';");
  const lines = [header, ...imports, '', ...declarations, ''];
  lines.push('/** One zod schema per entry of components.schemas. */');
  lines.push('export const schemas = {');
  for (const name of Object.keys(model.schemas).sort())
    lines.push(`  ${propertyKey(name)}: ${ZodEmitter.constName(name)},`);
  lines.push('} as const;', '');
  lines.push('/** Request parts and the success response of every operation, keyed by operationId. */');
  lines.push('export const operationSchemas = {');
  for (const op of [...model.operations].sort((a, b) => a.operationId.localeCompare(b.operationId))) {
    const parts: string[] = [];
    for (const location of ['path', 'query', 'header'] as const) {
      const params = op.parameters.filter((p) => p.in === location);
      if (params.length === 0) continue;
      const fields = params.map((p, i) => {
        const code = emitter.emit(p.schema, [...op.pointer, 'parameters', i, 'schema']);
        return `${propertyKey(p.name)}: ${p.required ? code : `${code}.optional()`}`;
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
    lines.push(`  ${op.operationId}: {`, ...parts, '  },');
  }
  lines.push('} as const;', '');
  return lines.join('\n');
}
