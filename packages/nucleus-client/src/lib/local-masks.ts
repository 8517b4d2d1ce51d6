/**
 * Local segmentation masks (nucleus-api.md §3.3, `nucleus/annotation_uploader.py`): PNG files sent as
 * `multipart/form-data` to the upload route itself (annotate, uploadPredictions, modelRun predict), at most 10 per
 * request. Part `serialized_request` = the JSON `{segmentations: [payloads], update}` whose `mask_url`s are the
 * local paths; one `mask` part per file, content type `image/png`, filename = that local path percent-quoted as
 * the Python client's aiohttp sends it (how the server pairs each payload with its file).
 */
import type { ValidationIssue } from '@mlclients/package-core';
import { filePart } from './multipart.js';
import { isLocalPath } from './paths.js';

/** The most local masks one request takes (the Python client raises above it). */
export const LOCAL_MASKS_PER_REQUEST = 10;

/** A segmentation whose mask is a local file. */
export function hasLocalMask(a: { type?: unknown; mask_url?: unknown }): boolean {
  return (
    (a.type === 'mask' || a.type === 'segmentation') &&
    typeof a.mask_url === 'string' &&
    a.mask_url !== '' &&
    isLocalPath(a.mask_url)
  );
}

/** Each local mask is an existing file ending in `.png` (the server takes PNG only); issues name the index. */
export async function localMaskIssues(
  list: readonly { type?: unknown; mask_url?: unknown }[],
): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  await Promise.all(
    list.map(async (a, i) => {
      if (!hasLocalMask(a)) return;
      const path = a.mask_url as string;
      const at = `annotations[${i}].mask_url`;
      // Loaded only for a local file: a browser bundle of the client must not import node: modules.
      const [{ stat }, { extname }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
      if (extname(path).toLowerCase() !== '.png') {
        issues.push({ path: at, message: `${path}: only PNG masks are supported` });
        return;
      }
      try {
        if (!(await stat(path)).isFile()) issues.push({ path: at, message: `${path}: not a file` });
      } catch {
        issues.push({ path: at, message: `${path}: no such file` });
      }
    }),
  );
  return issues.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}

/** The multipart body of one batch of segmentation payloads with local masks. */
export async function maskMultipartBody(
  segmentations: readonly Record<string, unknown>[],
  update: boolean,
): Promise<FormData> {
  const form = new FormData();
  // A plain field (no filename), as the Python client sends it, so the server reads it as form data, not a file.
  form.append('serialized_request', JSON.stringify({ segmentations, update }));
  for (const s of segmentations) form.append('mask', ...(await filePart(String(s.mask_url), 'image/png')));
  return form;
}
