/**
 * `nu` in process: its output captured, its environment fixed, its requests answered by the Nucleus fake (through
 * the client's `fetch` option) and checked against the spec (`validate: 'error'`).
 */
import { Readable } from 'node:stream';
import type { CliIo } from '../../../src/cli/io.js';
import { runCli } from '../../../src/cli/program.js';

export interface MemoryRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface MemoryIoOptions {
  env?: Record<string, string | undefined>;
  fetch: typeof globalThis.fetch;
  /** Pretend stdout is a terminal this wide. */
  columns?: number;
  /** Pretend stderr is a terminal (spinners and bars). */
  stderrTTY?: boolean;
  input?: string;
  homeDir?: string;
}

export async function runInProcess(args: readonly string[], o: MemoryIoOptions): Promise<MemoryRun> {
  let stdout = '';
  let stderr = '';
  const stdin = Readable.from(o.input === undefined ? [] : [o.input]) as CliIo['stdin'];
  const io: CliIo = {
    stdout: {
      write: (t: string) => {
        stdout += t;
        return true;
      },
      isTTY: o.columns !== undefined,
      columns: o.columns,
    },
    stderr: Object.assign(
      // cli-progress and ora draw with the stream's cursor methods when it is a terminal.
      {
        write: (t: string) => {
          stderr += t;
          return true;
        },
        isTTY: o.stderrTTY === true,
        columns: 100,
      },
      o.stderrTTY
        ? { cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true }
        : {},
    ),
    stdin,
    env: o.env ?? {},
    clientOptions: { fetch: o.fetch, validate: 'error', initialRetryDelay: 1, maxRetries: 1 },
    ...(o.homeDir ? { homeDir: o.homeDir } : {}),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
