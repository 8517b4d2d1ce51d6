/**
 * resources.ts: the table package-core's resource convention builds `client.<accessor>.<op>()` from.
 * Plain data `as const`, so method, path and operationId stay literal types the runtime can index `paths` with.
 */
import { mediaKind, type OperationInfo, type SpecModel } from './spec-model.js';

export function emitResourcesModule(model: SpecModel, header: string): string {
  const lines = [header];
  lines.push('/** Every operation of the spec, keyed by operationId. */');
  lines.push('export const operations = {');
  for (const op of [...model.operations].sort((a, b) => a.operationId.localeCompare(b.operationId))) {
    lines.push(`  ${op.operationId}: ${operationEntry(op)},`);
  }
  lines.push('} as const;', '');

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

function operationEntry(op: OperationInfo): string {
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
  return JSON.stringify(entry);
}
