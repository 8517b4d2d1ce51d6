/**
 * The SC / Geti quirks, as data for the core (`BaseClient` applies them in its constructor):
 * - errors: `{ error_code, http_status, message }` (§4.11) read into `code` and `message`;
 * - environment: `SC_HOST`, `SC_USERNAME`, `SC_PASSWORD`, `SC_TOKEN`, `SC_WORKSPACE`;
 * - the base path is found at run time (`product_info`, organization, §1), so the client is built on placeholders that
 *   `ScSession.fetch` replaces (see `auth/session.ts`); the four routes outside the organization use the named
 *   server `apiRoot` (`x-server-name` in the spec).
 */
import { defineService, type ErrorPolicy, type ServiceConfig } from '@mlclients/package-core';
import type { ScClientOptions } from './client.js';

/** The environment variables read for options left undefined. */
export const SC_ENV = {
  host: 'SC_HOST',
  username: 'SC_USERNAME',
  password: 'SC_PASSWORD',
  token: 'SC_TOKEN',
  workspace: 'SC_WORKSPACE',
} as const satisfies { [K in keyof ScClientOptions]?: string };

/** How SC's error bodies (`{ error_code, message }`) become the errors' message and code. */
export const scErrorPolicy: ErrorPolicy = {
  parseErrorBody(body) {
    if (!body || typeof body !== 'object') return undefined;
    const b = body as { error_code?: unknown; message?: unknown };
    return {
      message: typeof b.message === 'string' ? b.message : undefined,
      code: typeof b.error_code === 'string' ? b.error_code : undefined,
    };
  },
};

/** SC's quirks as data: the client's name, error policy and the `apiRoot` server. */
export const scService: ServiceConfig<ScClientOptions> = defineService<ScClientOptions>({
  name: 'ScClient',
  errorPolicy: scErrorPolicy,
  servers: { apiRoot: {} },
});
