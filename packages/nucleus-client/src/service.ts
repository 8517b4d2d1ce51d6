/**
 * Nucleus's quirks as data for the core (`BaseClient` applies them in its constructor):
 * - auth: basic API key or `x-limited-access-key`, exactly one (`auth.ts`);
 * - endpoint: option `endpoint`, then `NUCLEUS_ENDPOINT`, then `https://api.scale.com/v1/nucleus` (the spec's
 *   routes are relative to it, so its path is kept);
 * - 120 s per attempt (`DEFAULT_NETWORK_TIMEOUT_SEC`);
 * - retries: 503/504/520/524 + 429 on idempotent operations, connection errors too, `Retry-After` honoured; at most
 *   4 attempts from 1 s, as the Python client's schedule (1, 3, 9, 27 s) starts (`errors.ts`).
 */
import { defineService, type ServiceConfig } from '@mlclients/package-core';
import { nucleusAuth } from './auth.js';
import type { NucleusClientOptions } from './client.js';
import { nucleusErrorPolicy } from './errors.js';

/** The Nucleus API the client talks to when no endpoint is given. */
export const DEFAULT_ENDPOINT = 'https://api.scale.com/v1/nucleus';
/** Per-attempt timeout of the Python client (seconds). */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** Environment variables read when the option is not given (the keys: see `auth.ts`). */
export const NUCLEUS_ENV = { endpoint: 'NUCLEUS_ENDPOINT' } as const satisfies {
  [K in keyof NucleusClientOptions]?: string;
};

/** Nucleus's quirks as data: option names, environment variables, auth, error policy and defaults. */
export const nucleusService: ServiceConfig<NucleusClientOptions> = defineService<NucleusClientOptions>({
  name: 'NucleusClient',
  errorPolicy: nucleusErrorPolicy,
  auth: (options) => nucleusAuth(options),
  env: NUCLEUS_ENV,
  aliases: { endpoint: { option: 'baseUrl' } },
  defaults: {
    baseUrl: DEFAULT_ENDPOINT,
    timeout: DEFAULT_TIMEOUT_MS,
    maxRetries: 3,
    initialRetryDelay: 1000,
    maxRetryDelay: 27_000,
  },
});
