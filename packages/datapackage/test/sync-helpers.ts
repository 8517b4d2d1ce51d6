/** Package versions for the folder-sync tests: a manifest of given files, its objects in a memory store. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MemoryBlobStore } from '@mlclients/package-core/storage';
import { afterAll, beforeAll } from 'vitest';
import {
  compareDirectory,
  ObjectStager,
  type SyncOptions,
  type SyncResult,
  syncDirectory,
} from '../src/directory-sync.js';
import { FileHasher } from '../src/hashing/file-hasher.js';
import { hashBytes } from '../src/hashing/object-hash.js';
import { withInstallLock } from '../src/install-lock.js';
import {
  Manifest,
  type ManifestEntry,
  makeHashValue,
  type ObjectHash,
  readObjectHash,
} from '../src/manifest.js';
import { ObjectSource } from '../src/object-source.js';
import { tempDir } from './helpers.js';

let stores = 0;

/** What `stager.settle()` rejects with, or undefined when it resolves. */
export function settled(stager: ObjectStager): Promise<unknown> {
  return stager.settle().then(
    () => undefined,
    (error: unknown) => error,
  );
}

/**
 * Stages `entries` at `targets` on `hasher` (objects in local files are copied; others read from `source`, by default
 * none) and returns the error settle rejects with, or undefined.
 */
export function stagingError(
  hasher: FileHasher,
  entries: ManifestEntry[],
  targets: string[],
  source = new ObjectSource(),
): Promise<unknown> {
  const stager = new ObjectStager(source, hasher, 2, () => undefined);
  stager.add(entries, hashesOf(entries), targets);
  return settled(stager);
}

/** A package version: its manifest, and a source holding its objects in a memory store. */
export interface Version {
  manifest: Manifest;
  source: ObjectSource;
  store: MemoryBlobStore;
}

/** The manifest of `files` with every object in one memory store (optionally a hash type per key). */
export async function version(
  files: Record<string, string>,
  types: Record<string, string> = {},
): Promise<Version> {
  const url = `memory://sync-${process.pid}-${stores++}`;
  const store = new MemoryBlobStore(url);
  const source = new ObjectSource();
  source.register(url, store);
  const manifest = new Manifest();
  for (const [key, text] of Object.entries(files)) {
    await store.put(`objects/${key}`, text);
    const type = types[key] ?? 'sha2-256-chunked';
    manifest.set({
      logicalKey: key,
      physicalKey: `${url}/objects/${key}`,
      size: Buffer.byteLength(text),
      hash: makeHashValue({ type, value: await hashBytes(Buffer.from(text), type) }),
      meta: new Map(),
    });
  }
  return { manifest, source, store };
}

/** The first version most tests install: files at the top and two folders deep. */
export const v1: Record<string, string> = {
  'a.txt': 'alpha',
  'data/b.csv': 'b,1\n',
  'data/deep/c.bin': 'c'.repeat(100),
  'z.txt': 'zed',
};

export const bytesOf = (files: Record<string, string>): number =>
  Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0);

/** syncDirectory as Package.install runs it: holding the folder's install lock, which makes the folder. */
export function installLocked(
  v: Version,
  dir: string,
  hasher: FileHasher,
  options: SyncOptions = {},
): Promise<SyncResult> {
  return withInstallLock(dir, () => syncDirectory(v.manifest, dir, v.source, hasher, options));
}

/**
 * The setup every folder-sync test file shares: a temp folder (with its own install-state folder), one hasher, and
 * `install`/`verify` of a version into a folder. Call at the top level of a test file.
 */
export function useSyncWorkspace(prefix: string) {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let hasher: FileHasher;
  let n = 0;
  beforeAll(async () => {
    work = await tempDir(prefix);
    process.env.MLC_DATAPKG_STATE_DIR = join(work.path, 'state');
    hasher = new FileHasher({ workers: 1 });
  });
  afterAll(async () => {
    await hasher.close();
    await work.cleanup();
  });
  return {
    /** A new path in the temp folder (not created). */
    fresh: (name: string) => join(work.path, `${name}-${n++}`),
    /** installLocked on the workspace's hasher. */
    install: (v: Version, dir: string, options: SyncOptions = {}): Promise<SyncResult> =>
      installLocked(v, dir, hasher, options),
    verify: (v: Version, dir: string, options: Parameters<typeof compareDirectory>[3] = {}) =>
      compareDirectory(v.manifest, dir, hasher, options),
  };
}

/**
 * The entry of an object kept in a local file at `path` (copied on the hashing workers when installed), whose manifest
 * says it holds `text`; the caller writes the file (the same bytes, others, or none).
 */
export async function localObjectEntry(
  logicalKey: string,
  path: string,
  text: string,
): Promise<ManifestEntry> {
  return {
    logicalKey,
    physicalKey: pathToFileURL(path).href,
    size: Buffer.byteLength(text),
    hash: makeHashValue({ type: 'sha2-256-chunked', value: await hashBytes(Buffer.from(text)) }),
    meta: new Map(),
  };
}

/** The hash the manifest gives each entry. */
export const hashesOf = (entries: readonly ManifestEntry[]): ObjectHash[] =>
  entries.map((e) => readObjectHash(e.hash) as ObjectHash);
