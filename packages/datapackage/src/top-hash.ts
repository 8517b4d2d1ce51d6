/**
 * The package top hash (quilt3 `Package.top_hash`): SHA-256 over the canonical JSON of the header (without the
 * obsolete `top_hash`), then of `{hash, logical_key, meta, size}` for every entry in tree order, concatenated with no
 * separator. Physical keys and directory metadata are not hashed.
 */
import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@mlclients/package-core/json';
import { canonicalJson, PyNumber, pythonJsonString } from '@mlclients/package-core/json';
import { PackageNotBuiltError } from './errors.js';
import type { Manifest, ManifestEntry } from './manifest.js';

/** What the top hash covers of an entry (physical keys are not hashed). */
export type HashedEntry = Pick<ManifestEntry, 'logicalKey' | 'size' | 'hash' | 'meta'>;

/** quilt3's top hash of a manifest (every entry must have its hash). */
export function computeTopHash(manifest: Manifest): string {
  return topHashOf(manifest.header, manifest.sortedEntries());
}

/** quilt3's top hash of a header and entries given in tree order (see computeTopHash). */
export function topHashOf(headerFields: JsonObject, entriesInTreeOrder: Iterable<HashedEntry>): string {
  const hasher = createHash('sha256');
  const header = new Map(headerFields);
  header.delete('top_hash');
  hasher.update(canonicalJson(header));
  // One update per batch of entries: for 10,000 entries the per-call overhead was a visible share of the hash.
  let pending = '';
  for (const entry of entriesInTreeOrder) {
    pending += canonicalEntry(entry);
    if (pending.length > 65_536) {
      hasher.update(pending);
      pending = '';
    }
  }
  hasher.update(pending);
  return hasher.digest('hex');
}

/**
 * `canonicalJson({hash, logical_key, meta, size})` of one entry (its keys already in sorted order), built directly:
 * the generic encoder's maps and key sorts were most of the cost of hashing a large manifest.
 */
function canonicalEntry(entry: HashedEntry): string {
  if (entry.hash === null || entry.size === null) {
    throw new PackageNotBuiltError(
      `cannot compute the top hash: entry ${JSON.stringify(entry.logicalKey)} has no ${entry.hash === null ? 'hash' : 'size'} (build the package first)`,
    );
  }
  // BigInt's rendering (what PyNumber.int writes) equals String() for safe integers; others take the exact path.
  const size = Number.isSafeInteger(entry.size) ? String(entry.size) : PyNumber.int(entry.size).text;
  const meta = entry.meta.size === 0 ? '{}' : canonicalJson(entry.meta);
  return `{"hash":${canonicalHash(entry.hash)},"logical_key":${pythonJsonString(entry.logicalKey, true)},"meta":${meta},"size":${size}}`;
}

/** `canonicalJson` of a hash object; the usual `{type, value}` of two strings without the generic encoder. */
function canonicalHash(hash: JsonObject): string {
  const type = hash.get('type');
  const value = hash.get('value');
  if (hash.size === 2 && typeof type === 'string' && typeof value === 'string')
    return `{"type":${pythonJsonString(type, true)},"value":${pythonJsonString(value, true)}}`;
  return canonicalJson(hash as JsonValue);
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
