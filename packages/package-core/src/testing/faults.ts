/**
 * Fault injection for fakes: wrap any MSW resolver so some calls fail the way real services and networks do.
 *
 * @example scripted: the first call gets a 503, the second a reset, then the real handler answers.
 * ```ts
 * http.get(url, withFaults(resolver, { sequence: [{ kind: 'status', status: 503 }, { kind: 'reset' }] }))
 * ```
 * @example random: 30 % of calls fail with one of the given faults, reproducibly.
 * ```ts
 * withFaults(resolver, { rate: 0.3, faults: ALL_FAULT_KINDS, random: seededRandom(42) })
 * ```
 */
import { delay, HttpResponse } from 'msw';

/** One injected failure. */
export type Fault =
  /** An error response with an optional body and headers. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** 429 (or another status) with `Retry-After` in seconds, or `retry-after-ms`. */
  | { kind: 'retry-after'; status?: number; seconds?: number; ms?: number }
  /** A network error (connection reset): `HttpResponse.error()`. */
  | { kind: 'reset' }
  /** Wait before answering; `'infinite'` never answers (the client's timeout must fire). */
  | { kind: 'delay'; ms: number | 'infinite' };

/** Counters a fault plan keeps, for assertions and soak reports. */
export interface FaultStats {
  calls: number;
  injected: number;
  byKind: Record<string, number>;
}

/** When to inject. */
export interface FaultPlan {
  /** Per-call script: entry i applies to call i (null = no fault); calls past the end pass. */
  sequence?: readonly (Fault | null)[];
  /** Probability of a fault on each call (after the sequence). @default 0 */
  rate?: number;
  /** Faults chosen from at random when `rate` hits. */
  faults?: readonly Fault[];
  /** Random source (use {@link seededRandom} for reproducible runs). @default Math.random */
  random?: () => number;
  /** Only requests this returns true for are counted and faulted. @default all */
  match?: (request: Request) => boolean;
  /** Filled in as calls arrive. */
  stats?: FaultStats;
}

/** One of each fault kind, with the timeouts a test client uses in mind. */
export const ALL_FAULT_KINDS: readonly Fault[] = [
  { kind: 'status', status: 500, body: { message: 'injected server error' } },
  { kind: 'status', status: 502, body: 'Bad Gateway' },
  { kind: 'status', status: 503, body: { message: 'injected unavailable' } },
  { kind: 'status', status: 429, body: { message: 'slow down' } },
  { kind: 'retry-after', status: 429, seconds: 0 },
  { kind: 'reset' },
  { kind: 'delay', ms: 'infinite' },
  { kind: 'status', status: 404, body: { message: 'injected not found' } },
  { kind: 'status', status: 400, body: { message: 'injected bad request' } },
];

/** A small deterministic PRNG (mulberry32) for reproducible fault runs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Empty stats object. */
export function newFaultStats(): FaultStats {
  return { calls: 0, injected: 0, byKind: {} };
}

/**
 * The response for a fault; undefined for a finite delay (the caller then lets the real handler answer).
 */
export async function faultResponse(fault: Fault): Promise<Response | undefined> {
  switch (fault.kind) {
    case 'status': {
      const headers = new Headers(fault.headers);
      if (typeof fault.body === 'string' || fault.body === undefined) {
        return new HttpResponse(fault.body ?? null, { status: fault.status, headers });
      }
      return HttpResponse.json(fault.body as never, { status: fault.status, headers });
    }
    case 'retry-after': {
      const headers: Record<string, string> =
        fault.ms !== undefined
          ? { 'retry-after-ms': String(fault.ms) }
          : { 'retry-after': String(fault.seconds ?? 1) };
      return HttpResponse.json({ message: 'injected rate limit' }, { status: fault.status ?? 429, headers });
    }
    case 'reset':
      return HttpResponse.error();
    case 'delay':
      await delay(fault.ms);
      return undefined;
  }
}

function faultKey(f: Fault): string {
  return f.kind === 'status' ? `status ${f.status}` : f.kind === 'delay' ? `delay ${f.ms}` : f.kind;
}

/** Pick the fault (if any) for the next call under a plan, updating its stats. */
export function nextFault(plan: FaultPlan, request: Request): Fault | undefined {
  if (plan.match && !plan.match(request)) return undefined;
  plan.stats ??= newFaultStats();
  const stats = plan.stats;
  const i = stats.calls++;
  let fault: Fault | undefined;
  if (plan.sequence && i < plan.sequence.length) fault = plan.sequence[i] ?? undefined;
  else if (plan.rate && plan.faults?.length) {
    const random = plan.random ?? Math.random;
    if (random() < plan.rate) fault = plan.faults[Math.floor(random() * plan.faults.length)];
  }
  if (fault) {
    stats.injected++;
    const key = faultKey(fault);
    stats.byKind[key] = (stats.byKind[key] ?? 0) + 1;
  }
  return fault;
}

/** Wrap an MSW resolver so the plan's faults are injected before it runs. */
export function withFaults<Info extends { request: Request }, R>(
  resolver: (info: Info) => R,
  plan: FaultPlan,
): (info: Info) => Promise<Response | Awaited<R>> {
  return async (info: Info): Promise<Response | Awaited<R>> => {
    const fault = nextFault(plan, info.request);
    if (fault) {
      const res = await faultResponse(fault);
      if (res) return res;
    }
    return await resolver(info);
  };
}
