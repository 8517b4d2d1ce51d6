/**
 * What the CLI talks to: its output streams, its input, its environment and the client it builds. `processIo()` is
 * the real process; in-process tests pass their own (buffers, a fixed environment, a `fetch` into the fake).
 */
import type { NucleusClientOptions } from '../client.js';

export interface OutputStream {
  write(text: string): unknown;
  /** A terminal: spinners, bars and tables fitted to `columns` only then. */
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Where confirmations are read from (`datasets delete` without `--yes`). */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean | undefined };
  /** The environment (`NUCLEUS_API_KEY`, `NUCLEUS_ENDPOINT`, `NUCLEUS_DASHBOARD`...). */
  env: Readonly<Record<string, string | undefined>>;
  /** Extra client options (tests inject `fetch`); merged over what the command line gives. */
  clientOptions?: Partial<NucleusClientOptions>;
  /** Home folder for `install-completion` (tests point it at a temporary folder). */
  homeDir?: string;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  };
}
