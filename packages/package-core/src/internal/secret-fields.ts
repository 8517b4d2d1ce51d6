/**
 * `x-secret-fields: [password]` on an operation: the values of those body fields are secrets (the password given to
 * the Hub's `tokens.create`), registered with the client's redactor before the request is sent, so a server that
 * echoes them (`'hunter2' is too weak`) cannot put them into an error message, a log line or `error.body`.
 */

import type { OperationEntry } from '../resource/table.js';
import type { Redactor } from './redact.js';

/** Register the operation's secret body fields (top-level names, from the spec) with the redactor. */
export function registerSecretFields(op: OperationEntry, body: unknown, redactor: Redactor): void {
  const fields = op.extensions?.['secret-fields'];
  if (!Array.isArray(fields) || body === null || typeof body !== 'object') return;
  for (const field of fields) {
    const value = (body as Record<string, unknown>)[String(field)];
    if (typeof value === 'string') redactor.addSecret(value);
  }
}
