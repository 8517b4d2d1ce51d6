export * from './auth.js';
export * from './constants.js';
export * from './create-client.js';
export * from './logger.js';
export * from './options.js';
export * from './redact.js';
export * from './retry-policy.js';
export type { CallStats } from './send.js';
export * from './transport.js';
