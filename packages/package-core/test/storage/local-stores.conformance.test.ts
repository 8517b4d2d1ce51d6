/** The BlobStore conformance suite on the stores that need no server: memory and a local directory. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from '../../src/storage/fs.js';
import { MemoryBlobStore } from '../../src/storage/memory.js';
import { describeBlobStore } from './conformance.js';

describeBlobStore('MemoryBlobStore', () => new MemoryBlobStore());

describeBlobStore(
  'FsBlobStore',
  async () => new FsBlobStore(await mkdtemp(join(tmpdir(), 'blob-conformance-'))),
  {
    cleanup: (store) => rm((store as FsBlobStore).root, { recursive: true, force: true }),
  },
);
