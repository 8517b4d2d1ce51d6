/**
 * Fault injection for fakes. One switchboard ({@link FaultSwitchboard}) decides, per call, whether a fault answers
 * instead of the fake: queued rules (status, `Retry-After`, delay, connection reset; matched by operationId and
 * method; with `times`) first, then scripted or random plans. The fake engine consults it on every call; the
 * mock server's `POST /_mock/faults` queues rules on it. `withFaults` applies a plan to a single MSW resolver.
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
  /** Random source (use `seededRandom()` for reproducible runs). @default Math.random */
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
 * A reset is `Response.error()`: MSW turns it into a network error, the mock server destroys the socket.
 */
export async function faultResponse(fault: Fault): Promise<Response | undefined> {
  switch (fault.kind) {
    case 'status': {
      const headers = new Headers(fault.headers);
      if (typeof fault.body === 'string' || fault.body === undefined) {
        return new Response(fault.body ?? null, { status: fault.status, headers });
      }
      return Response.json(fault.body, { status: fault.status, headers });
    }
    case 'retry-after': {
      const headers: Record<string, string> =
        fault.ms !== undefined
          ? { 'retry-after-ms': String(fault.ms) }
          : { 'retry-after': String(fault.seconds ?? 1) };
      return Response.json({ message: 'injected rate limit' }, { status: fault.status ?? 429, headers });
    }
    case 'reset':
      return Response.error();
    case 'delay':
      await sleep(fault.ms);
      return undefined;
  }
}

/** Wait `ms` milliseconds; `'infinite'` never resolves (the client's timeout or abort must end the call). */
export function sleep(ms: number | 'infinite'): Promise<void> {
  return new Promise((resolve) => {
    if (ms !== 'infinite') setTimeout(resolve, ms);
  });
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

/** A fault queued on a `FaultSwitchboard` (also the JSON body of the mock server's `POST /_mock/faults`). */
export interface FaultRule {
  /** Only calls of this operation. @default every operation */
  operationId?: string;
  /** Only calls with this method (any case). @default any */
  method?: string;
  /** How many matching calls it applies to. @default 1 */
  times?: number;
  /** Answer with this status (with `body`, or the service's own error body for that status). */
  status?: number;
  /** Body for `status`: an object is sent as JSON, a string as `text/html`. */
  body?: unknown;
  /** Extra response headers (also added to the fake's own answer when no `status` is set). */
  headers?: Record<string, string>;
  /** `Retry-After` in seconds (with `status`, default 429 then). */
  retryAfter?: number;
  /** Wait this long before answering (before the fake's own answer when nothing else is set). */
  delayMs?: number;
  /** Drop the connection instead of answering. */
  reset?: boolean;
  /** Same as `reset` (the name the Hub fake used first). */
  networkError?: boolean;
}

/** The fault chosen for one call, normalized. */
export interface ChosenFault {
  status?: number;
  body?: unknown;
  headers: Record<string, string>;
  delayMs?: number | 'infinite';
  reset: boolean;
}

function fromRule(rule: FaultRule): ChosenFault {
  const headers = { ...rule.headers };
  if (rule.retryAfter !== undefined) headers['Retry-After'] = String(rule.retryAfter);
  const status = rule.status ?? (rule.retryAfter !== undefined ? 429 : undefined);
  return {
    ...(status !== undefined ? { status } : {}),
    ...(rule.body !== undefined ? { body: rule.body } : {}),
    headers,
    ...(rule.delayMs !== undefined ? { delayMs: rule.delayMs } : {}),
    reset: Boolean(rule.reset || rule.networkError),
  };
}

function fromPlanned(fault: Fault): ChosenFault {
  switch (fault.kind) {
    case 'status':
      return { status: fault.status, body: fault.body, headers: { ...fault.headers }, reset: false };
    case 'retry-after':
      return {
        status: fault.status ?? 429,
        headers:
          fault.ms !== undefined
            ? { 'retry-after-ms': String(fault.ms) }
            : { 'Retry-After': String(fault.seconds ?? 1) },
        reset: false,
      };
    case 'reset':
      return { headers: {}, reset: true };
    case 'delay':
      return { headers: {}, delayMs: fault.ms, reset: false };
  }
}

/** Checks a rule for the mock server's control route; returns the problems (field named), [] when valid. */
export function faultRuleProblems(input: unknown): string[] {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return ['fault: expected an object'];
  const r = input as Record<string, unknown>;
  const problems: string[] = [];
  const integer = (key: string, min: number, max: number) => {
    const v = r[key];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      problems.push(`${key}: expected an integer from ${min} to ${max}`);
  };
  integer('status', 100, 599);
  integer('times', 1, 1_000_000);
  integer('retryAfter', 0, 86_400);
  integer('delayMs', 0, 600_000);
  for (const key of ['operationId', 'method'])
    if (r[key] !== undefined && typeof r[key] !== 'string') problems.push(`${key}: expected a string`);
  for (const key of ['reset', 'networkError'])
    if (r[key] !== undefined && typeof r[key] !== 'boolean') problems.push(`${key}: expected a boolean`);
  if (r.headers !== undefined) {
    const h = r.headers;
    if (
      !h ||
      typeof h !== 'object' ||
      Array.isArray(h) ||
      Object.values(h).some((v) => typeof v !== 'string')
    )
      problems.push('headers: expected an object of strings');
  }
  const known = new Set([
    'operationId',
    'method',
    'times',
    'status',
    'body',
    'headers',
    'retryAfter',
    'delayMs',
    'reset',
    'networkError',
  ]);
  for (const key of Object.keys(r)) if (!known.has(key)) problems.push(`${key}: unknown fault field`);
  return problems;
}

/** The one place a fake asks "does a fault answer this call?". */
export class FaultSwitchboard {
  private readonly queue: (FaultRule & { remaining: number })[] = [];
  /** Scripted or random plans, consulted after the queued rules. */
  readonly plans: FaultPlan[] = [];

  /** Queue a rule; returns `this` for chaining. */
  inject(rule: FaultRule): this {
    this.queue.push({ ...rule, remaining: rule.times ?? 1 });
    return this;
  }

  /** The next `times` matching calls get `status` (with the service's error body unless `body` is given). */
  status(status: number, options: Omit<FaultRule, 'status'> = {}): this {
    return this.inject({ ...options, status });
  }

  /** The next `times` matching calls lose their connection. */
  networkError(options: Omit<FaultRule, 'reset' | 'networkError'> = {}): this {
    return this.inject({ ...options, reset: true });
  }

  /** The next `times` matching calls get `status` (default 429) with `Retry-After: seconds`. */
  retryAfter(seconds: number, options: Omit<FaultRule, 'retryAfter'> = {}): this {
    return this.inject({ ...options, retryAfter: seconds });
  }

  /** The next `times` matching calls wait `ms` first. */
  delay(ms: number, options: Omit<FaultRule, 'delayMs'> = {}): this {
    return this.inject({ ...options, delayMs: ms });
  }

  /** Add a plan: a per-call `sequence`, or a `rate` of random faults; `plan.stats` counts what was injected. */
  plan(plan: FaultPlan): this {
    this.plans.push(plan);
    return this;
  }

  /** Remove every queued rule and plan. */
  clear(): void {
    this.queue.length = 0;
    this.plans.length = 0;
  }

  /** Queued fault applications not yet used up. */
  get pending(): number {
    return this.queue.reduce((n, f) => n + f.remaining, 0);
  }

  /** Take the fault for this call, if any (uses one application of a queued rule, or one call of each plan). */
  take(operationId: string, method: string, request: Request): ChosenFault | undefined {
    method = method.toUpperCase();
    const i = this.queue.findIndex(
      (f) =>
        (!f.operationId || f.operationId === operationId) && (!f.method || f.method.toUpperCase() === method),
    );
    if (i >= 0) {
      const rule = this.queue[i]!;
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.queue.splice(i, 1);
      return fromRule(rule);
    }
    for (const plan of this.plans) {
      const planned = nextFault(plan, request);
      if (planned) return fromPlanned(planned);
    }
    return undefined;
  }
}
