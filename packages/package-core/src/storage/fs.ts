/**
 * A blob store on a local directory. Writes go to a temp file in the target folder and are renamed into place, so a
 * reader (or a crash) never sees a partial object, and are fsynced (file, then folder) before the put returns; temp names start with '.blob-' and end with '.tmp' and `list`
 * skips them. A create-only put (`ifNoneMatch: '*'`) hard-links the temp file instead, which fails if the key exists.
 * Symbolic links inside the root are never followed (`SymlinkRefusedError` naming the link): a link planted in a
 * registry cannot redirect its reads or writes.
 */
import { createWriteStream } from 'node:fs';
import { link, lstat, mkdir, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { assertValidBlobKey } from './blob-key.js';
import {
  BlobExistsError,
  type BlobInfo,
  BlobNotFoundError,
  type BlobStore,
  type PutOptions,
  type WriteGuarantees,
} from './blob-store.js';
import { assertNoSymlinks, openNoFollow } from './no-follow.js';
import { replaceFile, syncDirectory, tempPathFor } from './replace-file.js';

const TEMP_PATTERN = /^\.blob-.*\.tmp$/;

/** A blob store on a local directory: atomic, fsynced writes; symbolic links inside the root are never followed. */
export class FsBlobStore implements BlobStore {
  readonly root: string;
  readonly url: string;

  /**
   * Creates a `FsBlobStore`.
   *
   * @param root The directory (made on the first put when missing); relative paths resolve against the cwd.
   */
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
    const handle = await this.openFile(key);
    return handle.createReadStream();
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const handle = await this.openFile(key);
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async put(key: string, body: Readable | Uint8Array | string, options?: PutOptions): Promise<void> {
    const path = this.pathOf(key);
    await assertNoSymlinks(this.root, path, { parentsOnly: true });
    await mkdir(dirname(path), { recursive: true });
    const write = async (temp: string) => {
      // flush: the data is on disk before the name appears (replaceFile fsyncs again; the create-only path does not).
      if (typeof body === 'string' || body instanceof Uint8Array)
        await writeFile(temp, body, { flush: true });
      else await pipeline(body, createWriteStream(temp, { flush: true }));
    };
    const temp = tempPathFor(path, '.blob-');
    if (options?.ifNoneMatch !== '*') {
      await replaceFile(path, write, temp);
      return;
    }
    try {
      await write(temp);
      // link(2) never replaces an existing name: of two concurrent creators exactly one wins.
      await link(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new BlobExistsError(this.url, key);
      throw error;
    } finally {
      await rm(temp, { force: true });
    }
    await syncDirectory(dirname(path)); // the link is durable before anything (a pointer) names the object
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    const path = this.pathOf(key);
    await assertNoSymlinks(this.root, path);
    try {
      const info = await lstat(path);
      return info.isFile() ? { key, size: info.size, lastModified: info.mtime } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Whether an object exists at the key. */
  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  /** Create-only puts are link(2), which never replaces an existing name. */
  async writeGuarantees(): Promise<WriteGuarantees> {
    return { atomicCreateOnly: true, versioned: false };
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await assertNoSymlinks(this.root, path, { parentsOnly: true });
    try {
      await unlink(path);
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

  /** Opens a key's file for reading: no link on the way or at the end, and a regular file. */
  private async openFile(key: string) {
    const path = this.pathOf(key);
    await assertNoSymlinks(this.root, path, { parentsOnly: true });
    let handle: Awaited<ReturnType<typeof openNoFollow>>;
    try {
      handle = await openNoFollow(path);
    } catch (error) {
      throw this.notFound(error, key);
    }
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new BlobNotFoundError(this.url, key);
    }
    return handle;
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
