/**
 * The mutable side of a package: add files and folders, set metadata, move and delete keys, build (hash + top hash),
 * push data and manifest. A builder becomes a `Package` only when its data and manifest live in a registry, unless
 * the caller explicitly opts out (`allowLocalFiles`, `allowLocalManifest`).
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonValue } from '@mlclients/package-core/json';
import { fromPlainJson } from '@mlclients/package-core/json';
import { FsBlobStore, relativeInside } from '@mlclients/package-core/storage';
import { createContext, type DataPackageSettings, type PackageContext, withFileHasher } from './context.js';
import type { TransferProgress } from './directory-sync.js';
import {
  LocalFilesNotAllowedError,
  PackageConflictError,
  PackageKeyConflictError,
  PackageKeyNotFoundError,
  PackageNotBuiltError,
  PackageUsageError,
  UnpushedManifestError,
} from './errors.js';
import type { FileHasher, HashProgress } from './hashing/file-hasher.js';
import { CHUNKED_SHA256, hashStream } from './hashing/object-hash.js';
import { HashWorkerPool } from './hashing/worker-pool.js';
import { LocalStager, type StagedObjects, stageIntoLocalStore } from './local-object-copy.js';
import { type LocalFile, listLocalFiles } from './local-tree.js';
import { normalizeDirectoryKey, validateLogicalKey } from './logical-key.js';
import { cloneEntry, Manifest, type ManifestEntry, makeHashValue } from './manifest.js';
import { SMALL_OBJECT_BYTES } from './object-download.js';
import { Package } from './package.js';
import { PackageEntry } from './package-entry.js';
import { validatePackageName } from './package-name.js';
import {
  canonicalPathPhysicalKey,
  isLocalPhysicalKey,
  localPhysicalKey,
  parsePhysicalKey,
} from './physical-key.js';
import { objectKeyBase, type PushDataResult, pushPackageData, readableSourceKind } from './push-data.js';
import { PackageRegistry } from './registry.js';
import { computeTopHash } from './top-hash.js';
import { applyWorkflow, WORKFLOW_CONFIG_KEY, type WorkflowChoice } from './workflows.js';

/** Options of `build` (hash what is missing and compute the top hash). */
export interface BuildOptions {
  /** Commit message stored in the header (quilt3 always sets it, null when not given). */
  message?: string | null;
  /** Called as files are hashed. */
  onProgress?: (progress: HashProgress) => void;
}

/** quilt3's `selector_fn`: which entries push copies into the registry (the others keep their physical keys). */
export type EntrySelector = (logicalKey: string, entry: PackageEntry) => boolean;

/** Options of copying a package's objects into a registry. */
export interface PushDataOptions {
  /** Where objects go in the registry: `<prefix>/<logical key>`. @default the package name */
  prefix?: string;
  /** Called as objects are copied. */
  onProgress?: (progress: TransferProgress) => void;
  /** Copy only the entries this returns true for (quilt3's `selector_fn`). @default every entry */
  selector?: EntrySelector;
  /** Read local files that came from another package's manifest (`--allow-local`). @default false */
  allowLocal?: boolean;
  /** Read http(s):// URLs that came from another package's manifest (`--allow-url`). @default false */
  allowUrl?: boolean;
}

/** Options of publishing a package's manifest and pointers. */
export interface PushManifestOptions {
  /** Extra pointers besides the timestamp and `latest`. */
  tags?: string[];
  message?: string | null;
  /** Publish even though entries point at local files (nobody else can install them). */
  allowLocalFiles?: boolean;
  /**
   * The registry workflow to apply (workflows.ts): a workflow id, `null` for none, or undefined for the registry's
   * default.
   */
  workflow?: WorkflowChoice;
  /**
   * Publish even when the registry's `latest` for the name is not a version this package was based on (browsed,
   * pushed or built from). Without it such a push fails with `PackageConflictError`, as quilt3's does.
   */
  force?: boolean;
  /** When the registry's `latest` already has this top hash, publish nothing and return that version. */
  dedupe?: boolean;
}

/** Options of `push`: copy the objects, then publish the manifest. */
export interface PushOptions extends PushDataOptions, PushManifestOptions {
  /** Called as files are hashed (before they are copied). */
  onHashProgress?: (progress: HashProgress) => void;
}

/** Options of turning a builder into a read-only `Package`. */
export interface ToPackageOptions {
  /** Accept entries whose bytes are local files that only this machine has. */
  allowLocalFiles?: boolean;
  /** Accept a manifest that no registry holds. */
  allowLocalManifest?: boolean;
}

/** Options of moving entries to other keys. */
export interface MoveOptions {
  /** Replace entries already at the destination keys. @default false */
  overwrite?: boolean;
}

/** Entry sources: a local path, a URL (s3://, file://, https://, memory://) or an entry of another package. */
export type EntrySource = string | PackageEntry;

/** Whether `path` is `folder` or below it (resolving `path`'s existing part, so a link into the folder counts). */
function isWithin(folder: string, path: string): boolean {
  return relativeInside(folder, realPathOf(path)) !== undefined;
}

/** Whether `work` (if any) rejects; it is awaited either way. */
async function failed(work: Promise<unknown> | undefined): Promise<boolean> {
  return work === undefined
    ? false
    : work.then(
        () => false,
        () => true,
      );
}

/**
 * The real path of `path`, or for one not made yet (a registry folder this push creates) the real path of its
 * nearest existing parent with the rest appended: a link above it (/tmp -> /private/tmp) is resolved either way.
 */
function realPathOf(path: string): string {
  const resolved = resolve(path);
  let existing = resolved;
  for (;;) {
    try {
      return join(realpathSync(existing), relative(existing, resolved));
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return resolved;
      existing = parent;
    }
  }
}

/**
 * A new entry for the local file at `path` (a canonical path): its size now (`knownSize`: a regular file's size just
 * stat'ed elsewhere; NaN or undefined: stat it here), no hash yet.
 */
function localFileEntry(key: string, path: string, canonical = false, knownSize = Number.NaN): ManifestEntry {
  let size = knownSize;
  if (Number.isNaN(size)) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      throw new PackageUsageError(`cannot add ${JSON.stringify(key)}: no file at ${path}`);
    }
    if (!stat.isFile())
      throw new PackageUsageError(`cannot add ${JSON.stringify(key)}: ${path} is not a regular file`);
    size = stat.size;
  }
  return {
    logicalKey: key,
    physicalKey: canonical ? canonicalPathPhysicalKey(path) : localPhysicalKey(path),
    size,
    hash: null,
    meta: new Map(),
  };
}

/**
 * A data package being built: set entries (files, folders, URLs) and metadata, then `build` its quilt3 top hash and
 * `push` it (data and manifest) to a registry.
 *
 * @example
 * ```ts
 * const builder = new PackageBuilder();
 * await builder.setDir('', './backup/blocks', { meta: { source: 'sc backup' } });
 * const pkg = await builder.push('s3://my-bucket', 'team/blocks', { message: 'first version' });
 * ```
 */
export class PackageBuilder {
  #ownManifest: Manifest;
  /**
   * True once the manifest object was handed to the Package a push returned (without copying 10,000 entries on the
   * way out): the builder takes a copy the first time it uses its manifest again.
   */
  #handedOver = false;
  get #manifest(): Manifest {
    if (this.#handedOver) {
      this.#ownManifest = this.#ownManifest.clone();
      this.#handedOver = false;
    }
    return this.#ownManifest;
  }
  set #manifest(manifest: Manifest) {
    this.#ownManifest = manifest;
    this.#handedOver = false;
  }
  readonly #context: PackageContext;
  #published: { registry: string; name: string; topHash: string } | undefined;
  /** Per package name, the top hashes this builder is based on: a push accepts only these as the current `latest`. */
  readonly #parents = new Map<string, Set<string>>();
  /** Local folders of the file registries this builder's data was pushed to or came from: not "local files". */
  readonly #registryFolders = new Set<string>();
  /** Local-file and URL physical keys that came from someone else's manifest: pushed only with allowLocal/allowUrl. */
  readonly #foreignSources = new Set<string>();

  /** Creates an empty `PackageBuilder`: `settings` (cache, concurrency...) and the package-level `meta`. */
  constructor(settings: DataPackageSettings & { meta?: unknown } = {}) {
    this.#ownManifest = new Manifest();
    this.#context = createContext(settings);
    if (settings.meta !== undefined) this.setMeta('', settings.meta);
  }

  /** @internal a builder holding a copy of `manifest` */
  static fromManifest(
    manifest: Manifest,
    context?: PackageContext | DataPackageSettings,
    originRegistry?: string,
    parent?: { name: string; topHash: string },
  ): PackageBuilder {
    const builder = new PackageBuilder();
    builder.#manifest = manifest.clone();
    if (originRegistry) builder.rememberRegistry(originRegistry);
    if (parent) builder.addParent(parent.name, parent.topHash);
    if (context && 'source' in context) Object.assign(builder.#context, context);
    else if (context) Object.assign(builder.#context, createContext(context));
    return builder;
  }

  /** Every logical key, in tree order. */
  keys(): string[] {
    return this.#manifest.sortedEntries().map((e) => e.logicalKey);
  }

  /**
   * Records `topHash` as a version of `name` this builder is based on, so pushing over it is not a conflict (browse,
   * asBuilder and push record theirs; the CLI adds the folder's installed and last pushed versions).
   */
  addParent(name: string, topHash: string): this {
    validatePackageName(name);
    let hashes = this.#parents.get(name);
    if (!hashes) {
      hashes = new Set();
      this.#parents.set(name, hashes);
    }
    hashes.add(topHash);
    return this;
  }

  /** The versions of `name` this builder is based on. */
  parentsOf(name: string): string[] {
    return [...(this.#parents.get(name) ?? [])].sort();
  }

  /** Whether the package has a file at this logical key. */
  has(key: string): boolean {
    return this.#manifest.has(key);
  }

  /** A copy of the current manifest. */
  manifest(): Manifest {
    return this.#manifest.clone();
  }

  /** Adds or replaces one file. `meta` becomes the entry's user metadata. */
  set(key: string, source: EntrySource, meta?: unknown): this {
    validateLogicalKey(key);
    let entry: ManifestEntry;
    if (source instanceof PackageEntry) {
      entry = { ...source.toManifestEntry(), logicalKey: key };
    } else if (isLocalPhysicalKey(source)) {
      const path = source.startsWith('file://') ? parsePhysicalKey(source).path : resolve(source);
      entry = localFileEntry(key, path);
      entry.physicalKey = localPhysicalKey(realpathSync(path));
    } else {
      parsePhysicalKey(source); // validates the URL now rather than at build time
      entry = { logicalKey: key, physicalKey: source, size: null, hash: null, meta: new Map() };
    }
    if (meta !== undefined) entry.meta = new Map([['user_meta', fromPlainJson(meta)]]);
    if (!(source instanceof PackageEntry)) this.#foreignSources.delete(entry.physicalKey); // the user's own choice
    this.#manifest.set(entry);
    this.#published = undefined;
    return this;
  }

  /**
   * Adds every file under a local folder below `key` ('' or '.' for the root), honouring `.quiltignore`. Like
   * quilt3's `set_dir`, it sets the directory's metadata (to null when `meta` is not given, unless
   * `keepExistingMeta`) and does not remove entries missing from the folder.
   */
  async setDir(
    key: string,
    dir: string,
    options: { meta?: unknown; useQuiltignore?: boolean; keepExistingMeta?: boolean } = {},
  ): Promise<this> {
    const base = normalizeDirectoryKey(key);
    // The root's real path once: below it only linked files need their own (10,000 realpath calls were 5 lstat each).
    const root = realpathSync(resolve(dir));
    // The CLI prestarts its hashing workers: the files are stat'ed on them during the walk (then handed back).
    const pool = HashWorkerPool.borrowSpares();
    let files: LocalFile[];
    try {
      files = await listLocalFiles(root, {
        useQuiltignore: options.useQuiltignore ?? true,
        ...(pool ? { statOn: pool } : {}),
      });
    } finally {
      await pool?.close();
    }
    return this.#addListedFiles(base, files, options);
  }

  /**
   * setDir's second half: an entry per listed file (a `size` on the file saves its stat; `made` may supply the entry
   * of a file whose key was validated already, e.g. with the hash staging found; one made for another key is not
   * used), then quilt3's directory metadata rule.
   */
  #addListedFiles(
    base: string,
    files: readonly LocalFile[],
    options: { meta?: unknown; keepExistingMeta?: boolean },
    made?: (file: LocalFile) => ManifestEntry | undefined,
  ): this {
    for (const file of files) {
      const fileKey = base === '' ? file.logicalKey : `${base}/${file.logicalKey}`;
      if (file.linked) this.set(fileKey, file.path);
      else {
        const known = made?.(file);
        const entry =
          known?.logicalKey === fileKey
            ? known
            : localFileEntry(validateLogicalKey(fileKey), file.path, true, file.size);
        this.#foreignSources.delete(entry.physicalKey); // the user's own choice
        this.#manifest.set(entry);
      }
    }
    this.#published = undefined;
    // quilt3 resets the directory's metadata to null when none is given; `keepExistingMeta` keeps metadata that is
    // already set, but still writes null where there is none, so the top hash stays quilt3's.
    const hasMeta =
      base === '' ? this.#manifest.header.has('user_meta') : this.#manifest.directoryMeta.has(base);
    if (options.meta !== undefined || !options.keepExistingMeta || !hasMeta) {
      this.setMeta(base, options.meta === undefined ? null : options.meta);
    }
    return this;
  }

  /** Sets user metadata of the package ('' or '.'), a directory, or a file entry. */
  setMeta(key: string, meta: unknown): this {
    const value: JsonValue = fromPlainJson(meta);
    const entry = this.#manifest.get(key);
    if (entry) {
      entry.meta.set('user_meta', value);
    } else {
      const directory = normalizeDirectoryKey(key);
      if (directory === '') this.#manifest.header.set('user_meta', value);
      else if (this.#manifest.isDirectory(directory)) this.#manifest.directoryMeta.set(directory, value);
      else throw new PackageKeyNotFoundError(key);
    }
    this.#published = undefined;
    return this;
  }

  /** Removes a file or a whole directory. */
  delete(key: string): this {
    this.#manifest.delete(key);
    this.#published = undefined;
    return this;
  }

  /**
   * Moves every entry under directory `from` to directory `to` (keys keep their relative path). A destination key
   * that already exists fails naming both keys, before anything moves, unless `overwrite` is set.
   */
  moveDirContents(from: string, to: string, options: MoveOptions = {}): this {
    const source = normalizeDirectoryKey(from);
    const target = normalizeDirectoryKey(to);
    const keys = this.#manifest.keysUnder(source);
    if (keys.length === 0) throw new PackageKeyNotFoundError(from);
    const moving = new Set(keys);
    const moves = keys.map((key) => {
      const rest = source === '' ? key : key.slice(source.length + 1);
      return { key, newKey: validateLogicalKey(target === '' ? rest : `${target}/${rest}`) };
    });
    if (!options.overwrite) {
      for (const { key, newKey } of moves) {
        if (this.#manifest.has(newKey) && !moving.has(newKey)) {
          throw new PackageKeyConflictError(
            `cannot move ${JSON.stringify(key)} to ${JSON.stringify(newKey)}: ${JSON.stringify(newKey)} already exists (pass { overwrite: true } to replace it)`,
          );
        }
      }
    }
    const entries = moves.map(({ key, newKey }) => ({
      ...(this.#manifest.get(key) as ManifestEntry),
      logicalKey: newKey,
    }));
    for (const { key } of moves) this.#manifest.delete(key);
    for (const entry of entries) {
      if (options.overwrite && this.#manifest.isDirectory(entry.logicalKey))
        this.#manifest.delete(entry.logicalKey);
      this.#manifest.set(entry);
    }
    this.#published = undefined;
    return this;
  }

  /** Adds every entry of another package (or builder) under `prefix`; collisions fail unless `overwrite`. */
  addPackage(other: Package | PackageBuilder, options: MoveOptions & { prefix?: string } = {}): this {
    const prefix = normalizeDirectoryKey(options.prefix ?? '');
    const entries = [...other.manifest().sortedEntries()].map((e) => ({
      ...cloneEntry(e),
      logicalKey: validateLogicalKey(prefix === '' ? e.logicalKey : `${prefix}/${e.logicalKey}`),
    }));
    if (!options.overwrite) {
      for (const entry of entries) {
        if (this.#manifest.has(entry.logicalKey)) {
          throw new PackageKeyConflictError(
            `cannot add ${JSON.stringify(entry.logicalKey)} from the other package: ${JSON.stringify(entry.logicalKey)} already exists (pass { overwrite: true } to replace it)`,
          );
        }
      }
    }
    for (const entry of entries) this.#manifest.set(entry);
    if (other instanceof PackageBuilder)
      for (const key of other.#foreignSources) this.#foreignSources.add(key);
    else this.distrustSources(other.manifest(), other.origin?.registry);
    this.#published = undefined;
    return this;
  }

  /** Hashes every entry that has no hash yet (local files in worker threads, through the stat cache). */
  async hashMissing(onProgress?: (progress: HashProgress) => void): Promise<void> {
    return this.#hashMissing(undefined, onProgress);
  }

  /** {@link hashMissing} on `hasher` (else on a FileHasher of its own, started only if a local file needs it). */
  async #hashMissing(
    hasher: FileHasher | undefined,
    onProgress?: (progress: HashProgress) => void,
  ): Promise<void> {
    const missing = [...this.#manifest.entries()].filter((e) => e.hash === null || e.size === null);
    if (missing.length === 0) return;
    const local = missing.filter((e) => isLocalPhysicalKey(e.physicalKey));
    const remote = missing.filter((e) => !isLocalPhysicalKey(e.physicalKey));
    if (local.length > 0) {
      const paths = local.map((e) => parsePhysicalKey(e.physicalKey).path);
      const hashAll = (h: FileHasher) => h.hashFiles(paths, CHUNKED_SHA256, onProgress);
      const results = await (hasher ? hashAll(hasher) : withFileHasher(this.#context, hashAll));
      local.forEach((entry, i) => {
        const result = results.get(paths[i] as string);
        if (!result) return;
        this.#manifest.set({
          ...entry,
          size: result.size,
          hash: makeHashValue({ type: CHUNKED_SHA256, value: result.value }),
        });
      });
    }
    for (const entry of remote) {
      // Remote objects are streamed once; the chunk size needs the size, so count first if unknown.
      let size = entry.size;
      if (size === null) {
        size = 0;
        for await (const chunk of await this.#context.source.open(entry.physicalKey))
          size += (chunk as Buffer).length;
      }
      const value = await hashStream(
        await this.#context.source.open(entry.physicalKey),
        CHUNKED_SHA256,
        size,
      );
      this.#manifest.set({
        ...entry,
        size,
        hash: makeHashValue({ type: CHUNKED_SHA256, value }),
      });
    }
  }

  /** Hashes what is missing, sets the commit message (null by default, as quilt3) and returns the top hash. */
  async build(options: BuildOptions = {}): Promise<string> {
    await this.hashMissing(options.onProgress);
    this.#manifest.header.set('message', options.message ?? null);
    this.#published = undefined;
    return computeTopHash(this.#manifest);
  }

  /** The top hash; throws `PackageNotBuiltError` while some entry has no hash. */
  get topHash(): string {
    return computeTopHash(this.#manifest);
  }

  /** Uploads every object that is not in the registry yet and repoints the entries (see push-data.ts). */
  async pushData(
    registry: string | PackageRegistry,
    options: PushDataOptions & { name?: string } = {},
  ): Promise<PushDataResult> {
    const target = registry instanceof PackageRegistry ? registry : await PackageRegistry.open(registry);
    await this.hashMissing();
    return withFileHasher(this.#context, (hasher) => this.#pushData(target, hasher, options));
  }

  /** {@link pushData} of a builder whose entries are all hashed, on `hasher`. */
  async #pushData(
    target: PackageRegistry,
    hasher: FileHasher,
    options: PushDataOptions & { name?: string; staged?: StagedObjects; whileFlushing?: () => Promise<void> },
  ): Promise<PushDataResult> {
    const prefix = options.prefix ?? (options.name ? validatePackageName(options.name) : undefined);
    if (prefix === undefined)
      throw new PackageUsageError('pushData needs a prefix (or a package name to use as one)');
    // Selected entries are pushed from a manifest of their own, then put back with their new physical keys.
    const selected = options.selector ? this.selectedManifest(options.selector) : this.#manifest;
    const result = await pushPackageData(selected, target, this.#context.source, hasher, {
      prefix,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      sources: {
        isForeign: (physicalKey) => this.#foreignSources.has(physicalKey),
        allowLocal: options.allowLocal ?? false,
        allowUrl: options.allowUrl ?? false,
      },
      ...(options.staged ? { staged: options.staged } : {}),
      ...(options.whileFlushing ? { whileFlushing: options.whileFlushing } : {}),
    });
    if (selected !== this.#manifest) for (const entry of selected.entries()) this.#manifest.set(entry);
    this.rememberRegistry(target.url);
    this.#published = undefined;
    return result;
  }

  private selectedManifest(selector: EntrySelector): Manifest {
    const selected = new Manifest();
    for (const entry of this.#manifest.sortedEntries()) {
      if (selector(entry.logicalKey, new PackageEntry(entry, this.#context))) selected.set(cloneEntry(entry));
    }
    return selected;
  }

  /**
   * Publishes the manifest under `name` (manifest, timestamp, tags, `latest`) and returns the immutable Package.
   * Refuses entries that point at local files unless `allowLocalFiles`, a `latest` this builder is not based on unless
   * `force` (`PackageConflictError`), and what the registry's workflow refuses (`WorkflowValidationError`).
   */
  async pushManifest(
    registry: string | PackageRegistry,
    name: string,
    options: PushManifestOptions = {},
  ): Promise<Package> {
    validatePackageName(name);
    const target = registry instanceof PackageRegistry ? registry : await PackageRegistry.open(registry);
    this.rememberRegistry(target.url);
    if (!options.allowLocalFiles) this.assertNoLocalFiles('push its manifest');
    await this.hashMissing();
    const deduped = await this.prepareManifest(target, name, options);
    if (deduped) return deduped;
    return this.publish(target, name, options);
  }

  /**
   * pushData + pushManifest in one call (prefix defaults to the package name). Unlike `pushManifest`, which keeps the
   * message given to `build`, it sets the message as quilt3's push does (null when not given). The conflict check
   * runs before any data is copied and again just before the manifest is published.
   */
  async push(registry: string | PackageRegistry, name: string, options: PushOptions = {}): Promise<Package> {
    validatePackageName(name);
    const target = registry instanceof PackageRegistry ? registry : await PackageRegistry.open(registry);
    const prefix = options.prefix ?? name;
    // Like quilt3's push, the one-call push always sets the message (null when none is given).
    const manifestOptions = { ...options, message: options.message ?? null };
    return withFileHasher(this.#context, async (hasher) => {
      // Without dedupe (which needs every hash) the checks that do not need hashes run first, as quilt3's push runs
      // them: new local files can then go into a local registry in one pass (read, hash, write at their keys).
      const checkedFirst = !options.dedupe && !options.selector && target.store instanceof FsBlobStore;
      if (checkedFirst) await this.checkWorkflow(target, name, manifestOptions);
      const staged = await this.stageForLocalRegistry(target, name, prefix, hasher, options, checkedFirst);
      return this.#completePush(target, name, prefix, hasher, options, staged, checkedFirst);
    });
  }

  /**
   * `setDir('', dir, { meta })` then `push(registry, name, options)`, in one pass where that is safe: into a local
   * registry with no workflow config (where nothing about the files can refuse the push once its conflict check has
   * passed), each file is copied into the registry (read once, hashed while written, created exclusively at its key)
   * as soon as the folder walk finds it, so the copying overlaps the listing instead of following it. Elsewhere, with
   * a selector, `dedupe`, a workflow, or hash progress (which needs every size first), it is exactly setDir + push.
   * This is what `datapkg push` runs.
   */
  async pushDir(
    registry: string | PackageRegistry,
    name: string,
    dir: string,
    options: PushOptions & { meta?: unknown } = {},
  ): Promise<Package> {
    validatePackageName(name);
    const { meta, ...pushOptions } = options;
    const dirOptions = meta === undefined ? {} : { meta };
    const target = registry instanceof PackageRegistry ? registry : await PackageRegistry.open(registry);
    const store = target.store;
    const overlapped =
      store instanceof FsBlobStore &&
      !options.selector &&
      !options.dedupe &&
      options.workflow === undefined &&
      !options.onHashProgress &&
      !(await store.exists(WORKFLOW_CONFIG_KEY));
    // A registry inside the pushed folder would be written while it is walked, and a folder inside the registry would
    // walk this push's own copies: list first, as setDir + push do.
    const root = realpathSync(resolve(dir));
    if (
      !overlapped ||
      (store instanceof FsBlobStore && (isWithin(root, store.root) || isWithin(realPathOf(store.root), root)))
    ) {
      await this.setDir('', dir, dirOptions);
      return this.push(target, name, pushOptions);
    }
    // The one check that could refuse this push, before anything is written.
    if (!options.force) this.assertNoConflict(target, name, await target.readPointer(name, 'latest'));
    const prefix = options.prefix ?? name;
    return withFileHasher(this.#context, async (hasher) => {
      hasher.warmUp();
      // Each staged file's entry, as setDir makes it (key validated during the walk), with the size and hash of the
      // bytes staged (no second stat): made as each chunk is done, while the workers copy the next ones. An object
      // staging created at its key is pointed at right away (the entries go into the builder only once the objects
      // are on disk, below); one that was there already ('exists', another push's) keeps its local key and goes
      // through the usual data step, which checks what is there.
      const staging: LocalFile[] = [];
      const entryOf = new Map<LocalFile, ManifestEntry>();
      const stager = new LocalStager(store, hasher, SMALL_OBJECT_BYTES, {
        linkNow: true,
        placedByCaller: true,
        onStaged: (index, result, target) => {
          const file = staging[index] as LocalFile;
          entryOf.set(file, {
            logicalKey: file.logicalKey,
            // registry.physicalKeyOf(key) of a local store, from the path already worked out
            physicalKey: canonicalPathPhysicalKey(result.outcome === 'created' ? target : file.path),
            size: result.size,
            hash: makeHashValue({ type: CHUNKED_SHA256, value: result.value }),
            meta: new Map(),
          });
        },
      });
      const keyBase = objectKeyBase(prefix);
      let files: LocalFile[];
      try {
        files = await listLocalFiles(root, {
          useQuiltignore: true,
          onFile: (file) => {
            if (file.linked) return; // staged below with the other unhashed entries (keyed by their real path)
            validateLogicalKey(file.logicalKey); // a name no package can hold stops the walk before it is copied
            staging[stager.add({ source: file.path, key: keyBase + file.logicalKey })] = file;
          },
        });
      } catch (error) {
        // Files not handed over yet are dropped, later ones refused; the chunks already running are awaited. What they
        // created stays, as any object a failed push created (named by nothing).
        await stager.abort();
        throw error;
      }
      const { staged } = await stager.finish();
      // The objects created are flushed to disk (staged.flushing, on ext4 the longest wait of a push) while the rest
      // of the push runs on this thread: entries, checks, top hash. No manifest names them before the flush is done
      // (the data step waits for it); if it fails, the entries made here go back to their local files below. The stat
      // cache is written meanwhile too (best effort: withFileHasher saves again and reports a failure).
      const saving = hasher.statCache.save().catch(() => undefined);
      try {
        // Files staging left out (over the small-object size) get a stat'ed entry without a hash: hashed and copied
        // by the usual data step.
        this.#addListedFiles('', files, dirOptions, (file) => entryOf.get(file));
        // Linked files, and unhashed entries the builder had before: staged the usual way, in one more pass.
        const more = await this.stageForLocalRegistry(target, name, prefix, hasher, pushOptions, true);
        if (more) staged.absorb(more);
        // Sets the message and drops a `workflow` header: with no config, nothing it checks can refuse.
        await this.checkWorkflow(target, name, { ...pushOptions, message: options.message ?? null });
        return await this.#completePush(target, name, prefix, hasher, pushOptions, staged, true);
      } catch (error) {
        // Once the flush has settled, no entry names an object that may not be on disk; nor is the stat cache still
        // being written when the push reports its failure.
        if (await failed(staged.flushing)) this.#unplace(files, entryOf);
        await saving;
        throw error;
      }
    });
  }

  /**
   * After a failed flush: entries pointed at objects staging created (which may not be on disk) point at their local
   * files again, with the hash of the bytes read (a later push copies and checks them again).
   */
  #unplace(files: readonly LocalFile[], placed: ReadonlyMap<LocalFile, ManifestEntry>): void {
    for (const file of files) {
      const entry = placed.get(file);
      if (entry && this.#manifest.get(entry.logicalKey) === entry) {
        const local = canonicalPathPhysicalKey(file.path);
        this.#foreignSources.delete(local); // the user's own file, as setDir makes it
        this.#manifest.set({ ...entry, physicalKey: local });
      }
    }
    this.#published = undefined;
  }

  /**
   * The rest of a push once new local files are staged: hash what is left, the manifest checks (and dedupe), the data,
   * then manifest and pointers. Temp files of objects not taken are removed whatever happens.
   */
  async #completePush(
    target: PackageRegistry,
    name: string,
    prefix: string,
    hasher: FileHasher,
    options: PushOptions,
    staged: StagedObjects | undefined,
    workflowChecked: boolean,
  ): Promise<Package> {
    // Like quilt3's push, the one-call push always sets the message (null when none is given).
    const manifestOptions = { ...options, message: options.message ?? null };
    try {
      await this.#hashMissing(hasher, options.onHashProgress);
      const deduped = await this.prepareManifest(target, name, manifestOptions, workflowChecked);
      if (deduped) return deduped;
      // Every hash is known by now: the stat cache is written while the new objects are flushed. Best effort here:
      // a failed save stays dirty and is retried (and reported) by withFileHasher after the push, so it can never
      // take the place of the push's own error.
      const whileFlushing = () => hasher.statCache.save().catch(() => {});
      await this.#pushData(target, hasher, {
        ...options,
        prefix,
        whileFlushing,
        ...(staged ? { staged } : {}),
      });
      this.rememberRegistry(target.url);
      if (!options.allowLocalFiles) this.assertNoLocalFiles('push its manifest');
      return await this.publish(target, name, manifestOptions);
    } finally {
      await staged?.discard();
    }
  }

  /**
   * Hashing fused with copying, for a push of new local files to a local registry: each small file not hashed yet is
   * read once, hashed while it is written, and its hash set: to a temp file next to its key that the push links to the
   * key after the manifest checks (StagedObjects), or straight to its key when `checked` (the checks that need no hash
   * have passed); either way the data step points the entry at the object only once it is on disk. Not with a selector (which may skip entries) nor when the name's `latest` is a
   * conflict (checked first, so a refused push writes nothing).
   */
  private async stageForLocalRegistry(
    target: PackageRegistry,
    name: string,
    prefix: string,
    hasher: FileHasher,
    options: PushOptions,
    checked: boolean,
  ): Promise<StagedObjects | undefined> {
    if (!(target.store instanceof FsBlobStore) || options.selector) return undefined;
    const entries = [...this.#manifest.entries()].filter(
      (e) =>
        e.hash === null &&
        e.size !== null &&
        e.size <= SMALL_OBJECT_BYTES &&
        isLocalPhysicalKey(e.physicalKey) &&
        target.keyOfPhysicalKey(e.physicalKey) === undefined,
    );
    if (entries.length === 0) return undefined;
    if (!options.force) this.assertNoConflict(target, name, await target.readPointer(name, 'latest'));
    const progress: HashProgress = {
      bytesDone: 0,
      bytesTotal: entries.reduce((sum, e) => sum + (e.size as number), 0),
      filesDone: 0,
      filesTotal: entries.length,
    };
    const keyBase = objectKeyBase(prefix);
    const { results, staged } = await stageIntoLocalStore(
      target.store,
      hasher,
      entries.map((e) => ({
        source: parsePhysicalKey(e.physicalKey).path,
        physicalKey: e.physicalKey,
        key: keyBase + e.logicalKey,
      })),
      SMALL_OBJECT_BYTES,
      {
        linkNow: checked,
        ...(options.onHashProgress
          ? {
              onProgress: (bytes: number, files: number) => {
                progress.bytesDone += bytes;
                progress.filesDone += files;
                options.onHashProgress?.({ ...progress });
              },
            }
          : {}),
      },
    );
    // Hashes and sizes once every file is staged (a failed staging changes no entry). Entries keep their local keys:
    // the data step points them at the objects staging created only after those are on disk.
    results.forEach((result, i) => {
      if (!result) return;
      const entry = entries[i] as ManifestEntry;
      this.#manifest.set({
        ...entry,
        size: result.size,
        hash: makeHashValue({ type: CHUNKED_SHA256, value: result.value }),
      });
    });
    this.#published = undefined;
    return staged;
  }

  /** Sets the message (see prepareManifest) and applies the registry's workflow, which may refuse the push. */
  private async checkWorkflow(
    target: PackageRegistry,
    name: string,
    options: PushManifestOptions,
  ): Promise<void> {
    if (options.message !== undefined || !this.#manifest.header.has('message')) {
      this.#manifest.header.set('message', options.message ?? null);
    }
    const message = this.#manifest.header.get('message');
    await applyWorkflow(target, {
      workflow: options.workflow,
      name,
      manifest: this.#manifest,
      message: typeof message === 'string' ? message : null,
    });
    this.#published = undefined;
  }

  /**
   * What quilt3's push does before copying anything: set the message, apply the workflow, check `latest` for a
   * conflict, and with `dedupe` return the registry's version when it already has this top hash. `workflowChecked`:
   * the push applied the workflow already (before staging), so it is not loaded and applied a second time.
   */
  private async prepareManifest(
    target: PackageRegistry,
    name: string,
    options: PushManifestOptions,
    workflowChecked = false,
  ): Promise<Package | undefined> {
    if (!workflowChecked) await this.checkWorkflow(target, name, options);
    if (options.force && !options.dedupe) return undefined;
    const latest = await target.readPointer(name, 'latest');
    if (!options.force) this.assertNoConflict(target, name, latest);
    if (options.dedupe && latest === computeTopHash(this.#manifest)) {
      this.addParent(name, latest);
      this.#published = { registry: target.url, name, topHash: latest };
      return new Package(await target.fetchManifest(latest), this.#context, { registry: target.url, name });
    }
    return undefined;
  }

  private assertNoConflict(target: PackageRegistry, name: string, latest: string | undefined): void {
    if (latest === undefined) return;
    const expected = this.parentsOf(name);
    if (expected.includes(latest)) return;
    throw new PackageConflictError(
      `Package ${name} already exists at ${target.url} with hash ${latest}; expected ${expected.length === 0 ? 'no revision' : expected.join(' or ')}. To build on that revision, start from it (Package.browse(...).asBuilder(), or 'datapkg install'), or pass { force: true } (CLI: --force) to publish over it.`,
      latest,
      expected,
    );
  }

  /** Writes manifest and pointers (re-checking `latest` just before, unless `force`) and records the new parent. */
  private async publish(
    target: PackageRegistry,
    name: string,
    options: PushManifestOptions,
  ): Promise<Package> {
    if (!options.force) this.assertNoConflict(target, name, await target.readPointer(name, 'latest'));
    const topHash = await target.pushManifest(
      name,
      this.#manifest,
      options.tags ? { tags: options.tags } : {},
    );
    this.addParent(name, topHash);
    this.#published = { registry: target.url, name, topHash };
    // The Package takes the manifest itself (known to hash to topHash: neither copied nor hashed again); the builder
    // copies it before its next use, so later edits never reach the Package.
    const pkg = new Package(this.#manifest, this.#context, { registry: target.url, name }, topHash);
    this.#handedOver = true;
    return pkg;
  }

  /** The immutable Package, refused (with the reason and the override) while data or manifest are only local. */
  toPackage(options: ToPackageOptions = {}): Package {
    const unhashed = [...this.#manifest.entries()].find((e) => e.hash === null || e.size === null);
    if (unhashed) {
      throw new PackageNotBuiltError(
        `Cannot use this builder as a Package: entry ${JSON.stringify(unhashed.logicalKey)} has no hash yet. Call build() first.`,
      );
    }
    if (!options.allowLocalFiles) this.assertNoLocalFiles('use this builder as a Package');
    const topHash = computeTopHash(this.#manifest);
    if (!options.allowLocalManifest && this.#published?.topHash !== topHash) {
      throw new UnpushedManifestError(
        `Cannot use this builder as a Package: its manifest (top hash ${topHash.slice(0, 12)}…) has not been pushed to a registry, so nobody else can install it. Call pushManifest(registry, name) first, or pass { allowLocalManifest: true }.`,
      );
    }
    const origin =
      this.#published?.topHash === topHash
        ? { registry: this.#published.registry, name: this.#published.name }
        : undefined;
    return Package.fromManifest(this.#manifest, this.#context, origin);
  }

  /**
   * @internal Marks the local-file and URL physical keys of `manifest` (by default this builder's) as someone else's,
   * except objects inside `registry`'s own folder: a push then reads them only with allowLocal/allowUrl.
   */
  distrustSources(manifest: Manifest = this.#manifest, registry?: string): this {
    const folder = registry?.startsWith('file://')
      ? `${fileURLToPath(registry).replace(/\/+$/, '')}${sep}`
      : undefined;
    for (const entry of manifest.entries()) {
      const kind = readableSourceKind(entry.physicalKey);
      if (kind === undefined) continue;
      if (kind === 'local' && folder && parsePhysicalKey(entry.physicalKey).path.startsWith(folder)) continue;
      this.#foreignSources.add(entry.physicalKey);
    }
    return this;
  }

  private rememberRegistry(url: string): void {
    if (url.startsWith('file://'))
      this.#registryFolders.add(`${fileURLToPath(url).replace(/\/+$/, '')}${sep}`);
  }

  /** A local file that is not inside a registry this builder knows. */
  private isDetachedLocalFile(entry: ManifestEntry): boolean {
    if (!isLocalPhysicalKey(entry.physicalKey)) return false;
    const path = parsePhysicalKey(entry.physicalKey).path;
    for (const folder of this.#registryFolders) if (path.startsWith(folder)) return false;
    return true;
  }

  private assertNoLocalFiles(what: string): void {
    const local = [...this.#manifest.entries()].filter((e) => this.isDetachedLocalFile(e));
    const first = local[0];
    if (!first) return;
    throw new LocalFilesNotAllowedError(
      `Cannot ${what}: ${local.length} ${local.length === 1 ? 'entry points' : 'entries point'} at local files that only this machine has (first: ${JSON.stringify(first.logicalKey)} -> ${first.physicalKey}). Push the data first (pushData or push), or pass { allowLocalFiles: true }.`,
    );
  }
}
