/**
 * Spinners (ora) for waits of unknown length and progress bars (cli-progress) for counted work, both on stderr and
 * only when stderr is a terminal and neither `--quiet` nor `--json` was given: in a pipe, a log file or CI they
 * print nothing at all. Both libraries are loaded only when something will be drawn, so a piped `nu` never pays
 * for them at start-up.
 */
import type { OutputStream } from './io.js';

export interface Spinner {
  text(text: string): void;
  /** Stop and clear the line. */
  stop(): void;
}

export interface ProgressBar {
  update(done: number, total: number): void;
  stop(): void;
}

const SILENT_SPINNER: Spinner = { text: () => undefined, stop: () => undefined };
const SILENT_BAR: ProgressBar = { update: () => undefined, stop: () => undefined };

export function startSpinner(stream: OutputStream, enabled: boolean, text: string): Spinner {
  if (!enabled || !stream.isTTY) return SILENT_SPINNER;
  let current = text;
  let stopped = false;
  let spinner: { text: string; stop(): unknown } | undefined;
  void import('ora').then(({ default: ora }) => {
    if (stopped) return;
    spinner = ora({
      text: current,
      stream: stream as NodeJS.WritableStream,
      // Leave stdin alone: `datasets delete` may read from it, and raw mode would swallow Ctrl-C.
      discardStdin: false,
    }).start();
  });
  return {
    text: (t) => {
      current = t;
      if (spinner) spinner.text = t;
    },
    stop: () => {
      stopped = true;
      spinner?.stop();
    },
  };
}

export async function startProgressBar(
  stream: OutputStream,
  enabled: boolean,
  label: string,
): Promise<ProgressBar> {
  if (!enabled || !stream.isTTY) return SILENT_BAR;
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
    stream: stream as NodeJS.WritableStream,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(Math.max(total, 1), done);
        started = true;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
