/**
 * keepYoungGenerationSmall (the CLI's V8 tuning): the young generation stays at its initial size even after a hashing
 * worker started, whose start resets the flag for the whole process. Each case runs in a child process: V8 flags are
 * the process's, and the test runner's own must stay as they are.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './cli/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'young-generation-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const source = (path: string) => pathToFileURL(join(PACKAGE_ROOT, path)).href;

/**
 * The main thread's new space (bytes) once a worker answered a task, and after 200,000 long-lived objects were made
 * (the young generation grows while many objects survive its collections).
 */
function newSpaceAfterWorkerStart(keepSmall: boolean): { before: number; after: number } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { HashWorkerPool } from '${source('src/hashing/worker-pool.ts')}';
    import { keepYoungGenerationSmall } from '${source('src/hashing/young-generation.ts')}';
    if (${keepSmall}) keepYoungGenerationSmall();
    const pool = new HashWorkerPool(1, 1);
    await pool.run({ kind: 'stat', paths: [] }); // answered: the worker's code has run
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const before = newSpace();
    const kept = [];
    for (let i = 0; i < 200000; i++) kept.push({ key: 'k' + i, value: [i] });
    console.log(before + ' ' + newSpace() + ' ' + kept.length);
    await pool.close();
  `;
  // A file, not -e with --input-type=module: workers inherit the flags, and the worker's code is CommonJS.
  const file = join(scratch, `case-${keepSmall}.mjs`);
  writeFileSync(file, script);
  const result = spawnSync(process.execPath, ['--conditions=@mlclients/source', '--import', 'tsx', file], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  const [before, after, count] = result.stdout.trim().split(' ').map(Number);
  expect(count).toBe(200_000);
  return { before: before as number, after: after as number };
}

const MiB = 1024 * 1024;

describe('keepYoungGenerationSmall', () => {
  it('stops the young generation growing, also after a worker started', () => {
    const { before, after } = newSpaceAfterWorkerStart(true);
    // It may have grown once while the worker was starting (the flag reset until the worker's code set it again).
    expect(before).toBeLessThanOrEqual(4 * MiB);
    expect(after).toBe(before);
  });

  it('is off unless asked: the young generation grows as V8 decides', () => {
    expect(newSpaceAfterWorkerStart(false).after).toBeGreaterThan(8 * MiB);
  });
});
