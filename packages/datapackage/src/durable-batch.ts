/**
 * Making a batch of writes durable with one wait instead of one per file. On Linux, `sync --file-system <path>`
 * (coreutils; syncfs(2)) flushes the whole file system holding the path, data and metadata, and reports write-back
 * errors: for 10,000 small staged files about 0.4 s where an fsync per file took about 5 s (ext4, measured for issue
 * 11). Elsewhere, or when `sync` is missing or fails, every listed file and folder is fsynced, a few at a time.
 *
 * Spawning a process from one with a large heap blocks this thread while fork(2) copies its page tables (10-40 ms
 * per flush at the end of a 10,000-file install, measured). A command that knows it will flush can start a small
 * shell early ({@link prestartFileSystemSync}), while the heap is small; each flush is then a line written to it, and
 * the shell, not this process, forks `sync`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import pLimit from 'p-limit';

/** coreutils' `sync`, by absolute path (not whatever `sync` the PATH finds first). */
const SYNC_BINARIES = ['/usr/bin/sync', '/bin/sync'];

/** How long a flush may take before it counts as failed (and the per-file fsyncs run instead). */
const SYNC_TIMEOUT_MS = 10 * 60_000;

/** Parallel fsyncs of the per-file fallback. */
const FSYNC_CONCURRENCY = 16;

export interface DurableBatch {
  /** A path on the file system to flush (all files and folders below are on the same one). */
  anchor: string;
  /** Written files. */
  files: Iterable<string>;
  /** Folders whose entries changed (files created, renamed into or out of them). */
  folders: Iterable<string>;
}

export interface SyncOptions {
  /** Use syncfs through `sync --file-system`. @default true on Linux */
  fileSystemSync?: boolean;
}

/** Returns once every file and folder entry of the batch is on disk. */
export async function syncBatch(batch: DurableBatch, options: SyncOptions = {}): Promise<void> {
  if ((options.fileSystemSync ?? process.platform === 'linux') && (await syncFileSystem(batch.anchor)))
    return;
  const limit = pLimit(FSYNC_CONCURRENCY);
  const folders = process.platform === 'win32' ? [] : [...batch.folders]; // Windows cannot fsync a folder
  await Promise.all([...batch.files, ...folders].map((path) => limit(() => fsyncIfPresent(path))));
}

/** syncfs of the file system holding `path`; false when it could not be run or failed (the caller falls back). */
function syncFileSystem(path: string): Promise<boolean> {
  const runner = prestarted?.usable() ? prestarted : undefined;
  if (runner && !/[\n\0]/.test(path)) return runner.sync(path);
  return new Promise((resolve) => {
    const binary = syncBinary();
    if (!binary) return resolve(false);
    execFile(binary, ['--file-system', path], { timeout: SYNC_TIMEOUT_MS, env: SYNC_ENV }, (error) =>
      resolve(!error),
    );
  });
}

function syncBinary(): string | undefined {
  return SYNC_BINARIES.find((candidate) => existsSync(candidate));
}

/** `sync` needs no locale: without one it does not read a dozen locale files at every start. */
const SYNC_ENV = { ...process.env, LC_ALL: 'C' };

/** Reads paths, one a line, and answers each with the exit status of `sync --file-system` on it. */
const RUNNER_SCRIPT =
  'while IFS= read -r path; do "$0" --file-system "$path" >/dev/null 2>&1; echo "$?"; done';

/** The shell started by prestartFileSystemSync, if any. */
let prestarted: SyncRunner | undefined;

/**
 * Starts the shell that runs this process's flushes (see the file comment), on Linux where `sync` and `/bin/sh`
 * exist. It is not waited for: it never keeps the process alive, and it ends when this process does (its input
 * closes). A flush it cannot serve (it died, a path with a line break) spawns `sync` as usual.
 */
export function prestartFileSystemSync(): void {
  if (process.platform !== 'linux' || prestarted?.usable()) return;
  const binary = syncBinary();
  if (binary && existsSync('/bin/sh')) prestarted = new SyncRunner(binary);
}

class SyncRunner {
  readonly #child: ChildProcess;
  /** Flushes asked for and not answered yet, in the order they were written. */
  readonly #waiting: ((ok: boolean) => void)[] = [];
  #alive = true;
  #output = '';

  constructor(binary: string) {
    this.#child = spawn('/bin/sh', ['-c', RUNNER_SCRIPT, binary], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: SYNC_ENV,
    });
    const finish = () => {
      this.#alive = false;
      for (const resolve of this.#waiting.splice(0)) resolve(false);
    };
    this.#child.on('error', finish);
    this.#child.on('exit', finish);
    this.#child.stdin?.on('error', finish); // EPIPE: the shell is gone
    this.#child.stdout?.setEncoding('utf8');
    this.#child.stdout?.on('data', (chunk: string) => {
      this.#output += chunk;
      for (let end = this.#output.indexOf('\n'); end >= 0; end = this.#output.indexOf('\n')) {
        const status = this.#output.slice(0, end);
        this.#output = this.#output.slice(end + 1);
        this.#waiting.shift()?.(status === '0');
      }
      if (this.#waiting.length === 0) this.#idle();
    });
    this.#idle();
  }

  usable(): boolean {
    return this.#alive && this.#child.stdin?.writable === true;
  }

  sync(path: string): Promise<boolean> {
    return new Promise((resolve) => {
      // As long as a spawned `sync` may take; then the shell is stopped and every flush falls back.
      const timer = setTimeout(() => this.#child.kill(), SYNC_TIMEOUT_MS);
      this.#waiting.push((ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
      this.#busy();
      this.#child.stdin?.write(`${path}\n`);
    });
  }

  /** Nothing to wait for: the shell and its pipes do not keep the process alive. */
  #idle(): void {
    this.#child.unref();
    (this.#child.stdin as { unref?: () => void } | null)?.unref?.();
    (this.#child.stdout as { unref?: () => void } | null)?.unref?.();
  }

  /** A flush is running: its answer must be waited for. */
  #busy(): void {
    this.#child.ref();
    (this.#child.stdin as { ref?: () => void } | null)?.ref?.();
    (this.#child.stdout as { ref?: () => void } | null)?.ref?.();
  }
}

/** fsync by path; a path already gone (a folder removed after the batch was listed) has nothing to sync. */
async function fsyncIfPresent(path: string): Promise<void> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!handle) return;
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
