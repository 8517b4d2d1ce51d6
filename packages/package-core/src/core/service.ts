/**
 * A service's quirks as data (`<svc>-client/src/service.ts`): how its constructor options become the core's
 * `ClientOptions`. The client class names it in `static service`; `BaseClient` applies it in its constructor, so a
 * subclass needs no constructor of its own and `withOptions()` starts again from the user's own option names.
 */
import type { AuthStrategy } from './auth.js';
import type { ErrorPolicy } from './errors.js';
import type { ClientOptions } from './options.js';

/** A seed client's option name that maps onto a core option (`retryWaitSeconds` -> `initialRetryDelay` × 1000). */
export interface OptionAlias {
  readonly option: keyof ClientOptions;
  /** Multiply the value (unit conversion). @default 1 */
  readonly scale?: number;
}

/** One named server an operation's spec `servers` points at (`x-server-name`). */
export interface NamedServer {
  /** The constructor option that holds its URL (e.g. `optimizersUrl`); `servers.<name>` always works too. */
  readonly option?: string;
  /** URL used when neither option is set; without one, calls of the server's operations fail naming `option`. */
  readonly default?: string;
}

/** The quirks of one service. Every field is optional. */
export interface ServiceConfig<O = Record<string, unknown>> {
  /** The client's name in messages (`HubClient: \`baseUrl\` is required`). */
  readonly name: string;
  /** Which statuses retry, how error bodies read. @default defaultErrorPolicy */
  readonly errorPolicy?: ErrorPolicy;
  /** The auth strategy built from the user's options (tokens); an explicit `auth` option wins. */
  readonly auth?: (options: O) => AuthStrategy | undefined;
  /** Environment variables read for options the caller left undefined: option name -> variable name. */
  readonly env?: { readonly [K in keyof O]?: string };
  /** The seed client's option names: alias -> core option. A core option set explicitly wins. */
  readonly aliases?: { readonly [alias: string]: OptionAlias };
  /** Named servers (per-operation base URLs) by server name. */
  readonly servers?: { readonly [name: string]: NamedServer };
  /**
   * `'origin'`: a path in a base URL (also a named server's) is dropped, because the spec's paths are absolute
   * (Python's `urljoin`). @default 'keep'
   */
  readonly baseUrlPath?: 'keep' | 'origin';
  /** Core option defaults of this service (below the caller's options). */
  readonly defaults?: Partial<ClientOptions>;
}

/** Declare a service config with its options type checked. */
export function defineService<O>(config: ServiceConfig<O>): ServiceConfig<O> {
  return config;
}

/** `process.env[name]` where there is a process (never in a browser bundle's way). */
export function readEnv(name: string): string | undefined {
  const env = typeof process !== 'undefined' ? process.env : undefined;
  const value = env?.[name]?.trim();
  return value ? value : undefined;
}
