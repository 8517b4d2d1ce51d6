/** Errors of the workflows in `src/lib/` (the Python client's `DuplicateIDError`, `JobError`, bad items). */
import { ClientError, MissingParamError, type ValidationIssue } from '@mlclients/package-core';

/** Bad input found before anything was sent; `issues` name the index and field (`items[3].reference_id`). */
export class InvalidInputError extends MissingParamError {
  static override readonly kindName: string = 'InvalidInputError';
  /** Creates an `InvalidInputError`: `what` was checked, `issues` are its problems. */
  constructor(what: string, issues: readonly ValidationIssue[]) {
    const shown = issues
      .slice(0, 5)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    super(`${what}: ${shown}${more}; nothing was sent`, issues);
  }
}

/** Two items (or annotations) of one call share a key: refused before anything is sent, as in Python. */
export class DuplicateIDError extends InvalidInputError {
  static override readonly kindName: string = 'DuplicateIDError';
}

/** A job ended in an error status. `finalError` is the server's `message.final_error` when it gave one. */
export class JobError extends ClientError {
  static override readonly kindName: string = 'JobError';
  readonly jobId: string;
  readonly status: string;
  readonly finalError: string | undefined;
  readonly jobMessage: unknown;
  /** Creates a `JobError` for job `jobId`, which ended (or was left) in `status` with `jobMessage`. */
  constructor(jobId: string, status: string, jobMessage: unknown) {
    const finalError =
      jobMessage &&
      typeof jobMessage === 'object' &&
      typeof (jobMessage as { final_error?: unknown }).final_error === 'string'
        ? (jobMessage as { final_error: string }).final_error
        : typeof jobMessage === 'string'
          ? jobMessage
          : undefined;
    super(
      `job ${jobId} ended with status ${status}${finalError ? `: ${finalError}` : ''} (its errors: job.errors())`,
    );
    this.jobId = jobId;
    this.status = status;
    this.finalError = finalError;
    this.jobMessage = jobMessage;
  }
}
