/**
 * Opens the bytes behind a physical key: local files directly, everything else through the blob store of the
 * key's root (`s3://bucket`, `memory://name`, `https://host`), opened once and reused.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { BlobStore } from '@mlclients/package-core/storage';
import { openBlobStore } from '@mlclients/package-core/storage';
import { parsePhysicalKey } from './physical-key.js';

export class ObjectSource {
  private readonly stores = new Map<string, Promise<BlobStore>>();

  /** Stores already open (a registry's own store), keyed by root URL such as 's3://bucket' or 'memory://x'. */
  register(rootUrl: string, store: BlobStore): void {
    this.stores.set(rootUrl, Promise.resolve(store));
  }

  private store(root: string): Promise<BlobStore> {
    let store = this.stores.get(root);
    if (!store) {
      store = openBlobStore(root);
      this.stores.set(root, store);
    }
    return store;
  }

  /**
   * The whole object in memory: for small objects, where one read beats a stream's per-chunk work. With the size the
   * manifest expects, a local file is read with one read call into a buffer of that size (plus one byte, so a longer
   * file shows as longer and fails verification).
   */
  async readAll(physicalKey: string, expectedSize?: number): Promise<Uint8Array> {
    const parsed = parsePhysicalKey(physicalKey);
    if (parsed.scheme === 'file')
      return expectedSize === undefined ? readFile(parsed.path) : readLocal(parsed.path, expectedSize);
    const store = await this.store(`${parsed.scheme}://${parsed.authority}`);
    return store.getBytes(
      parsed.path,
      parsed.versionId === undefined ? undefined : { versionId: parsed.versionId },
    );
  }

  /** The local path behind a `file://` physical key (not a pinned version), else undefined. */
  localPath(physicalKey: string): string | undefined {
    const parsed = parsePhysicalKey(physicalKey);
    return parsed.scheme === 'file' && parsed.versionId === undefined ? parsed.path : undefined;
  }

  async open(physicalKey: string): Promise<Readable> {
    const parsed = parsePhysicalKey(physicalKey);
    if (parsed.scheme === 'file') {
      await stat(parsed.path); // fail early with ENOENT naming the path
      return createReadStream(parsed.path);
    }
    const store = await this.store(`${parsed.scheme}://${parsed.authority}`);
    return store.get(
      parsed.path,
      parsed.versionId === undefined ? undefined : { versionId: parsed.versionId },
    );
  }
}

/** Up to `expectedSize + 1` bytes of a local file, in one read when the file has the expected size. */
async function readLocal(path: string, expectedSize: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(expectedSize + 1);
    let filled = 0;
    // A regular file reads short only at its end, so the usual case is a single read.
    while (filled < buffer.length) {
      const wanted = buffer.length - filled;
      const { bytesRead } = await handle.read(buffer, filled, wanted, filled);
      filled += bytesRead;
      if (bytesRead < wanted) break;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
