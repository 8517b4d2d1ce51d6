#!/usr/bin/env node
/**
 * npm run mutate -- <area> [--files a.ts,b.ts] [--ignore-static] [--full] [--command] [--timeout-ms N]: StrykerJS over one area, or every area under a
 * prefix (`runtime`). Reports: tools/mutation/reports/<area>/index.html (HTML) and mutation.json; the clear-text
 * table is printed at the end of each area. A developer tool: not part of `npm test` or CI.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import { areas, selectAreas } from './areas.mjs';

const root = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const [name, ...rest] = process.argv.slice(2);
const selected = name ? selectAreas(name) : [];
if (selected.length === 0) {
  console.error(
    'usage: npm run mutate -- <area|prefix> [--files a.ts,b.ts] [--ignore-static] [--full] [--command] [--timeout-ms N]\nareas:',
  );
  for (const [key, a] of Object.entries(areas)) console.error(`  ${key.padEnd(20)} ${a.description}`);
  process.exit(name ? 2 : 0);
}
const filesAt = rest.indexOf('--files');
const command = rest.includes('--command');
// --timeout-ms N: a margin other than the area's, to check that a short one gives no false timeouts (run the
// mutants that timed out again with the default 5000): its report goes beside the area's, never over it.
const timeoutAt = rest.indexOf('--timeout-ms');
const timeoutMS = timeoutAt >= 0 ? Number(rest[timeoutAt + 1]) : undefined;
if (timeoutAt >= 0 && !(Number(timeoutMS) > 0)) {
  console.error('--timeout-ms takes a number of milliseconds');
  process.exit(2);
}
process.chdir(root);

for (const key of selected) {
  const area = areas[key];
  // A --command run checks a few mutants again: its report goes beside the area's, never over it.
  const reportDir = `tools/mutation/reports/${key}${command ? '/command' : ''}${timeoutMS ? `/timeout-${timeoutMS}` : ''}`;
  // The vitest config (tools/mutation/vitest.config.mts) reads these; Stryker's workers inherit them.
  process.env.MUTATE_VITEST_ROOT = area.root;
  process.env.MUTATE_VITEST_INCLUDE = JSON.stringify(area.tests);
  process.env.MUTATE_VITEST_SETUP = JSON.stringify(area.setupFiles ?? []);
  // Property tests that read it run fewer cases per mutant (each survivor reruns them whole).
  process.env.MUTATE_FAST_CHECK_RUNS = String(area.fastCheckRuns ?? 30);
  const keep = [area.root, ...(area.also ?? [])];
  console.log(`\n=== ${key}: ${area.description}`);
  const stryker = new Stryker({
    mutate: filesAt >= 0 ? (rest[filesAt + 1] ?? '').split(',') : area.mutate,
    // --command: Stryker's command runner, one fresh `vitest run` of the area's tests per mutant (no per-test
    // coverage, so slow: use it with --files on a few lines) for a mutant the vitest runner may have judged wrong.
    testRunner: command ? 'command' : 'vitest',
    commandRunner: { command: 'npx vitest run --config tools/mutation/vitest.config.mts' },
    vitest: { configFile: 'tools/mutation/vitest.config.mts', related: false },
    coverageAnalysis: command ? 'off' : 'perTest',
    ignoreStatic: rest.includes('--ignore-static'),
    plugins: command ? [] : ['@stryker-mutator/vitest-runner'],
    // Copy only what the area needs into the sandbox, not the whole monorepo; node_modules is symlinked.
    ignorePatterns: [
      '/*',
      '!/package.json',
      '!/tsconfig.base.json',
      '!/vitest.shared.ts',
      '!/tools',
      '/tools/*',
      '!/tools/mutation',
      '/tools/mutation/reports',
      '!/packages',
      '/packages/*',
      ...keep.map((p) => `!/${p}`),
      '**/dist',
      '**/node_modules',
      '**/test/fixtures/hub-cassettes',
      // Editors' and atomic writers' temp files, there one moment and gone the next (a copy of one fails the run).
      '**/.*.tmp',
      '**/*.tmp',
    ],
    // Outside the repo: a sandbox inside it would be seen by nx, biome and tsc of everyone else working here.
    tempDirName: path.join(
      process.env.TMPDIR ?? '/tmp',
      `mlclients-stryker-${key.replace('/', '-')}${command ? '-command' : ''}${timeoutMS ? '-timeout' : ''}`,
    ),
    cleanTempDir: 'always',
    concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
    // A mutant that loops (a redirect walk, a paging loop, a lost worker message) costs this much plus a runner
    // restart; an area whose tests hang on purpose under such mutants sets a shorter one.
    timeoutMS: timeoutMS ?? area.timeoutMS ?? 5_000,
    timeoutFactor: 1.5,
    reporters: ['clear-text', 'html', 'json', 'progress'],
    htmlReporter: { fileName: `${reportDir}/index.html` },
    jsonReporter: { fileName: `${reportDir}/mutation.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
    thresholds: { high: 90, low: 85, break: null },
    // Incremental by default: a rerun tests only mutants whose code or covering tests changed. --full tests them all
    // (Stryker's `force`) and still writes the results, so the next run can be incremental.
    incremental: true,
    force: rest.includes('--full'),
    incrementalFile: `${reportDir}/incremental.json`,
  });
  await stryker.runMutationTest();
  console.log(`report: ${reportDir}/index.html`);
}
