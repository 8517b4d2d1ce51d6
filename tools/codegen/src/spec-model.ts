/**
 * Checks the parts of a spec that codegen relies on and turns it into a flat list of operations.
 * openapi-typescript validates the rest of the OpenAPI document; here we check our own conventions
 * (openapi/README.md) and every $ref, each with the line it is on.
 */
import type { JsonPointer, LoadedSpec } from './load-spec.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Methods whose repetition has no additional effect (RFC 9110 §9.2.2); POST and PATCH need `x-idempotent: true`. */
const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set([
  'get',
  'head',
  'options',
  'trace',
  'put',
  'delete',
]);

const PAGINATION_STYLES = new Set(['offset', 'token', 'next-link']);
const CAMEL_CASE = /^[a-z][A-Za-z0-9]*$/;
const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;

export interface ParameterInfo {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Json;
}

export interface OperationInfo {
  operationId: string;
  method: HttpMethod;
  path: string;
  pointer: JsonPointer;
  parameters: ParameterInfo[];
  /** JSON (or other) request body, after $ref resolution of the requestBody object itself. */
  body?: { required: boolean; contentType: string; schema: Json };
  /** The first 2xx response. */
  success?: { status: number; contentType?: string; schema?: Json };
  idempotent: boolean;
  resource?: string;
  resourceOperation?: string;
  pagination?: JsonObject;
  deprecated: boolean;
  servers?: string[];
  /** `x-server-name` of the operation's servers: the named server the runtime sends it to. */
  server?: string;
  /** The spec's `summary` and `description` (JSDoc of the generated method). */
  summary?: string;
  description?: string;
  /** Every other `x-` field of the operation, passed through for the runtime. */
  extensions: JsonObject;
}

export interface ResourceInfo {
  name: string;
  accessor: string;
  item?: string;
  description?: string;
  deprecated: boolean;
  operations: Record<string, OperationInfo>;
}

export interface SpecModel {
  spec: LoadedSpec;
  root: JsonObject;
  schemas: Record<string, Json>;
  operations: OperationInfo[];
  resources: ResourceInfo[];
  envelope?: JsonObject;
}

const OWN_EXTENSIONS = new Set(['x-resource', 'x-operation', 'x-idempotent', 'x-pagination']);

export function buildModel(spec: LoadedSpec): SpecModel {
  const root = spec.root as JsonObject;
  const version = root.openapi;
  if (typeof version !== 'string' || !version.startsWith('3.1')) {
    spec.fail(['openapi'], `expected "openapi: 3.1.x", got ${JSON.stringify(version ?? null)}`);
  }
  if (!isObject(root.info)) spec.fail(['info'], 'missing "info" object');
  if (!isObject(root.paths)) spec.fail(['paths'], 'missing "paths" object');

  checkRefs(spec, root, []);

  const components = isObject(root.components) ? root.components : {};
  const schemas = isObject(components.schemas) ? (components.schemas as Record<string, Json>) : {};
  const resolve = (value: Json): Json => resolveRef(root, value);

  const operations: OperationInfo[] = [];
  const seenIds = new Map<string, JsonPointer>();
  for (const [path, pathItemRaw] of Object.entries(root.paths as JsonObject)) {
    if (!path.startsWith('/')) spec.fail(['paths', path], `path "${path}" must start with "/"`);
    const pathItem = resolve(pathItemRaw);
    if (!isObject(pathItem)) spec.fail(['paths', path], 'a path item must be an object');
    const sharedParameters = asArray(pathItem.parameters);
    for (const method of HTTP_METHODS) {
      const op = pathItem[method];
      if (op === undefined) continue;
      const pointer = ['paths', path, method];
      if (!isObject(op)) spec.fail(pointer, 'an operation must be an object');
      const operationId = op.operationId;
      if (typeof operationId !== 'string' || !CAMEL_CASE.test(operationId)) {
        spec.fail(
          [...pointer, 'operationId'],
          'every operation needs a camelCase operationId (openapi/README.md)',
        );
      }
      const previous = seenIds.get(operationId);
      if (previous) {
        spec.fail(
          [...pointer, 'operationId'],
          `duplicate operationId "${operationId}" (also at ${previous.join(' ')})`,
        );
      }
      seenIds.set(operationId, pointer);

      const parameters = mergeParameters(spec, [
        ...sharedParameters.map((raw, i) => ({
          raw: resolve(raw),
          pointer: ['paths', path, 'parameters', i],
        })),
        ...asArray(op.parameters).map((raw, i) => ({
          raw: resolve(raw),
          pointer: [...pointer, 'parameters', i],
        })),
      ]);
      for (const name of pathTemplateNames(path)) {
        if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
          spec.fail(pointer, `path parameter "{${name}}" of ${path} is not declared in parameters`);
        }
      }

      const idempotentFlag = op['x-idempotent'];
      if (idempotentFlag !== undefined && typeof idempotentFlag !== 'boolean') {
        spec.fail([...pointer, 'x-idempotent'], 'x-idempotent must be true or false');
      }
      const resource = op['x-resource'];
      const resourceOperation = op['x-operation'];
      if (resource !== undefined && (typeof resource !== 'string' || !SNAKE_CASE.test(resource))) {
        spec.fail([...pointer, 'x-resource'], 'x-resource must be a snake_case resource name');
      }
      if ((resource === undefined) !== (resourceOperation === undefined)) {
        spec.fail(pointer, 'x-resource and x-operation go together: set both or neither');
      }
      if (
        resourceOperation !== undefined &&
        (typeof resourceOperation !== 'string' || !CAMEL_CASE.test(resourceOperation))
      ) {
        spec.fail(
          [...pointer, 'x-operation'],
          'x-operation must be list/get/create/update/delete or a camelCase name',
        );
      }
      const pagination = op['x-pagination'];
      if (pagination !== undefined) {
        if (
          !isObject(pagination) ||
          typeof pagination.style !== 'string' ||
          !PAGINATION_STYLES.has(pagination.style)
        ) {
          spec.fail([...pointer, 'x-pagination'], 'x-pagination needs style: offset | token | next-link');
        }
      }
      const serverObjects = [...asArray(op.servers), ...(op.servers ? [] : asArray(pathItem.servers))];
      const servers = serverObjects
        .map((s) => (isObject(s) && typeof s.url === 'string' ? s.url : undefined))
        .filter((s): s is string => s !== undefined);
      const serverNames = new Set(
        serverObjects
          .map((s) => (isObject(s) ? s['x-server-name'] : undefined))
          .filter((n) => n !== undefined),
      );
      if (serverNames.size > 1) {
        spec.fail([...pointer, 'servers'], 'the servers of one operation must share one x-server-name');
      }
      const [server] = serverNames;
      if (server !== undefined && (typeof server !== 'string' || !CAMEL_CASE.test(server))) {
        spec.fail([...pointer, 'servers'], 'x-server-name must be a camelCase name (the client option key)');
      }

      const extensions: JsonObject = {};
      for (const [key, value] of Object.entries(op)) {
        if (key.startsWith('x-') && !OWN_EXTENSIONS.has(key)) extensions[key.slice(2)] = value;
      }

      operations.push({
        operationId,
        method,
        path,
        pointer,
        parameters,
        body: requestBody(spec, resolve(op.requestBody ?? null), [...pointer, 'requestBody']),
        success: successResponse(op.responses, resolve),
        idempotent: idempotentFlag ?? IDEMPOTENT_METHODS.has(method),
        ...(resource !== undefined ? { resource, resourceOperation: resourceOperation as string } : {}),
        ...(pagination !== undefined ? { pagination: pagination as JsonObject } : {}),
        deprecated: op.deprecated === true,
        ...(servers.length > 0 ? { servers } : {}),
        ...(typeof server === 'string' ? { server } : {}),
        ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
        ...(typeof op.description === 'string' ? { description: op.description } : {}),
        extensions,
      });
    }
  }

  const resources = buildResources(spec, root, operations, schemas);
  const envelope = root['x-envelope'];
  if (envelope !== undefined && !isObject(envelope))
    spec.fail(['x-envelope'], 'x-envelope must be an object');
  return { spec, root, schemas, operations, resources, ...(envelope ? { envelope } : {}) };
}

function buildResources(
  spec: LoadedSpec,
  root: JsonObject,
  operations: OperationInfo[],
  schemas: Record<string, Json>,
): ResourceInfo[] {
  const declared = root['x-resources'] ?? {};
  if (!isObject(declared))
    spec.fail(['x-resources'], 'x-resources must be a mapping of resource name to facts');
  const byName = new Map<string, ResourceInfo>();
  for (const [name, facts] of Object.entries(declared)) {
    const pointer = ['x-resources', name];
    if (!SNAKE_CASE.test(name)) spec.fail(pointer, `resource name "${name}" must be snake_case`);
    const f = isObject(facts) ? facts : {};
    if (f.item !== undefined && (typeof f.item !== 'string' || !(f.item in schemas))) {
      spec.fail([...pointer, 'item'], `item "${String(f.item)}" is not a schema in components.schemas`);
    }
    byName.set(name, {
      name,
      accessor: camelCase(name),
      ...(typeof f.item === 'string' ? { item: f.item } : {}),
      ...(typeof f.description === 'string' ? { description: f.description } : {}),
      deprecated: f.deprecated === true,
      operations: {},
    });
  }
  for (const op of operations) {
    if (op.resource === undefined || op.resourceOperation === undefined) continue;
    const resource = byName.get(op.resource);
    if (!resource)
      spec.fail([...op.pointer, 'x-resource'], `resource "${op.resource}" is not declared in x-resources`);
    if (resource.operations[op.resourceOperation]) {
      spec.fail(
        [...op.pointer, 'x-operation'],
        `resource "${op.resource}" already has an operation "${op.resourceOperation}" (${resource.operations[op.resourceOperation]?.operationId})`,
      );
    }
    resource.operations[op.resourceOperation] = op;
  }
  for (const resource of byName.values()) {
    if (Object.keys(resource.operations).length === 0) {
      spec.fail(
        ['x-resources', resource.name],
        `resource "${resource.name}" has no operation (no x-resource points at it)`,
      );
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Path-level parameters first, then the operation's, which override them by (in, name) as OpenAPI says. */
function mergeParameters(spec: LoadedSpec, declared: { raw: Json; pointer: JsonPointer }[]): ParameterInfo[] {
  const byKey = new Map<string, ParameterInfo>();
  for (const { raw, pointer } of declared) {
    if (!isObject(raw) || typeof raw.name !== 'string' || typeof raw.in !== 'string') {
      spec.fail(pointer, 'a parameter needs "name" and "in"');
    }
    const location = raw.in as ParameterInfo['in'];
    byKey.set(`${location}:${raw.name}`, {
      name: raw.name,
      in: location,
      required: location === 'path' || raw.required === true,
      schema: raw.schema ?? {},
    });
  }
  return [...byKey.values()];
}

function requestBody(spec: LoadedSpec, body: Json, pointer: JsonPointer): OperationInfo['body'] {
  if (body === null) return undefined;
  if (!isObject(body) || !isObject(body.content)) spec.fail(pointer, 'requestBody needs a "content" map');
  const [contentType, media] = pickContent(body.content);
  if (contentType === undefined) spec.fail([...pointer, 'content'], 'requestBody.content is empty');
  return {
    required: body.required === true,
    contentType,
    schema: isObject(media) ? (media.schema ?? {}) : {},
  };
}

function successResponse(responses: Json | undefined, resolve: (v: Json) => Json): OperationInfo['success'] {
  if (!isObject(responses)) return undefined;
  const statuses = Object.keys(responses)
    .filter((s) => /^2\d\d$/.test(s))
    .sort();
  const status = statuses[0];
  if (status === undefined) return undefined;
  const response = resolve(responses[status] ?? null);
  if (!isObject(response) || !isObject(response.content)) return { status: Number(status) };
  const [contentType, media] = pickContent(response.content);
  return {
    status: Number(status),
    ...(contentType !== undefined ? { contentType } : {}),
    ...(isObject(media) && media.schema !== undefined ? { schema: media.schema } : {}),
  };
}

/** How the runtime treats a body of this media type; one rule for the zod schemas and the resource table. */
export function mediaKind(contentType: string): 'json' | 'text' | 'binary' {
  if (/^application\/(.+\+)?json\b/.test(contentType)) return 'json';
  return contentType.startsWith('text/') ? 'text' : 'binary';
}

/** JSON first (what the runtime parses), then whatever the spec lists first. */
function pickContent(content: JsonObject): [string | undefined, Json | undefined] {
  const json = Object.keys(content).find((type) => mediaKind(type) === 'json');
  const chosen = json ?? Object.keys(content)[0];
  return [chosen, chosen === undefined ? undefined : content[chosen]];
}

/** Every `$ref` must point inside this document and resolve. */
function checkRefs(spec: LoadedSpec, node: Json | undefined, pointer: (string | number)[]): void {
  if (Array.isArray(node)) {
    for (const [index, child] of node.entries()) checkRefs(spec, child, [...pointer, index]);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (
      key === '$ref' &&
      typeof value === 'string' &&
      !pointer.includes('examples') &&
      !pointer.includes('example')
    ) {
      if (!value.startsWith('#/'))
        spec.fail([...pointer, key], `only local $refs are supported, got "${value}"`);
      if (lookup(spec.root as JsonObject, value) === undefined) {
        spec.fail([...pointer, key], `$ref "${value}" does not resolve`);
      }
    } else {
      checkRefs(spec, value, [...pointer, key]);
    }
  }
}

export function lookup(root: JsonObject, ref: string): Json | undefined {
  let node: Json | undefined = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = Array.isArray(node) ? node[Number(key)] : node[key];
  }
  return node;
}

/** Follows `$ref` chains of non-schema objects (parameters, request bodies, responses, path items). */
export function resolveRef(root: JsonObject, value: Json): Json {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${current.$ref}`);
    current = lookup(root, current.$ref) ?? null;
  }
  return current;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

function pathTemplateNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}

export function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
