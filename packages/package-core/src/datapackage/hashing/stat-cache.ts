/**
 * A persistent stat cache: (absolute path, size, mtime in ns, inode) -> object hashes. Re-hashing an unchanged tree
 * then reads no file data. The file is rewritten atomically (temp + rename); concurrent processes may lose each
 * other's additions, which only costs a re-hash.
 */
import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What identifies a file version: size, mtime in ns and inode, as decimal strings (exact for 64-bit values). */
export interface FileIdentity {
  size: string;
  mtimeNs: string;
  ino: string;
}

export function identityOf(stat: BigIntStats): FileIdentity {
  return { size: stat.size.toString(), mtimeNs: stat.mtimeNs.toString(), ino: stat.ino.toString() };
}

interface CachedStat extends FileIdentity {
  hashes: Record<string, string>;
}

export class StatCache {
  private readonly entries = new Map<string, CachedStat>();
  private dirty = false;

  private constructor(readonly file: string | undefined) {}

  /** An in-memory cache (nothing persisted). */
  static inMemory(): StatCache {
    return new StatCache(undefined);
  }

  /** Loads the cache file (a missing or unreadable file starts an empty cache). */
  static async open(file: string): Promise<StatCache> {
    const cache = new StatCache(file);
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as {
        version: number;
        entries: Record<string, CachedStat>;
      };
      if (data.version === 1)
        for (const [path, entry] of Object.entries(data.entries)) cache.entries.set(path, entry);
    } catch {
      // No cache yet, or a cache from an incompatible version: start empty.
    }
    return cache;
  }

  lookup(path: string, stat: FileIdentity, hashType: string): string | undefined {
    const entry = this.entries.get(path);
    if (!entry || !sameFile(entry, stat)) return undefined;
    return entry.hashes[hashType];
  }

  record(path: string, stat: FileIdentity, hashType: string, value: string): void {
    let entry = this.entries.get(path);
    if (!entry || !sameFile(entry, stat)) {
      entry = {
        size: stat.size.toString(),
        mtimeNs: stat.mtimeNs.toString(),
        ino: stat.ino.toString(),
        hashes: {},
      };
      this.entries.set(path, entry);
    }
    if (entry.hashes[hashType] !== value) {
      entry.hashes[hashType] = value;
      this.dirty = true;
    }
  }

  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, JSON.stringify({ version: 1, entries: Object.fromEntries(this.entries) }));
    await rename(temp, this.file);
    this.dirty = false;
  }
}

function sameFile(entry: CachedStat, stat: FileIdentity): boolean {
  return entry.size === stat.size && entry.mtimeNs === stat.mtimeNs && entry.ino === stat.ino;
}
