/**
 * A blob store on a local directory. Writes go to a temp file in the target folder and are renamed into place, so a
 * reader (or a crash) never sees a partial object; temp names start with '.blob-' and end with '.tmp' and `list`
 * skips them.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { assertValidBlobKey } from './blob-key.js';
import { type BlobInfo, BlobNotFoundError, type BlobStore, type PutOptions } from './blob-store.js';
import { replaceFile, tempPathFor } from './replace-file.js';

const TEMP_PATTERN = /^\.blob-.*\.tmp$/;

export class FsBlobStore implements BlobStore {
  readonly root: string;
  readonly url: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.url = pathToFileURL(this.root).href.replace(/\/$/, '');
  }

  /** The absolute path of a key (validated, so it cannot leave the root). */
  pathOf(key: string): string {
    assertValidBlobKey(key);
    return join(this.root, ...key.split('/'));
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    await this.assertExists(key, path);
    return createReadStream(path);
  }

  async getBytes(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      throw this.notFound(error, key);
    }
  }

  async put(key: string, body: Readable | Uint8Array | string, _options?: PutOptions): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    await replaceFile(
      path,
      async (temp) => {
        if (typeof body === 'string' || body instanceof Uint8Array) await writeFile(temp, body);
        else await pipeline(body, createWriteStream(temp));
      },
      tempPathFor(path, '.blob-'),
    );
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { key, size: info.size, lastModified: info.mtime } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    // Walk only the deepest directory the prefix names, then filter by the full prefix.
    const slash = prefix.lastIndexOf('/');
    const base = slash >= 0 ? prefix.slice(0, slash) : '';
    const start = base === '' ? this.root : join(this.root, ...base.split('/'));
    yield* this.walk(start, base, prefix);
  }

  private async *walk(directory: string, keyPrefix: string, filter: string): AsyncIterable<BlobInfo> {
    let names: import('node:fs').Dirent[];
    try {
      names = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const dirent of names) {
      const key = keyPrefix === '' ? dirent.name : `${keyPrefix}/${dirent.name}`;
      if (dirent.isDirectory()) {
        if (filter.startsWith(`${key}/`) || key.startsWith(filter) || `${key}/`.startsWith(filter)) {
          yield* this.walk(join(directory, dirent.name), key, filter);
        }
      } else if (dirent.isFile() && !TEMP_PATTERN.test(dirent.name) && key.startsWith(filter)) {
        const info = await stat(join(directory, dirent.name)).catch(() => undefined);
        if (info) yield { key, size: info.size, lastModified: info.mtime };
      }
    }
  }

  private async assertExists(key: string, path: string): Promise<void> {
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new BlobNotFoundError(this.url, key);
    } catch (error) {
      throw this.notFound(error, key);
    }
  }

  private notFound(error: unknown, key: string): unknown {
    return isMissing(error) || (error as NodeJS.ErrnoException).code === 'EISDIR'
      ? new BlobNotFoundError(this.url, key)
      : error;
  }
}

/** No such path: it (ENOENT) or a parent (ENOTDIR: a file where a folder should be) does not exist. */
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
