/**
 * `HubClient`: the Auger Hub API (and its optimizers service) on `@mlclients/package-core`.
 *
 * Every operation of `openapi/hub.yaml` is a method of the generated base class (`hub.<resource>.<method>()`); the
 * Hub's quirks are data in `service.ts`; `resources/` adds the methods the spec cannot describe (`trials.refit`).
 */
import type { ClientOptions } from '@mlclients/package-core';
import type { HubTokens } from './auth.js';
import { GeneratedHubClient } from './generated/index.js';
import { Trials } from './resources/trials.js';
import { hubService } from './service.js';

/**
 * Options of {@link HubClient}: the core's client options, the Hub's tokens and the Python client's option names.
 * Tokens: set one; if several are set, the first of project > cluster > user > system is sent.
 */
export interface HubClientOptions
  extends Omit<ClientOptions, 'baseUrl' | 'auth' | 'errorPolicy' | 'operationSchemas' | 'envelope'>,
    HubTokens {
  /**
   * The Hub, e.g. `https://app.auger.ai`. Paths are absolute (`/api/v1/...`), so a path in this URL is dropped, as
   * the Python client's `urljoin` does. @default process.env.HUB_APP_URL (required)
   */
  baseUrl?: string | undefined;
  /**
   * The optimizers service (`nextTrials`, `nextTrialsV2`, `fte`); same as `servers: { optimizers }`. Required only
   * by those calls. @default process.env.OPTIMIZERS_URL
   */
  optimizersUrl?: string | undefined;
  /** Retries after the first attempt (Python `retries_count`, whose default was 5); same as `maxRetries`. @default 2 */
  retriesCount?: number | undefined;
  /** Retries for connection errors (Python `connection_retries_count`); same as `maxConnectionRetries`. @default retriesCount */
  connectionRetriesCount?: number | undefined;
  /**
   * First wait before a retry, seconds (Python `retry_wait_seconds`, a constant 5 s there); doubles on every retry up
   * to `maxRetryDelay`, with jitter, and a server's `Retry-After` wins. Same as `initialRetryDelay` / 1000. @default 0.5
   */
  retryWaitSeconds?: number | undefined;
}

/**
 * The Auger Hub client.
 *
 * @example
 * ```ts
 * const hub = new HubClient({ baseUrl: 'https://app.auger.ai', projectToken: process.env.HUB_PROJECT_API_TOKEN });
 * const page = await hub.trials.list({ experiment_session_id: 'a2f99b48b6cc5541' });
 * for await (const p of hub.projects.list()) console.log(p.name); // every page
 * const { data, requestId, attempts } = await hub.projects.get(31).withResponse();
 * ```
 */
export class HubClient extends GeneratedHubClient<HubClientOptions> {
  static override service = hubService;

  /** Trials, plus `refit(id, refitDataPath)`. */
  override readonly trials: Trials = new Trials(this);
}

/** Same as `new HubClient(options)`. */
export function createHubClient(options: HubClientOptions): HubClient {
  return new HubClient(options);
}
