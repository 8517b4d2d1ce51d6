/**
 * Managing a package's versions in a registry, as quilt3 does on its V1 layout (`Package.rollback`,
 * `quilt3.delete_package`, `PackageRegistryV1.delete_package_version`): only pointers change; manifests and data
 * stay, since other names or versions may share them.
 * - rollback: `latest` := an existing version (hash or unique prefix); the package must already have a `latest`.
 * - delete a package: every pointer of the name goes (it no longer lists).
 * - delete a version: every pointer holding that hash goes (timestamps, tags, `latest`); when `latest` was one of
 *   them, it moves to the newest remaining timestamp. (quilt3 takes the largest remaining pointer *name*, so a tag
 *   such as `v1` would beat every timestamp; taking the newest timestamp is a deliberate difference.)
 */
import { PackageNotFoundError } from './errors.js';
import { validatePackageName } from './package-name.js';
import type { PackageRegistry } from './registry.js';

/** Points `latest` at `hash` (full or a unique prefix) and returns the full hash. */
export async function rollbackPackage(
  registry: PackageRegistry,
  name: string,
  hash: string,
): Promise<string> {
  validatePackageName(name);
  const topHash = await registry.resolveHashPrefix(hash);
  if (!(await registry.hasManifest(topHash)))
    throw new PackageNotFoundError(`no manifest ${topHash} in ${registry.url}`);
  if ((await registry.readPointer(name, 'latest')) === undefined)
    throw new PackageNotFoundError(`no package ${name} in ${registry.url}`);
  await registry.store.put(registry.pointerKey(name, 'latest'), topHash);
  return topHash;
}

/** Removes every pointer of `name`; returns the pointers removed. */
export async function deletePackage(registry: PackageRegistry, name: string): Promise<string[]> {
  const versions = await registry.listVersions(name);
  if (versions.length === 0) throw new PackageNotFoundError(`no package ${name} in ${registry.url}`);
  for (const version of versions) await registry.store.delete(registry.pointerKey(name, version.pointer));
  return versions.map((v) => v.pointer);
}

/** What deleting a version removed (and the new `latest`). */
export interface DeletedVersion {
  topHash: string;
  /** The pointers removed. */
  deleted: string[];
  /** The new `latest`, when the deleted version was latest and other versions remain. */
  latest?: string;
}

/** Removes every pointer of `name` that holds `hash` (full or a unique prefix), moving `latest` if needed. */
export async function deletePackageVersion(
  registry: PackageRegistry,
  name: string,
  hash: string,
): Promise<DeletedVersion> {
  const topHash = await registry.resolveHashPrefix(hash);
  const versions = await registry.listVersions(name);
  const deleted = versions.filter((v) => v.topHash === topHash);
  if (deleted.length === 0)
    throw new PackageNotFoundError(`${name} has no version ${topHash} in ${registry.url}`);
  const remaining = versions.filter((v) => v.topHash !== topHash);
  // Move `latest` before removing anything, so a crash never leaves the name without a `latest` while it has versions.
  let latest: string | undefined;
  if (deleted.some((v) => v.pointer === 'latest')) {
    const newest = remaining
      .filter((v) => /^\d+$/.test(v.pointer))
      .sort((a, b) => Number(b.pointer) - Number(a.pointer))[0];
    if (newest) {
      latest = newest.topHash;
      await registry.store.put(registry.pointerKey(name, 'latest'), latest);
    }
  }
  for (const version of deleted) {
    if (version.pointer === 'latest' && latest !== undefined) continue;
    await registry.store.delete(registry.pointerKey(name, version.pointer));
  }
  return latest === undefined
    ? { topHash, deleted: deleted.map((v) => v.pointer) }
    : { topHash, deleted: deleted.map((v) => v.pointer), latest };
}
