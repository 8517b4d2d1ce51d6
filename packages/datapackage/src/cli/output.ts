/**
 * Everything the CLI prints: results on stdout (plain text, tables via cli-table3, or `--json`), progress bars and
 * errors on stderr, so `datapkg hash --manifest F` prints nothing but the hash and pipes stay clean.
 */
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import type CliTable from 'cli-table3';
import type { TransferProgress } from '../directory-sync.js';

export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
}

// Both are CommonJS and loaded on first use: most runs draw no table, and no bar when stderr is not a terminal.
const require = createRequire(import.meta.url);

export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
  );
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function printTable(head: string[], rows: (string | number)[][]): void {
  const Table = require('cli-table3') as typeof CliTable;
  const table = new Table({ head, style: { head: [], border: [] } });
  table.push(...rows.map((r) => r.map(String)));
  printLine(table.toString());
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A bytes + rate progress bar on stderr; a no-op when stderr is not a terminal, with --json or --quiet.
 * Returns the callback to feed and a `stop()`.
 */
export function progressBar(
  label: string,
  options: OutputOptions,
): { update: (p: TransferProgress) => void; stop: () => void; active: boolean } {
  if (options.json || options.quiet || !process.stderr.isTTY)
    return { update: () => undefined, stop: () => undefined, active: false };
  const started = Date.now();
  const cliProgress = require('cli-progress') as typeof CliProgress;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {percentage}% | {done}/{size} | {rate}/s | {files}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let startedBar = false;
  return {
    active: true,
    update(p) {
      if (!startedBar) {
        bar.start(Math.max(p.bytesTotal, 1), 0, {
          done: '0 B',
          size: formatBytes(p.bytesTotal),
          rate: '0 B',
          files: '',
        });
        startedBar = true;
      }
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.setTotal(Math.max(p.bytesTotal, 1));
      bar.update(p.bytesDone, {
        done: formatBytes(p.bytesDone),
        size: formatBytes(p.bytesTotal),
        rate: formatBytes(p.bytesDone / seconds),
        files: `${p.filesDone}/${p.filesTotal} files`,
      });
    },
    stop() {
      if (startedBar) bar.stop();
    },
  };
}
