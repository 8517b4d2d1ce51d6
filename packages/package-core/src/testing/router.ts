/**
 * Method + path -> operation, built from a service's generated operation table (`operations` in
 * `src/generated/resources.ts`), so a fake can only answer what its spec declares.
 */

/** The part of a generated operation entry the router needs. */
export interface RoutableOperation {
  operationId: string;
  /** Lower- or upper-case HTTP method. */
  method: string;
  /** Path template, e.g. `/api/v1/endpoints/{endpoint_id}/predictions/{id}`. */
  path: string;
  /** Base URLs of their own (an operation served by another host, e.g. the Hub's optimizers service). */
  servers?: readonly string[];
}

/** A matched route. */
export interface RouteMatch {
  operationId: string;
  /** Path parameters, URL-decoded. */
  params: Record<string, string>;
}

/** What {@link createRouter} returns. */
export interface Router {
  /** The operation a request is for, with its path parameters; undefined when none matches. */
  match(method: string, pathname: string): RouteMatch | undefined;
  /** True when some operation has this path but another method (the caller answers 404/405 as its service does). */
  hasPath(pathname: string): boolean;
  /** The operations, as given. */
  readonly operations: readonly RoutableOperation[];
}

interface CompiledRoute {
  operation: RoutableOperation;
  method: string;
  pattern: RegExp;
  names: string[];
  literalSegments: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(operation: RoutableOperation): CompiledRoute {
  const names: string[] = [];
  let literalSegments = 0;
  const source = operation.path
    .split('/')
    .map((segment) => {
      const m = /^\{([^}]+)\}$/.exec(segment);
      if (m) {
        names.push(m[1]!);
        return '([^/]+)';
      }
      if (segment) literalSegments++;
      // A parameter inside a segment (Google-style custom methods, `/projects/{id}:train`) stops at the `:`.
      return segment
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const inner = /^\{([^}]+)\}$/.exec(part);
          if (!inner) return escapeRegExp(part);
          names.push(inner[1]!);
          return '([^/:]+)';
        })
        .join('');
    })
    .join('/');
  return {
    operation,
    method: operation.method.toUpperCase(),
    pattern: new RegExp(`^${source}/?$`),
    names,
    literalSegments,
  };
}

/**
 * A router over every operation of a table. A literal segment beats a `{param}` at the same place
 * (`/projects/{id}/logs` and `/status` win over templates that could also match them).
 */
export function createRouter(operations: Iterable<RoutableOperation>): Router {
  const list = [...operations];
  const routes = list
    .map(compile)
    .sort((a, b) => b.literalSegments - a.literalSegments || a.names.length - b.names.length);
  return {
    operations: list,
    match(method, pathname) {
      const upper = method.toUpperCase();
      for (const route of routes) {
        if (route.method !== upper) continue;
        const m = route.pattern.exec(pathname);
        if (!m) continue;
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          params[name] = safeDecode(m[i + 1] ?? '');
        });
        return { operationId: route.operation.operationId, params };
      }
      return undefined;
    },
    hasPath(pathname) {
      return routes.some((r) => r.pattern.test(pathname));
    },
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
