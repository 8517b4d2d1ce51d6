/**
 * Dataset items as the caller gives them (the Python `DatasetItem`'s names) and their wire payloads (§7.1), with the
 * checks made before anything is sent: a reference id on every item, one location of the right type, no duplicate
 * reference ids, local files that exist, no local path on the async path.
 */
import type { ValidationIssue } from '@mlclients/package-core';
import { DuplicateIDError, InvalidInputError } from './errors.js';
import { isLocalPath } from './paths.js';

/** One item to append. */
export interface DatasetItemInput {
  /** The caller's own key, unique in the dataset. */
  reference_id: string;
  /** Image URL (http, https, s3, gs) or a local file path (sent as multipart). */
  image_location?: string;
  /** Point cloud URL (scene datasets). */
  pointcloud_location?: string;
  metadata?: Record<string, unknown>;
  width?: number;
  height?: number;
  embedding_info?: { index_id: string; embedding_vector: number[] };
}

/** What the server receives for one item. */
export interface DatasetItemPayload {
  reference_id: string;
  image_url?: string;
  pointcloud_url?: string;
  metadata: Record<string, unknown>;
  width?: number;
  height?: number;
  embedding_info?: { index_id: string; embedding_vector: number[] };
}

export function itemPayload(item: DatasetItemInput): DatasetItemPayload {
  const p: DatasetItemPayload = { reference_id: item.reference_id, metadata: item.metadata ?? {} };
  if (item.image_location !== undefined) p.image_url = item.image_location;
  if (item.pointcloud_location !== undefined) p.pointcloud_url = item.pointcloud_location;
  if (item.width !== undefined) p.width = item.width;
  if (item.height !== undefined) p.height = item.height;
  if (item.embedding_info !== undefined) p.embedding_info = item.embedding_info;
  return p;
}

/** The structural problems of items, each naming `items[i].field`. */
export function itemIssues(
  items: readonly DatasetItemInput[],
  options: { remoteOnly?: boolean } = {},
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(items)) return [{ path: 'items', message: 'expected an array' }];
  items.forEach((item, i) => {
    const at = `items[${i}]`;
    if (!item || typeof item !== 'object') {
      issues.push({ path: at, message: 'expected an object' });
      return;
    }
    if (typeof item.reference_id !== 'string' || item.reference_id === '')
      issues.push({ path: `${at}.reference_id`, message: 'required: a non-empty string' });
    const image = item.image_location;
    const cloud = item.pointcloud_location;
    if ((image === undefined) === (cloud === undefined))
      issues.push({
        path: `${at}.image_location`,
        message: 'exactly one of image_location and pointcloud_location is required',
      });
    for (const [field, v] of [
      ['image_location', image],
      ['pointcloud_location', cloud],
    ] as const) {
      if (v === undefined) continue;
      if (typeof v !== 'string' || v === '')
        issues.push({ path: `${at}.${field}`, message: 'expected a non-empty string' });
      else if (options.remoteOnly && isLocalPath(v))
        issues.push({
          path: `${at}.${field}`,
          message: `local path ${JSON.stringify(v)}: async uploads need remote URLs (http, https, s3, gs)`,
        });
    }
    if (cloud !== undefined && typeof cloud === 'string' && isLocalPath(cloud) && !options.remoteOnly)
      issues.push({ path: `${at}.pointcloud_location`, message: 'point clouds must be remote URLs' });
    for (const field of ['width', 'height'] as const) {
      const v = item[field];
      if (v !== undefined && !(Number.isInteger(v) && v > 0))
        issues.push({ path: `${at}.${field}`, message: 'expected a positive integer' });
    }
    if (
      item.metadata !== undefined &&
      (item.metadata === null || typeof item.metadata !== 'object' || Array.isArray(item.metadata))
    )
      issues.push({ path: `${at}.metadata`, message: 'expected an object' });
  });
  return issues;
}

/** Refuse duplicate keys, naming every index that repeats an earlier one. */
export function refuseDuplicates<T>(
  list: readonly T[],
  keyOf: (x: T) => string | undefined,
  field: string,
  what: string,
): void {
  const first = new Map<string, number>();
  const issues: ValidationIssue[] = [];
  list.forEach((x, i) => {
    const key = keyOf(x);
    if (key === undefined) return;
    const seen = first.get(key);
    if (seen !== undefined)
      issues.push({
        path: `${field.replace('#', String(i))}`,
        message: `duplicate of index ${seen} (${JSON.stringify(key)})`,
      });
    else first.set(key, i);
  });
  if (issues.length) throw new DuplicateIDError(what, issues);
}

/** Every local file exists and is a file. */
export async function localFileIssues(items: readonly DatasetItemInput[]): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  await Promise.all(
    items.map(async (item, i) => {
      const loc = item.image_location;
      if (loc === undefined || !isLocalPath(loc)) return;
      try {
        // Loaded only for a local file: a browser bundle of the client must not import node: modules.
        const { stat } = await import('node:fs/promises');
        if (!(await stat(loc)).isFile())
          issues.push({ path: `items[${i}].image_location`, message: `${loc}: not a file` });
      } catch {
        issues.push({ path: `items[${i}].image_location`, message: `${loc}: no such file` });
      }
    }),
  );
  return issues.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}

/** Check everything; throws {@link InvalidInputError} / {@link DuplicateIDError} before any request. */
export async function checkItems(
  items: readonly DatasetItemInput[],
  options: { remoteOnly?: boolean } = {},
): Promise<void> {
  const issues = itemIssues(items, options);
  if (issues.length) throw new InvalidInputError('datasets.append', issues);
  refuseDuplicates(items, (x) => x.reference_id, 'items[#].reference_id', 'datasets.append');
  const missing = await localFileIssues(items);
  if (missing.length) throw new InvalidInputError('datasets.append', missing);
}

export { InvalidInputError };
