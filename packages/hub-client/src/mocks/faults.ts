/**
 * Fault injection for the fake Hub: make the next N matching calls fail with a status, an HTML page, a dropped
 * connection, or a delay, before the fake's own logic runs; or run a package-core fault plan (scripted or random).
 */
import type { FaultPlan } from '@mlclients/package-core/testing';

/** One injected fault. */
export interface Fault {
  /** Only calls of this operation (`listTrials`, `getNextTrials`, ...). @default every operation */
  operationId?: string;
  /** Only calls with this upper-case method. @default any */
  method?: string;
  /** How many matching calls fail. @default 1 */
  times?: number;
  /** Answer with this status (with `body`, or the Hub's JSON error envelope). */
  status?: number;
  /** Body for `status`: an object is sent as JSON, a string as `text/html`. @default the Hub's error envelope */
  body?: unknown;
  /** Extra response headers, e.g. `{ 'Retry-After': '1' }`. */
  headers?: Record<string, string>;
  /** Drop the connection instead of answering (the client sees a network error). */
  networkError?: boolean;
  /** Wait this long (milliseconds) before answering (or before the fake's normal answer when nothing else is set). */
  delayMs?: number;
}

/** The switchboard returned by `createHubFake().faults`. */
export class Faults {
  private readonly queue: (Fault & { remaining: number })[] = [];
  /** Scripted or random fault plans (package-core's testing toolkit), consulted after the queued faults. */
  readonly plans: FaultPlan[] = [];

  /**
   * Add a package-core fault plan: a per-call `sequence`, or a `rate` of random faults (`ALL_FAULT_KINDS`,
   * `seededRandom(42)` for reproducible soak runs); `plan.stats` counts what was injected.
   */
  plan(plan: FaultPlan): this {
    this.plans.push(plan);
    return this;
  }

  /** Add a fault; returns `this` for chaining. */
  inject(fault: Fault): this {
    this.queue.push({ ...fault, remaining: fault.times ?? 1 });
    return this;
  }

  /** The next `times` calls (optionally of one operation) get `status`. */
  status(status: number, options: Omit<Fault, 'status'> = {}): this {
    return this.inject({ ...options, status });
  }

  /** The next `times` calls get Heroku's 503 "Application Error" HTML page (as recorded). */
  serverUnavailable(options: Omit<Fault, 'status' | 'body'> = {}): this {
    return this.inject({ ...options, status: 503, body: HEROKU_503_PAGE });
  }

  /** The next `times` calls lose their connection. */
  networkError(options: Omit<Fault, 'networkError'> = {}): this {
    return this.inject({ ...options, networkError: true });
  }

  /** Remove every pending fault and plan. */
  clear(): void {
    this.queue.length = 0;
    this.plans.length = 0;
  }

  /** Faults not yet used up. */
  get pending(): number {
    return this.queue.reduce((n, f) => n + f.remaining, 0);
  }

  /** @internal Take the fault for this call, if any (decrements its counter). */
  take(operationId: string, method: string): Fault | undefined {
    const i = this.queue.findIndex(
      (f) =>
        (!f.operationId || f.operationId === operationId) && (!f.method || f.method.toUpperCase() === method),
    );
    if (i < 0) return undefined;
    const f = this.queue[i]!;
    f.remaining -= 1;
    if (f.remaining <= 0) this.queue.splice(i, 1);
    return f;
  }
}

/** The page Heroku serves when the app is down (shortened from general_errors/server_unavailable.yaml). */
export const HEROKU_503_PAGE = `<!DOCTYPE html>
<html>
  <head>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta charset="utf-8">
    <title>Application Error</title>
  </head>
  <body>
    <iframe src="//www.herokucdn.com/error-pages/application-error.html"></iframe>
  </body>
</html>`;
