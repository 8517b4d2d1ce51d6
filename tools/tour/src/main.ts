/**
 * `npm start`, after the build: a guided tour of the examples in examples/, one line per step, against the fakes of
 * every service served over HTTP on 127.0.0.1 (tools/mock-server for the Hub, Nucleus and SC; spacer's fake Batch
 * API). Everything runs in this process and is stopped at the end; temporary folders are removed.
 * `npm start -- --all` first lists every operation generated from the specs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishFolder } from '../../../examples/datapackage-publish.js';
import { escapeHatch } from '../../../examples/escape-hatch.js';
import { hubErrors } from '../../../examples/hub-errors.js';
import { hubIterate } from '../../../examples/hub-iterate.js';
import { hubRetries } from '../../../examples/hub-retries.js';
import { nucleusAppend } from '../../../examples/nucleus-append.js';
import { nucleusMetrics } from '../../../examples/nucleus-metrics.js';
import { backupCocoProject } from '../../../examples/sc-coco-backup.js';
import { spacerJob } from '../../../examples/spacer-job.js';
import { startServices } from '../../../examples/support/services.js';
import { printGeneratedOverview } from './generated-overview.js';

// The AWS SDK warns that its 2027 releases will need Node 22; true, but not what this tour is about.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const started = performance.now();
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

if (process.argv.includes('--all')) {
  console.log('== The packages and the operations generated from their specs');
  await printGeneratedOverview(repoRoot, { detailed: true });
  console.log('');
}

const services = await startServices();
const work = await mkdtemp(path.join(os.tmpdir(), 'mlclients-tour-'));
console.log(
  `fakes over HTTP: hub ${services.hub.url}, nucleus ${services.nucleus.url}, sc ${services.sc.url}, spacer batch ${services.spacer.url}`,
);

let failed = 0;
let step = 0;
/** Run one step, print its line (or why it failed) with how long it took; a failure does not stop the tour. */
async function run(file: string, action: () => Promise<string>): Promise<void> {
  const at = performance.now();
  step += 1;
  try {
    const line = await action();
    console.log(`${String(step).padStart(2)}. ${line}  [examples/${file}, ${seconds(at)}]`);
  } catch (error) {
    failed += 1;
    console.log(`${String(step).padStart(2)}. FAILED examples/${file}: ${(error as Error).message}`);
  }
}

try {
  await run('hub-iterate.ts', () => hubIterate(services));
  await run('hub-retries.ts', () => hubRetries(services));
  await run('hub-errors.ts', () => hubErrors(services));
  await run('escape-hatch.ts', () => escapeHatch(services));
  await run('nucleus-append.ts', () => nucleusAppend(services));
  await run('nucleus-metrics.ts', () => nucleusMetrics());
  let backupFolder: string | undefined;
  await run('sc-coco-backup.ts', async () => {
    const backup = await backupCocoProject(services, path.join(work, 'backup', 'blocks'));
    backupFolder = backup.folder;
    return backup.line;
  });
  await run('datapackage-publish.ts', async () => {
    if (!backupFolder) throw new Error('no SC backup to publish (the step before failed)');
    return publishFolder(backupFolder, work);
  });
  await run('spacer-job.ts', () => spacerJob(services));
} finally {
  await services.close();
  await rm(work, { recursive: true, force: true });
}

console.log(
  failed
    ? `${failed} of ${step} steps failed (${seconds(started)}); the fakes are stopped.`
    : `all ${step} steps passed in ${seconds(started)}; the fakes are stopped and the temporary folders removed. Each example runs on its own too: npx tsx examples/<name>.ts`,
);
process.exitCode = failed ? 1 : 0;
