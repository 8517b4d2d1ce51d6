/**
 * A package registry with quilt3's V1 layout on any blob store:
 *   .quilt/packages/<top_hash>                          the manifest (one global folder for all names)
 *   .quilt/named_packages/<user>/<pkg>/{latest,<unix-seconds>,<tag>}   pointers: the 64-hex hash, no newline
 * Publishing writes the manifest, then the timestamp pointer, then tags, then `latest`: every pointer that exists
 * names a manifest that is already complete, so a crash never leaves a dangling `latest`. Timestamp pointers are
 * created, never replaced: two pushes in the same second take consecutive seconds. On a store that only emulates
 * create-only (an S3 server without conditional writes) this is a read-back check, which narrows the race to a
 * window of one round trip but cannot close it.
 */
import { Readable } from 'node:stream';
import type { BlobStore } from '@mlclients/package-core/storage';
import {
  BlobExistsError,
  BlobNotFoundError,
  FsBlobStore,
  openBlobStore,
} from '@mlclients/package-core/storage';
import { defaultLocalRegistryPath } from './default-locations.js';
import {
  AmbiguousTopHashError,
  PackageNotFoundError,
  PackageUsageError,
  TopHashMismatchError,
} from './errors.js';
import type { Manifest } from './manifest.js';
import { manifestPieces, readManifest, writeManifest } from './manifest-format.js';
import { validatePackageName, validateTag } from './package-name.js';
import { formatPhysicalKey, localPhysicalKey, parsePhysicalKey } from './physical-key.js';
import { computeTopHash } from './top-hash.js';

export const MANIFESTS_PREFIX = '.quilt/packages/';
export const POINTERS_PREFIX = '.quilt/named_packages/';
const TOP_HASH_PATTERN = /^[0-9a-f]{64}$/;
/** How many seconds after its own a push looks for a free timestamp pointer. */
const MAX_TIMESTAMP_PROBES = 3600;

/** One named revision of a package: the pointer (`latest`, a timestamp or a tag) and the top hash it names. */
export interface PackageVersion {
  /** 'latest', a unix-seconds timestamp, or a tag. */
  pointer: string;
  topHash: string;
}

/** Which revision to resolve: by tag (pointer) or by top hash. */
export interface ResolveOptions {
  /** 'latest' (default), a unix-seconds timestamp or a tag. */
  tag?: string;
  /** A full top hash or a unique prefix of at least 6 characters. */
  hash?: string;
}

/** A quilt3 registry on a blob store: manifests under `.quilt/packages/`, named pointers under `.quilt/named_packages/`. */
export class PackageRegistry {
  /** A local store's root as physical-key paths start with it ('/'-separated, with a trailing '/'). */
  #localRoot: string | undefined;

  /** Creates a `PackageRegistry` on `store` (a local folder, S3, memory...). */
  constructor(readonly store: BlobStore) {}

  /** Opens a registry URL (path, file://, s3://bucket[/prefix], memory://name); no URL means quilt3's local default. */
  static async open(url?: string): Promise<PackageRegistry> {
    return new PackageRegistry(
      await openBlobStore(url ?? process.env.MLC_DATAPKG_REGISTRY ?? defaultLocalRegistryPath()),
    );
  }

  /** The store's URL (`s3://bucket/prefix`, `file:///path`). */
  get url(): string {
    return this.store.url;
  }

  /** The key of the manifest of a top hash. */
  manifestKey(topHash: string): string {
    return `${MANIFESTS_PREFIX}${topHash}`;
  }

  /** The key of a package's pointer (`latest`, a timestamp or a tag). */
  pointerKey(name: string, pointer: string): string {
    return `${POINTERS_PREFIX}${validatePackageName(name)}/${pointer}`;
  }

  /** The physical key (URL) of an object stored in this registry's store. */
  physicalKeyOf(key: string, versionId?: string): string {
    if (this.store instanceof FsBlobStore) return localPhysicalKey(this.store.pathOf(key));
    const root = this.remoteRoot();
    return formatPhysicalKey(root.scheme, root.authority, `${root.prefix}${key}`, versionId);
  }

  /** Scheme, authority and key prefix ('prefix/' or '') of a store that is not a local folder, from its URL. */
  private remoteRoot(): { scheme: string; authority: string; prefix: string } {
    const root = parsePhysicalKey(`${this.store.url}/x`);
    return { scheme: root.scheme, authority: root.authority, prefix: root.path.slice(0, -1) };
  }

  /** The store key of a physical key that lives in this registry, or undefined. */
  keyOfPhysicalKey(physicalKey: string): { key: string; versionId?: string } | undefined {
    let parsed: ReturnType<typeof parsePhysicalKey>;
    try {
      parsed = parsePhysicalKey(physicalKey);
    } catch {
      return undefined;
    }
    if (this.store instanceof FsBlobStore) {
      // '/'-separated with one trailing '/' (a registry at the file system root is '/', not '//').
      this.#localRoot ??= `${this.store.root.split('\\').join('/').replace(/\/+$/, '')}/`;
      const root = this.#localRoot;
      return parsed.scheme === 'file' && parsed.path.startsWith(root)
        ? { key: parsed.path.slice(root.length) }
        : undefined;
    }
    const root = this.remoteRoot();
    if (
      parsed.scheme !== root.scheme ||
      parsed.authority !== root.authority ||
      !parsed.path.startsWith(root.prefix)
    ) {
      return undefined;
    }
    const key = parsed.path.slice(root.prefix.length);
    return parsed.versionId === undefined ? { key } : { key, versionId: parsed.versionId };
  }

  /** The top hash a pointer names, or undefined when the pointer does not exist. */
  async readPointer(name: string, pointer: string): Promise<string | undefined> {
    try {
      return new TextDecoder().decode(await this.store.getBytes(this.pointerKey(name, pointer))).trim();
    } catch (error) {
      if (error instanceof BlobNotFoundError) return undefined;
      throw error;
    }
  }

  /** quilt3 `resolve_top_hash`, plus tags and timestamps. */
  async resolveTopHash(name: string, options: ResolveOptions = {}): Promise<string> {
    validatePackageName(name);
    if (options.hash !== undefined && options.tag !== undefined) {
      throw new PackageUsageError('give a tag or a hash, not both');
    }
    if (options.hash !== undefined) return this.resolveHashPrefix(options.hash);
    const pointer = options.tag ?? 'latest';
    const hash = await this.readPointer(name, pointer);
    if (hash === undefined) {
      throw new PackageNotFoundError(
        `no package ${name}${pointer === 'latest' ? '' : `:${pointer}`} in ${this.url}`,
      );
    }
    if (!TOP_HASH_PATTERN.test(hash)) {
      throw new PackageNotFoundError(`pointer ${name}:${pointer} in ${this.url} does not hold a top hash`);
    }
    return hash;
  }

  /** The full top hash of a unique prefix (6 to 64 hex digits) of a manifest in the registry. */
  async resolveHashPrefix(prefix: string): Promise<string> {
    if (prefix.length === 64) return prefix;
    if (prefix.length < 6 || prefix.length > 64 || !/^[0-9a-f]+$/.test(prefix)) {
      throw new PackageUsageError(
        `invalid hash ${JSON.stringify(prefix)}: give 6 to 64 lowercase hex digits`,
      );
    }
    const matches: string[] = [];
    for await (const info of this.store.list(`${MANIFESTS_PREFIX}${prefix}`)) {
      const hash = info.key.slice(MANIFESTS_PREFIX.length);
      if (TOP_HASH_PATTERN.test(hash)) matches.push(hash);
    }
    if (matches.length === 0)
      throw new PackageNotFoundError(`Found zero matches for ${prefix} in ${this.url}`);
    if (matches.length > 1) {
      throw new AmbiguousTopHashError(
        `Found multiple matches for ${prefix} in ${this.url}: ${matches.sort().join(', ')}`,
      );
    }
    return matches[0] as string;
  }

  /** Reads a manifest and checks that it hashes to `topHash` (quilt3 does not check this; we do). */
  async fetchManifest(topHash: string): Promise<Manifest> {
    return (await this.fetchManifestAndBytes(topHash)).manifest;
  }

  /** fetchManifest, with the file's bytes (an install records them as they are instead of writing them again). */
  async fetchManifestAndBytes(topHash: string): Promise<{ manifest: Manifest; bytes: Uint8Array }> {
    let bytes: Uint8Array;
    try {
      bytes = await this.store.getBytes(this.manifestKey(topHash));
    } catch (error) {
      if (error instanceof BlobNotFoundError) {
        throw new PackageNotFoundError(`no manifest ${topHash} in ${this.url}`);
      }
      throw error;
    }
    const manifest = readManifest(bytes);
    const actual = computeTopHash(manifest);
    if (actual !== topHash)
      throw new TopHashMismatchError(topHash, actual, `${this.url}/${this.manifestKey(topHash)}`);
    return { manifest, bytes };
  }

  /** Whether the registry holds the manifest of this top hash. */
  async hasManifest(topHash: string): Promise<boolean> {
    return this.store.exists(this.manifestKey(topHash));
  }

  /**
   * Publishes a manifest under `name`: manifest, timestamp pointer, tag pointers, then `latest` (see the file comment).
   * Returns the top hash.
   */
  async pushManifest(
    name: string,
    manifest: Manifest,
    options: { tags?: string[]; timestamp?: number; updateLatest?: boolean } = {},
  ): Promise<string> {
    validatePackageName(name);
    const tags = (options.tags ?? []).map(validateTag).filter((t) => t !== 'latest');
    const topHash = computeTopHash(manifest);
    const key = this.manifestKey(topHash);
    // Create-only: the key is the content's hash, so an existing manifest already holds these bytes. Pointers last.
    if (!(await this.store.exists(key))) {
      // A local file is written piece by piece (see manifestPieces); other stores get the text with its length.
      const body =
        this.store instanceof FsBlobStore ? Readable.from(manifestPieces(manifest)) : writeManifest(manifest);
      await this.store.put(key, body, { ifNoneMatch: '*' }).catch((error: unknown) => {
        if (!(error instanceof BlobExistsError)) throw error;
      });
    }
    const seconds = Math.floor((options.timestamp ?? Date.now()) / 1000);
    let timestamp = await this.claimTimestampPointer(name, seconds, topHash);
    for (const tag of tags) await this.store.put(this.pointerKey(name, tag), topHash);
    if (options.updateLatest !== false) await this.store.put(this.pointerKey(name, 'latest'), topHash);
    // Where create-only is emulated, a racer whose check preceded our write may have replaced our pointer since we
    // read it back; by now (several round trips later) its write has landed, so look once more.
    if (!(await this.atomicCreateOnly())) {
      for (let recheck = 0; recheck < 3 && (await this.readPointer(name, timestamp)) !== topHash; recheck++)
        timestamp = await this.claimTimestampPointer(name, Number(timestamp) + 1, topHash);
    }
    return topHash;
  }

  /**
   * Writes the `<unix-seconds>` pointer create-only: when another version already holds that second (two pushes in
   * the same second), the next free second is taken, so neither push's pointer replaces the other's. Where the store
   * only emulates create-only, the pointer is read back and a lost race moves on too. Returns the pointer's name.
   */
  async claimTimestampPointer(name: string, seconds: number, topHash: string): Promise<string> {
    const atomic = await this.atomicCreateOnly();
    for (let second = seconds; second < seconds + MAX_TIMESTAMP_PROBES; second++) {
      const pointer = String(second);
      const holder = await this.readPointer(name, pointer);
      if (holder === topHash) return pointer;
      if (holder !== undefined) continue;
      try {
        await this.store.put(this.pointerKey(name, pointer), topHash, { ifNoneMatch: '*' });
      } catch (error) {
        if (error instanceof BlobExistsError) continue;
        throw error;
      }
      if (atomic || (await this.readPointer(name, pointer)) === topHash) return pointer;
    }
    throw new PackageUsageError(
      `${name}: no free timestamp pointer between ${seconds} and ${seconds + MAX_TIMESTAMP_PROBES - 1}`,
    );
  }

  private async atomicCreateOnly(): Promise<boolean> {
    return (await this.store.writeGuarantees?.())?.atomicCreateOnly ?? false;
  }

  /** Package names, sorted. */
  async listPackages(): Promise<string[]> {
    const names = new Set<string>();
    for await (const info of this.store.list(POINTERS_PREFIX)) {
      const parts = info.key.slice(POINTERS_PREFIX.length).split('/');
      if (parts.length === 3) names.add(`${parts[0]}/${parts[1]}`);
    }
    return [...names].sort();
  }

  /** Every pointer of a package with the hash it holds (`latest` included), newest timestamp first. */
  async listVersions(name: string): Promise<PackageVersion[]> {
    const prefix = `${POINTERS_PREFIX}${validatePackageName(name)}/`;
    const versions: PackageVersion[] = [];
    for await (const info of this.store.list(prefix)) {
      const pointer = info.key.slice(prefix.length);
      if (pointer.includes('/')) continue;
      const topHash = await this.readPointer(name, pointer);
      if (topHash && TOP_HASH_PATTERN.test(topHash)) versions.push({ pointer, topHash });
    }
    const rank = (p: string) => (p === 'latest' ? 0 : /^\d+$/.test(p) ? 1 : 2);
    return versions.sort((a, b) => rank(a.pointer) - rank(b.pointer) || b.pointer.localeCompare(a.pointer));
  }
}
