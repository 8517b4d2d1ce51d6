export { assertValidBlobKey, InvalidBlobKeyError } from './blob-key.js';
export type { BlobInfo, BlobStore, GetOptions, PutOptions, PutResult } from './blob-store.js';
export { BlobNotFoundError } from './blob-store.js';
export { FsBlobStore } from './fs.js';
export { MemoryBlobStore } from './memory.js';
export { openBlobStore, UnsupportedStoreUrlError } from './open-blob-store.js';
export { ReadOnlyBlobStoreError, UrlBlobStore } from './url.js';
