/**
 * quilt3 `Package.diff`: entries are equal when size, hash and full meta are equal (physical keys ignored).
 * `deleted` and `modified` follow this package's tree order; `added` is sorted.
 */
import { canonicalJson } from '@mlclients/package-core/json';
import type { Manifest, ManifestEntry } from './manifest.js';

/** What `Package.diff` returns: the logical keys added, modified and deleted (as quilt3's `diff`). */
export interface PackageDiff {
  /** Keys only the other package has (sorted). */
  added: string[];
  /** Keys both have with a different size, hash or meta. */
  modified: string[];
  /** Keys only this package has. */
  deleted: string[];
}

function sameContent(a: ManifestEntry, b: ManifestEntry): boolean {
  return (
    a.size === b.size &&
    canonicalJson(a.hash) === canonicalJson(b.hash) &&
    canonicalJson(a.meta) === canonicalJson(b.meta)
  );
}

export function diffManifests(self: Manifest, other: Manifest): PackageDiff {
  const modified: string[] = [];
  const deleted: string[] = [];
  for (const entry of self.sortedEntries()) {
    const counterpart = other.get(entry.logicalKey);
    if (!counterpart) deleted.push(entry.logicalKey);
    else if (!sameContent(entry, counterpart)) modified.push(entry.logicalKey);
  }
  const added = [...other.entries()].map((e) => e.logicalKey).filter((k) => !self.has(k));
  return { added: added.sort(), modified, deleted };
}
