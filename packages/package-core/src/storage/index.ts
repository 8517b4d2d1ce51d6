export { assertValidBlobKey, InvalidBlobKeyError } from './blob-key.js';
export type { BlobInfo, BlobStore, GetOptions, PutOptions, PutResult } from './blob-store.js';
export { BlobNotFoundError } from './blob-store.js';
export { FsBlobStore } from './fs.js';
export { MemoryBlobStore } from './memory.js';
export { openBlobStore, UnsupportedStoreUrlError } from './open-blob-store.js';
// s3.ts imports the AWS SDK only lazily (types are erased), so exporting it costs users without S3 nothing.
export { S3BlobStore, S3BlobStoreError, type S3BlobStoreOptions, S3DependencyError } from './s3.js';
export { ReadOnlyBlobStoreError, UrlBlobStore } from './url.js';
