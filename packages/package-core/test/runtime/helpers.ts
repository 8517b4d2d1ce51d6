/**
 * Shared setup for the runtime tests: the test spec's generated tables, a fake of the test API built from
 * `@mlclients/package-core/testing`, and a client factory. Nothing is mocked below fetch: MSW intercepts it.
 */
import { HttpResponse, http } from 'msw';
import { type CreateClientOptions, createClient } from '../../src/index.js';
import {
  MemoryStore,
  nextLinkListHandler,
  offsetListHandler,
  readJsonBody,
  tokenListHandler,
} from '../../src/testing/index.js';
import { type paths, resources } from '../generated/index.js';
import { operationSchemas } from '../generated/zod.js';

export const BASE = 'https://api.test.local/v1';
export const TOKEN = 'sk-test-SECRET-token-1234567890';

export type Widget = { id: string; name: string; score: number; tags?: string[]; [k: string]: unknown };

/** A stateful fake of the test API. */
export function makeFake(counts = { widgets: 25, gadgets: 30, gizmos: 12, notes: 23 }) {
  const widgets = new MemoryStore<Widget>({ generateId: (n) => `w${n}` });
  for (let i = 0; i < counts.widgets; i++) widgets.create({ name: `widget ${i}`, score: i });
  const gadgets = Array.from({ length: counts.gadgets }, (_, i) => ({ id: i + 1, label: `gadget ${i + 1}` }));
  const gizmos = Array.from({ length: counts.gizmos }, (_, i) => ({ id: `g${i}`, size: i }));
  const notes = Array.from({ length: counts.notes }, (_, i) => ({ id: i, text: `note ${i}` }));
  const handlers = [
    offsetListHandler('get', `${BASE}/widgets`, { items: () => widgets.all() }),
    http.post(`${BASE}/widgets`, async ({ request }) => {
      const body = (await readJsonBody<Partial<Widget>>(request)) ?? {};
      return HttpResponse.json(widgets.create({ score: 0, ...body }), { status: 201 });
    }),
    http.get(`${BASE}/widgets/:id`, ({ params }) => {
      const w = widgets.get(params.id as string);
      return w
        ? HttpResponse.json(w)
        : HttpResponse.json({ message: `widget ${params.id} not found` }, { status: 404 });
    }),
    http.patch(`${BASE}/widgets/:id`, async ({ params, request }) => {
      const w = widgets.update(params.id as string, (await readJsonBody<Partial<Widget>>(request)) ?? {});
      return w ? HttpResponse.json(w) : HttpResponse.json({ message: 'not found' }, { status: 404 });
    }),
    http.delete(`${BASE}/widgets/:id`, ({ params }) =>
      widgets.delete(params.id as string)
        ? new HttpResponse(null, { status: 204 })
        : HttpResponse.json({ message: 'not found' }, { status: 404 }),
    ),
    http.get(`${BASE}/widgets/:id/report`, ({ params }) => HttpResponse.text(`report for ${params.id}`)),
    http.post(`${BASE}/widgets/:id/scores`, async ({ params, request }) => {
      const body = (await readJsonBody<{ trials: { score: number }[] }>(request)) ?? { trials: [] };
      const best = Math.max(...body.trials.map((t) => t.score));
      const w = widgets.update(params.id as string, { score: best });
      return w ? HttpResponse.json(w) : HttpResponse.json({ message: 'not found' }, { status: 404 });
    }),
    tokenListHandler('post', `${BASE}/gadgets/search`, { items: () => gadgets, defaultLimit: 7 }),
    http.post(`${BASE}/gadgets`, async ({ request }) => {
      const body = (await readJsonBody<{ label: string }>(request)) ?? { label: '' };
      return HttpResponse.json({ id: 1000, label: body.label }, { status: 201 });
    }),
    http.get(`${BASE}/gadgets/:id`, ({ params }) => HttpResponse.json({ id: Number(params.id), label: 'g' })),
    nextLinkListHandler(`${BASE}/gizmos`, { items: () => gizmos, defaultLimit: 5 }),
    offsetListHandler('get', `${BASE}/notes`, {
      items: () => notes,
      in: 'body',
      defaultLimit: 10,
      body: (data, p) => ({ data, meta: { pagination: { total: p.total, count: data.length } } }),
    }),
  ];
  return { widgets, gadgets, gizmos, notes, handlers };
}

/**
 * A client of the test API with fast retries (tests never wait on real backoff) and strict response validation
 * (the project's own tests run with `'error'`; users get `'warn'`).
 */
export function makeClient(options: Partial<CreateClientOptions<typeof resources>> = {}) {
  return createClient<paths, typeof resources>({
    baseUrl: BASE,
    resources,
    operationSchemas,
    validate: 'error',
    initialRetryDelay: 1,
    maxRetryDelay: 2,
    ...options,
  });
}
