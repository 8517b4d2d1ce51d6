/**
 * An immutable package version: a verified manifest plus where it came from. Exploring (`ls`, `get`, `getMetadata`,
 * `readme`) reads only the manifest; bytes are fetched only when asked (`cache`, entry `bytes()`), verified, and
 * cached by content. `install`, `verify`, `forceMatch` and `diff` compare and sync local folders; `asBuilder()`
 * gives a mutable copy.
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isTruthy, toPlainJson } from '@mlclients/package-core/json';
import { createContext, type DataPackageSettings, type PackageContext, withFileHasher } from './context.js';
import { defaultLocalRegistryPath } from './default-locations.js';
import {
  compareDirectory,
  type DirectoryComparison,
  type SyncResult,
  syncDirectory,
  type TransferProgress,
} from './directory-sync.js';
import { PackageKeyNotFoundError, PackageUsageError } from './errors.js';
import { type FolderLockOptions, withInstallLock } from './install-lock.js';
import { readInstallRecord } from './install-record.js';
import { compareTreeOrder, validateLogicalKey } from './logical-key.js';
import { cloneEntry, Manifest, type ManifestEntry } from './manifest.js';
import { writeManifest } from './manifest-format.js';
import { ObjectCache } from './object-cache.js';
import { PackageBuilder } from './package-builder.js';
import { diffManifests, type PackageDiff } from './package-diff.js';
import { PackageDirectory, PackageEntry } from './package-entry.js';
import { parsePackageSpec } from './package-name.js';
import {
  type DeletedVersion,
  deletePackage,
  deletePackageVersion,
  rollbackPackage,
} from './package-versions.js';
import { localPhysicalKey } from './physical-key.js';
import { findQuilt3Install } from './quilt3-install.js';
import { PackageRegistry, type ResolveOptions } from './registry.js';
import { computeTopHash } from './top-hash.js';

/** The registry and name a package was read from. */
export interface PackageOrigin {
  registry: string;
  name: string;
}

export interface BrowseOptions extends ResolveOptions, DataPackageSettings {
  /** Registry URL or instance. @default the local registry (quilt3's default location) */
  registry?: string | PackageRegistry;
}

/** Options of `install`. */
export interface InstallOptions {
  /** Called as files are written. */
  onProgress?: (progress: TransferProgress) => void;
  /**
   * Install only this file or folder of the package (quilt3's `install(path=)`): a folder's files land at their keys
   * relative to it, a file at its name.
   */
  path?: string;
  /**
   * How long to wait while another install (or fetch) into the same folder runs: installs into one folder take turns
   * (`<dest>/.datapkg/lock`), then InstallFolderBusyError. @default 120,000
   */
  lockWaitMs?: number;
  /** Called once if another install holds the folder and this one starts waiting for it (with the holder, if known). */
  onLockWait?: (holder: { pid: number; host: string } | undefined) => void;
}

/** Which registry a version-management call acts on. */
export interface RegistryOptions extends DataPackageSettings {
  /** Registry URL or instance. @default the local registry */
  registry?: string | PackageRegistry;
}

/** quilt3's `map`/`filter` option: also visit directories that carry metadata (keys ending in '/'). */
export interface WalkOptions {
  includeDirectories?: boolean;
}

async function openRegistryOption(registry: string | PackageRegistry | undefined): Promise<PackageRegistry> {
  return registry instanceof PackageRegistry ? registry : PackageRegistry.open(registry);
}

/** What a key of a package names: a file or a folder. */
export type PackageItem = PackageEntry | PackageDirectory;

/**
 * A published (or installed) version of a data package: browse its entries and metadata, install it into a folder,
 * verify a folder against it, and `forceMatch` to repair one.
 *
 * @example
 * ```ts
 * const pkg = await Package.browse('team/blocks', { registry: 's3://my-bucket' });
 * await pkg.install('./blocks');
 * const { matches, changed } = await pkg.verify('./blocks');
 * if (!matches) await pkg.forceMatch('./blocks'); // transfers only what changed
 * ```
 */
export class Package {
  readonly #manifest: Manifest;
  /** The manifest file's bytes, when this version was read from a registry: an install records them as they are. */
  readonly #manifestBytes: Uint8Array | undefined;
  readonly #context: PackageContext;
  readonly topHash: string;
  readonly origin: PackageOrigin | undefined;

  /**
   * @internal use Package.browse, Package.fromInstalled or PackageBuilder.toPackage. `verifiedTopHash`: the manifest is
   * fresh (nobody else holds it) and already checked to hash to this, so it is neither copied nor hashed again;
   * `manifestBytes` (only with it): the file that manifest was read from.
   */
  constructor(
    manifest: Manifest,
    context: PackageContext,
    origin?: PackageOrigin,
    verifiedTopHash?: string,
    manifestBytes?: Uint8Array,
  ) {
    this.#manifest = verifiedTopHash === undefined ? manifest.clone() : manifest;
    this.#manifestBytes = verifiedTopHash === undefined ? undefined : manifestBytes;
    this.#context = context;
    this.topHash = verifiedTopHash ?? computeTopHash(this.#manifest);
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
    const { manifest, bytes } = await registry.fetchManifestAndBytes(topHash); // verified: it hashes to topHash
    const context = createContext(options);
    return new Package(manifest, context, { registry: registry.url, name: spec.name }, topHash, bytes);
  }

  /**
   * `browse(nameOrSpec)`, then `install(dest)` (with `forceMatch: true`, `forceMatch(dest)`; with `path`, only that file
   * or folder, as install's `path`), in one call: what `datapkg install` runs. The manifest is read and its top hash
   * verified before anything is fetched. Returns the whole package and what the install did.
   */
  static async browseAndInstall(
    nameOrSpec: string,
    dest: string,
    options: BrowseOptions & InstallOptions & { forceMatch?: boolean } = {},
  ): Promise<{ package: Package; result: SyncResult }> {
    const { path, forceMatch, onProgress, lockWaitMs, onLockWait, ...browseOptions } = options;
    const whole = await Package.browse(nameOrSpec, browseOptions);
    const target = path === undefined ? whole : whole.subPackage(path);
    const installOptions: InstallOptions = {
      ...(onProgress ? { onProgress } : {}),
      ...(lockWaitMs === undefined ? {} : { lockWaitMs }),
      ...(onLockWait ? { onLockWait } : {}),
    };
    const result = await (forceMatch
      ? target.forceMatch(dest, installOptions)
      : target.install(dest, installOptions));
    return { package: whole, result };
  }

  /**
   * The package a folder was installed from, or undefined: datapkg's `.datapkg/` record, else the version quilt3's
   * `install` recorded in its local registry for a folder holding its files (quilt3-install.ts).
   */
  static async fromInstalled(
    dir: string,
    settings: DataPackageSettings & {
      /** Where quilt3 recorded its installs. @default quilt3's local registry; `false` to skip the search */
      quilt3Registry?: string | PackageRegistry | false;
    } = {},
  ): Promise<Package | undefined> {
    const context = createContext(settings);
    const installed = await readInstallRecord(dir, context.stateDir);
    if (installed) {
      return new Package(installed.manifest, context, {
        registry: installed.record.registry,
        name: installed.record.name,
      });
    }
    if (settings.quilt3Registry === false) return undefined;
    const registry =
      settings.quilt3Registry instanceof PackageRegistry
        ? settings.quilt3Registry
        : await PackageRegistry.open(settings.quilt3Registry ?? defaultLocalRegistryPath());
    const found = await findQuilt3Install(dir, registry);
    if (!found) return undefined;
    return new Package(found.manifest, createContext(settings), { registry: registry.url, name: found.name });
  }

  /** @internal */
  static fromManifest(
    manifest: Manifest,
    settings: DataPackageSettings = {},
    origin?: PackageOrigin,
  ): Package {
    return new Package(manifest, createContext(settings), origin);
  }

  /** The package name it was read as (`team/data`), when it came from a registry. */
  get name(): string | undefined {
    return this.origin?.name;
  }

  /** Package-level user metadata (undefined when never set). */
  get meta(): unknown {
    const value = this.#manifest.header.get('user_meta');
    return value === undefined ? undefined : toPlainJson(value);
  }

  /** The commit message of this revision (null when pushed without one). */
  get message(): string | null | undefined {
    const value = this.#manifest.header.get('message');
    return typeof value === 'string' || value === null ? value : undefined;
  }

  /** Every logical key, in tree order. */
  keys(): string[] {
    return this.#manifest.sortedEntries().map((e) => e.logicalKey);
  }

  /** The sum of the files' sizes. */
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
    if (options.path !== undefined) {
      const { path, ...rest } = options;
      return this.subPackage(path).install(dest, rest);
    }
    const dir = resolve(dest);
    return this.syncAndRecord(dir, 'previous install', options);
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
    if (options.path !== undefined) {
      const { path, ...rest } = options;
      return this.subPackage(path).forceMatch(dir, rest);
    }
    return this.syncAndRecord(resolve(dir), true, options);
  }

  /**
   * Brings `dir` in line with the manifest, then records what is installed there. Removes every extra file (`true`)
   * or those the previous install there put (`'previous install'`).
   */
  private async syncAndRecord(
    dir: string,
    removeExtra: 'previous install' | true,
    options: InstallOptions,
  ): Promise<SyncResult> {
    const record = {
      registry: this.origin?.registry ?? '',
      name: this.origin?.name ?? '',
      topHash: this.topHash,
      installedAt: new Date().toISOString(),
    };
    // The install record is committed with the files: a killed install never leaves one without the other. The
    // folder's lock is held from reading the previous record to the commit: no other install changes either between.
    return withInstallLock(
      dir,
      () =>
        withFileHasher(this.#context, async (hasher) => {
          hasher.warmUp(); // the workers start while the previous record is read and the folder compared
          let remove: Set<string> | true = true;
          if (removeExtra !== true) {
            const previous = await readInstallRecord(dir, this.#context.stateDir).catch(() => undefined);
            remove = new Set(previous ? [...previous.manifest.entries()].map((e) => e.logicalKey) : []);
          }
          return syncDirectory(this.#manifest, dir, this.#context.source, hasher, {
            removeExtra: remove,
            record,
            ...(this.#manifestBytes ? { recordManifestBytes: this.#manifestBytes } : {}),
            stateDir: this.#context.stateDir,
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          });
        }),
      lockOptions(options),
    );
  }

  /**
   * One file or folder of this package as a package of its own (quilt3's `pkg[path]` as `install(path=)` uses it):
   * a folder's entries keyed relative to it, or a single file keyed by its name. Same header and origin.
   */
  subPackage(path: string): Package {
    const key = validateLogicalKey(path.replace(/\/+$/, ''));
    const sub = new Manifest(this.#manifest.header);
    const entry = this.#manifest.get(key);
    if (entry) {
      sub.set({ ...cloneEntry(entry), logicalKey: key.split('/').at(-1) as string });
    } else if (this.#manifest.isDirectory(key)) {
      for (const child of this.#manifest.keysUnder(key)) {
        sub.set({
          ...cloneEntry(this.#manifest.get(child) as ManifestEntry),
          logicalKey: child.slice(key.length + 1),
        });
      }
      for (const [dir, meta] of this.#manifest.directoryMeta) {
        if (dir.startsWith(`${key}/`)) sub.directoryMeta.set(dir.slice(key.length + 1), meta);
      }
    } else {
      throw new PackageKeyNotFoundError(path);
    }
    return new Package(sub, this.#context, this.origin);
  }

  /**
   * quilt3's `fetch`: copies every entry (verified) to `dest/<logical key>` and returns a builder of a new package
   * whose physical keys point at the copies. Like quilt3, that package starts from a fresh header: package metadata,
   * message and directory metadata are not carried over. No install record is written; other files are kept.
   */
  async fetch(dest: string, options: InstallOptions = {}): Promise<PackageBuilder> {
    if (options.path !== undefined) {
      const { path, ...rest } = options;
      return this.subPackage(path).fetch(dest, rest);
    }
    const dir = resolve(dest);
    // The sync stages in `<dest>/.datapkg/`, holding the folder's lock; a fetch leaves nothing of its own behind.
    await withInstallLock(
      dir,
      () =>
        withFileHasher(this.#context, (hasher) =>
          syncDirectory(this.#manifest, dir, this.#context.source, hasher, {
            removeExtra: new Set(),
            stateDir: this.#context.stateDir,
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          }),
        ),
      lockOptions(options),
    );
    const fetched = new Manifest();
    for (const entry of this.#manifest.sortedEntries()) {
      fetched.set({
        ...cloneEntry(entry),
        physicalKey: localPhysicalKey(join(dir, ...entry.logicalKey.split('/'))),
      });
    }
    return PackageBuilder.fromManifest(fetched, this.#context);
  }

  /**
   * quilt3's `map`: `fn(logicalKey, item)` for every file in tree order, preceded (with `includeDirectories`) by every
   * directory that has metadata (keys ending in '/', as quilt3 passes them).
   */
  map<T>(fn: (logicalKey: string, item: PackageItem) => T, options: WalkOptions = {}): T[] {
    const results: T[] = [];
    if (options.includeDirectories) {
      for (const dir of this.metadataDirectories()) results.push(fn(`${dir}/`, this.get(dir)));
    }
    for (const entry of this.#manifest.sortedEntries())
      results.push(fn(entry.logicalKey, new PackageEntry(entry, this.#context)));
    return results;
  }

  /**
   * quilt3's `filter`: a new package (builder) of the files `fn` keeps; with `includeDirectories`, a directory `fn`
   * rejects drops everything below it. Like quilt3 the result starts from a fresh header (no metadata, no message).
   */
  filter(fn: (logicalKey: string, item: PackageItem) => boolean, options: WalkOptions = {}): PackageBuilder {
    const excluded = options.includeDirectories
      ? this.metadataDirectories().filter((dir) => !fn(`${dir}/`, this.get(dir)))
      : [];
    const kept = new Manifest();
    for (const entry of this.#manifest.sortedEntries()) {
      if (excluded.some((dir) => entry.logicalKey.startsWith(`${dir}/`))) continue;
      if (fn(entry.logicalKey, new PackageEntry(entry, this.#context))) kept.set(cloneEntry(entry));
    }
    return PackageBuilder.fromManifest(kept, this.#context, this.origin?.registry).distrustSources(
      undefined,
      this.origin?.registry,
    );
  }

  /** Directories whose metadata quilt3 writes (Python-truthy values), in tree order. */
  private metadataDirectories(): string[] {
    return [...this.#manifest.directoryMeta]
      .filter(([, meta]) => isTruthy(meta))
      .map(([dir]) => dir)
      .sort(compareTreeOrder);
  }

  /** quilt3's `Package.rollback`: points `latest` of `name` at an existing version (hash or unique prefix). */
  static async rollback(name: string, hash: string, options: RegistryOptions = {}): Promise<string> {
    return rollbackPackage(await openRegistryOption(options.registry), name, hash);
  }

  /** quilt3's `delete_package(name)`: removes every pointer of the name (manifests and data stay). */
  static async deletePackage(name: string, options: RegistryOptions = {}): Promise<string[]> {
    return deletePackage(await openRegistryOption(options.registry), name);
  }

  /** quilt3's `delete_package(name, top_hash=)`: removes the pointers to one version, moving `latest` if needed. */
  static async deletePackageVersion(
    name: string,
    hash: string,
    options: RegistryOptions = {},
  ): Promise<DeletedVersion> {
    return deletePackageVersion(await openRegistryOption(options.registry), name, hash);
  }

  /** quilt3 `diff`: keys added, modified and deleted going from this package to `other`. */
  diff(other: Package): PackageDiff {
    return diffManifests(this.#manifest, other.#manifest);
  }

  /**
   * A mutable builder holding a copy of this package (physical keys kept, so nothing is re-uploaded). It is based on
   * this version: pushing it under the same name is a conflict only if `latest` moved on since.
   */
  asBuilder(): PackageBuilder {
    return PackageBuilder.fromManifest(
      this.#manifest,
      this.#context,
      this.origin?.registry,
      this.origin?.name ? { name: this.origin.name, topHash: this.topHash } : undefined,
    ).distrustSources(undefined, this.origin?.registry); // its local files and URLs are not this user's
  }

  /** Deletes the whole object and stat cache folder (every package's cached objects). */
  static async clearAllCaches(settings: DataPackageSettings = {}): Promise<void> {
    await rm(createContext(settings).cacheDir, { recursive: true, force: true });
  }
}

/** The lock wait of an install's options, if one was given. */
function lockOptions(options: InstallOptions): FolderLockOptions {
  return {
    ...(options.lockWaitMs === undefined ? {} : { waitMs: options.lockWaitMs }),
    ...(options.onLockWait ? { onWait: options.onLockWait } : {}),
  };
}
