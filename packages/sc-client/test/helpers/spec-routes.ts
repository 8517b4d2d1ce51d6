/**
 * Finds the operation of openapi/sc.yaml that a recorded URL belongs to: the server template (base path
 * `/api/{api_version}{organization}`, or an operation's own `servers`) plus the operation's path template.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { operations } from '../../src/generated/resources.js';

export const SPEC_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../openapi/sc.yaml');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const spec = parse(readFileSync(SPEC_FILE, 'utf8')) as JsonObject;

export type OperationId = keyof typeof operations;

interface ServerVariable {
  default: string;
  enum?: string[];
  description?: string;
}
interface Server {
  url: string;
  variables?: Record<string, ServerVariable>;
}

/**
 * The URL-path part of a server template as a regex. `api_version` takes its enum; `organization` is either empty or
 * `/organizations/<id>`, the form its description gives (asserted by the tests, so the two cannot drift apart).
 */
export function serverPathPattern(server: Server): string {
  const path = server.url.replace(/^https?:\/\/\{host\}/, '');
  return path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return escapeRegex(part);
      if (name === 'organization') return '(?:/organizations/[^/]+)?';
      const values = server.variables?.[name]?.enum;
      if (!values) throw new Error(`server variable {${name}} of ${server.url} has no enum to match`);
      return `(?:${values.map(escapeRegex).join('|')})`;
    })
    .join('');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Route {
  operationId: OperationId;
  method: string;
  pattern: RegExp;
  pathParams: string[];
}

function pathItem(path: string): JsonObject {
  return (spec.paths as JsonObject)[path] as JsonObject;
}

export function operationObject(operationId: OperationId): JsonObject {
  const op = operations[operationId];
  return pathItem(op.path)[op.method] as JsonObject;
}

const routes: Route[] = (Object.keys(operations) as OperationId[]).map((operationId) => {
  const op = operations[operationId];
  const servers = (operationObject(operationId).servers ?? spec.servers) as unknown as Server[];
  const prefix = `(?:${servers.map(serverPathPattern).join('|')})`;
  // Path parameters never contain `/` or `:` (ids are hex, frame indexes digits), so `{project_id}:train` and
  // `{project_id}` cannot both match one URL.
  const template = op.path
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '([^/:]+)' : escapeRegex(part)))
    .join('');
  return {
    operationId,
    method: op.method.toUpperCase(),
    pattern: new RegExp(`^${prefix}${template}$`),
    pathParams: [...op.pathParams],
  };
});

export interface RouteMatch {
  operationId: OperationId;
  pathParams: Record<string, string>;
}

/** Every operation whose method and server + path template match (more than one would be an ambiguous spec). */
export function matchRoutes(method: string, pathname: string): RouteMatch[] {
  return routes.flatMap((route) => {
    if (route.method !== method.toUpperCase()) return [];
    const found = route.pattern.exec(pathname);
    if (!found) return [];
    const values = found.slice(1).map((v) => decodeURIComponent(v));
    return [
      {
        operationId: route.operationId,
        pathParams: Object.fromEntries(route.pathParams.map((name, i) => [name, values[i] as string])),
      },
    ];
  });
}

function deref(value: Json | undefined): JsonObject {
  let current = value;
  while (
    current &&
    typeof current === 'object' &&
    !Array.isArray(current) &&
    typeof current.$ref === 'string'
  ) {
    const pointer = current.$ref.slice(2).split('/');
    current = pointer.reduce<Json | undefined>(
      (node, key) => (node && typeof node === 'object' && !Array.isArray(node) ? node[key] : undefined),
      spec,
    );
  }
  return (current ?? {}) as JsonObject;
}

export interface DeclaredContent {
  /** Media types the spec lists (may contain wildcards such as `image/*`). */
  mediaTypes: string[];
  /** The component schema name of the JSON content, when it is a `$ref`. */
  schemaName?: string;
  /** The dereferenced schema of the first listed content. */
  schema?: JsonObject;
}

function content(holder: JsonObject): DeclaredContent {
  const entries = Object.entries((holder.content ?? {}) as JsonObject);
  const json = entries.find(([type]) => type.includes('json')) ?? entries[0];
  const schemaRef = json ? ((json[1] as JsonObject).schema as JsonObject | undefined) : undefined;
  const ref = schemaRef?.$ref;
  return {
    mediaTypes: entries.map(([type]) => type),
    ...(typeof ref === 'string' ? { schemaName: ref.split('/').pop() as string } : {}),
    ...(schemaRef ? { schema: deref(schemaRef) } : {}),
  };
}

/** The response the spec declares for exactly this status (not `default`), or undefined. */
export function declaredResponse(operationId: OperationId, status: number): DeclaredContent | undefined {
  const responses = operationObject(operationId).responses as JsonObject;
  const response = responses[String(status)];
  return response === undefined ? undefined : content(deref(response));
}

export function declaredRequestBody(operationId: OperationId): DeclaredContent | undefined {
  const body = operationObject(operationId).requestBody;
  return body === undefined ? undefined : content(deref(body));
}

/** Whether a recorded media type is one the spec lists (`image/*` covers `image/jpeg`). */
export function mediaTypeAllowed(declared: string[], actual: string): boolean {
  return declared.some(
    (type) => type === actual || (type.endsWith('/*') && actual.startsWith(type.slice(0, -1))),
  );
}

/** Query values arrive as strings; the spec's integer/number/boolean parameters are converted before validation. */
export function typedQuery(operationId: OperationId, search: URLSearchParams): Record<string, unknown> {
  const op = operationObject(operationId);
  const declared = [
    ...((pathItem(operations[operationId].path).parameters ?? []) as Json[]),
    ...((op.parameters ?? []) as Json[]),
  ].map(deref);
  const result: Record<string, unknown> = {};
  for (const [name, value] of search) {
    const type = deref(declared.find((p) => p.name === name && p.in === 'query')?.schema).type;
    result[name] =
      type === 'integer' || type === 'number' ? Number(value) : type === 'boolean' ? value === 'true' : value;
  }
  return result;
}

/** The JSON schema of each path parameter of an operation (path-level and operation-level, `$ref`s resolved). */
export function pathParameterSchemas(operationId: OperationId): Record<string, JsonObject> {
  const declared = [
    ...((pathItem(operations[operationId].path).parameters ?? []) as Json[]),
    ...((operationObject(operationId).parameters ?? []) as Json[]),
  ].map(deref);
  return Object.fromEntries(
    declared.filter((p) => p.in === 'path').map((p) => [p.name as string, deref(p.schema)]),
  );
}

/** The server templates an operation is served under (its own `servers`, else the spec's). */
export function operationServers(operationId: OperationId): Server[] {
  return (operationObject(operationId).servers ?? spec.servers) as unknown as Server[];
}

export interface SecurityScheme {
  type: string;
  in?: string;
  name?: string;
  scheme?: string;
}

/** The operation's security alternatives (its own `security`, else the spec's), each resolved to its schemes. */
export function securityAlternatives(operationId: OperationId): SecurityScheme[][] {
  const requirements = (operationObject(operationId).security ?? spec.security ?? []) as JsonObject[];
  const schemes = ((spec.components as JsonObject).securitySchemes ?? {}) as JsonObject;
  return requirements.map((requirement) =>
    Object.keys(requirement).map((name) => schemes[name] as unknown as SecurityScheme),
  );
}

/** Whether request headers (names lower-cased) carry the credential a security scheme describes. */
export function credentialPresent(scheme: SecurityScheme, headers: Record<string, string>): boolean {
  if (scheme.type === 'http' && scheme.scheme === 'bearer')
    return /^Bearer \S+/.test(headers.authorization ?? '');
  if (scheme.type === 'apiKey' && scheme.in === 'header')
    return Boolean(headers[(scheme.name ?? '').toLowerCase()]);
  if (scheme.type === 'apiKey' && scheme.in === 'cookie') {
    return (headers.cookie ?? '').split(';').some((pair) => pair.trim().startsWith(`${scheme.name}=`));
  }
  return false;
}
