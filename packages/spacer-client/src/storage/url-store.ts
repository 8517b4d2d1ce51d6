/**
 * spacer's url storage as a package-core `BlobStore`: read-only, the key is the whole URL (query strings of
 * pre-signed URLs included, which package-core's base-URL store cannot address), a 20 s timeout, and spacer's error
 * texts in a `URLDownloadError`. `exists` sends a HEAD request and is false on any failure, as spacer's is.
 */
import { Readable } from 'node:stream';
import { type BlobInfo, type BlobStore, redactUrl } from '@mlclients/package-core/storage';
import { URLDownloadError } from '../errors.js';

/** spacer's `URLStorage.TIMEOUT`, in milliseconds. */
export const URL_TIMEOUT_MS = 20_000;

/** spacer's url storage: read-only, the key is the whole URL, with spacer's timeout and error texts. */
export class SpacerUrlStore implements BlobStore {
  readonly url = 'url:';

  /**
   * Creates a `SpacerUrlStore`.
   *
   * @param fetchImpl The fetch to read with. @param timeoutMs Per request.
   */
  constructor(
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly timeoutMs = URL_TIMEOUT_MS,
  ) {}

  async getBytes(key: string): Promise<Uint8Array> {
    const shown = redactUrl(key);
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(new URL(key), { signal });
      // urllib raises HTTPError (a URLError) for 4xx/5xx.
      if (!response.ok) throw new Error(`HTTP Error ${response.status}: ${response.statusText}`);
    } catch (error) {
      throw new URLDownloadError(`Failed to download from the URL '${shown}'.`, error);
    }
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw new URLDownloadError(`Couldn't read the full response from the URL '${shown}'.`, error);
    }
  }

  async get(key: string): Promise<Readable> {
    return Readable.from([await this.getBytes(key)]);
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    try {
      const response = await this.fetchImpl(new URL(key), {
        method: 'HEAD',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) return undefined;
      return { key, size: Number(response.headers.get('content-length') ?? 0) };
    } catch {
      return undefined;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async put(): Promise<void> {
    throw new TypeError('Store operation not supported for URL storage.');
  }

  async delete(): Promise<void> {
    throw new TypeError('Delete operation not supported for URL storage.');
  }

  // biome-ignore lint/correctness/useYield: URLs cannot be listed; the generator only throws.
  async *list(): AsyncIterable<BlobInfo> {
    throw new TypeError('List operation not supported for URL storage.');
  }
}
