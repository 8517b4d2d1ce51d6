/**
 * `@mlclients/datapackage`: quilt3-compatible data packages. The exports are the ones package-core's root had before
 * the move (the JSON helpers included: they now live in `@mlclients/package-core/json` and are re-exported here).
 */
export {
  canonicalJson,
  dumpManifestJson,
  type JsonObject,
  type JsonValue,
  PyNumber,
  parseJson as parseLosslessJson,
  pythonFloatRepr,
} from '@mlclients/package-core/json';
export type { DataPackageSettings } from './context.js';
export { defaultCacheDir, defaultLocalRegistryPath } from './default-locations.js';
export type { DirectoryComparison, SyncResult, TransferProgress } from './directory-sync.js';
export {
  AmbiguousTopHashError,
  InstallFolderBusyError,
  InstallRollBackError,
  InvalidLogicalKeyError,
  InvalidPackageNameError,
  LocalFilesNotAllowedError,
  ManifestFormatError,
  ObjectHashMismatchError,
  PackageConflictError,
  PackageError,
  PackageKeyConflictError,
  PackageKeyNotFoundError,
  PackageNotBuiltError,
  PackageNotFoundError,
  PackageUsageError,
  TopHashMismatchError,
  UnpushedManifestError,
  UnsupportedHashTypeError,
  WorkflowConfigError,
  WorkflowValidationError,
} from './errors.js';
export { chunkSizeFor } from './hashing/chunk-size.js';
export {
  FileHasher,
  type FileHasherOptions,
  type FileHashResult,
  type HashProgress,
} from './hashing/file-hasher.js';
export {
  CHUNKED_SHA256,
  CRC64NVME,
  createObjectHasher,
  hashBytes,
  LEGACY_SHA256,
  type ObjectHasher,
  s3ChecksumToChunkedSha256,
} from './hashing/object-hash.js';
export { type FileIdentity, StatCache } from './hashing/stat-cache.js';
export { compareTreeOrder, validateLogicalKey } from './logical-key.js';
export { Manifest, type ManifestEntry, type ObjectHash } from './manifest.js';
export { type ReadManifestOptions, readManifest, writeManifest } from './manifest-format.js';
export {
  type BrowseOptions,
  type InstallOptions,
  Package,
  type PackageItem,
  type PackageOrigin,
  type RegistryOptions,
  type WalkOptions,
} from './package.js';
export {
  type BuildOptions,
  type EntrySelector,
  type EntrySource,
  type MoveOptions,
  PackageBuilder,
  type PushDataOptions,
  type PushManifestOptions,
  type PushOptions,
  type ToPackageOptions,
} from './package-builder.js';
export type { PackageDiff } from './package-diff.js';
export { PackageDirectory, PackageEntry } from './package-entry.js';
export { type PackageSpec, parsePackageSpec, validatePackageName } from './package-name.js';
export type { DeletedVersion } from './package-versions.js';
export type { PushDataResult } from './push-data.js';
export { findQuilt3Install, type Quilt3Install } from './quilt3-install.js';
export { QUILTIGNORE, QuiltIgnore } from './quiltignore.js';
export { PackageRegistry, type PackageVersion, type ResolveOptions } from './registry.js';
export { computeTopHash, shortenTopHash } from './top-hash.js';
export {
  applyWorkflow,
  WORKFLOW_CONFIG_KEY,
  type WorkflowChoice,
  WorkflowConfig,
  type WorkflowConfigData,
  type WorkflowDefinition,
} from './workflows.js';
