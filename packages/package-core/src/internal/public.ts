/** The few runtime internals a user may reach for: redaction, the retry policy hooks, transports. */
export * from './method-override.js';
export * from './redact.js';
export * from './retry/policy.js';
export type { CallStats } from './send.js';
export * from './transport.js';
