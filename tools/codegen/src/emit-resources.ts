/**
 * resources.ts: the table package-core's resource convention builds `client.<accessor>.<op>()` from.
 * The operations table is typed with literal types (what `as const` would infer), so method, path and operationId
 * stay literal types the runtime can index `paths` with; its value is a `JSON.parse` of a string because V8 parses
 * JSON several times faster than the same object literal, and this table is most of a client's import cost.
 */
import { mediaKind, type OperationInfo, type SpecModel } from './spec-model.js';

export function emitResourcesModule(model: SpecModel, header: string): string {
  const lines = [header];
  const entries = [...model.operations]
    .sort((a, b) => a.operationId.localeCompare(b.operationId))
    .map((op) => [op.operationId, operationEntry(op)] as const);
  lines.push('/** Every operation of the spec, keyed by operationId. */');
  lines.push('export const operations: {');
  for (const [id, entry] of entries) lines.push(`  readonly ${id}: ${literalType(entry)};`);
  // One single-quoted string per operation, joined with `+`: V8 scans a plain string literal much faster than a
  // template literal (which it keeps both cooked and raw), and one line per operation keeps the file diffable.
  const json = entries.map(([id, entry]) => `${JSON.stringify(id)}:${JSON.stringify(entry)}`);
  lines.push('} = /* @__PURE__ */ JSON.parse(');
  lines.push(
    ...json.map(
      (line, i) =>
        `  ${stringLiteral(`${i === 0 ? '{' : ','}${line}${i === json.length - 1 ? '}' : ''}`)}${i < json.length - 1 ? ' +' : ''}`,
    ),
  );
  if (json.length === 0) lines.push("  '{}'");
  lines.push(');', '');

  lines.push(
    '/** Resources (x-resource/x-operation in the spec): accessor name, item schema and operations. */',
  );
  lines.push('export const resources = {');
  for (const resource of model.resources) {
    lines.push(`  ${resource.name}: {`);
    lines.push(`    name: ${JSON.stringify(resource.name)},`);
    lines.push(`    accessor: ${JSON.stringify(resource.accessor)},`);
    if (resource.item) lines.push(`    item: ${JSON.stringify(resource.item)},`);
    if (resource.description) lines.push(`    description: ${JSON.stringify(resource.description)},`);
    lines.push(`    deprecated: ${resource.deprecated},`);
    lines.push('    operations: {');
    for (const [name, op] of Object.entries(resource.operations)) {
      lines.push(`      ${name}: operations.${op.operationId},`);
    }
    lines.push('    },', '  },');
  }
  lines.push('} as const;', '');

  lines.push('/** How successful bodies wrap their payload (x-envelope), when they do. */');
  lines.push(
    `export const envelope = ${model.envelope ? `${JSON.stringify(model.envelope)} as const` : 'undefined'};`,
    '',
  );
  return lines.join('\n');
}

/** The type `as const` infers for a JSON value: literal primitives, readonly tuples, readonly properties. */
function literalType(value: unknown): string {
  if (Array.isArray(value)) return `readonly [${value.map(literalType).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const props = Object.entries(value).map(([k, v]) => `readonly ${propertyName(k)}: ${literalType(v)}`);
    return `{ ${props.join('; ')} }`;
  }
  return JSON.stringify(value);
}

function propertyName(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** A single-quoted JS string literal of `text` (JSON text has no raw newline; quotes and backslashes escaped). */
function stringLiteral(text: string): string {
  return `'${text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}'`;
}

function operationEntry(op: OperationInfo): Record<string, unknown> {
  const responseType = op.success?.contentType === undefined ? 'none' : mediaKind(op.success.contentType);
  const entry: Record<string, unknown> = {
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    pathParams: op.parameters.filter((p) => p.in === 'path').map((p) => p.name),
    queryParams: op.parameters.filter((p) => p.in === 'query').map((p) => p.name),
    body: op.body !== undefined,
    bodyRequired: op.body?.required ?? false,
    ...(op.body ? { bodyContentType: op.body.contentType } : {}),
    responseType,
    successStatus: op.success?.status ?? 200,
    idempotent: op.idempotent,
    deprecated: op.deprecated,
    ...(op.pagination ? { pagination: op.pagination } : {}),
    ...(op.servers ? { servers: op.servers } : {}),
    ...(op.server ? { server: op.server } : {}),
    ...(Object.keys(op.extensions).length > 0 ? { extensions: op.extensions } : {}),
  };
  return entry;
}
