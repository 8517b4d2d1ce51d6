/**
 * The path templates of openapi/sc.yaml never collide: any request built from an operation's template, with any valid
 * parameter values and under any base path its servers allow, routes back to that operation and no other. A router
 * (the later fake) and the replay tests rely on that; the Geti colon routes (`{project_id}:train`) and literal
 * segments (`projects/uploads/resumable`) are where a collision could hide.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operations } from '../src/generated/resources.js';
import {
  matchRoutes,
  type OperationId,
  operationServers,
  pathParameterSchemas,
} from './helpers/spec-routes.js';

const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 });
const token = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'),
  minLength: 1,
  maxLength: 30,
});

/** A value the parameter's schema accepts, as it appears in a URL. */
function parameterValue(schema: Record<string, unknown>): fc.Arbitrary<string> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as string[]));
  if (schema.type === 'integer') return fc.nat({ max: 1_000_000 }).map(String);
  if (schema.pattern === '^[0-9a-f]{24}$') return hex;
  return token;
}

/** `/api/{api_version}{organization}` with each variable's possible values. */
function basePath(operationId: OperationId): fc.Arbitrary<string> {
  return fc.constantFrom(...operationServers(operationId)).chain((server) => {
    const path = server.url.replace(/^https?:\/\/\{host\}/, '');
    const parts = path.split(/(\{[^}]+\})/).map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return fc.constant(part);
      if (name === 'organization')
        return fc.option(
          hex.map((id) => `/organizations/${id}`),
          { nil: '' },
        );
      return fc.constantFrom(
        ...(server.variables?.[name]?.enum ?? [server.variables?.[name]?.default ?? '']),
      );
    });
    return fc.tuple(...parts).map((values) => values.join(''));
  });
}

const request = fc.constantFrom(...(Object.keys(operations) as OperationId[])).chain((operationId) => {
  const op = operations[operationId];
  const schemas = pathParameterSchemas(operationId);
  const names = Object.keys(schemas);
  return fc
    .tuple(basePath(operationId), fc.tuple(...names.map((name) => parameterValue(schemas[name] as never))))
    .map(([base, values]) => ({
      operationId,
      method: op.method.toUpperCase(),
      path:
        base +
        names.reduce((path, name, i) => path.replace(`{${name}}`, values[i] as string), op.path as string),
      params: Object.fromEntries(names.map((name, i) => [name, values[i]])),
    }));
});

describe('sc routing', () => {
  it('routes every request built from a template back to its operation, parameters included', () => {
    fc.assert(
      fc.property(request, ({ operationId, method, path, params }) => {
        expect(matchRoutes(method, path)).toEqual([{ operationId, pathParams: params }]);
      }),
      { numRuns: 2000 },
    );
  });
});
