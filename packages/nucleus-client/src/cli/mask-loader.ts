/**
 * How `nu metrics` reads segmentation masks (`mask_url`): PNG files, from a local path, a `file:` URL or http(s)
 * (the signed URLs Nucleus returns), decoded with fast-png. The pixel values are what upstream reads with
 * `np.asarray(Image.open(...))`: palette indices for an indexed PNG, grey levels for a greyscale one, the first
 * channel of RGB(A). `s3://` and `gs://` need the clouds' own credentials and are refused with a way out.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { decode } from 'fast-png';
import type { MaskImage, MaskLoader } from '../metrics/types.js';
import { CliError } from './errors.js';

/** A mask larger than this is refused rather than read into memory. */
export const MAX_MASK_BYTES = 64 * 1024 * 1024;

async function bytesOf(url: string): Promise<Uint8Array> {
  if (/^https?:\/\//i.test(url)) {
    const response = await fetch(url);
    if (!response.ok) throw new CliError(`mask ${url}: HTTP ${response.status}`);
    const size = Number(response.headers.get('content-length') ?? 0);
    if (size > MAX_MASK_BYTES) throw new CliError(`mask ${url}: ${size} bytes, more than ${MAX_MASK_BYTES}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > MAX_MASK_BYTES)
      throw new CliError(`mask ${url}: more than ${MAX_MASK_BYTES} bytes`);
    return bytes;
  }
  if (/^(s3|gs):\/\//i.test(url))
    throw new CliError(
      `mask ${url}: nu reads masks from local files and http(s) URLs; download it and point mask_url at the file`,
    );
  const path = /^file:/i.test(url) ? fileURLToPath(url) : url;
  try {
    return await readFile(path);
  } catch (error) {
    throw new CliError(
      `mask ${url}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
}

export const pngMaskLoader: MaskLoader = {
  async fetch(url: string): Promise<MaskImage> {
    const bytes = await bytesOf(url);
    let png: ReturnType<typeof decode>;
    try {
      png = decode(bytes);
    } catch (error) {
      throw new CliError(`mask ${url}: not a PNG (${(error as Error).message})`);
    }
    return { width: png.width, height: png.height, data: png.data, channels: png.channels };
  },
};
