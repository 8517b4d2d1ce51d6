/**
 * Replay of EVERY recorded cassette (test/fixtures/hub-cassettes): MSW serves the recorded response for the
 * recorded method + URI; the test makes the same call through `HubClient` and checks
 * - what the client sent: the recorded method, path and JSON body (token included, in the recorded field; gzip for
 *   the optimizers service), field for field;
 * - what the client made of the answer: `data` for 200/201, the text for `text/plain`, the right error class and
 *   `error_param`s for errors, the 503 HTML page as `RetryableApiError` (never `NetworkError`).
 *
 * Deliberate differences from the Python client, each asserted rather than hidden:
 * - requests the spec declares invalid (`dataset_manifests/create_invalid`, `status/get_status_invalid`, the three
 *   invalid optimizer calls) fail BEFORE sending with `MissingParamError` naming the same fields the server named;
 *   the recorded exchange is then replayed with `validate: 'off'`;
 * - `iterate` stops at `total`: `dataset_manifests/all_index` needs 3 of its 4 requests (the 4th, the empty last
 *   page, is replayed on its own with `list`);
 * - Python sent NaN/Infinity (invalid JSON); JSON.stringify sends null, so those fields compare as null.
 */

import { readRequestText } from '@mlclients/package-core/testing';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { operationSchemas } from '../../src/generated/zod.js';
import {
  AuthenticationError,
  ConnectionError,
  createHubClient,
  errorParams,
  FatalApiError,
  type HubClientOptions,
  InvalidParamsError,
  MissingParamError,
  NotFoundError,
  RetryableApiError,
} from '../../src/index.js';
import { buildOperationIndex } from '../../src/mocks/index.js';
import { callOperation } from '../helpers/call.js';
import { type Cassette, type Interaction, loadCassettes, parsePythonJson } from './cassettes.js';

const cassettes = loadCassettes();
const server = setupServer();
const routes = buildOperationIndex();
const replayed = new Set<string>();
let interactionsReplayed = 0;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => {
  server.close();
  console.log(
    `replayed ${replayed.size}/${cassettes.length} cassettes (${interactionsReplayed} interactions)`,
  );
});

const TOKEN_OPTION: Record<string, keyof HubClientOptions> = {
  project_api_token: 'projectToken',
  cluster_api_token: 'clusterToken',
  token: 'token',
  system_token: 'systemToken',
};

interface Sent {
  method: string;
  path: string;
  body: unknown;
  contentEncoding: string | null;
}

/** Serve `interactions` in order; record what the client sent. */
function serve(interactions: Interaction[]): Sent[] {
  const sent: Sent[] = [];
  let next = 0;
  const urls = [...new Set(interactions.map((i) => `${i.request.url.origin}${i.request.url.pathname}`))];
  server.use(
    ...urls.map((url) =>
      http.all(url, async ({ request }) => {
        const text = await readRequestText(request);
        sent.push({
          method: request.method,
          path: new URL(request.url).pathname,
          body: text ? parsePythonJson(text).value : undefined,
          contentEncoding: request.headers.get('content-encoding'),
        });
        const rec = interactions[Math.min(next++, interactions.length - 1)]!.response;
        const headers = new Headers();
        for (const [k, v] of Object.entries(rec.headers)) {
          if (!['content-length', 'transfer-encoding', 'content-encoding'].includes(k)) headers.set(k, v);
        }
        return new HttpResponse(rec.bodyText, { status: rec.status, statusText: rec.statusText, headers });
      }),
    ),
  );
  return sent;
}

/** The client options that reproduce the recorded request (token in the recorded field, recorded origins). */
function optionsFor(i: Interaction, extra: Partial<HubClientOptions> = {}): HubClientOptions {
  const o: HubClientOptions = {
    baseUrl: i.request.url.origin,
    optimizersUrl: i.request.url.origin,
    ...extra,
  };
  for (const [field, option] of Object.entries(TOKEN_OPTION)) {
    const v = i.request.body?.[field];
    if (typeof v === 'string') (o as unknown as Record<string, unknown>)[option] = v;
  }
  return o;
}

function withoutTokens(body: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = { ...(body ?? {}) };
  for (const f of Object.keys(TOKEN_OPTION)) delete out[f];
  return out;
}

/** Path params typed as the spec types them (integer ids are numbers). */
function typedPathParams(operationId: string, params: Record<string, string>): Record<string, unknown> {
  const shape = (
    operationSchemas as Record<string, { path?: { shape?: Record<string, { def?: { type?: string } }> } }>
  )[operationId]?.path?.shape;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[k] = shape?.[k]?.def?.type === 'number' ? Number(v) : v;
  return out;
}

type Hub = ReturnType<typeof createHubClient>;

/** Make the call the recording shows, through the public resource methods. */
async function invoke(
  hub: Hub,
  i: Interaction,
): Promise<{ value?: unknown; error?: unknown; operationId: string }> {
  const m = routes.match(i.request.method, i.request.url.pathname);
  if (!m) throw new Error(`no operation for ${i.request.method} ${i.request.url.pathname}`);
  const body = withoutTokens(i.request.body);
  const params = { ...body, ...typedPathParams(m.operationId, m.params) };
  let run: () => Promise<unknown>;
  if (m.operationId === 'createTrial' && body.refit_data_path !== undefined) {
    run = () => hub.trials.refit(body.id as string, body.refit_data_path as string);
  } else {
    if (m.op === 'list' && params.limit === 50 && params.offset === 0) {
      // Let the client add the defaults it must send (`limit: 50, offset: 0`) when the recording has exactly those.
      delete params.limit;
      delete params.offset;
    }
    run = () => callOperation(hub, m.operationId, params);
  }
  try {
    return { value: await run(), operationId: m.operationId };
  } catch (error) {
    return { error, operationId: m.operationId };
  }
}

function expectSent(sent: Sent | undefined, i: Interaction): void {
  expect(sent, 'the client sent nothing').toBeDefined();
  expect(sent!.method).toBe(i.request.method);
  expect(sent!.path).toBe(i.request.url.pathname);
  expect(sent!.body).toEqual(i.request.body);
  if (i.request.gzip) expect(sent!.contentEncoding).toBe('gzip');
}

function recordedErrorParams(i: Interaction): string[] {
  const parsed = (() => {
    try {
      return JSON.parse(i.response.bodyText) as { meta?: { errors?: { error_param?: string }[] } };
    } catch {
      return undefined;
    }
  })();
  return (parsed?.meta?.errors ?? []).map((e) => e.error_param).filter((p): p is string => !!p);
}

/** What the recorded response means, asserted on the outcome. */
function expectOutcome(outcome: { value?: unknown; error?: unknown }, i: Interaction): void {
  const { status, contentType, bodyText } = i.response;
  if (status === 200 || status === 201) {
    expect(outcome.error).toBeUndefined();
    if (contentType.startsWith('text/plain')) {
      expect(outcome.value).toBe(bodyText);
      return;
    }
    const data = (JSON.parse(bodyText) as { data: unknown }).data;
    const v = outcome.value as { data?: unknown } | undefined;
    // A list answers a Page (`page.data` holds the items); everything else answers `data` itself.
    if (v && typeof v === 'object' && 'data' in v && 'pagination' in v) expect(v.data).toEqual(data);
    else expect(outcome.value).toEqual(data);
    return;
  }
  const err = outcome.error;
  expect(err, `expected an error for ${status}`).toBeDefined();
  expect(err).not.toBeInstanceOf(ConnectionError);
  expect((err as { status?: number }).status).toBe(status);
  const json = contentType.includes('json');
  if (status === 400 && json) {
    expect(err).toBeInstanceOf(InvalidParamsError);
    expect(errorParams(err)).toEqual(recordedErrorParams(i));
  } else if (status === 400) {
    expect(err).toBeInstanceOf(FatalApiError);
    expect(err).not.toBeInstanceOf(InvalidParamsError);
  } else if (status === 401) {
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(errorParams(err)).toEqual(recordedErrorParams(i));
  } else if (status === 404) {
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toContain("Couldn't find");
  } else {
    expect(err).toBeInstanceOf(RetryableApiError);
  }
}

/** Cassettes with a dedicated test below. */
const SPECIAL = new Set(['dataset_manifests/all_index.yaml', 'general_errors/server_unavailable.yaml']);
/** Requests the spec rejects before sending (the server named the same fields). */
const REJECTED_BY_SPEC = new Set([
  'dataset_manifests/create_invalid.yaml',
  'status/get_status_invalid.yaml',
  'optimizers_service/get_fte_invalid.yaml',
  'optimizers_service/get_next_trials_invalid_request.yaml',
  // Its body (`{x: 1}`) lacks optimizer_name too; with validation off the recorded 401 is reached.
  'optimizers_service/get_next_trials_invalid_token.yaml',
]);

describe('replay of the recorded Hub traffic', () => {
  it('finds every cassette', () => {
    expect(cassettes.length).toBe(115);
  });

  const plain = cassettes.filter((c) => !SPECIAL.has(c.name));
  it.each(plain.map((c) => [c.name, c] as [string, Cassette]))('%s', async (name, cassette) => {
    for (const i of cassette.interactions) {
      if (REJECTED_BY_SPEC.has(name)) {
        const strict = serve([i]);
        const pre = await invoke(createHubClient(optionsFor(i)), i);
        expect(pre.error).toBeInstanceOf(MissingParamError);
        expect(strict).toHaveLength(0);
        // A recorded 400 names the fields the server rejected: the client must name the same ones.
        const paths = (pre.error as MissingParamError).issues.map((x) => x.path);
        if (i.response.status === 400) for (const p of recordedErrorParams(i)) expect(paths).toContain(p);
        server.resetHandlers();
      }
      const sent = serve([i]);
      const validate = REJECTED_BY_SPEC.has(name) ? 'off' : 'error';
      const outcome = await invoke(createHubClient(optionsFor(i, { validate, retriesCount: 0 })), i);
      expect(sent).toHaveLength(1);
      expectSent(sent[0], i);
      expectOutcome(outcome, i);
      interactionsReplayed++;
      server.resetHandlers();
    }
    replayed.add(name);
  });

  it('dataset_manifests/all_index.yaml: iterate stops at total (3 requests, not 4); the empty last page parses', async () => {
    const cassette = cassettes.find((c) => c.name === 'dataset_manifests/all_index.yaml')!;
    const [first] = cassette.interactions;
    const sent = serve(cassette.interactions);
    const hub = createHubClient(optionsFor(first!));
    const items = await hub.datasetManifests.iterate({ limit: 1 }, { concurrency: 1 }).toArray();
    const recorded = cassette.interactions.flatMap(
      (i) => (JSON.parse(i.response.bodyText) as { data: unknown[] }).data,
    );
    expect(items).toEqual(recorded);
    expect(sent).toHaveLength(3);
    for (const [n, s] of sent.entries()) expectSent(s, cassette.interactions[n]!);
    server.resetHandlers();

    const last = cassette.interactions[3]!;
    const sentLast = serve([last]);
    const page = await hub.datasetManifests.list({ limit: 1, offset: 3 });
    expectSent(sentLast[0], last);
    expect(page.data).toEqual([]);
    expect(page.pagination).toMatchObject({ total: 3 });
    expect(page.hasNextPage()).toBe(false);
    interactionsReplayed += 4;
    replayed.add(cassette.name);
  });

  it('general_errors/server_unavailable.yaml: 3 GETs with retriesCount 2, then RetryableApiError (not NetworkError)', async () => {
    const cassette = cassettes.find((c) => c.name === 'general_errors/server_unavailable.yaml')!;
    const [first] = cassette.interactions;
    const sent = serve(cassette.interactions);
    const hub = createHubClient(optionsFor(first!, { retriesCount: 2, retryWaitSeconds: 0 }));
    const outcome = await invoke(hub, first!);
    expect(sent).toHaveLength(3);
    for (const [n, s] of sent.entries()) expectSent(s, cassette.interactions[n]!);
    expectOutcome(outcome, first!);
    expect(outcome.error).toBeInstanceOf(RetryableApiError);
    expect((outcome.error as Error).message).toContain('503');
    expect((outcome.error as Error).message).toContain('Application Error');
    expect((outcome.error as { attempts?: number }).attempts).toBe(3);
    interactionsReplayed += 3;
    replayed.add(cassette.name);
  });

  it('replayed all of them', () => {
    // Runs last in this file (vitest runs tests in order).
    expect([...replayed].sort()).toEqual(cassettes.map((c) => c.name).sort());
  });
});
