/**
 * keepYoungGenerationSmall (the CLI's V8 tuning): the young generation stops growing, also after a hashing worker
 * started (whose start resets the flag for the whole process). Each case runs in a child process: V8 flags are the
 * process's, and the test runner's own must stay as they are. What is compared is the new space's size before and
 * after 200,000 long-lived objects are made (the young generation grows while many objects survive its collections):
 * it must not change where the tuning is on, and grows where it is off.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliCommand, PACKAGE_ROOT } from './cli/run-cli.js';
import { useTempWorkspace } from './helpers.js';

const workspace = useTempWorkspace('dp-young-generation-');
const source = (path: string) => pathToFileURL(join(PACKAGE_ROOT, path)).href;

/**
 * Makes 200,000 long-lived objects and prints `YOUNG <new space before> <after> <objects>` (the count only keeps them
 * alive until the second size is read).
 */
const GROWTH_PROBE = `
  const { getHeapSpaceStatistics } = require('node:v8');
  const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
  const before = newSpace();
  const kept = [];
  for (let i = 0; i < 200000; i++) kept.push({ key: 'k' + i, value: [i] });
  // writeSync: the probe also runs in an 'exit' handler, where an asynchronous pipe write (macOS) could be lost.
  require('node:fs').writeSync(1, 'YOUNG ' + before + ' ' + newSpace() + ' ' + kept.length + '\\n');
`;

/** Runs node with `args` and returns what the growth probe printed. */
function probe(args: string[], env: NodeJS.ProcessEnv = {}): { before: number; after: number } {
  const result = spawnSync(process.execPath, args, {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(result.status, result.stderr).toBe(0);
  const line = /^YOUNG (\d+) (\d+) \d+$/m.exec(result.stdout);
  expect(line, result.stdout + result.stderr).not.toBeNull();
  const [, before, after] = (line as RegExpExecArray).map(Number);
  return { before: before as number, after: after as number };
}

/** The library: a pool's worker answered a task (its code has run), then the probe. */
function afterWorkerStart(keepSmall: boolean): { before: number; after: number } {
  // A file, not -e with --input-type=module: workers inherit the flags, and the worker's code is CommonJS.
  const file = join(workspace.fresh('library'), `library-${keepSmall}.mjs`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `
    import { createRequire } from 'node:module';
    import { HashWorkerPool } from '${source('src/hashing/worker-pool.ts')}';
    import { keepYoungGenerationSmall } from '${source('src/hashing/young-generation.ts')}';
    const require = createRequire(import.meta.url);
    if (${keepSmall}) keepYoungGenerationSmall();
    const pool = new HashWorkerPool(1, 1);
    await pool.run({ kind: 'stat', paths: [] }); // answered: the worker's code has run
    ${GROWTH_PROBE}
    await pool.close();
  `,
  );
  return probe(['--conditions=@mlclients/source', '--import', 'tsx', file]);
}

// Measured and relied on with Node 20's V8 (11.3); newer V8s may ignore the flag set at run time (young-generation.ts),
// which costs nothing but the gain, so there these checks do not apply.
describe.runIf(process.versions.node.startsWith('20.'))('keepYoungGenerationSmall', () => {
  it('stops the young generation growing, also after a worker started', () => {
    const { before, after } = afterWorkerStart(true);
    expect(after).toBe(before);
  });

  it('is off unless asked: the young generation grows as V8 decides', () => {
    const { before, after } = afterWorkerStart(false);
    expect(after).toBeGreaterThan(before);
  });

  it('is on in the datapkg CLI, through a push that started its workers', () => {
    // The probe runs as the CLI exits (after the push, its workers started): the flag is still in effect then.
    const scratch = workspace.fresh('cli');
    mkdirSync(scratch, { recursive: true });
    const preload = join(scratch, 'probe-at-exit.cjs');
    writeFileSync(preload, `process.on('exit', () => {${GROWTH_PROBE}});`);
    const folder = join(scratch, 'folder');
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < 20; i++) writeFileSync(join(folder, `f${i}.txt`), `file ${i}\n`);
    const registry = pathToFileURL(join(scratch, 'registry')).href;
    const { before, after } = probe(
      ['--require', preload, ...cliCommand(), 'push', 'test/young', '--dir', folder, '--registry', registry],
      { MLC_DATAPKG_CACHE_DIR: join(scratch, 'cache') },
    );
    expect(after).toBe(before);
  });
});
