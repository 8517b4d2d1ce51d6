/**
 * The package top hash (quilt3 `Package.top_hash`): SHA-256 over the canonical JSON of the header (without the
 * obsolete `top_hash`), then of `{hash, logical_key, meta, size}` for every entry in tree order, concatenated with no
 * separator. Physical keys and directory metadata are not hashed.
 */
import { createHash } from 'node:crypto';
import type { JsonValue } from '@mlclients/package-core/json';
import { canonicalJson, PyNumber } from '@mlclients/package-core/json';
import { PackageNotBuiltError } from './errors.js';
import type { Manifest } from './manifest.js';

/** quilt3's top hash of a manifest (every entry must have its hash). */
export function computeTopHash(manifest: Manifest): string {
  const hasher = createHash('sha256');
  const header = new Map(manifest.header);
  header.delete('top_hash');
  hasher.update(canonicalJson(header));
  for (const entry of manifest.sortedEntries()) {
    if (entry.hash === null || entry.size === null) {
      throw new PackageNotBuiltError(
        `cannot compute the top hash: entry ${JSON.stringify(entry.logicalKey)} has no ${entry.hash === null ? 'hash' : 'size'} (build the package first)`,
      );
    }
    const part = new Map<string, JsonValue>([
      ['hash', entry.hash],
      ['logical_key', entry.logicalKey],
      ['meta', entry.meta],
      ['size', PyNumber.int(entry.size)],
    ]);
    hasher.update(canonicalJson(part));
  }
  return hasher.digest('hex');
}

/** The shortest unique prefix of at least 7 characters among `all` (quilt3 `shorten_top_hash`). */
export function shortenTopHash(hash: string, all: Iterable<string>): string {
  let length = 7;
  for (const other of all) {
    if (other === hash) continue;
    while (length < hash.length && other.startsWith(hash.slice(0, length))) length++;
  }
  return hash.slice(0, length);
}
