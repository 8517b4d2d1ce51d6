/**
 * The in-memory manifest: header, entries and directory metadata, with quilt3's tree rules (a key cannot be both a
 * file and a directory). Reading and writing live in manifest-format.ts, hashing in top-hash.ts.
 */

import { cloneJson, type JsonObject, type JsonValue } from '@mlclients/package-core/json';
import { PackageKeyConflictError, PackageKeyNotFoundError } from './errors.js';
import { compareTreeOrder, parentDirectories } from './logical-key.js';

/** One file of a manifest: its logical key, where its bytes are, size, hash and metadata. */
export interface ManifestEntry {
  logicalKey: string;
  /** Where the bytes are: `file:///…`, `s3://bucket/key?versionId=…`, `https://…`, `memory://store/key`. */
  physicalKey: string;
  /** Bytes; null only in a manifest that was never built. */
  size: number | null;
  /** `{"type": …, "value": …}` exactly as stored (extra keys kept and hashed); null until built. */
  hash: JsonObject | null;
  /** The full entry meta object; user metadata lives under `user_meta`. */
  meta: JsonObject;
}

/** A stored object hash: its type (`sha2-256-chunked`, `SHA256`, `CRC64NVME`) and value. */
export interface ObjectHash {
  type: string;
  value: string;
}

export function makeHashValue(hash: ObjectHash): JsonObject {
  return new Map<string, JsonValue>([
    ['type', hash.type],
    ['value', hash.value],
  ]);
}

/** `{type, value}` of a stored hash, or undefined when it is missing or malformed. */
export function readObjectHash(hash: JsonObject | null): ObjectHash | undefined {
  const type = hash?.get('type');
  const value = hash?.get('value');
  return typeof type === 'string' && typeof value === 'string' ? { type, value } : undefined;
}

export function cloneEntry(entry: ManifestEntry): ManifestEntry {
  return {
    logicalKey: entry.logicalKey,
    physicalKey: entry.physicalKey,
    size: entry.size,
    hash: entry.hash ? (cloneJson(entry.hash) as JsonObject) : null,
    meta: cloneJson(entry.meta) as JsonObject,
  };
}

/** A quilt3 manifest in memory: the header (package metadata) and the file entries, keyed by logical key. */
export class Manifest {
  /** Header fields in file order (`version`, `user_meta`, `workflow`, `message`, …); never `top_hash`. */
  readonly header: JsonObject;
  private readonly entryMap = new Map<string, ManifestEntry>();
  /** Directory key without trailing '/' -> that directory's user_meta (the root's lives in the header). */
  readonly directoryMeta = new Map<string, JsonValue>();
  /** How many entries sit under each directory prefix: answers "is this key a directory?" in O(1). */
  private directoryCounts = new Map<string, number>();
  /** The keys in tree order, kept until a key is added or removed (push and publish sort a manifest several times). */
  private sortedKeys: string[] | undefined;

  /** Creates an empty `Manifest` with this header (default: `{ version: 'v0' }`). */
  constructor(header?: JsonObject) {
    this.header = header ?? new Map<string, JsonValue>([['version', 'v0']]);
  }

  /** Number of file entries. */
  get size(): number {
    return this.entryMap.size;
  }

  /** The file entry at `key`, if any. */
  get(key: string): ManifestEntry | undefined {
    return this.entryMap.get(key);
  }

  /** Whether a file entry exists at `key`. */
  has(key: string): boolean {
    return this.entryMap.has(key);
  }

  /** Whether `key` is a directory (some entry lies below it). */
  isDirectory(key: string): boolean {
    return key === '' || this.directoryCounts.has(key) || this.directoryMeta.has(key);
  }

  /** Entries in insertion order. Use `sortedEntries()` for quilt3's tree order. */
  entries(): IterableIterator<ManifestEntry> {
    return this.entryMap.values();
  }

  /** Entries in quilt3's tree order (the order of the manifest file and of the top hash). */
  sortedEntries(): ManifestEntry[] {
    this.sortedKeys ??= sortInTreeOrder([...this.entryMap.keys()]);
    return this.sortedKeys.map((key) => this.entryMap.get(key) as ManifestEntry);
  }

  /** Adds or replaces a file entry; refuses a file where a directory is, or below a file. */
  set(entry: ManifestEntry): void {
    const key = entry.logicalKey;
    if (this.directoryCounts.has(key) || this.directoryMeta.has(key)) {
      throw new PackageKeyConflictError(
        `cannot add file ${JSON.stringify(key)}: a directory with that name exists`,
      );
    }
    // Replacing an entry: its parents were checked when it was added, and none can have become a file since
    // (a file where a directory is is refused above).
    if (this.entryMap.has(key)) {
      this.entryMap.set(key, entry);
      return;
    }
    const parents = parentDirectories(key);
    for (const parent of parents) {
      if (this.entryMap.has(parent)) {
        throw new PackageKeyConflictError(
          `cannot add ${JSON.stringify(key)}: ${JSON.stringify(parent)} is a file, not a directory`,
        );
      }
    }
    for (const parent of parents) {
      this.directoryCounts.set(parent, (this.directoryCounts.get(parent) ?? 0) + 1);
    }
    this.entryMap.set(key, entry);
    this.sortedKeys = undefined;
  }

  /** Removes one entry, or a whole directory subtree. Throws when nothing is there. */
  delete(key: string): string[] {
    const normalized = key.replace(/\/+$/, '');
    if (this.entryMap.has(normalized)) {
      this.removeEntry(normalized);
      return [normalized];
    }
    if (!this.directoryCounts.has(normalized) && !this.directoryMeta.has(normalized)) {
      throw new PackageKeyNotFoundError(key);
    }
    const prefix = `${normalized}/`;
    const removed = [...this.entryMap.keys()].filter((k) => k.startsWith(prefix));
    for (const k of removed) this.removeEntry(k);
    for (const dir of [...this.directoryMeta.keys()]) {
      if (dir === normalized || dir.startsWith(prefix)) this.directoryMeta.delete(dir);
    }
    return removed;
  }

  private removeEntry(key: string): void {
    this.entryMap.delete(key);
    this.sortedKeys = undefined;
    for (const parent of parentDirectories(key)) {
      const count = (this.directoryCounts.get(parent) ?? 1) - 1;
      if (count === 0) this.directoryCounts.delete(parent);
      else this.directoryCounts.set(parent, count);
    }
  }

  /** Keys (files) under a directory prefix ('' for all), in tree order. */
  keysUnder(directory: string): string[] {
    const prefix = directory === '' ? '' : `${directory}/`;
    return this.sortedEntries()
      .map((e) => e.logicalKey)
      .filter((k) => k.startsWith(prefix));
  }

  /** A deep copy. */
  clone(): Manifest {
    const copy = new Manifest(cloneJson(this.header) as JsonObject);
    // Same keys, so the same tree checks hold: copy the entries and the bookkeeping without re-checking each one.
    for (const [key, entry] of this.entryMap) copy.entryMap.set(key, cloneEntry(entry));
    copy.directoryCounts = new Map(this.directoryCounts);
    copy.sortedKeys = this.sortedKeys;
    for (const [dir, meta] of this.directoryMeta) copy.directoryMeta.set(dir, cloneJson(meta));
    return copy;
  }

  /** Sum of entry sizes (unknown sizes count as 0). */
  totalBytes(): number {
    let total = 0;
    for (const entry of this.entryMap.values()) total += entry.size ?? 0;
    return total;
  }
}

/** Keys that may not sort by plain string comparison: NUL (which '/' is mapped to) and surrogates (UTF-16 order). */
// Stryker disable next-line Regex: sending more keys to compareTreeOrder (the definition of tree order) sorts them the same
const UNUSUAL_KEY = /[\0\uD800-\uDFFF]/;

/**
 * Sorts keys in quilt3's tree order (compareTreeOrder). Segment-by-segment order is the code-point order of the keys
 * with '/' below every other character, so with '/' mapped to NUL, and without surrogates (where UTF-16 order and
 * code-point order differ), a plain string comparison gives it without splitting keys on every comparison.
 */
export function sortInTreeOrder(keys: string[]): string[] {
  if (keys.some((key) => UNUSUAL_KEY.test(key))) return keys.sort(compareTreeOrder);
  if (inPlainTreeOrder(keys)) return keys; // a manifest read from its file usually is: no copy, no sort
  const decorated = keys.map((key) => [key.replaceAll('/', '\0'), key] as const);
  decorated.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return decorated.map((pair) => pair[1]);
}

/** Whether keys without NUL or surrogates are in tree order already (each before the next, as sortInTreeOrder sorts). */
// Stryker disable next-line BlockStatement: undefined means not in order, so the keys are sorted: the same order
function inPlainTreeOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    const a = keys[i - 1] as string;
    const b = keys[i] as string;
    // Stryker disable next-line MethodExpression: past the shorter key charCodeAt is NaN, which ends the scan and answers not in order (sorted: the same)
    const length = Math.min(a.length, b.length);
    let k = 0;
    // Stryker disable next-line UpdateOperator: k-- stops at once (charCodeAt(-1) is NaN): at worst not in order, so sorted (the same)
    while (k < length && a.charCodeAt(k) === b.charCodeAt(k)) k++;
    // The first difference, with '/' below every other character; a prefix comes first.
    const before =
      k === length
        ? a.length < b.length
        : (a.charCodeAt(k) === 0x2f ? 0 : a.charCodeAt(k)) < (b.charCodeAt(k) === 0x2f ? 0 : b.charCodeAt(k));
    if (!before) return false;
  }
  // Stryker disable next-line BooleanLiteral: false only sends keys already in order to the sort, which keeps them
  return true;
}
