/**
 * spacer's configuration rules (spacer/config.py): each value comes from the environment variable `SPACER_<NAME>`,
 * else, when a secrets file with content exists, from its key `<NAME>` (and then nothing else is consulted), else from
 * `settings` (what Django's `settings.SPACER` is to spacer), else the default. An empty string counts as unset;
 * booleans are only the strings `True`/`False`; a missing required value or a malformed one is a `ConfigError`
 * naming the variable. Secret values never appear in `util.inspect`, `JSON.stringify` or errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from './errors.js';

/** The type of a configuration variable, as spacer names it (`str`, `int`, `bool`). */
export type ConfigValueType = 'str' | 'int' | 'bool';
interface Variable {
  type: ConfigValueType;
  default: string | number | boolean | null;
  secret?: boolean;
}

/** spacer's `CONFIGURABLE_VARS`, with their types and defaults. */
export const CONFIG_VARIABLES = {
  AWS_ACCESS_KEY_ID: { type: 'str', default: null, secret: true },
  AWS_SECRET_ACCESS_KEY: { type: 'str', default: null, secret: true },
  AWS_SESSION_TOKEN: { type: 'str', default: null, secret: true },
  AWS_PROFILE_NAME: { type: 'str', default: null },
  AWS_ANONYMOUS: { type: 'bool', default: false },
  AWS_REGION: { type: 'str', default: null },
  EXTRACTORS_CACHE_DIR: { type: 'str', default: null },
  TEST_BUCKET: { type: 'str', default: null },
  CN_TEST_EXTRACTORS_BUCKET: { type: 'str', default: null },
  CN_FIXTURES_BUCKET: { type: 'str', default: null },
  LOG_DESTINATION: { type: 'str', default: null },
  LOG_LEVEL: { type: 'str', default: 'INFO' },
  MAX_IMAGE_PIXELS: { type: 'int', default: 10000 * 10000 },
  MAX_POINTS_PER_IMAGE: { type: 'int', default: 1000 },
  TRAINING_BATCH_LABEL_COUNT: { type: 'int', default: 5000 },
} as const satisfies Record<string, Variable>;

/** The name of one of spacer's configuration variables (`AWS_REGION`, `MAX_IMAGE_PIXELS`...). */
export type ConfigName = keyof typeof CONFIG_VARIABLES;
/** The TypeScript type of variable `N`'s value: number, boolean, or string (`null` when it has no default). */
export type ConfigValueOf<N extends ConfigName> = (typeof CONFIG_VARIABLES)[N]['type'] extends 'int'
  ? number
  : (typeof CONFIG_VARIABLES)[N]['type'] extends 'bool'
    ? boolean
    : (typeof CONFIG_VARIABLES)[N]['default'] extends null
      ? string | null
      : string;
/** Every configuration value, typed by its variable. */
export type SpacerConfigValues = { [N in ConfigName]: ConfigValueOf<N> };

/** Where configuration values are read from, in spacer's order: environment, secrets, settings. */
export interface ConfigSources {
  /** @default process.env */
  env?: Record<string, string | undefined>;
  /** A secrets.json path; read if it exists. @default `./secrets.json` in the working directory */
  secretsPath?: string;
  /** Already-parsed secrets (instead of a file). */
  secrets?: Record<string, unknown>;
  /** Lowest-priority settings, used only without secrets (Django's `settings.SPACER` for spacer). Not cast. */
  settings?: Record<string, unknown>;
}

const isSet = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

function cast(
  name: string,
  source: string,
  type: ConfigValueType,
  value: unknown,
): string | number | boolean {
  if (type === 'str') {
    if (typeof value !== 'string') throw new ConfigError(`${source} must be a string.`);
    return value;
  }
  if (type === 'int') {
    const text = typeof value === 'number' ? String(value) : value;
    // Python's int(): optional sign, digits, surrounding whitespace, '_' between digits.
    if (typeof text !== 'string' || !/^\s*[+-]?\d+(_\d+)*\s*$/.test(text)) {
      throw new ConfigError(`${source} must be an integer.`);
    }
    return Number(text.replaceAll('_', ''));
  }
  if (value === 'True') return true;
  if (value === 'False') return false;
  throw new ConfigError(`${name} may only be True or False.`);
}

function readSecrets(sources: ConfigSources): Record<string, unknown> | undefined {
  if (sources.secrets) return sources.secrets;
  const path = sources.secretsPath ?? join(process.cwd(), 'secrets.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    // Not the content: it may hold secrets.
    throw new ConfigError(`${path} is not valid JSON (${(error as Error).name})`);
  }
}

/** Pass as the default of `getConfigValue` for a required value. */
export const REQUIRED: unique symbol = Symbol('required');

/** One value by spacer's rules. */
export function getConfigValue(
  name: string,
  type: ConfigValueType,
  fallback: string | number | boolean | null | typeof REQUIRED,
  sources: ConfigSources & { secretsData?: Record<string, unknown> | undefined } = {},
): string | number | boolean | null {
  const env = sources.env ?? process.env;
  const envValue = env[`SPACER_${name}`];
  if (isSet(envValue)) return cast(name, `SPACER_${name}`, type, envValue);

  const unspecified = () => {
    if (fallback === REQUIRED) throw new ConfigError(`${name} setting is required. (set SPACER_${name})`);
    return fallback;
  };
  const secrets = 'secretsData' in sources ? sources.secretsData : readSecrets(sources);
  // `if SECRETS:` in Python: an empty file counts as none.
  if (secrets && Object.keys(secrets).length > 0) {
    const value = secrets[name];
    return isSet(value) ? cast(name, `${name} in secrets`, type, value) : unspecified();
  }
  if (sources.settings && Object.keys(sources.settings).length > 0) {
    const value = sources.settings[name];
    return isSet(value) ? (value as string | number | boolean) : unspecified();
  }
  return unspecified();
}

/** A snapshot of spacer's configuration. Secret values are readable as properties but never printed. */
export class SpacerConfig {
  readonly #values: SpacerConfigValues;

  private constructor(values: SpacerConfigValues) {
    this.#values = values;
  }

  /**
   * Read every variable by spacer's rules (see the module comment).
   *
   * @throws {@link ConfigError} for a malformed value, naming the variable.
   */
  static load(sources: ConfigSources = {}): SpacerConfig {
    const secretsData = readSecrets(sources);
    const values: Record<string, unknown> = {};
    for (const [name, variable] of Object.entries(CONFIG_VARIABLES) as [ConfigName, Variable][]) {
      values[name] = getConfigValue(name, variable.type, variable.default, { ...sources, secretsData });
    }
    return new SpacerConfig(values as SpacerConfigValues);
  }

  /** One value (a secret too: it is readable, only never printed). */
  get<N extends ConfigName>(name: N): SpacerConfigValues[N] {
    return this.#values[name];
  }

  /** Static credentials, when configured (otherwise the AWS SDK's own chain applies). */
  awsCredentials(): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined {
    const accessKeyId = this.#values.AWS_ACCESS_KEY_ID;
    const secretAccessKey = this.#values.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) return undefined;
    const sessionToken = this.#values.AWS_SESSION_TOKEN;
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }

  /** Every value, secrets shown like spacer's `config.check()` (first and last 6 characters). */
  describe(): Record<ConfigName, string> {
    const out = {} as Record<ConfigName, string>;
    for (const [name, variable] of Object.entries(CONFIG_VARIABLES) as [ConfigName, Variable][]) {
      const value = this.#values[name];
      out[name] =
        variable.secret && typeof value === 'string' && value
          ? value.length > 12
            ? `${value.slice(0, 6)} ... ${value.slice(-6)}`
            : '***'
          : String(value);
    }
    return out;
  }

  /** What {@link SpacerConfig.describe} returns: JSON.stringify shows no whole secret. */
  toJSON(): Record<ConfigName, string> {
    return this.describe();
  }

  /** `util.inspect` / `console.log`: the description, secrets shortened. */
  [inspect.custom](): string {
    return `SpacerConfig ${inspect(this.describe())}`;
  }
}
