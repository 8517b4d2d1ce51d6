/**
 * The quilt3-compatible manifest of a backup folder, through `@mlclients/datapackage`: written where `datapkg install`
 * leaves its record (`<folder>/.datapkg/installed.jsonl` + `installed.json`), so `datapkg status <folder>` checks a
 * backup and `datapkg` can push it; `verifyBackup` compares the folder with it before an upload creates anything.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { computeTopHash, Package, PackageBuilder, readManifest, writeManifest } from '@mlclients/datapackage';
import { writeFileAtomic } from '@mlclients/package-core/storage';
import { BackupError } from '../errors.js';

const STATE_DIR = '.datapkg';

/** A package name for a project (`sc-backup/<slug>`). */
export function packageNameOf(projectName: string): string {
  const slug =
    projectName
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'project';
  return `sc-backup/${slug}`;
}

/** Hash every file of `folder` and record the manifest. Returns the top hash. */
export async function writeBackupManifest(folder: string, projectName: string): Promise<string> {
  const builder = new PackageBuilder();
  await builder.setDir('', folder);
  await builder.hashMissing();
  const manifest = builder.manifest();
  const topHash = computeTopHash(manifest);
  await mkdir(join(folder, STATE_DIR), { recursive: true });
  await writeFileAtomic(join(folder, STATE_DIR, 'installed.jsonl'), writeManifest(manifest));
  const record = {
    registry: pathToFileURL(folder).toString(),
    name: packageNameOf(projectName),
    topHash,
    installedAt: new Date().toISOString(),
  };
  await writeFileAtomic(join(folder, STATE_DIR, 'installed.json'), `${JSON.stringify(record, null, 2)}\n`);
  return topHash;
}

/** Throws {@link BackupError} listing every missing, changed and extra file; a folder without a manifest is refused too. */
export async function verifyBackup(folder: string): Promise<void> {
  const pkg = await Package.fromInstalled(folder);
  if (!pkg) {
    throw new BackupError(
      `${folder}: no backup manifest (.datapkg/installed.jsonl); download the project again, or run 'datapkg' to build one`,
    );
  }
  const result = await pkg.verify(folder);
  if (!result.matches) {
    const lines = [
      ...result.missing.map((k) => `missing: ${k}`),
      ...result.changed.map((k) => `changed: ${k}`),
      ...result.extra.map((k) => `extra:   ${k}`),
    ];
    throw new BackupError(`${folder} does not match its manifest:\n  ${lines.join('\n  ')}`);
  }
}

/** The manifest's top hash (for reports). */
export async function backupTopHash(folder: string): Promise<string> {
  return computeTopHash(readManifest(await readFile(join(folder, STATE_DIR, 'installed.jsonl'))));
}
