/**
 * How a batch is flushed on Linux: each flush spawns `sync --file-system`, unless a command started the flushing
 * shell first (prestartFileSystemSync), which then serves every flush; a flush it cannot serve (a path with a line
 * break, the shell gone) spawns `sync` as before, and a failed syncfs falls back to fsyncs. Every flush answers.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prestartFileSystemSync, syncBatch } from '../src/durable-batch.js';
import { tempDir } from './helpers.js';

const calls = vi.hoisted(() => ({ execFile: 0, spawned: [] as ChildProcess[] }));

vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  return {
    ...actual,
    execFile: ((...args: Parameters<typeof actual.execFile>) => {
      calls.execFile++;
      return actual.execFile(...args);
    }) as typeof actual.execFile,
    spawn: ((...args: Parameters<typeof actual.spawn>) => {
      const child = actual.spawn(...args);
      calls.spawned.push(child);
      return child;
    }) as typeof actual.spawn,
  };
});

let work: Awaited<ReturnType<typeof tempDir>>;
let file: string;
beforeAll(async () => {
  work = await tempDir('dp-durable-batch-');
  file = join(work.path, 'written.txt');
  await writeFile(file, 'data');
});
afterAll(async () => {
  for (const child of calls.spawned) child.kill();
  await work.cleanup();
});

const batch = (anchor: string) => ({ anchor, files: [file], folders: [work.path] });

describe.runIf(process.platform === 'linux')('flushing a batch on Linux', () => {
  it('without the shell, each flush spawns sync', async () => {
    await syncBatch(batch(work.path));
    await syncBatch(batch(work.path));
    expect(calls.execFile).toBe(2);
    expect(calls.spawned).toHaveLength(0);
  });

  it('after prestartFileSystemSync, one shell serves every flush (a second prestart starts none)', async () => {
    prestartFileSystemSync();
    prestartFileSystemSync();
    expect(calls.spawned).toHaveLength(1);
    await Promise.all([syncBatch(batch(work.path)), syncBatch(batch(work.path))]);
    await syncBatch(batch(work.path));
    expect(calls.execFile).toBe(2);
  });

  it('a flush the shell cannot do (no such path) is answered, and falls back to fsyncs', async () => {
    await expect(syncBatch(batch(join(work.path, 'absent', 'folder')))).resolves.toBeUndefined();
    expect(calls.execFile).toBe(2);
  });

  it('a path with a line break is flushed by a spawned sync, not written to the shell', async () => {
    const odd = join(work.path, 'line\nbreak');
    await mkdir(odd);
    await syncBatch(batch(odd));
    expect(calls.execFile).toBe(3);
    await syncBatch(batch(work.path));
    expect(calls.execFile).toBe(3); // the shell still serves the others
  });

  it('once the shell is gone, flushes spawn sync again; a new prestart starts another', async () => {
    const shell = calls.spawned[0] as ChildProcess;
    shell.kill();
    if (shell.exitCode === null && shell.signalCode === null) await once(shell, 'exit');
    await syncBatch(batch(work.path));
    expect(calls.execFile).toBe(4);
    prestartFileSystemSync();
    expect(calls.spawned).toHaveLength(2);
    await syncBatch(batch(work.path));
    expect(calls.execFile).toBe(4);
  });
});
