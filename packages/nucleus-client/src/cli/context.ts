/**
 * What every command gets: the global options, the client built from them, and the ways to print (stdout for
 * results, stderr for progress and errors), with the credentials masked in everything written.
 */
import { Redactor } from '@mlclients/package-core';
import type { Command } from 'commander';
import { API_KEY_ENV, LIMITED_ACCESS_KEY_ENV } from '../auth.js';
import { NucleusClient } from '../client.js';
import { DEFAULT_ENDPOINT, NUCLEUS_ENV } from '../service.js';
import { dashboardUrl } from './dashboard.js';
import { CliError, UsageError } from './errors.js';
import { type ProgressBar, type Spinner, startProgressBar, startSpinner } from './feedback.js';
import type { CliIo } from './io.js';
import { type Cell, renderJson, renderMachineReadable, renderTable } from './output.js';

/** The options every command takes (defined once on the program, listed in every subcommand's help). */
export interface GlobalOptions {
  apiKey?: string;
  limitedAccessKey?: string;
  endpoint?: string;
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
  /** Seconds per attempt. */
  timeout?: number;
  maxRetries?: number;
}

type Credentials = { apiKey: string } | { limitedAccessKey: string };

export class CliContext {
  readonly #program: Command;
  readonly #redactor = new Redactor();
  #client: NucleusClient | undefined;

  constructor(
    readonly io: CliIo,
    program: Command,
  ) {
    this.#program = program;
    // Mask the keys of the environment from the start: even an error thrown before the client exists is scrubbed.
    this.#redactor.addSecret(io.env[API_KEY_ENV]);
    this.#redactor.addSecret(io.env[LIMITED_ACCESS_KEY_ENV]);
  }

  get globals(): GlobalOptions {
    return this.#program.opts<GlobalOptions>();
  }

  /** Results as JSON instead of tables and sentences. */
  get json(): boolean {
    return this.globals.json === true;
  }

  /** Spinners and progress bars allowed (they still need stderr to be a terminal). */
  get feedback(): boolean {
    return !this.globals.quiet && !this.json;
  }

  /** Where requests go: `--endpoint`/`--base-url`, then NUCLEUS_ENDPOINT, then the public API. */
  get endpoint(): string {
    const endpoint = this.globals.endpoint || this.io.env[NUCLEUS_ENV.endpoint] || DEFAULT_ENDPOINT;
    if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol))
      throw new UsageError(
        `${this.globals.endpoint ? '--endpoint' : NUCLEUS_ENV.endpoint}: expected an http(s) URL, got ${JSON.stringify(endpoint)}`,
      );
    return endpoint;
  }

  /**
   * The key to use: the command line's if it gives one, else the environment's. Exactly one kind, as the API
   * takes one: none, or both, is a one-line error naming the options and variables.
   */
  credentials(): Credentials {
    const g = this.globals;
    const fromFlags = Boolean(g.apiKey || g.limitedAccessKey);
    const apiKey = fromFlags ? g.apiKey : this.io.env[API_KEY_ENV];
    const limited = fromFlags ? g.limitedAccessKey : this.io.env[LIMITED_ACCESS_KEY_ENV];
    this.#redactor.addSecret(apiKey);
    this.#redactor.addSecret(limited);
    if (apiKey && limited)
      throw new CliError(
        fromFlags
          ? 'pass either --api-key or --limited-access-key, not both'
          : `both ${API_KEY_ENV} and ${LIMITED_ACCESS_KEY_ENV} are set: unset one of them`,
      );
    if (apiKey) return { apiKey };
    if (limited) return { limitedAccessKey: limited };
    throw new CliError(`no API key: set ${API_KEY_ENV} or ${LIMITED_ACCESS_KEY_ENV}, or pass --api-key`);
  }

  /** The client (built once per run). */
  client(): NucleusClient {
    if (!this.#client) {
      const g = this.globals;
      this.#client = new NucleusClient({
        ...this.credentials(),
        endpoint: this.endpoint,
        ...(g.timeout !== undefined ? { timeout: g.timeout * 1000 } : {}),
        ...(g.maxRetries !== undefined ? { maxRetries: g.maxRetries } : {}),
        ...this.io.clientOptions,
      });
    }
    return this.#client;
  }

  /** A dashboard link (NUCLEUS_DASHBOARD, NUCLEUS_DASH_PARAMS). */
  dashboard(subPath: string): string {
    return dashboardUrl(this.io.env, subPath);
  }

  /** Text with every known key masked. */
  scrub(text: string): string {
    return this.#redactor.string(text);
  }

  out(text: string): void {
    this.io.stdout.write(this.scrub(text));
  }

  err(text: string): void {
    this.io.stderr.write(this.scrub(text));
  }

  /** A sentence for people, unless --quiet (results still print) or --json. */
  note(text: string): void {
    if (!this.globals.quiet && !this.json) this.err(`${text}\n`);
  }

  /** `value` as JSON with --json, else what `human` renders. */
  print(value: unknown, human: () => string): void {
    this.out(this.json ? renderJson(value) : human());
  }

  /**
   * A listing: `json` with --json; tab-separated rows with `machineReadable`; else a table fitted to the terminal
   * (unbounded when stdout is not one).
   */
  listing(json: unknown, head: readonly string[], rows: Cell[][], machineReadable = false): void {
    if (this.json) this.out(renderJson(json));
    else if (machineReadable) this.out(renderMachineReadable(rows));
    else this.out(renderTable(head, rows, this.io.stdout.isTTY ? this.io.stdout.columns : undefined));
  }

  spinner(text: string): Spinner {
    return startSpinner(this.io.stderr, this.feedback, text);
  }

  progress(label: string): Promise<ProgressBar> {
    return startProgressBar(this.io.stderr, this.feedback, label);
  }

  /** Run `work` with a spinner saying what it waits for. */
  async waiting<T>(text: string, work: () => Promise<T>): Promise<T> {
    const spinner = this.spinner(text);
    try {
      return await work();
    } finally {
      spinner.stop();
    }
  }
}
