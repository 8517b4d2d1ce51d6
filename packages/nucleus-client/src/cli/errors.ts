/**
 * Exit codes and the one-line messages the CLI prints for every failure (no stack trace unless `--debug`).
 *
 * Exit codes follow the Python `nu` (click): 0 success; 1 a failure at run time (the server answered an error, it
 * could not be reached, a job ended in error, missing or conflicting credentials, a refused deletion); 2 bad usage or
 * bad input (an unknown option, a malformed file), found before anything is sent.
 */
import {
  AbortError,
  ApiError,
  ClientError,
  ConnectionError,
  MissingParamError,
  TimeoutError,
} from '@mlclients/package-core';
import { JobError } from '../lib/errors.js';
import { EverythingFilteredError, NucleusMetricError } from '../metrics/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** Interrupted (Ctrl-C), as shells report a SIGINT death. */
export const EXIT_INTERRUPTED = 130;

/** A failure the CLI describes itself; `exitCode` says which kind. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
  }
}

/** Bad usage or bad input, found before anything was sent (exit 2). */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}

/** The exit code of an error that ended a command. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof AbortError) return EXIT_INTERRUPTED;
  // A MissingParamError from the library is bad input found before sending (an item without reference_id...).
  if (error instanceof MissingParamError) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** One line (or a few, for input problems) saying what went wrong, in the user's terms. */
export function describeError(error: unknown, endpoint: string | undefined): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof TimeoutError)
    return `${endpoint ?? 'the server'} did not answer in time (${error.message}); raise --timeout or try again`;
  if (error instanceof ConnectionError)
    return `cannot reach ${endpoint ?? 'the server'}: ${error.message}${error.code ? ` (${error.code})` : ''}`;
  if (error instanceof ApiError) {
    const hint =
      error.status === 401
        ? ' (check NUCLEUS_API_KEY / --api-key)'
        : error.status === 403
          ? ' (the key may not have access to this)'
          : '';
    return `the server answered ${error.status}: ${serverMessage(error)}${hint}`;
  }
  if (error instanceof JobError) return error.message.replace(' (its errors: job.errors())', '');
  if (error instanceof EverythingFilteredError) return `metrics: ${error.message.split('\n')[0]}`;
  if (error instanceof NucleusMetricError) return `metrics: ${error.message}`;
  if (error instanceof AbortError) return 'interrupted';
  if (error instanceof ClientError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function serverMessage(error: ApiError): string {
  const body = error.body as { error?: unknown; message?: unknown } | string | undefined;
  if (body && typeof body === 'object') {
    if (typeof body.error === 'string') return body.error;
    if (typeof body.message === 'string') return body.message;
  }
  if (typeof body === 'string' && body.trim()) return body.trim().split('\n')[0]!.slice(0, 300);
  return error.message;
}
