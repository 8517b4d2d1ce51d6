/**
 * `@mlclients/package-core/storage`: blob stores (memory, filesystem, S3, read-only URL) behind one interface, and the
 * atomic local-file writes they rest on. Node only. The AWS SDK is an optional peer dependency, loaded on first use
 * of an s3:// store; the declarations never name its types (`S3ClientLike`), so nothing here needs it installed.
 */
export { assertValidBlobKey, InvalidBlobKeyError, keyProblem as blobKeyProblem } from './blob-key.js';
export type {
  BlobInfo,
  BlobStore,
  GetOptions,
  PutOptions,
  PutResult,
  WriteGuarantees,
} from './blob-store.js';
export { BlobExistsError, BlobNotFoundError } from './blob-store.js';
export { FsBlobStore } from './fs.js';
export { MemoryBlobStore } from './memory.js';
export { assertNoSymlinks, assertNoSymlinksSync, openNoFollow, SymlinkRefusedError } from './no-follow.js';
export { openBlobStore, UnsupportedStoreUrlError } from './open-blob-store.js';
export { relativeInside } from './path-inside.js';
export { redactUrl } from './redact-url.js';
export { fsyncPath, replaceFile, syncDirectory, tempPathFor, writeFileAtomic } from './replace-file.js';
export {
  S3BlobStore,
  S3BlobStoreError,
  type S3BlobStoreOptions,
  type S3ClientLike,
  S3DependencyError,
} from './s3.js';
export { ReadOnlyBlobStoreError, UrlBlobStore } from './url.js';
