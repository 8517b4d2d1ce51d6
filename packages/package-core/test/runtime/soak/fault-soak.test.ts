/**
 * Fault-injection soak: 2,000 logical requests, 30 % of HTTP attempts faulted with every kind of fault, idempotent
 * and non-idempotent operations mixed. Every request must either succeed exactly once or fail with the class that
 * matches the last fault it met, and no non-idempotent request may be sent twice.
 */
import { HttpResponse, http } from 'msw';
import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  type ClientError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
} from '../../../src/index.js';
import {
  ALL_FAULT_KINDS,
  type Fault,
  type FaultPlan,
  faultResponse,
  newFaultStats,
  nextFault,
  seededRandom,
} from '../../../src/testing/index.js';
import { BASE, makeClient } from '../helpers.js';
import { useFake } from '../setup.js';

const fake = useFake();

const REQUESTS = 2_000;
const FAULT_RATE = 0.3;
const CONCURRENCY = 50;
/** Short per-attempt timeout so `delay: infinite` faults resolve quickly. */
const TIMEOUT_MS = 100;

type Outcome = Fault | 'ok';

function expectedClass(fault: Fault): new (...args: never[]) => ClientError {
  switch (fault.kind) {
    case 'reset':
      return ConnectionError;
    case 'delay':
      return TimeoutError;
    case 'retry-after':
      return RateLimitError;
    case 'status':
      if (fault.status === 429) return RateLimitError;
      if (fault.status >= 500) return InternalServerError;
      if (fault.status === 404) return NotFoundError;
      return BadRequestError;
  }
}

describe('fault-injection soak', () => {
  it(`${REQUESTS} requests, ${FAULT_RATE * 100} % faults of every kind`, async () => {
    const plan: FaultPlan = {
      rate: FAULT_RATE,
      faults: ALL_FAULT_KINDS,
      random: seededRandom(20261122),
      stats: newFaultStats(),
    };
    const sends = new Map<string, Outcome[]>();
    const record = async (request: Request, answer: () => Response | Promise<Response>) => {
      const id = request.headers.get('x-soak-call') ?? '?';
      const fault = nextFault(plan, request);
      const list = sends.get(id) ?? [];
      sends.set(id, list);
      list.push(fault ?? 'ok');
      if (fault) {
        const res = await faultResponse(fault);
        if (res) return res;
      }
      return answer();
    };
    fake.server.use(
      http.get(`${BASE}/widgets/:id`, ({ request, params }) =>
        record(request, () => HttpResponse.json({ id: params.id, name: 'n', score: 1 })),
      ),
      http.post(`${BASE}/widgets`, ({ request }) =>
        record(request, () => HttpResponse.json({ id: 'new', name: 'n', score: 0 }, { status: 201 })),
      ),
      http.post(`${BASE}/gadgets`, ({ request }) =>
        record(request, () => HttpResponse.json({ id: 1, label: 'g' }, { status: 201 })),
      ),
    );

    const client = makeClient({ timeout: TIMEOUT_MS, idempotencyHeader: 'Idempotency-Key', validate: 'off' });
    const limit = pLimit(CONCURRENCY);
    type Kind = 'get' | 'create (not idempotent)' | 'create (x-idempotent)';
    const kinds: Kind[] = ['get', 'create (not idempotent)', 'create (x-idempotent)'];
    const results = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        limit(async () => {
          const kind = kinds[i % 3] as Kind;
          const o = { headers: { 'x-soak-call': String(i) } };
          try {
            if (kind === 'get') await client.widgets.get(`w${(i % 20) + 1}`, {}, o);
            else if (kind === 'create (not idempotent)') await client.widgets.create({ name: `n${i}` }, o);
            else await client.gadgets.create({ label: `g${i}` }, o);
            return { i, kind, error: undefined as unknown };
          } catch (error) {
            return { i, kind, error };
          }
        }),
      ),
    );

    const counts = {
      requests: REQUESTS,
      httpAttempts: 0,
      succeeded: 0,
      failed: 0,
      retried: 0,
      byErrorClass: {} as Record<string, number>,
      faultsInjected: plan.stats?.byKind,
    };
    for (const { i, kind, error } of results) {
      const log = sends.get(String(i)) ?? [];
      counts.httpAttempts += log.length;
      if (log.length > 1) counts.retried++;
      expect(log.length, `request ${i} was never sent`).toBeGreaterThanOrEqual(1);
      if (kind === 'create (not idempotent)') expect(log.length, `POST ${i} sent twice`).toBe(1);
      expect(log.length).toBeLessThanOrEqual(3);
      const last = log[log.length - 1] as Outcome;
      if (error === undefined) {
        counts.succeeded++;
        expect(last).toBe('ok');
        expect(log.filter((o) => o === 'ok')).toHaveLength(1);
      } else {
        counts.failed++;
        const name = (error as Error).name;
        counts.byErrorClass[name] = (counts.byErrorClass[name] ?? 0) + 1;
        expect(last).not.toBe('ok');
        const Expected = expectedClass(last as Fault);
        expect(error, `request ${i} (${kind}) after ${JSON.stringify(log)}`).toBeInstanceOf(Expected);
        if (Expected === ConnectionError) expect(error).not.toBeInstanceOf(TimeoutError);
        expect((error as ClientError).attempts).toBe(log.length);
      }
    }
    console.log('soak counts', JSON.stringify(counts, null, 2));
    expect(counts.retried).toBeGreaterThan(0);
    expect(plan.stats?.injected).toBeGreaterThan(REQUESTS * 0.2);
  }, 120_000);
});
