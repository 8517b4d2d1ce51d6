/**
 * The fake engine: what every service fake is assembled from. A service gives its operation table, one handler
 * per operation (or one dispatcher), and its error wording; the engine does the rest the same way for every fake:
 * routing by the spec's paths, reading the request whatever transport delivered it, the fault switchboard, the
 * redacted journal, and the conformance check of every answer against the spec.
 *
 * The engine speaks WHATWG `Request`/`Response` only, so the same fake runs behind MSW (Node or browser, through
 * {@link FakeEngine.mswHandlers}) and behind a real HTTP server (`tools/mock-server`).
 */
import { http, type RequestHandler } from 'msw';
import { Conformance, type ConformanceMode, type ExpectationLookup } from './conformance.js';
import { type ChosenFault, FaultSwitchboard, sleep } from './faults.js';
import { Journal, type JournalEntry } from './journal.js';
import { effectiveMethod, readRequestText } from './request-body.js';
import { createRouter, type RoutableOperation, type Router } from './router.js';

/** One call, as a handler sees it. */
export interface FakeCall {
  operationId: string;
  /** Upper-case, after `X-HTTP-Method-Override`. */
  method: string;
  path: string;
  url: URL;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  /** Query parameters (the last value of a repeated one). */
  query: Record<string, string>;
  /** The JSON object body ({} when empty or not an object). */
  body: Record<string, unknown>;
  headers: Headers;
  request: Request;
}

/** What a handler answers. */
export interface FakeAnswer {
  status: number;
  /** A JSON body. */
  json?: unknown;
  /** A text body (sent as is; `contentType` says what it is). */
  text?: string;
  /** @default 'application/json; charset=utf-8' */
  contentType?: string;
  headers?: Record<string, string>;
}

/** Answers one operation. */
export type FakeHandler = (call: FakeCall) => FakeAnswer | Promise<FakeAnswer>;

/** What a service gives the engine. */
export interface FakeServiceDefinition {
  /** The service name (`hub`), for messages and the mock server. */
  name: string;
  /** The generated operation table: only these are answered. */
  operations: Iterable<RoutableOperation>;
  /** The service's logic: operationId -> handler. */
  handlers: Readonly<Record<string, FakeHandler>>;
  /** Runs before every handler (auth, say); an answer ends the call. */
  before?: (call: FakeCall) => FakeAnswer | undefined;
  /** The service's answer when no operation has this method and path. */
  noRoute: (method: string, path: string) => FakeAnswer;
  /** The answer to a body that is not JSON. @default 400 with an empty body */
  malformedBody?: (call: Omit<FakeCall, 'body'>) => FakeAnswer;
  /** The body of an injected status that came without one (the service's error envelope). */
  faultBody?: (status: number, operationId: string) => FakeAnswer;
  /** Body and response keys whose values the journal redacts (at any depth). */
  secretKeys?: readonly string[];
  /** What the spec allows for each answer (the conformance hook). */
  expectations?: ExpectationLookup;
  /** @default 'error' under a test runner, else 'off' (see `defaultConformanceMode`) */
  conformance?: ConformanceMode;
  /** Headers on every answer (e.g. a fresh `X-Request-Id`). */
  headers?: () => Record<string, string>;
  /** The switchboard to use (a service may extend it with its own named faults). @default a new one */
  faults?: FaultSwitchboard;
}

/** A running fake. */
export interface FakeEngine {
  readonly name: string;
  readonly router: Router;
  readonly faults: FaultSwitchboard;
  readonly journal: Journal;
  readonly conformance: Conformance;
  /** Answer one request (any transport). A dropped connection is `Response.error()`. */
  handle(request: Request): Promise<Response>;
  /**
   * MSW handlers for every operation, on the origin `originOf` gives for it (`'*'` = any origin).
   * `catchAll` adds `http.all` patterns whose unmatched requests get the service's `noRoute` answer.
   */
  mswHandlers(
    originOf: (operation: RoutableOperation) => string,
    catchAll?: readonly string[],
  ): RequestHandler[];
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** Registered, so a server adapter from another copy of package-core finds it too. */
const ANSWER_TEXT = Symbol.for('@mlclients/package-core/testing:answer-text');

/**
 * The body text of a Response the engine built, without reading its stream (an HTTP server adapter writes it
 * directly: reading a WHATWG body stream costs more than the fake's whole logic). Undefined for other Responses.
 */
export function answerText(response: Response): string | undefined {
  return Reflect.get(response, ANSWER_TEXT) as string | undefined;
}
const NO_ROUTE = '(no route)';

function toMswPath(template: string): string {
  return template.replace(/\{([^}]+)\}/g, ':$1');
}

/** Assemble a fake from a service definition. */
export function createFakeEngine(definition: FakeServiceDefinition): FakeEngine {
  const router = createRouter(definition.operations);
  const faults = definition.faults ?? new FaultSwitchboard();
  const journal = new Journal({ secretKeys: definition.secretKeys ?? [] });
  const conformance = new Conformance(
    definition.expectations ?? (() => ({ any: true })),
    definition.conformance,
  );
  const malformed = definition.malformedBody ?? (() => ({ status: 400, text: '', contentType: 'text/html' }));

  function respond(
    answer: FakeAnswer,
    entry: Omit<JournalEntry, 'status' | 'response' | 'contentType'>,
  ): Response {
    let final = answer;
    const contentType = final.contentType ?? JSON_TYPE;
    let payload = final.text ?? (final.json === undefined ? '' : JSON.stringify(final.json));
    if (!entry.injected && entry.operationId !== NO_ROUTE) {
      const problem = conformance.check({
        operationId: entry.operationId,
        method: entry.method,
        path: entry.path,
        status: final.status,
        contentType,
        body: final.text ?? final.json,
      });
      if (problem && conformance.mode === 'error') {
        final = {
          status: 500,
          json: { error: `${definition.name} fake answer does not conform to the spec`, problem },
        };
        payload = JSON.stringify(final.json);
      }
    }
    journal.record({
      ...entry,
      status: final.status,
      // The journal redacts into a copy, so the answer's own object is never shared with a test that reads it.
      response: final.text ?? final.json,
      contentType: final.contentType ?? JSON_TYPE,
    });
    const response = new Response(payload === '' && final.text === undefined ? null : payload, {
      status: final.status,
      headers: {
        'Content-Type': final.contentType ?? JSON_TYPE,
        ...definition.headers?.(),
        ...final.headers,
      },
    });
    Reflect.set(response, ANSWER_TEXT, payload);
    return response;
  }

  function faultAnswer(fault: ChosenFault & { status: number }, operationId: string): FakeAnswer {
    const b = fault.body;
    const base: FakeAnswer =
      typeof b === 'string'
        ? { status: fault.status, text: b, contentType: 'text/html; charset=utf-8' }
        : b !== undefined
          ? { status: fault.status, json: b }
          : (definition.faultBody?.(fault.status, operationId) ?? {
              status: fault.status,
              json: { status: fault.status },
            });
    return { ...base, headers: { ...base.headers, ...fault.headers } };
  }

  async function handle(request: Request): Promise<Response> {
    const method = effectiveMethod(request);
    const url = new URL(request.url);
    const path = url.pathname;
    const match = router.match(method, path);
    if (!match) {
      return respond(definition.noRoute(method, path), {
        operationId: NO_ROUTE,
        method,
        path,
        body: undefined,
        injected: false,
      });
    }
    const base = {
      operationId: match.operationId,
      method,
      path,
      url,
      params: match.params,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      request,
    };
    const text = await readRequestText(request);
    let parsed: unknown = {};
    try {
      if (text.trim()) parsed = JSON.parse(text);
    } catch {
      return respond(malformed(base), {
        operationId: match.operationId,
        method,
        path,
        body: undefined,
        injected: false,
      });
    }
    const body =
      parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    const entry = { operationId: match.operationId, method, path, body: text.trim() ? body : undefined };
    const call: FakeCall = { ...base, body };

    const fault = faults.take(match.operationId, method, request);
    if (fault?.delayMs !== undefined) await sleep(fault.delayMs);
    if (fault?.reset) {
      journal.record({ ...entry, status: 0, response: undefined, contentType: '', injected: true });
      return Response.error();
    }
    if (fault?.status !== undefined) {
      return respond(faultAnswer(fault as ChosenFault & { status: number }, match.operationId), {
        ...entry,
        injected: true,
      });
    }
    const handler = definition.handlers[match.operationId];
    let answer =
      definition.before?.(call) ??
      (handler
        ? await handler(call)
        : {
            status: 501,
            json: { error: `${definition.name} fake has no handler for ${match.operationId}` },
          });
    if (fault && Object.keys(fault.headers).length)
      answer = { ...answer, headers: { ...answer.headers, ...fault.headers } };
    return respond(answer, { ...entry, injected: false });
  }

  return {
    name: definition.name,
    router,
    faults,
    journal,
    conformance,
    handle,
    mswHandlers(originOf, catchAll = []) {
      const seen = new Set<string>();
      const handlers: RequestHandler[] = [];
      for (const op of router.operations) {
        const pattern = `${originOf(op)}${toMswPath(op.path)}`;
        if (seen.has(pattern)) continue;
        seen.add(pattern);
        handlers.push(http.all(pattern, ({ request }) => handle(request)));
      }
      for (const pattern of catchAll) handlers.push(http.all(pattern, ({ request }) => handle(request)));
      return handlers;
    },
  };
}
