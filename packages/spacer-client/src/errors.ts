/** Errors of this package. None of them carries credentials: messages name fields, keys and URLs only. */
import type { z } from 'zod';

/** One problem of a message: where (a field path) and what. */
export interface MessageIssue {
  /** `tasks[0].rowcols`, `labels.train[2].loc.bucket_name`. */
  path: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['tasks', 0, 'rowcols']` -> `tasks[0].rowcols`; keys that are not identifiers are quoted (`labels["{...}"]`). */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || '(root)';
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) {
    return `required (expected ${issue.expected})`;
  }
  return issue.message;
}

/** A message that spacer would refuse (its constructors' asserts, a missing key, a wrong type). */
export class SpacerMessageError extends Error {
  override readonly name = 'SpacerMessageError';
  readonly issues: readonly MessageIssue[];

  /**
   * Creates a `SpacerMessageError`.
   *
   * @param issues zod's issues (their paths formatted) or issues already formatted.
   */
  constructor(
    /** The message type: `JobMsg`, `DataLocation`, ... */
    readonly messageType: string,
    issues: readonly z.core.$ZodIssue[] | readonly MessageIssue[],
  ) {
    const list = issues.map((issue) =>
      'code' in issue ? { path: formatIssuePath(issue.path), message: describe(issue) } : issue,
    );
    const shown = list.slice(0, 10).map((i) => `${i.path}: ${i.message}`);
    if (list.length > 10) shown.push(`... and ${list.length - 10} more`);
    super(`invalid ${messageType}: ${shown.join('; ')}`);
    this.issues = list;
  }
}

/** The text is not JSON (or not JSON Python would read). */
export class SpacerJsonError extends Error {
  override readonly name = 'SpacerJsonError';
}

/** A configuration value is missing or malformed (spacer's `ConfigError`); the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reading a url location failed; `message` is spacer's text, `cause` the original error (spacer's `URLDownloadError`). */
export class URLDownloadError extends Error {
  override readonly name = 'URLDownloadError';
  /**
   * Creates an `URLDownloadError`.
   *
   * @param message spacer's text. @param originalError What failed underneath (also the `cause`).
   */
  constructor(
    message: string,
    readonly originalError: unknown,
  ) {
    super(message, { cause: originalError });
  }

  /** Python's `str()`: `<message> / Details - <Type>: <original>`. */
  override toString(): string {
    const original = this.originalError as { name?: string; message?: string } | undefined;
    return `${this.message} / Details - ${original?.name ?? 'Error'}: ${original?.message ?? String(original)}`;
  }
}
