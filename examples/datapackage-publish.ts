/**
 * Data packages: publish a folder (here the SC backup that `sc-coco-backup.ts` makes) as a quilt3-compatible data
 * package to a local registry, install it elsewhere, verify it, change one file by hand, and repair it with
 * `forceMatch`, which transfers only the changed file. The registry is a `file://` folder here; an `s3://` bucket
 * works the same way (and quilt3 can read what this writes).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Package, PackageBuilder } from '@mlclients/datapackage';
import { backupCocoProject } from './sc-coco-backup.js';
import { runAsProgram } from './support/run.js';
import type { Services } from './support/services.js';

/** Publish `folder` as `sc/blocks` to a registry under `work`, then install, verify, damage and repair it. */
export async function publishFolder(folder: string, work: string): Promise<string> {
  const registry = `file://${path.join(work, 'registry')}`;
  const settings = { cacheDir: path.join(work, 'cache') }; // default: the user's cache folder

  const builder = new PackageBuilder(settings);
  await builder.setDir('', folder, { meta: { source: 'sc backup of project "blocks"' } });
  const published = await builder.push(registry, 'sc/blocks', { message: 'blocks backup' });

  const pkg = await Package.browse('sc/blocks', { registry, ...settings });
  const dest = path.join(work, 'installed');
  await pkg.install(dest);
  const fresh = await pkg.verify(dest);

  // Someone edits an annotation by hand: verify names it, forceMatch puts the published bytes back.
  const victim = pkg.keys().find((k) => k.startsWith('annotations/')) ?? pkg.keys()[0]!;
  await writeFile(path.join(dest, victim), '{"edited": true}\n');
  const damaged = await pkg.verify(dest);
  const repaired = await pkg.forceMatch(dest);
  const after = await pkg.verify(dest);

  return `datapackage: pushed sc/blocks (${pkg.keys().length} files, top hash ${published.topHash.slice(0, 12)}...) to a local registry; verify=${fresh.matches}; after editing ${victim} verify=${damaged.matches} (changed: ${damaged.changed.length}); forceMatch transferred ${repaired.transferred.length} file, verify=${after.matches}`;
}

export async function datapackagePublish(services: Services): Promise<string> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'datapackage-example-'));
  try {
    const backup = await backupCocoProject(
      services,
      path.join(work, 'backup', 'blocks'),
      'blocks to publish',
    );
    return await publishFolder(backup.folder, work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await runAsProgram(import.meta.url, datapackagePublish);
