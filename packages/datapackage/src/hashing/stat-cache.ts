/**
 * A persistent stat cache: (absolute path, size, mtime in ns, inode) -> object hashes. Re-hashing an unchanged tree
 * then reads no file data. The file is rewritten atomically (temp + rename); concurrent processes may lose each
 * other's additions, which only costs a re-hash.
 */
import type { Stats } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tempPathFor } from '@mlclients/package-core/storage';

/**
 * What identifies a file version: size, mtime and inode as numbers, from a plain (non-bigint) stat everywhere, so
 * every code path computes the same values. Numbers rather than bigint strings because comparing them is the whole
 * cost of re-hashing an unchanged tree: mtimeMs keeps sub-microsecond resolution for today's dates.
 */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
}

export function identityOf(stat: Stats): FileIdentity {
  return { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino };
}

/** Version of the cache file; a cache written by another version is ignored (it only costs one re-hash). */
const CACHE_FORMAT = 3;

/**
 * One file's entry: `[size, mtimeMs, ino, hashes by type]`. Arrays in a plain object rather than objects in a Map:
 * saving 10,000 entries took ~45 ms to serialise (Object.fromEntries of the Map, then JSON.stringify) and now takes
 * ~15 ms, with a file a sixth smaller; a push or install saves it on its critical path.
 */
type CachedStat = [size: number, mtimeMs: number, ino: number, hashes: Record<string, string>];

/** Remembers the hash of each file by (path, size, mtime, inode), so unchanged files are not read again. */
export class StatCache {
  /** By absolute path; no prototype, so no path can name an inherited property. */
  private entries: Record<string, CachedStat> = Object.create(null);
  private dirty = false;
  /** Bumped by every change: a save only marks the cache clean if nothing changed while it was written. */
  private changes = 0;
  /** The save running, and the change count it is writing. */
  private saving: { promise: Promise<void>; changes: number } | undefined;

  private constructor(readonly file: string | undefined) {}

  /** An in-memory cache (nothing persisted). */
  static inMemory(): StatCache {
    return new StatCache(undefined);
  }

  /**
   * Loads the cache file (a missing or unreadable file, or one of another version, starts an empty cache; a malformed
   * entry is treated as unknown).
   */
  static async open(file: string): Promise<StatCache> {
    const cache = new StatCache(file);
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown; entries?: unknown };
      if (data.version === CACHE_FORMAT && typeof data.entries === 'object' && !Array.isArray(data.entries))
        cache.entries = Object.setPrototypeOf(data.entries, null) as Record<string, CachedStat>;
    } catch {
      // No cache yet, or a cache from an incompatible version: start empty.
    }
    return cache;
  }

  /** Whether anything is known about `path` (whatever its identity now). */
  has(path: string): boolean {
    return this.entries[path] !== undefined;
  }

  /** The cached hash of `path` if its identity did not change. */
  lookup(path: string, stat: FileIdentity, hashType: string): string | undefined {
    return this.lookupBy(path, stat.size, stat.mtimeMs, stat.ino, hashType);
  }

  /** {@link lookup} without an identity object (the re-hash hot loop). */
  lookupBy(path: string, size: number, mtimeMs: number, ino: number, hashType: string): string | undefined {
    const entry = this.entries[path];
    if (!entry || !isSameFile(entry, size, mtimeMs, ino)) return undefined;
    const value = entry[3][hashType];
    return typeof value === 'string' ? value : undefined;
  }

  /** Remember the hash of `path` with its current identity. */
  record(path: string, stat: FileIdentity, hashType: string, value: string): void {
    const entry = this.entries[path];
    if (!entry || !isSameFile(entry, stat.size, stat.mtimeMs, stat.ino)) {
      // A literal, not Object.create(null) (V8 makes those slow dictionaries; a push records 10,000): hash types are a
      // few fixed names, and a cache read from disk holds such objects already (lookupBy only takes strings).
      this.entries[path] = [stat.size, stat.mtimeMs, stat.ino, { [hashType]: value }];
      this.dirty = true;
      // Stryker disable next-line UpdateOperator: any change of the count will do, saves only compare it for equality
      this.changes++;
    } else if (entry[3][hashType] !== value) {
      entry[3][hashType] = value;
      this.dirty = true;
      // Stryker disable next-line UpdateOperator: any change of the count will do, saves only compare it for equality
      this.changes++;
    }
  }

  /**
   * Write the cache file, if anything changed: a temp file renamed over it, so readers see the old cache or the new
   * one. Not fsynced: after a power loss the file may be empty or old, which `open` treats as no cache (it costs one
   * re-hash), so the fsyncs a durable write needs would buy nothing.
   */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    // A save asked for while one is writing these very changes joins it (a push asks twice: serialising 10,000
    // entries again would take the thread for nothing); after more changes, it waits for it and writes again.
    const running = this.saving;
    if (running?.changes === this.changes) return running.promise;
    const changes = this.changes;
    const promise = (running?.promise.catch(() => undefined) ?? Promise.resolve()).then(() =>
      this.write(this.file as string, changes),
    );
    this.saving = { promise, changes };
    try {
      await promise;
    } finally {
      if (this.saving?.promise === promise) this.saving = undefined;
    }
  }

  private async write(file: string, changes: number): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    const temp = tempPathFor(file);
    try {
      await writeFile(temp, JSON.stringify({ version: CACHE_FORMAT, entries: this.entries }));
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    if (this.changes === changes) this.dirty = false;
  }
}

/** Whether a (possibly hand-edited, so checked) entry describes the file with this identity. */
function isSameFile(entry: CachedStat, size: number, mtimeMs: number, ino: number): boolean {
  return (
    Array.isArray(entry) &&
    entry[0] === size &&
    entry[1] === mtimeMs &&
    entry[2] === ino &&
    typeof entry[3] === 'object' &&
    entry[3] !== null
  );
}
