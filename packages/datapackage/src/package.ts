/**
 * An immutable package version: a verified manifest plus where it came from. Exploring (`ls`, `get`, `getMetadata`,
 * `readme`) reads only the manifest; bytes are fetched only when asked (`cache`, entry `bytes()`), verified, and
 * cached by content. `install`, `verify`, `forceMatch` and `diff` compare and sync local folders; `asBuilder()`
 * gives a mutable copy.
 */
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { toPlainJson } from '@mlclients/package-core/json';
import { createContext, type DataPackageSettings, type PackageContext, withFileHasher } from './context.js';
import {
  compareDirectory,
  type DirectoryComparison,
  type SyncResult,
  syncDirectory,
  type TransferProgress,
} from './directory-sync.js';
import { PackageKeyNotFoundError, PackageUsageError } from './errors.js';
import { installRecordFiles, readInstallRecord } from './install-record.js';
import { compareTreeOrder } from './logical-key.js';
import type { Manifest } from './manifest.js';
import { writeManifest } from './manifest-format.js';
import { ObjectCache } from './object-cache.js';
import { PackageBuilder } from './package-builder.js';
import { diffManifests, type PackageDiff } from './package-diff.js';
import { PackageDirectory, PackageEntry } from './package-entry.js';
import { parsePackageSpec } from './package-name.js';
import { PackageRegistry, type ResolveOptions } from './registry.js';
import { computeTopHash } from './top-hash.js';

export interface PackageOrigin {
  registry: string;
  name: string;
}

export interface BrowseOptions extends ResolveOptions, DataPackageSettings {
  /** Registry URL or instance. @default the local registry (quilt3's default location) */
  registry?: string | PackageRegistry;
}

export interface InstallOptions {
  onProgress?: (progress: TransferProgress) => void;
}

export type PackageItem = PackageEntry | PackageDirectory;

export class Package {
  readonly #manifest: Manifest;
  readonly #context: PackageContext;
  readonly topHash: string;
  readonly origin: PackageOrigin | undefined;

  /** @internal use Package.browse, Package.fromInstalled or PackageBuilder.toPackage */
  constructor(manifest: Manifest, context: PackageContext, origin?: PackageOrigin) {
    this.#manifest = manifest.clone();
    this.#context = context;
    this.topHash = computeTopHash(this.#manifest);
    this.origin = origin;
  }

  /** Loads `name` (latest, a tag, a timestamp or a hash prefix) from a registry and verifies its top hash. */
  static async browse(nameOrSpec: string, options: BrowseOptions = {}): Promise<Package> {
    const spec = parsePackageSpec(nameOrSpec);
    const registry =
      options.registry instanceof PackageRegistry
        ? options.registry
        : await PackageRegistry.open(options.registry);
    const resolveOptions: ResolveOptions = {};
    const tag = options.tag ?? spec.tag;
    const hash = options.hash ?? spec.hash;
    if (tag !== undefined) resolveOptions.tag = tag;
    if (hash !== undefined) resolveOptions.hash = hash;
    const topHash = await registry.resolveTopHash(spec.name, resolveOptions);
    const manifest = await registry.fetchManifest(topHash);
    const context = createContext(options);
    return new Package(manifest, context, { registry: registry.url, name: spec.name });
  }

  /** The package a folder was installed from (its `.datapkg/` record), or undefined. */
  static async fromInstalled(dir: string, settings: DataPackageSettings = {}): Promise<Package | undefined> {
    const installed = await readInstallRecord(dir);
    if (!installed) return undefined;
    return new Package(installed.manifest, createContext(settings), {
      registry: installed.record.registry,
      name: installed.record.name,
    });
  }

  /** @internal */
  static fromManifest(
    manifest: Manifest,
    settings: DataPackageSettings = {},
    origin?: PackageOrigin,
  ): Package {
    return new Package(manifest, createContext(settings), origin);
  }

  get name(): string | undefined {
    return this.origin?.name;
  }

  /** Package-level user metadata (undefined when never set). */
  get meta(): unknown {
    const value = this.#manifest.header.get('user_meta');
    return value === undefined ? undefined : toPlainJson(value);
  }

  get message(): string | null | undefined {
    const value = this.#manifest.header.get('message');
    return typeof value === 'string' || value === null ? value : undefined;
  }

  /** Every logical key, in tree order. */
  keys(): string[] {
    return this.#manifest.sortedEntries().map((e) => e.logicalKey);
  }

  get totalBytes(): number {
    return this.#manifest.totalBytes();
  }

  /** The children of a directory ('' for the root): files and sub-directories, in tree order. */
  ls(prefix = ''): PackageItem[] {
    const directory = prefix.replace(/^\/+|\/+$/g, '');
    if (directory !== '' && !this.#manifest.isDirectory(directory)) {
      if (this.#manifest.has(directory)) return [this.get(directory)];
      throw new PackageKeyNotFoundError(prefix);
    }
    const base = directory === '' ? '' : `${directory}/`;
    const files: PackageItem[] = [];
    const dirs = new Set<string>();
    for (const entry of this.#manifest.sortedEntries()) {
      if (!entry.logicalKey.startsWith(base)) continue;
      const rest = entry.logicalKey.slice(base.length);
      const slash = rest.indexOf('/');
      if (slash < 0) files.push(new PackageEntry(entry, this.#context));
      else dirs.add(`${base}${rest.slice(0, slash)}`);
    }
    const items: PackageItem[] = [
      ...files,
      ...[...dirs].map((d) => new PackageDirectory(d, this.#manifest.directoryMeta.get(d))),
    ];
    return items.sort((a, b) => compareTreeOrder(a.logicalKey, b.logicalKey));
  }

  /** A file entry or a directory. Throws `PackageKeyNotFoundError` when the key is neither. */
  get(key: string): PackageItem {
    const entry = this.#manifest.get(key);
    if (entry) return new PackageEntry(entry, this.#context);
    const directory = key.replace(/^\/+|\/+$/g, '');
    if (this.#manifest.isDirectory(directory)) {
      return new PackageDirectory(
        directory,
        directory === ''
          ? this.#manifest.header.get('user_meta')
          : this.#manifest.directoryMeta.get(directory),
      );
    }
    throw new PackageKeyNotFoundError(key);
  }

  /** A file entry; throws if the key is missing or a directory. */
  entry(key: string): PackageEntry {
    const item = this.get(key);
    if (!item.isFile()) throw new PackageUsageError(`${JSON.stringify(key)} is a directory, not a file`);
    return item;
  }

  /** User metadata of a file or directory ('' for the package). */
  getMetadata(key: string): unknown {
    return this.get(key).meta;
  }

  /** The text of the root README.md (fetched and cached). */
  async readme(): Promise<string> {
    const key = this.keys().find((k) => k.toLowerCase() === 'readme.md');
    if (!key) throw new PackageKeyNotFoundError('README.md');
    return this.entry(key).text();
  }

  /** Local path of a verified cached copy of one entry. */
  async cache(key: string): Promise<string> {
    return this.entry(key).cache();
  }

  /** Drops this package's objects from the object cache. */
  async clearCache(): Promise<void> {
    const cache = new ObjectCache(this.#context.cacheDir);
    for (const entry of this.#manifest.entries()) await cache.evict(entry);
  }

  /** The manifest in quilt3's JSONL format. */
  manifestText(): string {
    return writeManifest(this.#manifest);
  }

  /** A copy of the manifest. */
  manifest(): Manifest {
    return this.#manifest.clone();
  }

  /**
   * Makes `dest` hold this package: downloads (verified, staged) only what is missing or changed, removes files a
   * previous install put there that this version no longer has, keeps other files, and records the install.
   */
  async install(dest: string, options: InstallOptions = {}): Promise<SyncResult> {
    const dir = resolve(dest);
    const previous = await readInstallRecord(dir).catch(() => undefined);
    const owned = new Set(previous ? [...previous.manifest.entries()].map((e) => e.logicalKey) : []);
    return this.syncAndRecord(dir, owned, options);
  }

  /** Lists missing, extra and changed files of `dir` against this package. Reads nothing the stat cache knows. */
  async verify(
    dir: string,
    options: { extraFilesOk?: boolean; onProgress?: (p: TransferProgress) => void } = {},
  ): Promise<DirectoryComparison> {
    return withFileHasher(this.#context, (hasher) => compareDirectory(this.#manifest, dir, hasher, options));
  }

  /** Makes `dir` exactly this package: removes every extra file and transfers only what changed. */
  async forceMatch(dir: string, options: InstallOptions = {}): Promise<SyncResult> {
    return this.syncAndRecord(resolve(dir), true, options);
  }

  /** Brings `dir` in line with the manifest (removing `removeExtra`), then records what is installed there. */
  private async syncAndRecord(
    dir: string,
    removeExtra: Set<string> | true,
    options: InstallOptions,
  ): Promise<SyncResult> {
    const record = {
      registry: this.origin?.registry ?? '',
      name: this.origin?.name ?? '',
      topHash: this.topHash,
      installedAt: new Date().toISOString(),
    };
    // The install record is committed with the files: a killed install never leaves one without the other.
    const result = await withFileHasher(this.#context, (hasher) =>
      syncDirectory(this.#manifest, dir, this.#context.source, hasher, {
        removeExtra,
        stateFiles: installRecordFiles(record, this.#manifest),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    );
    return result;
  }

  /** quilt3 `diff`: keys added, modified and deleted going from this package to `other`. */
  diff(other: Package): PackageDiff {
    return diffManifests(this.#manifest, other.#manifest);
  }

  /** A mutable builder holding a copy of this package (physical keys kept, so nothing is re-uploaded). */
  asBuilder(): PackageBuilder {
    return PackageBuilder.fromManifest(this.#manifest, this.#context, this.origin?.registry);
  }

  /** Deletes the whole object and stat cache folder (every package's cached objects). */
  static async clearAllCaches(settings: DataPackageSettings = {}): Promise<void> {
    await rm(createContext(settings).cacheDir, { recursive: true, force: true });
  }
}
