/**
 * The lifetime of one HTTP attempt: its abort signal fires when the attempt times out or the caller aborts, and it
 * stays armed until the response body has been read (the timeout covers a body that trickles in). One object per
 * attempt, with no closures: it is the caller signal's listener (`handleEvent`) and the body reader's guard, because
 * per-call allocations are most of what a client adds to a bare fetch (bench/runtime.bench.ts).
 */
import { ClientError, TimeoutError } from '../core/errors.js';
import type { Redactor } from './redact.js';
import { type BodyGuard, tooLarge } from './response-limits.js';

/** Why the attempt's controller fired. */
const TIMEOUT_REASON = Symbol('timeout');

/** The timeout and the caller's abort of one attempt; also the guard its 2xx body is read through. */
export class AttemptControl implements BodyGuard, EventListenerObject {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #timeoutMs: number;
  readonly #operation: string;
  readonly #attemptNumber: number;
  readonly #redactor: Redactor;
  /** The most decoded bytes the body may have (`maxResponseSize`). */
  readonly limitBytes: number;
  #released = false;

  /** Arms the attempt's timeout and hooks the caller's signal (if any) to its abort. */
  constructor(
    callerSignal: AbortSignal | undefined,
    timeoutMs: number,
    limitBytes: number,
    operation: string,
    attemptNumber: number,
    redactor: Redactor,
  ) {
    this.#callerSignal = callerSignal;
    this.#timeoutMs = timeoutMs;
    this.limitBytes = limitBytes;
    this.#operation = operation;
    this.#attemptNumber = attemptNumber;
    this.#redactor = redactor;
    // A module-level callback with an argument: no closure per attempt.
    this.#timer = setTimeout(abortOnTimeout, timeoutMs, this.#controller);
    callerSignal?.addEventListener('abort', this, { once: true });
  }

  /** The signal the attempt's request is sent with. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the attempt's own timeout fired. */
  get timedOut(): boolean {
    return this.#controller.signal.aborted && this.#controller.signal.reason === TIMEOUT_REASON;
  }

  /** The caller aborted: abort the attempt with the caller's reason. */
  handleEvent(): void {
    this.#controller.abort(this.#callerSignal?.reason);
  }

  /** The error of an attempt that ran past its timeout. */
  timeoutError(): TimeoutError {
    const operation = this.#operation;
    return new TimeoutError(
      `${operation}: attempt ${this.#attemptNumber} timed out after ${this.#timeoutMs} ms`,
      {
        operation,
        timeoutMs: this.#timeoutMs,
        redactor: this.#redactor,
      },
    );
  }

  /** Disarm: clear the timer and unhook the caller's signal (idempotent). */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    clearTimeout(this.#timer);
    this.#callerSignal?.removeEventListener('abort', this);
  }

  // BodyGuard: how the body reader ends the attempt.

  /** Abort the attempt's request (stops the download and the decoder). */
  abort(reason: unknown): void {
    this.#controller.abort(reason);
  }

  /** The error to report when the attempt's signal fired while its body was read, if any. */
  abortError(): Error | undefined {
    const reason = this.#controller.signal.reason;
    if (reason === TIMEOUT_REASON) return this.timeoutError();
    return reason instanceof ClientError ? reason : undefined;
  }

  /** The body is read (or failed): the timeout no longer applies. */
  done(): void {
    clearTimeout(this.#timer);
  }

  /** The error for a body past `limitBytes`. */
  tooLarge(): Error {
    return tooLarge(this.#operation, this.limitBytes, this.#redactor);
  }
}

function abortOnTimeout(controller: AbortController): void {
  controller.abort(TIMEOUT_REASON);
}
