/**
 * What packages share at run time: where caches live, how many hashing workers to use, and how physical keys are
 * opened. Every public entry point takes these as optional settings, with defaults from default-locations.ts.
 */

import { join } from 'node:path';
import { defaultCacheDir } from './default-locations.js';
import { FileHasher } from './hashing/file-hasher.js';
import { StatCache } from './hashing/stat-cache.js';
import { ObjectSource } from './object-source.js';
import { defaultStateDir } from './state-dir.js';

/** Settings shared by builders, packages and installs: where caches live, how many hashing workers. */
export interface DataPackageSettings {
  /** Object cache and stat cache folder. @default the user cache dir (or `MLC_DATAPKG_CACHE_DIR`) */
  cacheDir?: string;
  /**
   * Hashing worker threads, all used for every task. @default min(cores, 4), of which small files use one fewer than
   * the cores (the main thread needs one for their answers)
   */
  workers?: number;
  /** Keep the (path, size, mtime, inode) -> hash cache on disk. @default true */
  persistStatCache?: boolean;
  /** Where install records are kept. @default the user state dir (or `MLC_DATAPKG_STATE_DIR`) */
  stateDir?: string;
}

export interface PackageContext {
  cacheDir: string;
  workers: number | undefined;
  persistStatCache: boolean;
  stateDir: string;
  source: ObjectSource;
}

export function createContext(
  settings: DataPackageSettings = {},
  source = new ObjectSource(),
): PackageContext {
  return {
    cacheDir: settings.cacheDir ?? defaultCacheDir(),
    workers: settings.workers,
    persistStatCache: settings.persistStatCache ?? true,
    stateDir: settings.stateDir ?? defaultStateDir(),
    source,
  };
}

/** Runs `work` with a FileHasher bound to the context's stat cache, and always shuts the workers down. */
export async function withFileHasher<T>(
  context: PackageContext,
  work: (hasher: FileHasher) => Promise<T>,
): Promise<T> {
  const statCache = context.persistStatCache
    ? await StatCache.open(join(context.cacheDir, 'stat-cache.json'))
    : StatCache.inMemory();
  const hasher = new FileHasher({
    ...(context.workers === undefined ? {} : { workers: context.workers }),
    statCache,
  });
  try {
    const result = await work(hasher);
    await statCache.save();
    return result;
  } finally {
    await hasher.close();
  }
}
