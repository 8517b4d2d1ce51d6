/**
 * The multipart forms Nucleus takes (nucleus-api.md §3.2, §3.3), read into the JSON body of the same route, so the
 * engine's faults, journal and conformance apply to them as to any call:
 * - local images on `dataset/{id}/append`: part `items` = JSON array of payloads each with `update`, one `image`
 *   part per file (at most 10);
 * - local masks on `dataset/{id}/annotate`, `.../uploadPredictions`, `modelRun/{id}/predict`: part
 *   `serialized_request` = JSON `{segmentations, update}` whose `mask_url`s are local paths, one `mask` part per
 *   file (PNG, filename = that path; at most 10). Each mask is kept in the fake's storage and its payload's
 *   `mask_url` becomes the stored copy's URL, as the server does with the files it receives.
 */
import type { FakeAnswer } from '@mlclients/package-core/testing';
import { nucleusError } from './answers.js';
import type { NucleusState } from './state.js';

/** The most files one multipart request takes. */
export const MAX_FILES_PER_MULTIPART = 10;
/** Where the fake keeps the masks it received (served back by GET). */
export const MASK_PATH = '/_storage/nucleus-masks/';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MASK_ROUTE =
  /^\/(dataset\/[^/]+\/annotate|dataset\/[^/]+\/model\/[^/]+\/uploadPredictions|modelRun\/[^/]+\/predict)$/;
const APPEND_ROUTE = /^\/dataset\/[^/]+\/append$/;

async function text(part: FormDataEntryValue | null): Promise<string | undefined> {
  if (part === null) return undefined;
  return typeof part === 'string' ? part : part.text();
}

function json(body: unknown): { bytes: Uint8Array } {
  return { bytes: new TextEncoder().encode(JSON.stringify(body)) };
}

async function appendForm(form: FormData): Promise<{ bytes: Uint8Array } | FakeAnswer> {
  const images = form.getAll('image');
  if (images.length > MAX_FILES_PER_MULTIPART)
    return nucleusError(
      400,
      `Too many files in one request: ${images.length} (at most ${MAX_FILES_PER_MULTIPART})`,
    );
  let items: Record<string, unknown>[];
  try {
    items = JSON.parse((await text(form.get('items'))) ?? '[]');
  } catch {
    return nucleusError(400, 'items: not JSON');
  }
  if (!Array.isArray(items) || items.length !== images.length)
    return nucleusError(
      400,
      `items: expected one item per image part (${images.length}), got ${Array.isArray(items) ? items.length : 'no array'}`,
    );
  const update = items.some((i) => i.update === true);
  return json({ items: items.map(({ update: _u, ...rest }) => rest), update });
}

async function maskForm(
  form: FormData,
  state: NucleusState,
  origin: string,
): Promise<{ bytes: Uint8Array } | FakeAnswer> {
  const masks = form.getAll('mask').filter((m): m is File => typeof m !== 'string');
  if (masks.length > MAX_FILES_PER_MULTIPART)
    return nucleusError(
      400,
      `Too many files in one request: ${masks.length} (at most ${MAX_FILES_PER_MULTIPART})`,
    );
  let request: { segmentations?: unknown; update?: unknown };
  try {
    request = JSON.parse((await text(form.get('serialized_request'))) ?? '');
  } catch {
    return nucleusError(400, 'serialized_request: expected a JSON part {segmentations, update}');
  }
  const segmentations = request?.segmentations;
  if (!Array.isArray(segmentations))
    return nucleusError(400, 'serialized_request.segmentations: expected an array');
  if (segmentations.length !== masks.length)
    return nucleusError(
      400,
      `serialized_request.segmentations: expected one segmentation per mask part (${masks.length}), got ${segmentations.length}`,
    );
  // The Python client's aiohttp percent-quotes filenames (`%2Ftmp%2Fm.png`); match the path either way.
  const byName = new Map<string, File>();
  for (const m of masks) {
    byName.set(m.name, m);
    try {
      byName.set(decodeURIComponent(m.name), m);
    } catch {}
  }
  const stored: Record<string, unknown>[] = [];
  for (const [i, raw] of segmentations.entries()) {
    const s = (raw ?? {}) as Record<string, unknown>;
    const file = typeof s.mask_url === 'string' ? byName.get(s.mask_url) : undefined;
    if (!file)
      return nucleusError(
        400,
        `segmentations[${i}].mask_url: no mask part named ${JSON.stringify(s.mask_url)} in the request`,
      );
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (!PNG_SIGNATURE.every((b, k) => bytes[k] === b))
      return nucleusError(400, `segmentations[${i}]: mask ${file.name} is not a PNG file`);
    const id = state.id('mask');
    state.masks.set(id, bytes);
    stored.push({ ...s, mask_url: `${origin}${MASK_PATH}${id}.png` });
  }
  return json({ segmentations: stored, update: request.update === true });
}

/** Read a multipart request to `path` (relative to the base path) into its JSON form, or the error answer. */
export async function multipartToJson(
  path: string,
  origin: string,
  headers: Headers,
  bytes: Uint8Array,
  state: NucleusState,
): Promise<{ bytes: Uint8Array } | FakeAnswer> {
  const isAppend = APPEND_ROUTE.test(path);
  if (!isAppend && !MASK_ROUTE.test(path))
    return nucleusError(415, `${path} does not take multipart/form-data (send JSON)`);
  let form: FormData;
  try {
    form = await new Request('http://x/', { method: 'POST', headers, body: bytes as BodyInit }).formData();
  } catch {
    return nucleusError(400, 'Malformed multipart body');
  }
  return isAppend ? appendForm(form) : maskForm(form, state, origin);
}
