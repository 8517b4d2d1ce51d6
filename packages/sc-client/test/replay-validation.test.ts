/**
 * The spec against the recorded traffic of a real SC 1.1 server: every recorded API exchange must belong to exactly
 * one operation of openapi/sc.yaml (method + server/base path + path template), its status and content type must be
 * declared there, it must carry a credential of a declared security scheme (the `_oauth2_proxy` cookie here), and
 * its path and query parameters, JSON request body and JSON response body must validate against
 * the generated zod schemas. Only the login pages of oauth2-proxy/dex and two redirect hops are not API exchanges;
 * they are listed below one by one, so nothing else can slip through unmatched.
 */
import { describe, expect, it } from 'vitest';
import { operations } from '../src/generated/resources.js';
import { operationSchemas, schemas } from '../src/generated/zod.js';
import { mediaType, type RecordedExchange, readAllCassettes } from './helpers/cassettes.js';
import {
  credentialPresent,
  declaredRequestBody,
  declaredResponse,
  matchRoutes,
  mediaTypeAllowed,
  type OperationId,
  securityAlternatives,
  typedQuery,
} from './helpers/spec-routes.js';

/** The oauth2-proxy + dex login dance (sc-api.md §2.1): HTML pages and redirects outside `/api`, recorded twice. */
const LOGIN_PAGES = [
  'GET /user/login',
  'GET /oauth2/start',
  'GET /dex/auth',
  'GET /dex/auth/ldap',
  'GET /dex/auth/ldap/login',
  'POST /dex/auth/ldap/login',
  'GET /dex/approval',
  'GET /oauth2/callback',
  'GET /',
];

/**
 * The client asked `/api/v1.0//product_info` (double slash); the server answered with two 308 hops (to `http://`,
 * then back to `https://`) ending at `GET /api/v1.0/product_info`, which is an API exchange and is validated.
 */
const REDIRECT_HOPS = [
  'GET https://dummy_host/api/v1.0//product_info',
  'GET http://dummy_host/api/v1.0/product_info',
];

const exchanges = readAllCassettes();
const where = (x: RecordedExchange) =>
  `${x.cassette}#${x.index} ${x.method} ${x.url.pathname}${x.url.search}`;
const isLoginPage = (x: RecordedExchange) => LOGIN_PAGES.includes(`${x.method} ${x.url.pathname}`);
const isRedirectHop = (x: RecordedExchange) =>
  REDIRECT_HOPS.includes(`${x.method} ${x.url.origin}${x.url.pathname}`);
const apiExchanges = exchanges.filter((x) => !isLoginPage(x) && !isRedirectHop(x));

function text(body: string | Uint8Array | null): string {
  return body === null ? '' : typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
}

/** What the generated zod (mini) schemas offer; enough to validate without caring which schema it is. */
interface Validator {
  safeParse(value: unknown): ValidationResult;
}
interface ValidationResult {
  success: boolean;
  error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
}

function issues(result: ValidationResult) {
  return result.success
    ? []
    : (result.error?.issues ?? []).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

/** Every problem of one exchange against its operation, as lines; empty when it conforms. */
async function problems(x: RecordedExchange, operationId: OperationId, pathParams: Record<string, string>) {
  const found: string[] = [];
  const op = operations[operationId];
  const parts = operationSchemas[operationId] as unknown as Partial<
    Record<'path' | 'query' | 'body' | 'response', Validator>
  >;

  if (parts.path) found.push(...issues(parts.path.safeParse(pathParams)).map((m) => `path ${m}`));
  const unknownQuery = [...x.url.searchParams.keys()].filter(
    (k) => !(op.queryParams as readonly string[]).includes(k),
  );
  if (unknownQuery.length > 0) found.push(`query parameters not in the spec: ${unknownQuery.join(', ')}`);
  if (parts.query) {
    found.push(
      ...issues(parts.query.safeParse(typedQuery(operationId, x.url.searchParams))).map((m) => `query ${m}`),
    );
  }

  const requestBody = declaredRequestBody(operationId);
  if (x.requestBody === null) {
    if (op.bodyRequired) found.push('the spec requires a request body; none was sent');
  } else if (!requestBody) {
    found.push('a request body was sent; the spec declares none');
  } else {
    const sentType = mediaType(x.requestHeaders['content-type']);
    if (!mediaTypeAllowed(requestBody.mediaTypes, sentType)) {
      found.push(`request Content-Type ${sentType} is not one of ${requestBody.mediaTypes.join(', ')}`);
    } else if (sentType === 'application/json') {
      const result = parts.body?.safeParse(JSON.parse(text(x.requestBody)));
      if (result) found.push(...issues(result).map((m) => `request body ${m}`));
    } else if (sentType === 'multipart/form-data') {
      const form = await new Response(new Uint8Array(x.requestBody as Uint8Array), {
        headers: { 'content-type': x.requestHeaders['content-type'] as string },
      }).formData();
      const required = (requestBody.schema?.required ?? []) as string[];
      const declaredFields = Object.keys((requestBody.schema?.properties ?? {}) as object);
      for (const field of required) {
        const part = form.get(field);
        if (!(part instanceof File) || part.name === '' || part.size === 0) {
          found.push(`multipart part "${field}" missing or not a named, non-empty file`);
        }
      }
      const extra = [...form.keys()].filter((k) => !declaredFields.includes(k));
      if (extra.length > 0) found.push(`multipart parts not in the spec: ${extra.join(', ')}`);
    }
  }

  // The recorded client sent the credential one of the operation's security alternatives names.
  const alternatives = securityAlternatives(operationId);
  if (
    alternatives.length > 0 &&
    !alternatives.some((schemes) => schemes.every((scheme) => credentialPresent(scheme, x.requestHeaders)))
  ) {
    found.push('no credential of the declared security schemes was sent');
  }

  const response = declaredResponse(operationId, x.status);
  const receivedType = mediaType(x.responseHeaders['content-type']);
  if (!response) {
    found.push(`status ${x.status} is not declared by the operation`);
  } else if (!mediaTypeAllowed(response.mediaTypes, receivedType)) {
    found.push(
      `response Content-Type ${receivedType} is not one of ${response.mediaTypes.join(', ') || '(none)'}`,
    );
  } else if (receivedType === 'application/json') {
    const body = JSON.parse(text(x.responseBody)) as unknown;
    // The 2xx answer goes through the operation's generated response schema; errors through their component.
    const schema =
      x.status < 300
        ? parts.response
        : (schemas as unknown as Record<string, Validator>)[response.schemaName ?? ''];
    if (!schema) found.push(`no generated schema for status ${x.status}`);
    else found.push(...issues(schema.safeParse(body)).map((m) => `response body ${m}`));
  } else if (typeof x.responseBody === 'string' || x.responseBody.length === 0) {
    found.push(`expected a binary ${receivedType} body`);
  }
  return found;
}

describe('openapi/sc.yaml against the recorded SC 1.1 traffic', () => {
  it('finds the excluded login pages and redirect hops where the fact sheet says they are', () => {
    const login = exchanges.filter(isLoginPage);
    // Two recorded logins (client.yaml, session.yaml), nine steps each (sc-api.md §2.1).
    expect(login.map((x) => x.cassette).sort()).toEqual([
      ...Array(9).fill('client.yaml'),
      ...Array(9).fill('session.yaml'),
    ]);
    expect(new Set(login.map((x) => `${x.method} ${x.url.pathname}`))).toEqual(new Set(LOGIN_PAGES));
    for (const x of login)
      expect(mediaType(x.responseHeaders['content-type'] ?? 'text/html')).toBe('text/html');

    const hops = exchanges.filter(isRedirectHop);
    expect(hops).toHaveLength(4);
    for (const hop of hops) {
      expect(hop.status).toBe(308);
      const target = new URL(hop.responseHeaders.location as string);
      expect(target.pathname).toBe('/api/v1.0/product_info');
      expect(matchRoutes('GET', target.pathname).map((m) => m.operationId)).toEqual(['getProductInfo']);
    }
  });

  it('matches every recorded API exchange to exactly one operation, and each validates', async () => {
    const unmatched: string[] = [];
    const failures: string[] = [];
    const counts = new Map<string, number>();
    for (const x of apiExchanges) {
      const matches = matchRoutes(x.method, x.url.pathname);
      if (matches.length !== 1) {
        unmatched.push(
          `${where(x)}: ${matches.length === 0 ? 'no operation' : matches.map((m) => m.operationId).join(' / ')}`,
        );
        continue;
      }
      const [{ operationId, pathParams }] = matches as [(typeof matches)[number]];
      counts.set(`${operationId} ${x.status}`, (counts.get(`${operationId} ${x.status}`) ?? 0) + 1);
      for (const problem of await problems(x, operationId, pathParams))
        failures.push(`${where(x)} (${operationId}): ${problem}`);
    }
    const matched = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(
      `sc replay validation: ${matched} of ${apiExchanges.length} recorded API exchanges matched and validated ` +
        `(${exchanges.length} in ${new Set(exchanges.map((x) => x.cassette)).size} cassettes; ` +
        `${exchanges.length - apiExchanges.length} login pages / redirect hops excluded)\n` +
        [...counts.entries()]
          .sort()
          .map(([key, n]) => `  ${String(n).padStart(3)}  ${key}`)
          .join('\n'),
    );
    expect(unmatched).toEqual([]);
    expect(failures).toEqual([]);
    expect(matched).toBe(197);
    // The routes the recordings exercise (sc-api.md §8), each at least once.
    expect(new Set([...counts.keys()].map((k) => k.split(' ')[0]))).toEqual(
      new Set([
        'getProductInfo',
        'listWorkspaces',
        'listProjectsTrailingSlash',
        'createProject',
        'deleteProject',
        'getProjectStatus',
        'listSupportedAlgorithms',
        'getConfiguration',
        'setConfiguration',
        'getTaskConfiguration',
        'setTaskConfiguration',
        'listImages',
        'createImage',
        'deleteImage',
        'downloadImage',
        'createImageAnnotation',
      ]),
    );
    expect(counts.get('deleteProject 409')).toBe(1);
  });

  it('reports what is wrong with an exchange that does not conform (the check can fail)', async () => {
    const pick = (operationId: OperationId) => {
      const x = apiExchanges.find(
        (e) => matchRoutes(e.method, e.url.pathname)[0]?.operationId === operationId,
      );
      if (!x) throw new Error(`no recorded ${operationId}`);
      return x;
    };
    const check = (x: RecordedExchange) => {
      const [match] = matchRoutes(x.method, x.url.pathname);
      if (!match) throw new Error(`no operation for ${where(x)}`);
      return problems(x, match.operationId, match.pathParams);
    };
    const json = (body: string | Uint8Array | null) => JSON.parse(text(body));

    const annotation = pick('createImageAnnotation');
    const scene = json(annotation.responseBody);
    delete scene.annotations[0].shape.width;
    expect(await check({ ...annotation, responseBody: JSON.stringify(scene) })).toEqual([
      expect.stringMatching(/^response body annotations\.0\.shape/),
    ]);

    const project = pick('createProject');
    const create = json(project.requestBody);
    create.pipeline.tasks[1].task_type = 'detektion';
    expect(await check({ ...project, requestBody: JSON.stringify(create) })).toEqual([
      expect.stringMatching(/^request body pipeline\.tasks\.1\.task_type/),
    ]);
    expect(await check({ ...project, status: 418 })).toEqual(['status 418 is not declared by the operation']);

    const upload = pick('createImage');
    const renamed = Buffer.from(upload.requestBody as Uint8Array)
      .toString('latin1')
      .replace('name="file"', 'name="image"');
    expect(await check({ ...upload, requestBody: Buffer.from(renamed, 'latin1') })).toEqual([
      'multipart part "file" missing or not a named, non-empty file',
      'multipart parts not in the spec: image',
    ]);

    expect(await check({ ...project, requestHeaders: { ...project.requestHeaders, cookie: '' } })).toEqual([
      'no credential of the declared security schemes was sent',
    ]);

    const page = pick('listImages');
    const url = new URL(page.url);
    url.searchParams.set('limit', '5');
    url.pathname = url.pathname.replace(/projects\/[0-9a-f]{24}/, 'projects/not-an-id');
    expect(await check({ ...page, url })).toEqual([
      expect.stringMatching(/^path project_id: /),
      'query parameters not in the spec: limit',
    ]);
  });

  it('resolves every server-given API path in the recorded bodies (next_page, display_url, thumbnail) to a GET operation', () => {
    const links = new Map<string, number>();
    const unresolved: string[] = [];
    const visit = (node: unknown, key: string) => {
      if (Array.isArray(node)) for (const item of node) visit(item, key);
      else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(v, k);
      else if (typeof node === 'string' && ['next_page', 'display_url', 'thumbnail'].includes(key)) {
        // SC 1.1 appends a space to display_url; clients strip it (sc-api.md §3).
        const url = new URL(node.trim(), 'https://dummy_host');
        const matches = matchRoutes('GET', url.pathname);
        if (matches.length !== 1) unresolved.push(`${key}: ${node}`);
        else {
          const id = `${key} -> ${matches[0]?.operationId}`;
          links.set(id, (links.get(id) ?? 0) + 1);
          const query = operations[matches[0]?.operationId as OperationId].queryParams as readonly string[];
          for (const name of url.searchParams.keys())
            if (!query.includes(name)) unresolved.push(`${key}: ${node} (query ${name})`);
        }
      }
    };
    for (const x of apiExchanges) {
      if (mediaType(x.responseHeaders['content-type']) === 'application/json')
        visit(JSON.parse(text(x.responseBody)), '');
    }
    expect(unresolved).toEqual([]);
    expect([...links.keys()].sort()).toEqual([
      'display_url -> downloadImage',
      'next_page -> listImages',
      'thumbnail -> downloadImageThumbnail',
      'thumbnail -> getProjectThumbnail',
    ]);
  });
});
