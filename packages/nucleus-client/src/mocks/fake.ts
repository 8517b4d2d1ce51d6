/**
 * A stateful fake of Scale Nucleus on package-core's fake engine: the engine routes by the generated operation
 * table, reads the request from any transport, runs the fault switchboard, keeps the redacted journal and checks
 * every answer against openapi/nucleus.yaml. This file puts Nucleus's parts together: the base path
 * (`/v1/nucleus`), the auth check, the signed-URL storage that the async path PUTs to, and the handlers.
 */
import {
  attachRequestBody,
  createFakeEngine,
  type ExpectedAnswer,
  type FakeEngine,
  FaultSwitchboard,
  type JournalEntry,
  type RoutableOperation,
  readRequestBytes,
  type SafeParser,
} from '@mlclients/package-core/testing';
import { http, type RequestHandler } from 'msw';
import { operations } from '../generated/index.js';
import { operationSchemas } from '../generated/zod.js';
import { nucleusError } from './answers.js';
import { NucleusContext, type NucleusFakeOptions, type NucleusHandler } from './context.js';
import { annotationHandlers } from './handlers/annotations.js';
import { datasetHandlers } from './handlers/datasets.js';
import { exportHandlers } from './handlers/exports.js';
import { ingestItems, itemHandlers } from './handlers/items.js';
import { jobHandlers } from './handlers/jobs.js';
import { modelHandlers } from './handlers/models.js';
import { sceneHandlers } from './handlers/scenes.js';
import { sliceHandlers } from './handlers/slices.js';
import { MASK_PATH, multipartToJson } from './multipart.js';
import type { NucleusState } from './state.js';

export type { NucleusFakeOptions } from './context.js';

/** The real API's base path. */
export const BASE_PATH = '/v1/nucleus';
/** Where the signed URLs of the fake point (its own stand-in for S3). */
export const STORAGE_PATH = '/_storage/nucleus-uploads/';

/** What `createNucleusFake` returns: the handlers, and the state, faults and journal behind them. */
export interface NucleusFake {
  /** MSW handlers: `setupServer(...fake.handlers)`. */
  handlers: RequestHandler[];
  /** Answer one WHATWG Request (what `tools/mock-server` calls). */
  handle(request: Request): Promise<Response>;
  /** The fake's data: datasets, items, annotations, models, slices, jobs. */
  state: NucleusState;
  /** Inject failures (status codes, delays, dropped connections) into chosen operations. */
  faults: FaultSwitchboard;
  /** Every answered request, in order, secrets redacted. */
  journal: JournalEntry[];
  /** The operation router and answer pipeline the handlers share. */
  engine: FakeEngine;
  /** Empty the state, the journal and the faults, and re-apply the seed. */
  reset(): void;
}

const HANDLERS: Readonly<Record<string, NucleusHandler>> = {
  ...datasetHandlers,
  ...itemHandlers,
  ...annotationHandlers,
  ...modelHandlers,
  ...sliceHandlers,
  ...sceneHandlers,
  ...jobHandlers,
  ...exportHandlers,
};

/**
 * What the fake does not model (Validate, Evaluations V2, autotags, embeddings and indexing, tracks, taxonomies,
 * Scale task import/export, Launch inference...: outside the objects issue 12 asks the fake to keep): a 501 whose
 * body names the route, so a test that reaches one fails saying what it hit, never with a made-up answer.
 */
function notModelled(op: { operationId: string; method: string; path: string }): NucleusHandler {
  const route = `${op.method.toUpperCase()} ${BASE_PATH}${op.path} (${op.operationId})`;
  return () =>
    nucleusError(
      501,
      `The Nucleus fake does not model ${route}; serve the spec's examples with \`npm run mock -- nucleus --prism\` for it`,
    );
}

/** The operations the fake answers with `notModelled()` (a 501 naming the operation). */
export const NOT_MODELLED: readonly string[] = Object.values(operations)
  .map((op) => op.operationId)
  .filter((id) => !(id in HANDLERS))
  .sort();

function expectation(answer: { operationId: string; status: number }): ExpectedAnswer | string {
  if (answer.status !== 200) return { any: true }; // the spec's error response: any body (undocumented shape)
  const schema = (operationSchemas as unknown as Record<string, { response?: SafeParser }>)[
    answer.operationId
  ]?.response;
  return schema ? { schema } : 'no response schema';
}

/** The key a request authenticates with, or the reason it does not. */
function authProblem(headers: Headers, options: NucleusFakeOptions): string | undefined {
  const basic = headers.get('authorization');
  const limited = headers.get('x-limited-access-key');
  if (basic && limited) return 'Send either basic auth or x-limited-access-key, not both';
  if (limited)
    return !options.limitedAccessKeys || options.limitedAccessKeys.includes(limited)
      ? undefined
      : 'Invalid limited access key';
  const m = basic ? /^Basic\s+(.+)$/i.exec(basic) : null;
  if (!m) return 'Missing API key (HTTP basic auth, the key as username)';
  let credentials: string;
  try {
    // atob, not Buffer: the fake also runs in a browser. The key is ASCII; decode the bytes as UTF-8 all the same.
    credentials = new TextDecoder().decode(Uint8Array.from(atob(m[1]!.trim()), (c) => c.charCodeAt(0)));
  } catch {
    return 'Invalid API key';
  }
  const [user, password] = credentials.split(':');
  if (!user || password) return 'Invalid API key (the key is the username, the password is empty)';
  return !options.apiKeys || options.apiKeys.includes(user) ? undefined : 'Invalid API key';
}

/**
 * Build the Nucleus stateful fake: serve it with MSW (`fake.handlers`) or any server (`fake.handle(request)`).
 *
 * @example
 * ```ts
 * const fake = createNucleusFake({ baseUrl: 'http://nucleus.test/v1/nucleus', apiKeys: ['test-key'] });
 * setupServer(...fake.handlers).listen();
 * fake.faults.status(503, { operationId: 'appendDatasetItems', times: 2 });
 * ```
 */
export function createNucleusFake(options: NucleusFakeOptions = {}): NucleusFake {
  const ctx = new NucleusContext(options);
  const faults = new FaultSwitchboard();
  const handlers: Record<string, (call: Parameters<NucleusHandler>[0]) => ReturnType<NucleusHandler>> = {};
  for (const op of Object.values(operations)) {
    const h = HANDLERS[op.operationId] ?? notModelled(op);
    handlers[op.operationId] = (call) => h(call, ctx);
  }

  const engine = createFakeEngine({
    name: 'nucleus',
    operations: Object.values(operations) as RoutableOperation[],
    handlers,
    faults,
    secretKeys: ['authorization', 'x-limited-access-key'],
    expectations: expectation,
    ...(options.conformance ? { conformance: options.conformance } : {}),
    before: (call) => {
      const problem = authProblem(call.headers, options);
      return problem ? nucleusError(401, problem) : undefined;
    },
    noRoute: (method, path) => ({
      status: 404,
      text: `Cannot ${method} ${BASE_PATH}${path}`,
      contentType: 'text/html; charset=utf-8',
    }),
    malformedBody: () => nucleusError(400, 'Request body is not valid JSON'),
    faultBody: (status) =>
      nucleusError(
        status,
        status === 503
          ? 'upstream connect error or disconnect/reset before headers. reset reason: local reset'
          : `injected ${status}`,
      ),
    headers: () => ({ 'x-request-id': globalThis.crypto.randomUUID() }),
  });

  const applySeed = () => {
    for (const d of options.seed?.datasets ?? []) {
      const id = typeof d.id === 'string' ? d.id : ctx.state.id('ds');
      const ds = {
        id,
        name: String(d.name ?? id),
        is_scene: d.is_scene === true,
        use_privacy_mode: d.use_privacy_mode === true,
        tags: [],
        items: new Map(),
        annotations: new Map(),
        scenes: new Map(),
      };
      ctx.state.datasets.set(id, ds);
      ingestItems(ctx, ds, Array.isArray(d.items) ? d.items : [], false);
    }
    for (const m of options.seed?.models ?? []) {
      const id = typeof m.id === 'string' ? m.id : ctx.state.id('prj');
      ctx.state.models.set(id, { metadata: {}, tags: [], trained_slice_ids: [], ...m, id });
    }
  };
  applySeed();

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith(MASK_PATH)) {
      const mask = ctx.state.masks.get(url.pathname.slice(MASK_PATH.length).replace(/\.png$/, ''));
      if (request.method !== 'GET') return new Response('Method not allowed', { status: 405 });
      return mask
        ? new Response(mask as BodyInit, { headers: { 'content-type': 'image/png' } })
        : new Response('<Error><Code>NoSuchKey</Code></Error>', { status: 404 });
    }
    if (url.pathname.startsWith(STORAGE_PATH)) {
      if (request.method !== 'PUT') return new Response('Method not allowed', { status: 405 });
      const requestId = decodeURIComponent(url.pathname.slice(STORAGE_PATH.length));
      // A signed URL carries its own authorization; Nucleus credentials must not travel to storage.
      if (request.headers.get('authorization') || request.headers.get('x-limited-access-key'))
        return new Response(
          '<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>',
          { status: 400 },
        );
      ctx.state.uploads.set(requestId, new TextDecoder().decode(await readRequestBytes(request)));
      return new Response(null, { status: 200 });
    }
    const at = url.pathname.indexOf(BASE_PATH);
    if (at < 0) return engine.handle(request); // answered by noRoute
    url.pathname = url.pathname.slice(at + BASE_PATH.length) || '/';
    let bytes = await readRequestBytes(request);
    let headers = request.headers;
    if (/^multipart\/form-data/i.test(request.headers.get('content-type') ?? '')) {
      const converted = await multipartToJson(url.pathname, url.origin, request.headers, bytes, ctx.state);
      if ('status' in converted)
        return new Response(JSON.stringify(converted.json), {
          status: converted.status,
          headers: { 'content-type': 'application/json' },
        });
      bytes = converted.bytes;
      headers = new Headers({ 'content-type': 'application/json' });
      for (const [k, v] of request.headers)
        if (k !== 'content-type' && k !== 'content-length') headers.set(k, v);
    }
    const bodyAllowed = request.method !== 'GET' && request.method !== 'HEAD';
    const inner = new Request(url, {
      method: request.method,
      headers,
      ...(bodyAllowed && bytes.byteLength ? { body: bytes as BodyInit } : {}),
    });
    if (bytes.byteLength) attachRequestBody(inner, bytes);
    return engine.handle(inner);
  }

  const base = options.baseUrl ? options.baseUrl.replace(/\/+$/, '') : `*${BASE_PATH}`;
  const origin = options.baseUrl ? new URL(options.baseUrl).origin : '*';
  return {
    handlers: [
      http.put(`${origin}${STORAGE_PATH}:id`, ({ request }) => handle(request)),
      http.get(`${origin}${MASK_PATH}:id`, ({ request }) => handle(request)),
      http.all(`${base}/*`, ({ request }) => handle(request)),
    ],
    handle,
    state: ctx.state,
    faults,
    journal: engine.journal.entries,
    engine,
    reset() {
      ctx.state.clear();
      faults.clear();
      engine.journal.clear();
      applySeed();
    },
  };
}
