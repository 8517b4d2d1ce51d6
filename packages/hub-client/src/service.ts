/**
 * The Auger Hub's quirks, as data for the core (`BaseClient` applies them in its constructor):
 * - auth: one token in the JSON body of every request, GETs included (`auth.ts`);
 * - errors: the Python client's mapping, e.g. a 500 is fatal and a 422 retryable (`errors.ts`);
 * - base URLs: paths in the spec are absolute (`/api/v1/...`), so a path in `baseUrl` or `optimizersUrl` is dropped,
 *   as the Python client's `urljoin` does (hub-api.md §1.1);
 * - the optimizers service is a named server (`x-server-name: optimizers` in the spec), set by `optimizersUrl`;
 * - the seed client's option names (`retries_count`, `connection_retries_count`, `retry_wait_seconds`) and its
 *   config keys as environment variables (`HUB_APP_URL`, `HUB_PROJECT_API_TOKEN`, ...).
 * The envelope (`{data, meta}`) comes from the spec's `x-envelope`.
 */
import { defineService, type ServiceConfig } from '@mlclients/package-core';
import { type HubTokens, hubBodyAuth } from './auth.js';
import type { HubClientOptions } from './client.js';
import { hubErrorPolicy } from './errors.js';

/** Environment variables read when the option is not given (the seed client's config keys, upper-cased). */
export const HUB_ENV = {
  baseUrl: 'HUB_APP_URL',
  optimizersUrl: 'OPTIMIZERS_URL',
  projectToken: 'HUB_PROJECT_API_TOKEN',
  clusterToken: 'HUB_CLUSTER_API_TOKEN',
  token: 'HUB_TOKEN',
  systemToken: 'HUB_SYSTEM_TOKEN',
} as const satisfies { [K in keyof HubClientOptions]?: string };

/** The Hub's quirks as data: option names, environment variables, auth, error policy and defaults. */
export const hubService: ServiceConfig<HubClientOptions> = defineService<HubClientOptions>({
  name: 'HubClient',
  errorPolicy: hubErrorPolicy,
  auth: (options: HubTokens) => hubBodyAuth(options),
  env: HUB_ENV,
  aliases: {
    retriesCount: { option: 'maxRetries' },
    connectionRetriesCount: { option: 'maxConnectionRetries' },
    retryWaitSeconds: { option: 'initialRetryDelay', scale: 1000 },
  },
  servers: { optimizers: { option: 'optimizersUrl' } },
  baseUrlPath: 'origin',
});
