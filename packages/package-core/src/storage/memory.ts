/** An in-memory blob store: tests and ephemeral registries. `MemoryBlobStore.named(n)` is what `memory://n` opens. */
import { Readable } from 'node:stream';
import { assertValidBlobKey } from './blob-key.js';
import {
  BlobExistsError,
  type BlobInfo,
  BlobNotFoundError,
  type BlobStore,
  type PutOptions,
  type WriteGuarantees,
} from './blob-store.js';

const namedStores = new Map<string, MemoryBlobStore>();

/** An in-memory blob store, for tests and ephemeral registries. */
export class MemoryBlobStore implements BlobStore {
  private readonly objects = new Map<string, { data: Buffer; lastModified: Date }>();

  /**
   * Creates a `MemoryBlobStore`.
   *
   * @param url How the store names itself in messages.
   */
  constructor(readonly url = 'memory://anonymous') {}

  /** The process-wide store behind `memory://<name>` URLs. */
  static named(name: string): MemoryBlobStore {
    let store = namedStores.get(name);
    if (!store) {
      store = new MemoryBlobStore(`memory://${name}`);
      namedStores.set(name, store);
    }
    return store;
  }

  async get(key: string): Promise<Readable> {
    return Readable.from([await this.getBytes(key)]);
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const object = this.objects.get(key);
    if (!object) throw new BlobNotFoundError(this.url, key);
    return Buffer.from(object.data);
  }

  async put(key: string, body: Readable | Uint8Array | string, options?: PutOptions): Promise<void> {
    assertValidBlobKey(key);
    const data = await bodyToBuffer(body);
    if (options?.ifNoneMatch === '*' && this.objects.has(key)) throw new BlobExistsError(this.url, key);
    this.objects.set(key, { data, lastModified: new Date() });
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    const object = this.objects.get(key);
    return object ? { key, size: object.data.length, lastModified: object.lastModified } : undefined;
  }

  /** Whether an object exists at the key. */
  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  /** The check and the write of a create-only put run without an await between them. */
  async writeGuarantees(): Promise<WriteGuarantees> {
    return { atomicCreateOnly: true, versioned: false };
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    for (const [key, object] of [...this.objects]) {
      if (key.startsWith(prefix)) yield { key, size: object.data.length, lastModified: object.lastModified };
    }
  }
}

/** The whole body as one buffer: a memory store holds every object in memory anyway. */
async function bodyToBuffer(body: NodeJS.ReadableStream | Uint8Array | string): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
