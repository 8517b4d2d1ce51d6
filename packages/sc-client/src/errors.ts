/** Errors of the SC client beyond the core's taxonomy. */
import { ClientError } from '@mlclients/package-core';

/** Login or token refused; the message never contains the password or the token. */
export class ScAuthenticationError extends ClientError {
  override readonly name: string = 'ScAuthenticationError';
}

/** One line per problem found in a dataset, all reported at once, before anything is sent. */
export class DatasetValidationError extends ClientError {
  override readonly name: string = 'DatasetValidationError';
  readonly problems: readonly string[];
  /**
   * Creates a `DatasetValidationError`.
   *
   * @param what The dataset checked. @param problems One line per problem.
   */
  constructor(what: string, problems: readonly string[]) {
    super(`${what}: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** A backup folder that does not match its manifest, or cannot be read. */
export class BackupError extends ClientError {
  override readonly name: string = 'BackupError';
}
