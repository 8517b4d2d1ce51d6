/**
 * Every example program, run against the fakes over HTTP (the same services `npm start` tours), each checked for
 * what its line claims. A change that breaks an example breaks this test, so the examples stay runnable.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { datapackagePublish } from '../datapackage-publish.js';
import { escapeHatch } from '../escape-hatch.js';
import { hubErrors } from '../hub-errors.js';
import { hubIterate } from '../hub-iterate.js';
import { hubRetries } from '../hub-retries.js';
import { nucleusAppend } from '../nucleus-append.js';
import { nucleusMetrics } from '../nucleus-metrics.js';
import { scCocoBackup } from '../sc-coco-backup.js';
import { spacerJob } from '../spacer-job.js';
import { type Services, startServices } from '../support/services.js';

let services: Services & { close(): Promise<void> };
beforeAll(async () => {
  services = await startServices();
});
afterAll(() => services?.close());

it('hub-iterate: 240 trials read in 5 pages, no empty last page', async () => {
  expect(await hubIterate(services)).toMatch(/has 240 trials; iterate\(\) read them all in 5 requests of 50/);
});

it('hub-retries: two 503s, answered on the third attempt', async () => {
  expect(await hubRetries(services)).toMatch(/answered on attempt 3\b/);
});

it('hub-errors: validation, 404 and a server that keeps failing, each its own class', async () => {
  expect(await hubErrors(services)).toBe(
    'errors: MissingParamError (nothing sent); NotFoundError 404; InternalServerError 503 after 3 attempts',
  );
});

it('escape-hatch: a raw GET with a body, and an undeclared path mapped to NotFoundError', async () => {
  expect(await escapeHatch(services)).toMatch(
    /-> \d+ organization\(s\) \[.*raw.*\].*undeclared path -> NotFoundError 404/,
  );
});

it('nucleus-append: 1,000 items, none lost, and an async job followed to Completed', async () => {
  const line = await nucleusAppend(services);
  expect(line).toMatch(/appended 1000 items to ds_\w+ \(0 errors\)/);
  expect(line).toMatch(/Queued -> Running -> Completed \(Completed\)$/);
});

it('nucleus-metrics: PolygonMAP of the example detector', async () => {
  // car: every prediction overlaps its box (IoU >= 0.5): AP 1; person: found on half the items: AP 0.5; mean 0.75.
  expect(await nucleusMetrics()).toMatch(/PolygonMAP over 100 items = 0\.7500/);
});

it('sc-coco-backup: a project from the 16 COCO images, backed up with its manifest', async () => {
  expect(await scCocoBackup(services)).toMatch(
    /\(16 images, 16 annotations\) backed up to blocks\/, manifest top hash [0-9a-f]{12}/,
  );
});

it('datapackage-publish: published, verified, damaged, repaired by transferring one file', async () => {
  expect(await datapackagePublish(services)).toMatch(
    /pushed sc\/blocks \(34 files.*verify=true; after editing annotations\/\S+ verify=false \(changed: 1\); forceMatch transferred 1 file, verify=true$/,
  );
});

it('spacer-job: an extract_features job through the fake Batch queue, its feature file read back', async () => {
  expect(await spacerJob(services)).toMatch(
    /SUCCEEDED through the fake Batch queue; feature file has 3 points x 32 values/,
  );
});
