/**
 * Leveled logging. `warn` by default, as in the Stainless SDKs: a response that does not match the spec is returned
 * and reported once per field (validation's `'warn'` mode), which is useless if nobody sees it. `MLCLIENTS_LOG=off`
 * or `logLevel: 'off'` silences it. Any object with `debug/info/warn/error` (console, pino, winston) works.
 */

/** Log levels, quietest first. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** The four methods a logger needs. */
export interface Logger {
  /** A call failed for good. */
  error(message: string, ...rest: unknown[]): void;
  /** Something the user should see: a retry, a response that does not match the spec, a deprecated resource. */
  warn(message: string, ...rest: unknown[]): void;
  /** One line per call. */
  info(message: string, ...rest: unknown[]): void;
  /** Requests and responses in detail (secrets redacted). */
  debug(message: string, ...rest: unknown[]): void;
}

const LEVEL_RANK: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** Environment variable read when no `logLevel` option is given. */
export const LOG_LEVEL_ENV = 'MLCLIENTS_LOG';

/** The level when neither the option nor the environment says one. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'warn';

const noop = (): void => {};

/** Is `value` a valid level? */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && value in LEVEL_RANK;
}

/** The effective level: the option, else `MLCLIENTS_LOG`, else `warn`. */
export function resolveLogLevel(level: LogLevel | undefined): LogLevel {
  if (level) return level;
  const env = typeof process !== 'undefined' ? process.env?.[LOG_LEVEL_ENV] : undefined;
  return isLogLevel(env) ? env : DEFAULT_LOG_LEVEL;
}

/**
 * A logger whose methods below `level` are no-ops. The others are the logger's own methods, bound, not wrapped:
 * wrapping would hide the caller's stack trace.
 */
export function filterLogger(logger: Logger | undefined, level: LogLevel): Logger {
  const base = logger ?? console;
  const rank = LEVEL_RANK[level];
  return {
    error: rank >= 1 ? base.error.bind(base) : noop,
    warn: rank >= 2 ? base.warn.bind(base) : noop,
    info: rank >= 3 ? base.info.bind(base) : noop,
    debug: rank >= 4 ? base.debug.bind(base) : noop,
  };
}

/** True when `level` lets `wanted` through (used to skip building expensive debug payloads). */
export function levelEnabled(level: LogLevel, wanted: Exclude<LogLevel, 'off'>): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[wanted];
}
