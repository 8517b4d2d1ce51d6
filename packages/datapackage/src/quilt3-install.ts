/**
 * Finding the package quilt3 installed into a folder. quilt3's `install` writes nothing into the folder: it copies the
 * files and builds the manifest into its local registry (physical keys still naming the source). So a folder without a
 * `.datapkg/` record is matched against the versions in that registry: the newest version (latest first, then by
 * timestamp) whose every key is a file in the folder, preferring one whose sizes all match too. Only sizes are
 * compared here; the caller verifies hashes.
 */
import { lstat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PackageUsageError } from './errors.js';
import { listLocalFiles } from './local-tree.js';
import type { Manifest } from './manifest.js';
import type { PackageRegistry } from './registry.js';

/** At most this many manifests are read while searching (a local registry is small; this bounds a large one). */
export const MAX_MANIFESTS_SEARCHED = 1000;

/** A package quilt3 installed into a folder, as found from its files. */
export interface Quilt3Install {
  name: string;
  topHash: string;
  manifest: Manifest;
  registry: PackageRegistry;
}

/** The package quilt3 installed into `dir` from `registry`, when one is found; undefined otherwise. */
export async function findQuilt3Install(
  dir: string,
  registry: PackageRegistry,
): Promise<Quilt3Install | undefined> {
  const root = resolve(dir);
  const sizes = new Map<string, number>();
  for (const file of await listLocalFiles(root)) {
    const stat = await lstat(join(root, ...file.logicalKey.split('/'))).catch(() => undefined);
    if (stat?.isFile()) sizes.set(file.logicalKey, stat.size);
  }
  if (sizes.size === 0) return undefined;
  let read = 0;
  let keysOnly: Quilt3Install | undefined;
  for (const name of await registry.listPackages()) {
    const seen = new Set<string>();
    for (const version of await registry.listVersions(name)) {
      if (seen.has(version.topHash)) continue;
      seen.add(version.topHash);
      if (++read > MAX_MANIFESTS_SEARCHED) {
        throw new PackageUsageError(
          `${registry.url} has more than ${MAX_MANIFESTS_SEARCHED} package versions; name the package instead: datapkg verify NAME --dir ${dir}`,
        );
      }
      const manifest = await registry.fetchManifest(version.topHash).catch(() => undefined);
      if (!manifest || manifest.size === 0) continue;
      const entries = [...manifest.entries()];
      if (!entries.every((e) => sizes.has(e.logicalKey))) continue;
      const found = { name, topHash: version.topHash, manifest, registry };
      if (entries.every((e) => sizes.get(e.logicalKey) === e.size)) return found;
      keysOnly ??= found;
    }
  }
  return keysOnly;
}
