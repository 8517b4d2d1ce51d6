/**
 * Read-only views of a package's tree: `PackageEntry` (a file: metadata, and bytes fetched on demand through the
 * verified object cache) and `PackageDirectory` (a folder, with directory metadata). Both answer `isFile()`.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { JsonValue } from '@mlclients/package-core/json';
import { toPlainJson } from '@mlclients/package-core/json';
import type { PackageContext } from './context.js';
import { cloneEntry, type ManifestEntry, type ObjectHash, readObjectHash } from './manifest.js';
import { ObjectCache } from './object-cache.js';

/** A file of a package: its logical key, size, hash, physical key, metadata, and its bytes on demand (verified). */
export class PackageEntry {
  readonly #entry: ManifestEntry;
  readonly #context: PackageContext;

  /** @internal built by Package */
  constructor(entry: ManifestEntry, context: PackageContext) {
    this.#entry = cloneEntry(entry);
    this.#context = context;
  }

  /** The path inside the package (`data/a.csv`). */
  get logicalKey(): string {
    return this.#entry.logicalKey;
  }

  /** The last path segment. */
  get name(): string {
    return this.#entry.logicalKey.split('/').at(-1) as string;
  }

  /** Size in bytes. */
  get size(): number {
    return this.#entry.size ?? 0;
  }

  /** The content hash (`{ type, value }`), when the manifest has one. */
  get hash(): ObjectHash | undefined {
    return readObjectHash(this.#entry.hash);
  }

  /** Where the bytes live (a `file://` or `s3://` URL). */
  get physicalKey(): string {
    return this.#entry.physicalKey;
  }

  /** User metadata (`meta.user_meta`), as plain JSON (undefined when none was set). */
  get meta(): unknown {
    const userMeta = this.#entry.meta.get('user_meta');
    return userMeta === undefined ? undefined : toPlainJson(userMeta);
  }

  /** The full entry meta object (user metadata lives under `user_meta`). */
  get rawMeta(): Record<string, unknown> {
    return toPlainJson(this.#entry.meta) as Record<string, unknown>;
  }

  /** True: an entry is a file. */
  isFile(): this is PackageEntry {
    return true;
  }

  /** False: an entry is a file (see the class). */
  isDirectory(): boolean {
    return false;
  }

  /** Local path of the verified cached copy (downloaded on first use). */
  async cache(): Promise<string> {
    return new ObjectCache(join(this.#context.cacheDir)).fetch(this.#entry, this.#context.source);
  }

  /** The file's bytes, fetched through the object cache and checked against the hash. */
  async bytes(): Promise<Buffer> {
    return readFile(await this.cache());
  }

  /** The file as UTF-8 text (see `bytes`). */
  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  /** The file parsed as JSON (see `bytes`). */
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  /** A stream of the verified cached copy. */
  async stream(): Promise<Readable> {
    return createReadStream(await this.cache());
  }

  /** @internal */
  toManifestEntry(): ManifestEntry {
    return cloneEntry(this.#entry);
  }
}

/** A folder of a package, with its directory metadata. */
export class PackageDirectory {
  /** Creates a `PackageDirectory` (made by `Package`). */
  constructor(
    readonly logicalKey: string,
    private readonly userMeta: JsonValue | undefined,
  ) {}

  /** The last path segment. */
  get name(): string {
    return this.logicalKey.split('/').at(-1) ?? '';
  }

  /** The folder's user metadata, as plain JSON (undefined when none was set). */
  get meta(): unknown {
    return this.userMeta === undefined ? undefined : toPlainJson(this.userMeta);
  }

  /** False: a directory is not a file. */
  isFile(): false {
    return false;
  }

  /** True: this is a directory. */
  isDirectory(): boolean {
    return true;
  }
}
