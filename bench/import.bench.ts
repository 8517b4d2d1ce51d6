/**
 * CPU time of `import('@mlclients/hub-client')` against `import('openapi-fetch')`, each in a fresh Node process
 * (user + system CPU from `process.cpuUsage()` around the import only, so Node's own start-up is not counted).
 * Contenders alternate, and the median of the runs is reported, because the machine is shared. package-core and
 * zod alone are printed for reference. Target: hub-client <= 2x openapi-fetch. Measures the built packages (dist/).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { median } from './median.js';

const run = promisify(execFile);
const REPO_ROOT = new URL('..', import.meta.url).pathname;
const RUNS = 25;
const TARGET_RATIO = 2;

const CONTENDERS = ['openapi-fetch', '@mlclients/hub-client', '@mlclients/package-core', 'zod'] as const;

/** CPU microseconds one fresh process spends importing `specifier`. */
async function importCpu(specifier: string): Promise<number> {
  const script = `const t0 = process.cpuUsage(); await import(${JSON.stringify(specifier)}); const u = process.cpuUsage(t0); console.log(u.user + u.system);`;
  // A clean environment for the child: no --conditions or --import inherited from the bench runner.
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return Number(stdout.trim());
}

export default async function importBench(): Promise<void> {
  const samples = new Map<string, number[]>(CONTENDERS.map((c) => [c, []]));
  for (let round = 0; round < RUNS; round++) {
    for (const specifier of CONTENDERS) samples.get(specifier)?.push(await importCpu(specifier));
  }
  const ms = new Map([...samples].map(([name, xs]) => [name, median(xs) / 1000]));
  const baseline = ms.get('openapi-fetch') ?? Number.NaN;
  console.log(`CPU time of import() in a fresh process (median of ${RUNS}):`);
  for (const [name, value] of ms) {
    console.log(
      `  ${name.padEnd(26)} ${value.toFixed(1).padStart(7)} ms  (${(value / baseline).toFixed(1)}x openapi-fetch)`,
    );
  }
  const ratio = (ms.get('@mlclients/hub-client') ?? Number.NaN) / baseline;
  console.log(
    `  target: hub-client <= ${TARGET_RATIO}x openapi-fetch: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'} (${ratio.toFixed(1)}x)`,
  );
}
