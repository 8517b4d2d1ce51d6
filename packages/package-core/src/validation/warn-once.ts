/**
 * Response problems in `'warn'` mode are logged once per client, operation and field: a server that sends `null`
 * where the spec says string does so on every call, and one line per call would bury everything else in the log.
 * Array indices do not make a new field (`data[0].name` and `data[7].name` are one field).
 */

import type { ValidationIssue } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { defaultRedactor, type Redactor } from '../internal/redact.js';
import { issuesMessage } from './issues.js';

/**
 * Fields remembered per logger. Past this, one last line says warnings stop: record keys in a path can make the set
 * of fields unbounded.
 */
export const MAX_WARNED_FIELDS = 1000;

/** The client's logger is created once per client, so it identifies the client without changing any call site. */
const warnedByLogger = new WeakMap<Logger, Set<string>>();

/** `data[3].items[0].name` -> `data[].items[].name`. */
export function fieldOf(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

/** Log the problems of one response whose fields were not reported yet for this operation; nothing if none is new. */
export function warnOnce(
  logger: Logger,
  operation: string,
  issues: readonly ValidationIssue[],
  redactor: Redactor = defaultRedactor,
): void {
  let warned = warnedByLogger.get(logger);
  if (!warned) {
    warned = new Set();
    warnedByLogger.set(logger, warned);
  }
  if (warned.size >= MAX_WARNED_FIELDS) return;
  // First occurrence of each new field, and how many more items had the same problem in this response.
  const fresh = new Map<string, { issue: ValidationIssue; more: number }>();
  for (const issue of issues) {
    const key = `${operation} ${fieldOf(issue.path)}`;
    if (warned.has(key)) continue;
    const seen = fresh.get(key);
    if (seen) seen.more++;
    else fresh.set(key, { issue, more: 0 });
  }
  if (fresh.size === 0) return;
  const lines: ValidationIssue[] = [];
  for (const [key, { issue, more }] of fresh) {
    warned.add(key);
    const suffix = more === 0 ? '' : ` (and ${more} more ${more === 1 ? 'item' : 'items'})`;
    lines.push({ path: issue.path, message: `${issue.message}${suffix}` });
  }
  let message = issuesMessage(
    `${operation}: the response does not match the spec; the data is returned as received (each field is reported once)`,
    lines,
  );
  if (warned.size >= MAX_WARNED_FIELDS)
    message += `\n  (${MAX_WARNED_FIELDS} fields reported; further response validation warnings are not logged)`;
  logger.warn(redactor.string(message));
}
