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

export class PackageEntry {
  readonly #entry: ManifestEntry;
  readonly #context: PackageContext;

  /** @internal built by Package */
  constructor(entry: ManifestEntry, context: PackageContext) {
    this.#entry = cloneEntry(entry);
    this.#context = context;
  }

  get logicalKey(): string {
    return this.#entry.logicalKey;
  }

  /** The last path segment. */
  get name(): string {
    return this.#entry.logicalKey.split('/').at(-1) as string;
  }

  get size(): number {
    return this.#entry.size ?? 0;
  }

  get hash(): ObjectHash | undefined {
    return readObjectHash(this.#entry.hash);
  }

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

  isFile(): this is PackageEntry {
    return true;
  }

  isDirectory(): boolean {
    return false;
  }

  /** Local path of the verified cached copy (downloaded on first use). */
  async cache(): Promise<string> {
    return new ObjectCache(join(this.#context.cacheDir)).fetch(this.#entry, this.#context.source);
  }

  async bytes(): Promise<Buffer> {
    return readFile(await this.cache());
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

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

export class PackageDirectory {
  constructor(
    readonly logicalKey: string,
    private readonly userMeta: JsonValue | undefined,
  ) {}

  get name(): string {
    return this.logicalKey.split('/').at(-1) ?? '';
  }

  get meta(): unknown {
    return this.userMeta === undefined ? undefined : toPlainJson(this.userMeta);
  }

  isFile(): false {
    return false;
  }

  isDirectory(): boolean {
    return true;
  }
}
