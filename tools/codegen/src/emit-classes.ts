/**
 * resources/<resource>.ts and client.ts: the Stainless shape. One thin class per resource extending the core's
 * `APIResource`, one method per operation (named types `<Resource><Method>Params` / `...Response`, JSDoc from the
 * spec), and a base client class with one accessor per resource. A service's hand-written client extends it.
 *
 * Convention: an operation with path parameters takes the LAST one first (`get(id)`, `deploy(id, params)`,
 * `list(endpointId, params)`), the rest in the params object; `list` of a paginated operation returns a
 * `PagePromise` and comes with `iterate`.
 */
import {
  camelCase,
  isObject,
  type Json,
  lookup,
  type OperationInfo,
  type ResourceInfo,
  type SpecModel,
} from './spec-model.js';

/** What the class emitters need besides the model. */
export interface ClassOptions {
  /** The header comment of every generated file. */
  header: string;
  /** `Generated<Service>Client`. */
  clientClass: string;
  /** Import specifier of package-core, relative to `generated/` (`@mlclients/package-core`, or a relative path). */
  coreImport: string;
}

/** `experiment_sessions` -> `experiment-sessions` (the file name). */
export function resourceFileName(resource: ResourceInfo): string {
  return resource.name.replace(/_/g, '-');
}

/** `experiment_sessions` -> `ExperimentSessions` (the class name). */
export function pascalCase(name: string): string {
  const camel = camelCase(name.replace(/-/g, '_'));
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** `experiment_sessions` -> `ExperimentSession`: the prefix of the resource's type names. */
export function singular(name: string): string {
  const words = name.split('_');
  const last = words.pop() ?? '';
  let one = last;
  if (/(us|ss|is|data)$/.test(last)) one = last;
  else if (last.endsWith('ies')) one = `${last.slice(0, -3)}y`;
  else if (/(sses|shes|ches|xes|uses)$/.test(last)) one = last.slice(0, -2);
  else if (last.endsWith('s')) one = last.slice(0, -1);
  return pascalCase([...words, one].join('_'));
}

/** One file per resource, keyed by its path inside `generated/`. */
export function emitResourceClasses(model: SpecModel, o: ClassOptions): Map<string, string> {
  const files = new Map<string, string>();
  const core = o.coreImport.startsWith('.') ? `../${o.coreImport}` : o.coreImport;
  const exported = new Map<string, string>();
  for (const resource of model.resources) {
    const { text, names } = emitResourceClass(model, resource, core, o.header);
    const file = resourceFileName(resource);
    files.set(`resources/${file}.ts`, text);
    for (const name of names) if (!exported.has(name)) exported.set(name, file);
  }
  const byFile = new Map<string, string[]>();
  for (const [name, file] of exported) byFile.set(file, [...(byFile.get(file) ?? []), name]);
  const index = [o.header.trimEnd()];
  for (const resource of model.resources) {
    const file = resourceFileName(resource);
    const names = byFile.get(file) ?? [];
    const cls = pascalCase(resource.name);
    const list = names.map((n) => (n === cls ? n : `type ${n}`)).join(', ');
    index.push(`export { ${list} } from './${file}.js';`);
  }
  files.set('resources/index.ts', `${index.join('\n')}\n`);
  return files;
}

function emitResourceClass(
  model: SpecModel,
  resource: ResourceInfo,
  core: string,
  header: string,
): { text: string; names: string[] } {
  const cls = pascalCase(resource.name);
  const prefix = singular(resource.name);
  const used = new Set<string>([cls]);
  const names: string[] = [cls];
  const unique = (wanted: string): string => {
    let name = wanted;
    for (let i = 2; used.has(name); i++) name = `${wanted}${i}`;
    used.add(name);
    names.push(name);
    return name;
  };
  const coreImports = new Set(['APIResource', 'type RequestOptions']);
  const types: string[] = [];
  const methods: string[] = [];

  let itemType: string | undefined;
  if (resource.item) {
    itemType = unique(resource.item === cls ? `${resource.item}Item` : resource.item);
    types.push(
      `${doc(schemaDescription(model, resource.item) ?? `The \`${resource.item}\` schema.`, '')}export type ${itemType} = components['schemas'][${JSON.stringify(resource.item)}];`,
    );
  }

  for (const [method, op] of Object.entries(resource.operations)) {
    const opType = `Ops[${JSON.stringify(op.operationId)}]`;
    const entry = `operations.${op.operationId}`;
    const pathParams = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
    const idName = pathParams[pathParams.length - 1];
    const paramsName = unique(`${prefix}${pascalCase(method)}Params`);
    const call = `\`client.${resource.accessor}.${method}()\``;
    types.push(
      idName === undefined
        ? `/** Parameters of ${call} (\`${op.operationId}\`). */\nexport type ${paramsName} = ParamsOf<${opType}>;`
        : `/** Parameters of ${call} (\`${op.operationId}\`) other than \`${idName}\`, its first argument. */\nexport type ${paramsName} = DistributiveOmit<ParamsOf<${opType}>, ${JSON.stringify(idName)}>;`,
    );
    coreImports.add('type ParamsOf');
    if (idName !== undefined) coreImports.add('type DistributiveOmit');
    const required = paramsRequired(model, op, idName);
    const paramsArg = `params${required ? '' : '?'}: ${paramsName}`;
    const idArg =
      idName === undefined ? '' : `${camelCase(idName)}: IdOf<${opType}, ${JSON.stringify(idName)}>, `;
    const args =
      idName === undefined
        ? 'params'
        : `this._withId(${JSON.stringify(idName)}, ${camelCase(idName)}, params)`;
    if (idName !== undefined) coreImports.add('type IdOf');
    const deprecate = resource.deprecated
      ? `    this._warnDeprecated(${JSON.stringify(resource.accessor)});\n`
      : '';
    const jsdoc = methodDoc(op);

    if (method === 'list' && op.pagination) {
      coreImports.add('type PagePromise');
      coreImports.add('type PageIterable');
      coreImports.add('type IterateOptions');
      coreImports.add('type ItemOf');
      coreImports.add('type RawResponseOf');
      const item = `ItemOf<${opType}, typeof ${entry}>`;
      const raw = `RawResponseOf<${opType}>`;
      methods.push(
        `${jsdoc}  list(${idArg}${paramsArg}, options?: RequestOptions): PagePromise<${item}, ${raw}> {\n${deprecate}    return this._list(${entry}, ${args}, options);\n  }`,
      );
      methods.push(
        `${doc(`Every item of \`list\`, page after page (prefetch; offset pages fetched concurrently once the total is known).`, '  ')}  iterate(${idArg}${paramsArg}, options?: RequestOptions & IterateOptions): PageIterable<${item}, ${raw}> {\n${deprecate}    return this._iterate(${entry}, ${args}, options);\n  }`,
      );
    } else {
      coreImports.add('type APIPromise');
      coreImports.add('type ResponseOf');
      const responseName = unique(`${prefix}${pascalCase(method)}Response`);
      // The envelope inline (not a local alias): a public type must not name an unexported one (TypeDoc).
      types.push(
        `/** What ${call} resolves to (\`${op.operationId}\`${model.envelope ? '; the payload, without the envelope' : ''}). */\nexport type ${responseName} = ResponseOf<${opType}, ${model.envelope ? JSON.stringify(model.envelope) : 'undefined'}>;`,
      );
      methods.push(
        `${jsdoc}  ${method}(${idArg}${paramsArg}, options?: RequestOptions): APIPromise<${responseName}> {\n${deprecate}    return this._request(${entry}, ${args}, options);\n  }`,
      );
    }
  }

  const lines = [header.trimEnd()];
  lines.push(`import { ${[...coreImports].sort(byName).join(', ')} } from '${core}';`);
  lines.push(`import { operations } from '../resources.js';`);
  lines.push(`import type { ${itemType ? 'components, ' : ''}operations as Ops } from '../types.js';`, '');
  lines.push(...types, '');
  const classDoc = [resource.description ?? `The \`${resource.name}\` resource.`];
  if (resource.deprecated) classDoc.push('@deprecated deprecated by the API; may be removed.');
  lines.push(`${doc(classDoc.join('\n\n'), '')}export class ${cls} extends APIResource {`);
  lines.push(methods.join('\n\n'));
  lines.push('}', '');
  return { text: lines.join('\n'), names };
}

/** The base client class: one accessor per resource. */
export function emitClientModule(model: SpecModel, o: ClassOptions): string {
  const info = isObject(model.root.info) ? model.root.info : {};
  const title = typeof info.title === 'string' ? info.title : 'the API';
  const lines = [o.header.trimEnd()];
  lines.push(`import { BaseClient, type ClientOptions, type ClientSpec } from '${o.coreImport}';`);
  lines.push(`import { envelope, operations } from './resources.js';`);
  for (const r of model.resources) {
    lines.push(`import { ${pascalCase(r.name)} } from './resources/${resourceFileName(r)}.js';`);
  }
  lines.push('');
  lines.push(
    doc(
      `The generated client of ${title}: one accessor per resource. A service's own client extends it (quirks in its \`service.ts\`, special methods in resource subclasses).`,
      '',
    ) + `export class ${o.clientClass}<O extends object = ClientOptions> extends BaseClient<O> {`,
  );
  lines.push(
    '  // zod and the schemas load on the first validated call, not at import (see package-core validation/load.ts).',
    "  static override spec: ClientSpec = { operations, operationSchemas: () => import('./zod.js').then((m) => m.operationSchemas), envelope };",
  );
  for (const r of model.resources) {
    lines.push('');
    const d = [r.description ?? `The \`${r.name}\` resource.`];
    if (r.deprecated) d.push('@deprecated deprecated by the API; may be removed.');
    lines.push(
      `${doc(d.join('\n\n'), '  ')}  readonly ${r.accessor}: ${pascalCase(r.name)} = new ${pascalCase(r.name)}(this);`,
    );
  }
  lines.push('}', '');
  return lines.join('\n');
}

function byName(a: string, b: string): number {
  return a.replace(/^type /, '').localeCompare(b.replace(/^type /, ''));
}

/** Must the params object be passed? Yes when a non-id parameter or a field of a required body is required. */
function paramsRequired(model: SpecModel, op: OperationInfo, idName: string | undefined): boolean {
  if (op.parameters.some((p) => (p.in === 'path' || p.in === 'query') && p.required && p.name !== idName)) {
    return true;
  }
  return op.body?.required === true && hasRequiredFields(model, op.body.schema, 0);
}

function hasRequiredFields(model: SpecModel, schema: Json, depth: number): boolean {
  if (!isObject(schema) || depth > 8) return false;
  if (typeof schema.$ref === 'string') {
    return hasRequiredFields(model, lookup(model.root, schema.$ref) ?? null, depth + 1);
  }
  if (Array.isArray(schema.required) && schema.required.length > 0) return true;
  return Array.isArray(schema.allOf) && schema.allOf.some((s) => hasRequiredFields(model, s, depth + 1));
}

function schemaDescription(model: SpecModel, name: string): string | undefined {
  const s = model.schemas[name];
  return isObject(s) && typeof s.description === 'string' ? s.description : undefined;
}

function methodDoc(op: OperationInfo): string {
  const parts: string[] = [];
  if (op.summary) parts.push(op.summary.trim());
  if (op.description && op.description.trim() !== op.summary?.trim()) parts.push(op.description.trim());
  parts.push(`\`${op.method.toUpperCase()} ${op.path}\` (\`${op.operationId}\`)`);
  if (op.deprecated) parts.push('@deprecated deprecated by the API.');
  return doc(parts.join('\n\n'), '  ');
}

/** A JSDoc block at `indent`, safe for any text (`*\/` cannot end it early). */
function doc(text: string, indent: string): string {
  const body = text
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((line) => `${indent} *${line ? ` ${line.trimEnd()}` : ''}`);
  return `${indent}/**\n${body.join('\n')}\n${indent} */\n`;
}
